"""The writes behind speakers, statement dates, periods, claim kinds and source origins."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from factcheck import services
from factcheck.models import Assertion, Claim, SourceDerivation, Speaker
from tests.conftest import make_claim, make_source, row_counts


@pytest.fixture
def kremlin(editor):
    return services.speaker_create(name="The Kremlin", kind="government", aliases="Kremlin\nMoscow", user=editor)


def _attribute(assertion, editor, **fields):
    """``assertion_attribute`` on top of the assertion's current version; what is not given, blank."""
    fields = {**dict.fromkeys(("speaker", "stated_on", "period_from", "period_to")), **fields}
    return services.assertion_attribute(assertion=assertion, version=assertion.version, user=editor, **fields)


def test_it_creates_a_speaker_with_a_free_slug_and_clean_aliases(editor):
    first = services.speaker_create(
        name="  Sergei   Lavrov ", aliases=["Lavrov", " lavrov ", "", "Sergei Lavrov"], user=editor
    )
    second = services.speaker_create(name="Sergei Lavrov", user=editor)
    assert (first.name, first.slug, first.alias_list) == ("Sergei Lavrov", "sergei-lavrov", ["Lavrov"])
    assert second.slug == "sergei-lavrov-2"
    assert first.history.first().history_user == editor


def test_it_refuses_a_blank_name_an_unknown_kind_and_a_taken_slug(editor, kremlin):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        services.speaker_create(name=" ", kind="deity", user=editor)
    assert set(error.value.message_dict) == {"name", "kind"}
    with pytest.raises(ValidationError) as error:
        services.speaker_create(name="Kremlin press office", slug=kremlin.slug, user=editor)
    assert "taken" in error.value.message_dict["slug"][0]
    assert row_counts() == before


def test_it_refuses_a_speaker_edit_based_on_what_changed_since(editor, second_editor, kremlin):
    seen = services.speaker_fingerprint(kremlin)
    services.speaker_update(speaker=kremlin, seen=seen, description="Russia's presidency.", user=second_editor)
    with pytest.raises(services.StaleEdit):
        services.speaker_update(speaker=kremlin, seen=seen, name="Kremlin", user=editor)
    assert Speaker.objects.get(pk=kremlin.pk).name == "The Kremlin"


def test_it_sets_an_assertions_speaker_dates_and_period_with_a_version_check(editor, kremlin):
    source = make_source(published=dt.date(2025, 10, 20))
    claim = make_claim(assertions=[(source, "disputes", "The Kremlin denied that any extradition was requested.")])
    assertion = claim.assertions.get()
    saved = _attribute(
        assertion,
        editor,
        speaker=kremlin,
        stated_on="2025-10-17",
        period_from="1955",
        period_to=(dt.date(1958, 1, 1), "year"),
    )
    stored = Assertion.objects.get(pk=assertion.pk)
    assert (stored.speaker, stored.stated_on, stored.as_of_precision, stored.period_end) == (
        kremlin,
        dt.date(2025, 10, 17),
        "year",
        dt.date(1958, 1, 1),
    )
    assert stored.version == saved.version == assertion.version + 1
    assert stored.history.first().history_user == editor
    with pytest.raises(services.StaleEdit):
        services.assertion_attribute(
            assertion=assertion, version=assertion.version, speaker=None, stated_on=None, period_from=None, user=editor
        )


def test_it_refuses_a_period_that_ends_before_it_starts_and_bad_dates(editor):
    claim = make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])
    assertion = claim.assertions.get()
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        _attribute(assertion, editor, period_from="2025-07", period_to="2025-06-30")
    assert "ends (30 June 2025) before it starts (July 2025)" in error.value.message_dict["period_to"][0]
    with pytest.raises(ValidationError) as error:
        _attribute(assertion, editor, stated_on="2025-13", period_to="2024")
    assert set(error.value.message_dict) == {"stated_on"}
    with pytest.raises(ValidationError) as error:
        _attribute(assertion, editor, period_to="2024")
    assert set(error.value.message_dict) == {"period_from"}
    assert row_counts() == before


def test_it_accepts_a_period_ending_within_the_month_it_starts(editor):
    claim = make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])
    assertion = claim.assertions.get()
    _attribute(assertion, editor, period_from="2025-07-15", period_to="2025-07")
    assert Assertion.objects.get(pk=assertion.pk).period_end == dt.date(2025, 7, 1)


def test_it_sets_a_claims_kind_in_history_and_refuses_a_stale_version(editor, second_editor, conflict_claim):
    version = conflict_claim.version
    saved = services.claim_set_kind(claim=conflict_claim, kind="state", version=version, user=editor)
    assert Claim.objects.get(pk=conflict_claim.pk).kind == "state"
    latest = saved.history.first()
    assert (latest.kind, latest.history_user, latest.prev_record.kind) == ("state", editor, "event")
    with pytest.raises(services.StaleEdit):
        services.claim_set_kind(claim=conflict_claim, kind="event", version=version, user=second_editor)
    with pytest.raises(ValidationError):
        services.claim_set_kind(claim=conflict_claim, kind="rumour", version=saved.version, user=editor)


def test_it_records_a_derivation_and_refuses_self_duplicates_and_loops(editor, kremlin):
    original, copy = make_source(title="Original"), make_source(title="Copy")
    link = services.derivation_add(source=copy, origin_source=original, relation="republishes", user=editor)
    assert link.history.first().history_user == editor
    for kwargs in (
        {"source": copy, "origin_source": copy},
        {"source": copy, "origin_source": original},
        {"source": original, "origin_source": copy},
        {"source": copy},
        {"source": copy, "origin_source": original, "origin_speaker": kremlin},
        {"source": copy, "origin_speaker": kremlin, "relation": "paraphrases"},
    ):
        with pytest.raises(ValidationError):
            services.derivation_add(user=editor, **kwargs)
    services.derivation_remove(derivation=link, user=editor)
    assert not SourceDerivation.objects.exists()


def test_it_refuses_to_delete_a_speaker_who_is_on_record(editor, kremlin):
    claim = make_claim(
        assertions=[(make_source(), "disputes", "The Kremlin denied that any extradition was requested.")]
    )
    assertion = claim.assertions.get()
    services.assertion_attribute(
        assertion=assertion, version=assertion.version, speaker=kremlin, stated_on=None, period_from=None, user=editor
    )
    with pytest.raises(ValidationError):
        services.speaker_delete(speaker=kremlin, user=editor)
    assert Speaker.objects.filter(pk=kremlin.pk).exists()


def test_it_recounts_independent_origins_when_a_republication_is_recorded_or_removed(editor):
    original, copy = make_source(title="Original"), make_source(title="Copy")
    claim = make_claim(
        assertions=[
            (original, "supports", "Russia keeps its naval base at Tartus."),
            (copy, "supports", "Russia keeps its naval base at Tartus."),
        ]
    )
    assert (claim.origin_count, claim.status) == (2, "agreement")
    link = services.derivation_add(source=copy, origin_source=original, relation="republishes", user=editor)
    claim.refresh_from_db()
    assert (claim.source_count, claim.origin_count, claim.status) == (2, 1, "single")
    services.derivation_remove(derivation=link, user=editor)
    claim.refresh_from_db()
    assert (claim.origin_count, claim.status) == (2, "agreement")

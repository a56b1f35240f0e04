"""The admin's speakers, a source's origins, and the new fields of assertions, claims and resolutions."""

import pytest
from django.urls import reverse

from factcheck import services
from factcheck.models import Assertion, Claim, Resolution, SourceDerivation, Speaker
from tests.admin_forms import assertion_form, derivation_rows, source_form
from tests.conftest import make_claim, make_source, row_counts

DENIAL = "The Kremlin denied that any extradition was requested."


def _url(model, view, obj=None):
    args = [obj.pk] if view in ("change", "history", "delete") else []
    return reverse(f"admin:factcheck_{model}_{view}", args=args)


def _speaker_form(speaker=None, **changes):
    data = {"name": "", "slug": "", "kind": "person", "aliases": "", "description": ""}
    if speaker is not None:
        data = {
            "name": speaker.name,
            "kind": speaker.kind,
            "aliases": speaker.aliases,
            "description": speaker.description,
            "seen": services.speaker_fingerprint(speaker),
        }
    return {**data, **changes}


@pytest.fixture
def kremlin(db):
    return Speaker.objects.create(slug="kremlin", name="The Kremlin", kind="government", aliases="Kremlin\nMoscow")


# Speakers ------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
def test_it_serves_the_speaker_pages_to_staff(staff_client, kremlin, view):
    assert staff_client.get(_url("speaker", view, kremlin)).status_code == 200


def test_it_adds_a_speaker_through_the_service_making_its_slug_and_recording_who(staff_client, staff, db):
    response = staff_client.post(
        _url("speaker", "add"),
        _speaker_form(name="Asaad al-Shaibani", kind="person", aliases="al-Shibani\nAl-Schaibani\nal-Shibani"),
    )

    assert response.status_code == 302
    speaker = Speaker.objects.get()
    assert (speaker.slug, speaker.alias_list) == ("asaad-al-shaibani", ["al-Shibani", "Al-Schaibani"])
    assert speaker.history.get().history_user_id == staff.pk


def test_it_changes_a_speaker_and_refuses_a_change_on_top_of_someone_elses(staff_client, staff, kremlin):
    seen = _speaker_form(kremlin, description="Russia's presidency.")
    services.speaker_update(speaker=kremlin, user=staff, name="Kremlin (presidency)")
    before = row_counts()

    response = staff_client.post(_url("speaker", "change", kremlin), seen)

    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["adminform"].form.non_field_errors())
    assert row_counts() == before

    kremlin.refresh_from_db()
    response = staff_client.post(_url("speaker", "change", kremlin), _speaker_form(kremlin, kind="organisation"))
    assert response.status_code == 302
    kremlin.refresh_from_db()
    assert (kremlin.name, kremlin.kind, kremlin.slug) == ("Kremlin (presidency)", "organisation", "kremlin")
    assert kremlin.history.latest("history_date").history_user_id == staff.pk


def test_it_refuses_too_many_aliases_on_the_form(staff_client, db, monkeypatch):
    monkeypatch.setattr("factcheck.admin.speakers.MAX_ALIASES", 2)
    response = staff_client.post(_url("speaker", "add"), _speaker_form(name="Putin", aliases="A\nB\nC"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["aliases"] == ["At most 2 aliases; this has 3."]
    assert not Speaker.objects.exists()


def test_it_finds_speakers_by_alias_in_the_list_and_the_autocomplete(staff_client, kremlin):
    Speaker.objects.create(slug="putin", name="Vladimir Putin")
    listed = staff_client.get(_url("speaker", "changelist"), {"q": "Moscow"})
    assert [s.slug for s in listed.context["cl"].result_list] == ["kremlin"]

    found = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "factcheck", "model_name": "assertion", "field_name": "speaker", "term": "moscow"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["The Kremlin"]


def test_it_lists_what_a_speaker_said_on_its_change_page(staff_client, kremlin):
    source = make_source(title="TRT World")
    claim = make_claim(text="Assad's extradition was requested.", assertions=[(source, "disputes", DENIAL)])
    Assertion.objects.filter(claim=claim).update(speaker=kremlin)

    html = staff_client.get(_url("speaker", "change", kremlin)).content.decode()

    assert "TRT World</a> — disputes" in html
    assert f'href="{claim.get_absolute_url()}"' in html
    assert "The Kremlin denied that any extradition was requested." in html


def test_it_refuses_to_delete_a_speaker_on_record(staff_client, kremlin):
    claim = make_claim(assertions=[(make_source(), "disputes", DENIAL)])
    Assertion.objects.filter(claim=claim).update(speaker=kremlin)

    response = staff_client.post(_url("speaker", "delete", kremlin), {"post": "yes"})

    assert response.status_code == 200 and "protected" in response.content.decode().lower()
    assert Speaker.objects.filter(pk=kremlin.pk).exists()


# Assertions: speaker, statement date, period ------------------------------------------


def test_it_sets_an_assertions_speaker_statement_date_and_period_with_their_precisions(staff_client, staff, kremlin):
    claim = make_claim(assertions=[(make_source(), "disputes", DENIAL)])
    assertion = claim.assertions.get()

    response = staff_client.post(
        _url("assertion", "change", assertion),
        assertion_form(assertion, speaker=kremlin.pk, stated_on="2025-10-15", as_of="2024-10", period_end="2024-12"),
    )

    assert response.status_code == 302
    assertion.refresh_from_db()
    assert assertion.speaker == kremlin
    assert (assertion.stated_on.isoformat(), assertion.stated_on_precision) == ("2025-10-15", "day")
    assert (assertion.as_of.isoformat(), assertion.as_of_precision) == ("2024-10-01", "month")
    assert (assertion.period_end.isoformat(), assertion.period_end_precision) == ("2024-12-01", "month")
    assert assertion.version == 2
    assert assertion.history.latest("history_date").history_user_id == staff.pk
    # The form shows them back as typed.
    form = staff_client.get(_url("assertion", "change", assertion)).context["adminform"].form
    assert (form.initial["stated_on"], form.initial["as_of"], form.initial["period_end"]) == (
        "2025-10-15",
        "2024-10",
        "2024-12",
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"as_of": "2025", "period_end": "2024"}, "period_end", "The period ends (2024) before it starts (2025)."),
        ({"period_end": "2024"}, "as_of", "A period with an end needs a start"),
        ({"stated_on": "2025-02-30"}, "stated_on", "'2025-02-30' is not a valid date"),
    ],
)
def test_it_refuses_a_bad_period_on_the_form_and_saves_nothing(staff_client, db, fields, field, message):
    claim = make_claim(assertions=[(make_source(), "disputes", DENIAL)])
    assertion = claim.assertions.get()
    before = row_counts()

    response = staff_client.post(_url("assertion", "change", assertion), assertion_form(assertion, **fields))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field][0].startswith(message)
    assert row_counts() == before


# Claims: kind; resolutions: the reason nothing prevails ---------------------------------


def test_it_changes_a_claims_kind_in_the_admin_with_history(staff_client, staff, db):
    claim = make_claim()
    data = {
        "topic": claim.topic_id,
        "text": claim.text,
        "kind": "state",
        "assigned_to": "",
        "base_version": claim.version,
        # The claim's wordings in other languages (an inline of their own): none.
        "translations-TOTAL_FORMS": 0,
        "translations-INITIAL_FORMS": 0,
        "assertions-TOTAL_FORMS": 0,
        "assertions-INITIAL_FORMS": 0,
        "assertions-MIN_NUM_FORMS": 0,
        "assertions-MAX_NUM_FORMS": 1000,
    }

    assert staff_client.post(_url("claim", "change", claim), data).status_code == 302

    claim.refresh_from_db()
    assert (claim.kind, claim.version) == ("state", 2)
    row = claim.history.latest("history_date")
    assert (row.kind, row.history_user_id) == ("state", staff.pk)
    assert staff_client.get(_url("claim", "changelist"), {"kind__exact": "state"}).context["cl"].result_count == 1


def test_it_shows_why_a_decision_has_no_prevailing_statement(staff_client, editor, conflict_claim):
    resolution = services.resolution_save(
        publish=True, claim=conflict_claim, user=editor, verdict="mixed", rationale="Both.", prevailing=[], version=0
    )
    Resolution.objects.filter(pk=resolution.pk).update(no_prevailing_reason="Neither source saw the treaty.")

    html = staff_client.get(_url("resolution", "change", resolution)).content.decode()

    assert "Neither source saw the treaty." in html


# A source's origins -------------------------------------------------------------------


def test_it_records_a_sources_origins_through_the_services(staff_client, staff, kremlin):
    outlet = Speaker.objects.create(slug="die-zeit", name="Die Zeit", kind="outlet")
    original, copy = make_source(title="Original"), make_source(title="Copy")
    claim = make_claim(assertions=[(original, "supports", DENIAL), (copy, "supports", DENIAL)])
    assert Claim.objects.get(pk=claim.pk).origin_count == 2
    rows = [
        {"origin_source": original.pk, "relation": "republishes", "note": "“first published by Original”"},
        {"origin_speaker": outlet.pk, "relation": "cites"},
    ]

    response = staff_client.post(_url("source", "change", copy), {**source_form(copy), **derivation_rows(rows)})

    assert response.status_code == 302
    links = {(d.origin_source_id, d.origin_speaker_id, d.relation) for d in copy.derivations.all()}
    assert links == {(original.pk, None, "republishes"), (None, outlet.pk, "cites")}
    assert all(d.history.get().history_user_id == staff.pk for d in copy.derivations.all())
    # The copy's own voice is now the original's (its first origin): one independent origin.
    assert Claim.objects.get(pk=claim.pk).origin_count == 1

    first = copy.derivations.order_by("id").first()
    change = [{"id": first.pk, "origin_source": original.pk, "relation": "translates", "note": ""}]
    change.append({"id": copy.derivations.order_by("id").last().pk, "origin_speaker": outlet.pk, "DELETE": "on"})
    response = staff_client.post(
        _url("source", "change", copy), {**source_form(copy), **derivation_rows(change, initial=2)}
    )
    assert response.status_code == 302
    assert [(d.origin_source_id, d.relation) for d in copy.derivations.all()] == [(original.pk, "translates")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("self", "A source cannot derive from itself."),
        ("loop", "already derives from this source: a loop would leave neither an origin."),
        ("both", "Give the origin as a stored source or as an outlet, not both and not neither."),
    ],
)
def test_it_refuses_an_origin_that_cannot_be_one_and_saves_nothing(staff_client, kremlin, row, message):
    original, copy = make_source(title="Original"), make_source(title="Copy")
    SourceDerivation.objects.create(source=copy, origin_source=original)
    rows = {
        "self": [{"origin_source": original.pk}],
        "loop": [{"origin_source": copy.pk}],
        "both": [{"origin_source": copy.pk, "origin_speaker": kremlin.pk}],
    }[row]
    before = row_counts()

    response = staff_client.post(_url("source", "change", original), {**source_form(original), **derivation_rows(rows)})

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert message in " ".join(m for messages in errors.values() for m in messages)
    assert row_counts() == before

"""The data editors' admin: every page, who may reach it, the quote checks, and corpus import/export."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from factcheck import corpus, services
from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Status, Topic
from tests.admin_forms import claim_form, source_form, upload
from tests.conftest import make_claim, make_source, make_topic, row_counts
from tests.editing import note_by, resolve

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"
MODELS = ["source", "topic", "claim", "assertion", "annotation", "resolution"]

REPEATED = "The base stays. Nothing moved. The base stays. Talks went on."


@pytest.fixture
def one_of_each(conflict_claim, editor):
    """A source, topic, claim, assertion, annotation and resolution to open in the admin."""
    assertion = conflict_claim.assertions.order_by("pk").first()
    note = note_by(editor, conflict_claim, "Check the *date*.", assertion)
    resolution = resolve(editor, conflict_claim, "mixed", "Both, at different times.", [assertion])
    return {
        "source": assertion.source,
        "topic": conflict_claim.topic,
        "claim": conflict_claim,
        "assertion": assertion,
        "annotation": note,
        "resolution": resolution,
    }


def _url(model, view, obj=None):
    args = [obj.pk] if view in ("change", "history") else []
    return reverse(f"admin:factcheck_{model}_{view}", args=args)


# Who may reach the admin ------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
def test_it_serves_every_admin_page_to_staff(staff_client, one_of_each, model, view):
    response = staff_client.get(_url(model, view, one_of_each[model]))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_it_serves_the_revert_page_of_a_history_record(staff_client, one_of_each, model):
    obj = one_of_each[model]
    record = obj.history.order_by("-history_id").first()
    url = reverse(f"admin:factcheck_{model}_simple_history", args=[obj.pk, record.history_id])
    assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_it_sends_anonymous_visitors_to_the_admin_login(client, one_of_each, model):
    url = _url(model, "change", one_of_each[model])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_it_keeps_editors_without_staff_status_out_of_the_admin(client, editor, conflict_claim):
    client.force_login(editor)
    for url in (reverse("admin:index"), _url("claim", "changelist"), reverse("admin:factcheck_corpus_import")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


def test_it_refuses_staff_without_the_permissions(client, db, conflict_claim):
    clerk = get_user_model().objects.create_user("clerk", password="clerk-password-123", is_staff=True)
    client.force_login(clerk)
    assert client.get(_url("claim", "changelist")).status_code == 403
    assert client.get(reverse("admin:factcheck_corpus_import")).status_code == 403
    assert client.get(reverse("admin:factcheck_corpus_export")).status_code == 403
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__startswith="view_", content_type__app_label="factcheck")
    )
    clerk = get_user_model().objects.get(pk=clerk.pk)
    client.force_login(clerk)
    # Viewing allows export, not import.
    assert client.get(reverse("admin:factcheck_corpus_export")).status_code == 200
    assert client.get(reverse("admin:factcheck_corpus_import")).status_code == 403


# Entering an assertion --------------------------------------------------------


def _assertion_form(claim, source, quote, **extra):
    return {
        "claim": claim.pk,
        "source": source.pk,
        "stance": "supports",
        "quote": quote,
        "occurrence": "",
        "as_of": "",
        **extra,
    }


def test_it_refuses_a_quote_absent_from_the_source_naming_it_and_the_nearest_passage(staff_client, db):
    source = make_source(title="Wire report")
    claim = make_claim()
    response = staff_client.post(
        _url("assertion", "add"), _assertion_form(claim, source, "Russia keeps its air base at Tartus.")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["quote"][0] == (
        "This quote does not occur in “Wire report”. Nearest passage: “Russia keeps its naval base at Tartus.”"
    )
    assert not Assertion.objects.exists()


def test_it_offers_the_nearest_passage_as_a_button_that_saves_it_as_the_quote(staff_client, db):
    source = make_source(title="Wire report")
    claim = make_claim()
    form = _assertion_form(claim, source, "Russia keeps its air base at Tartus.")
    body = staff_client.post(_url("assertion", "add"), form).content.decode()
    assert (
        '<button type="submit" class="button use-passage" name="use_passage" '
        'value="Russia keeps its naval base at Tartus.">Use this passage</button>'
    ) in body
    nearest = "Russia keeps its naval base at Tartus."
    response = staff_client.post(_url("assertion", "add"), {**form, "use_passage": nearest})
    assert response.status_code == 302
    added = Assertion.objects.get()
    assert added.quote == "Russia keeps its naval base at Tartus."
    assert source.text[added.start : added.end] == added.quote


def test_it_asks_which_occurrence_of_a_repeated_quote_then_stores_that_one(staff_client, db):
    source = make_source(title="Echo", text=REPEATED)
    claim = make_claim()
    response = staff_client.post(_url("assertion", "add"), _assertion_form(claim, source, "The base stays."))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["occurrence"] == [
        "This quote occurs 2 times in “Echo”; choose which occurrence (1–2)."
    ]
    assert not Assertion.objects.exists()

    response = staff_client.post(
        _url("assertion", "add"), _assertion_form(claim, source, "The base stays.", occurrence="2")
    )
    assert response.status_code == 302
    assertion = Assertion.objects.get()
    assert (assertion.start, assertion.end) == (31, 46)
    assert REPEATED[assertion.start : assertion.end] == "The base stays."


def test_it_fills_in_the_offsets_and_the_partial_as_of_date(staff_client, db):
    source = make_source(title="Plain")
    claim = make_claim()
    quote = "The Kremlin denied that any extradition was requested."
    response = staff_client.post(_url("assertion", "add"), _assertion_form(claim, source, quote, as_of="2025-10"))
    assert response.status_code == 302
    assertion = Assertion.objects.get()
    assert source.text[assertion.start : assertion.end] == quote
    assert assertion.as_of_value == "2025-10"
    claim.refresh_from_db()
    assert claim.status == Status.SINGLE


def test_it_accepts_straight_quotes_for_typographic_ones_and_points_at_the_source_text(staff_client, db):
    source = make_source(title="Typeset")
    claim = make_claim()
    typed = 'Officials said the "agreements will be respected" by both sides.'
    response = staff_client.post(_url("assertion", "add"), _assertion_form(claim, source, typed))
    assert response.status_code == 302
    assertion = Assertion.objects.get()
    assert assertion.quote == typed
    assert (
        source.text[assertion.start : assertion.end]
        == "Officials said the “agreements will be respected” by both sides."
    )


def test_it_refuses_a_bad_as_of_date_on_the_as_of_field(staff_client, db):
    source, claim = make_source(), make_claim()
    response = staff_client.post(
        _url("assertion", "add"),
        _assertion_form(claim, source, "Russia keeps its naval base at Tartus.", as_of="2025-13"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["as_of"] == [
        "'2025-13' is not a valid date: month must be in 1..12."
    ]


def test_it_checks_quotes_in_the_claims_inline_the_same_way(staff_client, db):
    echo = make_source(title="Echo", text=REPEATED)
    plain = make_source(title="Plain")
    claim = make_claim()
    url = _url("claim", "change", claim)

    response = staff_client.post(
        url,
        claim_form(
            claim,
            [
                {"source": plain.pk, "quote": "Russia left Tartus."},
                {"source": echo.pk, "quote": "The base stays."},
            ],
        ),
    )
    assert response.status_code == 200
    forms = response.context["inline_admin_formsets"][0].formset.forms
    assert forms[0].errors["quote"][0].startswith("This quote does not occur in “Plain”. Nearest passage: “")
    assert forms[1].errors["occurrence"] == ["This quote occurs 2 times in “Echo”; choose which occurrence (1–2)."]
    assert not Assertion.objects.exists()

    response = staff_client.post(
        url,
        claim_form(
            claim,
            [
                {"source": plain.pk, "quote": "Russia keeps its naval base at Tartus.", "stance": "disputes"},
                {"source": echo.pk, "quote": "The base stays.", "occurrence": "1"},
            ],
        ),
    )
    assert response.status_code == 302
    offsets = {(a.source.title, a.start, a.end) for a in claim.assertions.select_related("source")}
    assert offsets == {("Plain", 0, 38), ("Echo", 0, 15)}
    claim.refresh_from_db()
    assert claim.status == Status.CONFLICT
    assert claim.source_count == 2


def test_it_refuses_two_inline_rows_citing_the_same_passage(staff_client, db):
    plain = make_source(title="Plain")
    claim = make_claim()
    quote = "Russia keeps its naval base at Tartus."
    response = staff_client.post(
        _url("claim", "change", claim),
        claim_form(
            claim, [{"source": plain.pk, "quote": quote}, {"source": plain.pk, "quote": quote, "stance": "qualifies"}]
        ),
    )
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert list(errors) == ["Two rows cite the same passage of “Plain” (0–38); keep one."]
    assert not Assertion.objects.exists()


def test_it_refuses_a_claim_edit_based_on_an_old_version(staff_client, staff, db):
    claim = make_claim(text="Russia keeps Tartus.")
    url = _url("claim", "change", claim)
    assert staff_client.post(url, claim_form(claim, [], text="Russia keeps Tartus and Hmeimim.")).status_code == 302
    response = staff_client.post(url, claim_form(claim, [], base_version=1, text="Russia leaves Syria."))
    assert response.status_code == 200
    assert "was changed by someone else while you were editing it: you started from version 1, it is now version 2" in (
        response.content.decode()
    )
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Russia keeps Tartus and Hmeimim.", 2)


def test_it_reverts_from_history_through_the_same_form_with_a_new_version(staff_client, editor, db):
    claim = make_claim(text="Russia keeps Tartus.")
    url = _url("claim", "change", claim)
    assert staff_client.post(url, claim_form(claim, [], text="Russia leaves Tartus.")).status_code == 302
    first = claim.history.order_by("history_id").first()
    revert_url = reverse("admin:factcheck_claim_simple_history", args=[claim.pk, first.history_id])
    # The revert page starts from the old row but is based on the current version.
    assert staff_client.get(revert_url).context["adminform"].form.initial["base_version"] == 2
    data = {
        "topic": claim.topic_id,
        "text": "Russia keeps Tartus.",
        "kind": "event",
        "assigned_to": "",
        "base_version": 2,
    }
    assert staff_client.post(revert_url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Russia keeps Tartus.", 3)
    assert claim.history.count() == 3

    note = services.annotation_create(claim=claim, author=editor, body="First **draft**.")
    services.annotation_update(annotation=note, user=editor, body="Second draft.", version=1)
    first = note.history.order_by("history_id").first()
    revert_url = reverse("admin:factcheck_annotation_simple_history", args=[note.pk, first.history_id])
    data = {"body": "First **draft**.", "is_deleted": "", "base_version": 2}
    assert staff_client.post(revert_url, data).status_code == 302
    note.refresh_from_db()
    assert (note.body, note.version) == ("First **draft**.", 3)
    assert note.body_html == "<p>First <strong>draft</strong>.</p>"


# Sources ----------------------------------------------------------------------


def test_it_moves_offsets_when_a_source_text_changes_and_refuses_a_text_losing_a_quote(staff_client, db):
    source = make_source(title="Drift", text="Intro. The base at Tartus stays open. End.")
    claim = make_claim(assertions=[(source, "supports", "The base at Tartus stays open.")])
    url = _url("source", "change", source)

    response = staff_client.post(
        url, source_form(source, text="A longer intro.\r\nThe base at Tartus stays open. End.")
    )
    assert response.status_code == 302
    assertion = claim.assertions.get()
    assert (assertion.start, assertion.end) == (16, 46)
    source.refresh_from_db()
    assert source.text == "A longer intro.\nThe base at Tartus stays open. End."
    assert assertion.matches_source()

    response = staff_client.post(url, source_form(source, text="A longer intro. The base at Tartous stays open."))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["text"]
    assert errors[0] == "The new text would break 1 quote(s); nothing was saved."
    assert errors[1].startswith(f"claim {claim.key!r}, quote “The base at Tartus stays open.”: no longer in the text")
    source.refresh_from_db()
    assert "Tartous" not in source.text


def test_it_refuses_a_source_whose_text_is_already_stored(staff_client, db):
    existing = make_source(title="First copy", text="Same words.")
    response = staff_client.post(
        _url("source", "add"), {**source_form(existing, title="Second copy", text="Same words."), "key": "second"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["text"] == [
        f"The same text is already stored as “First copy” (key {existing.key})."
    ]
    assert Source.objects.count() == 1


# Annotations and resolutions go through the editors' services -------------------


def test_it_adds_a_note_rendered_and_sanitised_with_staff_as_author(staff_client, staff, conflict_claim):
    response = staff_client.post(
        _url("annotation", "add"),
        {"claim": conflict_claim.pk, "assertion": "", "body": "**Check** <script>alert(1)</script>", "is_deleted": ""},
    )
    assert response.status_code == 302
    note = Annotation.objects.get()
    assert note.author == staff
    assert "<strong>Check</strong>" in note.body_html
    assert "<script" not in note.body_html
    assert note.history.count() == 1


def test_it_resolves_a_claim_only_with_its_own_assertions(staff_client, staff, conflict_claim, settings):
    settings.FACTCHECK_ONE_STEP_PUBLISHING = True  # two-person publishing: test_publishing.py
    other = make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])
    own = conflict_claim.assertions.order_by("pk").first()
    foreign = other.assertions.get()
    data = {"claim": conflict_claim.pk, "verdict": "mostly-true", "rationale": "Sources agree later.", "is_open": ""}
    response = staff_client.post(_url("resolution", "add"), {**data, "prevailing": [foreign.pk]})
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["prevailing"][0]
        .startswith(f"Only this claim's assertions can prevail; not assertion {foreign.pk}")
    )
    response = staff_client.post(_url("resolution", "add"), {**data, "prevailing": [own.pk]})
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert list(resolution.prevailing.all()) == [own]
    assert resolution.decided_by == staff
    conflict_claim.refresh_from_db()
    assert conflict_claim.status == Status.RESOLVED
    # One decision, one history row.
    assert resolution.history.count() == 1


# The claim list ---------------------------------------------------------------


def _seed_or_build():
    """The seed corpus if it is there; otherwise about 60 claims across 15 topics and 5 sources."""
    if SEED.exists():
        data, base_dir = corpus.read_corpus_file(SEED)
        corpus.import_corpus(data, base_dir=base_dir, label=str(SEED))
        return
    sources = [make_source(title=f"Source {i}") for i in range(5)]
    topics = [make_topic() for _ in range(15)]
    for n in range(60):
        a, b = sources[n % 5], sources[(n + 1) % 5]
        make_claim(
            topic=topics[n % 15],
            assertions=[
                (a, "supports", "Russia keeps its naval base at Tartus."),
                (b, "disputes" if n % 3 else "supports", "The Kremlin denied that any extradition was requested."),
            ],
        )


def _changelist_queries(client, django_assert_num_queries, params=""):
    # 1 session, 2 user, 3 topics for the topic filter, 4 sources for the
    # source filter, 5 count of the filtered claims, 6 count of all claims,
    # 7 the page of claims joined with their topics.
    with django_assert_num_queries(7):
        response = client.get(_url("claim", "changelist") + params)
    assert response.status_code == 200
    return response


def test_it_lists_and_filters_claims_in_constant_queries_for_a_small_and_the_seed_corpus(
    staff_client, conflict_claim, django_assert_num_queries
):
    small = _changelist_queries(staff_client, django_assert_num_queries)
    assert small.context["cl"].result_count == 1
    _seed_or_build()
    large = _changelist_queries(staff_client, django_assert_num_queries)
    assert large.context["cl"].result_count >= 60
    assert len(large.context["cl"].result_list) == 50

    # Filtered by conflict and source (EXISTS), and by status and topic: still the same queries.
    source = (
        Source.objects.exclude(pk__in=[a.source_id for a in conflict_claim.assertions.all()]).order_by("pk").first()
    )
    topic = Topic.objects.exclude(pk=conflict_claim.topic_id).order_by("pk").first()
    response = _changelist_queries(staff_client, django_assert_num_queries, f"?conflict=yes&source={source.pk}")
    shown = response.context["cl"].queryset
    assert shown.count() == Claim.objects.in_conflict().citing(source).count() > 0
    response = _changelist_queries(
        staff_client, django_assert_num_queries, f"?status=agreement&topic__id__exact={topic.pk}"
    )
    assert set(response.context["cl"].queryset) == set(Claim.objects.filter(status="agreement", topic=topic))


# Queries per list page, whatever its number of rows: 1 session, 2 user, then as numbered.
OTHER_LIST_QUERIES = {
    # 3 filtered count, 4 total count (both with the assertion-count join), 5 the page of sources
    # with their assertion counts, 6 the languages for the language filter
    "source": 6,
    # 3 filtered count, 4 total count, 5 the page of topics with their claim and conflict counts
    "topic": 5,
    # 3 source titles for the source filter, 4 topics for the topic filter, 5 filtered count,
    # 6 total count, 7 the page of assertions joined with their claims and sources
    "assertion": 7,
    # 3 topics for the topic filter, 4 filtered count, 5 total count, 6 the page of notes joined
    # with their claims, authors, assertions and the assertions' sources
    "annotation": 6,
    # 3 topics for the topic filter, 4 filtered count, 5 total count, 6 the page of resolutions
    # joined with their claims and deciders
    "resolution": 6,
}


def _resolved_claims(n, editor):
    for _ in range(n):
        claim = make_claim(
            assertions=[
                (make_source(), "supports", "Russia keeps its naval base at Tartus."),
                (make_source(), "disputes", "The Kremlin denied that any extradition was requested."),
            ]
        )
        first = claim.assertions.order_by("pk").first()
        services.annotation_create(claim=claim, author=editor, body="A *note*.", assertion=first)
        services.resolution_save(
            publish=True, claim=claim, user=editor, verdict="mixed", rationale="Why.", prevailing=[first], version=0
        )


@pytest.mark.parametrize("model", sorted(OTHER_LIST_QUERIES))
def test_it_lists_every_other_model_in_constant_queries(staff_client, editor, django_assert_num_queries, model):
    url = _url(model, "changelist")
    _resolved_claims(1, editor)
    with django_assert_num_queries(OTHER_LIST_QUERIES[model]):
        assert staff_client.get(url).status_code == 200
    _resolved_claims(6, editor)
    with django_assert_num_queries(OTHER_LIST_QUERIES[model]):
        response = staff_client.get(url)
    assert response.context["cl"].result_count >= 7


def test_it_shows_status_sources_and_a_conflict_flag_in_the_claim_list(staff_client, conflict_claim):
    html = staff_client.get(_url("claim", "changelist")).content.decode()
    assert "Syria agreed to let Russia keep its bases." in html
    assert "Conflict" in html
    assert 'alt="True"' in html  # the conflict flag's icon
    assert "Import corpus" in html


# Corpus import and export from the admin --------------------------------------

CSV_HEADER = "claim_key,topic,claim_text,source,stance,quote,occurrence,as_of\n"


@pytest.fixture
def wire(db):
    """The source that the uploaded CSV rows quote, and their topic 'bases'."""
    source = make_source(title="Wire")
    make_topic(slug="bases", title="Bases?")
    return source


def test_it_imports_an_uploaded_corpus_and_shows_what_changed(staff_client, wire):
    csv_text = (
        CSV_HEADER
        + f"tartus,bases,Russia keeps Tartus.,{wire.key},supports,Russia keeps its naval base at Tartus.,,2025-07\n"
    )
    url = reverse("admin:factcheck_corpus_import")
    response = staff_client.post(url, {"file": upload("claims.csv", csv_text)})
    assert response.status_code == 302
    assert response["Location"] == url
    page = staff_client.get(url).content.decode()
    assert "Imported claims.csv: 1 claim created, 1 assertion created." in page
    assert "created claim &#x27;tartus&#x27;" in page
    assert Claim.objects.get(key="tartus").assertions.get().as_of_value == "2025-07"
    # The same upload again changes nothing.
    staff_client.post(url, {"file": upload("claims.csv", csv_text)})
    assert "nothing changed (1 claim, 1 assertion already up to date)" in staff_client.get(url).content.decode()


def test_it_rerenders_a_bad_upload_with_every_problem_and_writes_nothing(staff_client, wire):
    csv_text = CSV_HEADER + (
        f"tartus,bases,Russia keeps Tartus.,{wire.key},support,Russia keeps its naval base at Tartus.,,\n"
        f"hmeimim,no<b>where,Russia keeps Hmeimim.,{wire.key},supports,Russia keeps Hmeimim air base.,,2025-13\n"
    )
    before = row_counts()
    response = staff_client.post(reverse("admin:factcheck_corpus_import"), {"file": upload("claims.csv", csv_text)})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert problems[0] == "claims.csv: line 2: field 'stance': 'support' is not one of supports, disputes, qualifies"
    assert "claims.csv: line 3 (claim 'hmeimim'): field 'topic': unknown topic 'no<b>where'" in problems
    assert "claims.csv: line 3: field 'as_of': '2025-13' is not a valid date: month must be in 1..12" in problems
    html = response.content.decode()
    assert "problems found; nothing was imported" in html
    assert "no&lt;b&gt;where" in html and "no<b>where" not in html  # the file's text is escaped
    assert row_counts() == before


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("c.json", '{"format": "factcheck-corpus/1",\n "claims": [}', "c.json: line 2, column 13: invalid JSON"),
        (
            "c.json",
            b'{"format": "factcheck-corpus/1", "sources": [{"title": "Caf\xe9"}]}',
            "c.json: not UTF-8 text: byte 0xe9",
        ),
        ("c.csv", "claim_key,topic,claim_text\n", "c.csv: line 1: missing column(s) 'claim_kind', 'source', 'stance'"),
    ],
)
def test_it_rerenders_an_unreadable_upload_with_the_place_of_the_problem(staff_client, db, name, content, problem):
    before = row_counts()
    response = staff_client.post(reverse("admin:factcheck_corpus_import"), {"file": upload(name, content)})
    assert response.status_code == 400
    assert response.context["problems"][0].startswith(problem)
    assert row_counts() == before


def test_it_asks_for_a_file_when_none_is_uploaded(staff_client, db):
    response = staff_client.post(reverse("admin:factcheck_corpus_import"), {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["This field is required."]


def test_it_checks_an_upload_without_writing_when_asked(staff_client, db):
    before = row_counts()
    data = {"format": corpus.FORMAT, "sources": [], "topics": [{"slug": "bases", "title": "Bases?"}], "claims": []}
    response = staff_client.post(
        reverse("admin:factcheck_corpus_import"), {"file": upload("c.json", json.dumps(data)), "dry_run": "on"}
    )
    assert response.status_code == 200
    assert response.context["result"].summary() == "1 topic created"
    assert row_counts() == before


def test_it_requires_a_csrf_token_to_import(staff, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("admin:factcheck_corpus_import"), {"file": upload("c.json", "{}")})
    assert response.status_code == 403


def test_it_downloads_the_corpus_as_json_and_csv(staff_client, conflict_claim):
    url = reverse("admin:factcheck_corpus_export")
    response = staff_client.get(url + "?format=json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="factcheck-corpus-')
    assert json.loads(response.content) == corpus.export_corpus()
    response = staff_client.get(url + "?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == ",".join(corpus.CSV_COLUMNS)
    assert len(lines) == 3
    assert staff_client.get(url + "?format=xml").status_code == 400
    assert staff_client.get(url + "?topic=no-such-topic").status_code == 404


def test_it_exports_selected_topics_and_claims_from_list_actions(staff_client, conflict_claim):
    make_claim(assertions=[(make_source(title="Elsewhere"), "supports", "Russia keeps its naval base at Tartus.")])
    response = staff_client.post(
        _url("topic", "changelist"), {"action": "export_json", "_selected_action": [conflict_claim.topic_id]}
    )
    data = json.loads(response.content)
    assert [c["key"] for c in data["claims"]] == [conflict_claim.key]
    assert sorted(s["title"] for s in data["sources"]) == ["Alpha", "Beta"]
    response = staff_client.post(
        _url("claim", "changelist"), {"action": "export_csv", "_selected_action": [conflict_claim.pk]}
    )
    rows = response.content.decode().splitlines()
    assert len(rows) == 3 and all(row.startswith(conflict_claim.key) for row in rows[1:])


# Filters over thousands of topics and sources -----------------------------------


@pytest.fixture
def many_topics(db, monkeypatch):
    """More topics than the filter lists as links (its threshold lowered to 3 for the test)."""
    from factcheck.admin import ManyChoicesFilter

    monkeypatch.setattr(ManyChoicesFilter, "LISTED", 3)
    monkeypatch.setattr(ManyChoicesFilter, "SHOWN", 2)
    source = make_source(title="Coastal wire")
    topics = [
        make_topic(title=title)
        for title in (
            "Bases at Tartus?",
            "Bases at Hmeimim?",
            "Bases in Latakia?",
            "Wheat deliveries?",
            "The extradition request?",
        )
    ]
    for topic in topics:
        make_claim(
            topic=topic,
            text=f"A claim on {topic.title}",
            assertions=[(source, "supports", "Russia keeps its naval base at Tartus.")],
        )
    return topics


def _topic_links(response):
    return [
        c["display"]
        for f in response.context["cl"].filter_specs
        if f.title == "topic"
        for c in f.choices(response.context["cl"])
    ][1:]  # after "All"


def test_the_topic_filter_lists_few_topics_as_links(staff_client, conflict_claim):
    response = staff_client.get(_url("claim", "changelist"))
    body = response.content.decode()
    assert _topic_links(response) == [conflict_claim.topic.title]
    assert "topic__id__exact__find" not in body  # no box for a handful


def test_with_many_topics_it_offers_a_box_instead_of_a_link_each(staff_client, many_topics):
    response = staff_client.get(_url("claim", "changelist"), {"status": "single"})
    body = response.content.decode()
    assert _topic_links(response) == []
    assert 'name="topic__id__exact__find"' in body
    assert '<input type="hidden" name="status" value="single">' in body  # the box keeps the other filters
    assert response.context["cl"].result_count == 5


def test_the_box_finds_topics_by_title_and_says_when_there_are_more(staff_client, many_topics):
    response = staff_client.get(_url("claim", "changelist"), {"topic__id__exact__find": "bases"})
    assert _topic_links(response) == ["Bases at Hmeimim?", "Bases at Tartus?"]  # the first two by title
    assert "… and more: type more of the title." in response.content.decode()
    assert response.context["cl"].result_count == 5  # finding a topic does not filter yet
    response = staff_client.get(_url("claim", "changelist"), {"topic__id__exact__find": "Nothing like it"})
    assert "No topic title contains “Nothing like it”." in response.content.decode()


def test_choosing_a_found_topic_filters_and_stays_shown(staff_client, many_topics):
    wheat = many_topics[3]
    response = staff_client.get(_url("claim", "changelist"), {"topic__id__exact": wheat.pk})
    assert [c.topic_id for c in response.context["cl"].result_list] == [wheat.pk]
    assert _topic_links(response) == ["Wheat deliveries?"]
    chosen = [
        c
        for f in response.context["cl"].filter_specs
        if f.title == "topic"
        for c in f.choices(response.context["cl"])
        if c["selected"]
    ]
    assert [c["display"] for c in chosen] == ["Wheat deliveries?"]


@pytest.mark.parametrize("params", [{"topic__id__exact": "x"}, {"source": "1; drop"}])
def test_a_bad_filter_value_gets_the_admins_error_page_not_a_500(staff_client, many_topics, params):
    response = staff_client.get(_url("claim", "changelist"), params)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_the_changelist_does_not_grow_with_the_number_of_topics(staff_client, many_topics):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        with CaptureQueriesContext(connection) as queries:
            size = len(staff_client.get(_url("claim", "changelist"), {"topic__id__exact__find": "bases"}).content)
        return size, len(queries)

    before = measure()
    for n in range(30):
        make_topic(title=f"Another topic {n}?")
    assert measure() == before  # the same page in the same queries

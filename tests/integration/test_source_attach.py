"""Editors on a source page: a selected passage attached to a claim, or made into a new claim."""

import pytest
from django.test import Client

from factcheck import services
from factcheck.models import Assertion, Claim, Status
from tests.conftest import make_claim, make_source, make_topic, row_counts
from tests.editing import HTMX, JSON, csrf_client

TEXT = (
    "Moscow said the naval base at Tartus would stay under Russian control.\n\n"
    "Damascus answered that all agreements signed under Assad were being reviewed."
)
QUOTE = "the naval base at Tartus would stay under Russian control"


@pytest.fixture
def source(db):
    return make_source(text=TEXT, title="Wire report")


@pytest.fixture
def claim(db):
    return make_claim(text="Russia keeps its naval base at Tartus.")


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _selection(quote=QUOTE, text=TEXT):
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


def test_it_sends_anonymous_to_login_and_refuses_readers(reader, source, claim):
    before = row_counts()
    attach = {**_selection(), "claim": claim.pk, "stance": "supports"}
    new = {**_selection(), "text": "A claim.", "topic": claim.topic_id, "kind": "event", "stance": "supports"}
    for url, data in (
        (f"/sources/{source.pk}/attach/", attach),
        (f"/sources/{source.pk}/new-claim/", new),
    ):
        anonymous = _client().post(url, data)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
        assert _client(reader).post(url, data).status_code == 403
        assert _client(reader).get(url, _selection()).status_code == 403
    assert _client(reader).get(f"/sources/{source.pk}/attach/claims/", {"q": "Tartus"}).status_code == 403
    assert row_counts() == before


def test_it_shows_the_toolbar_to_editors_and_nothing_to_readers(editor, reader, source):
    page = _client(editor).get(f"/sources/{source.pk}/").content.decode()
    assert 'id="attach-toolbar"' in page and "js/attach" in page
    assert f'data-text-length="{len(TEXT)}"' in page
    for client in (_client(reader), _client()):
        page = client.get(f"/sources/{source.pk}/").content.decode()
        assert "attach-toolbar" not in page and "attach.js" not in page and "Attach to claim" not in page


def test_it_finds_claims_by_their_words(editor, source, claim):
    make_claim(text="Syria reviews every agreement signed under Assad.")
    response = _client(editor).get(f"/sources/{source.pk}/attach/claims/", {"q": "naval Tartus"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="claim" value="{claim.pk}"' in html
    assert "Assad" not in html


def test_it_builds_the_form_for_a_checked_selection(editor, source):
    response = _client(editor).get(f"/sources/{source.pk}/attach/", _selection(), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<p>{QUOTE}</p>" in html and 'name="q"' in html
    # Blanks around the selection are trimmed: the form carries the offsets of the words.
    start = TEXT.index(QUOTE)
    padded = {"start": start - 1, "end": start + len(QUOTE), "quote": TEXT[start - 1 : start + len(QUOTE)]}
    html = _client(editor).get(f"/sources/{source.pk}/new-claim/", padded, headers=HTMX).content.decode()
    assert f'name="start" value="{start}"' in html
    assert QUOTE in html and "A new claim" in html


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"quote": "the naval base at Tartus would stay under Soviet control"}, "quote", "not the text"),
        ({"start": 10**6}, "start", "not within"),
        ({"end": len(TEXT) + 5}, "end", "not after the start"),
        ({"end": None}, "end", "Missing"),
    ],
)
def test_it_refuses_a_selection_that_is_not_the_text_naming_the_field(editor, source, claim, change, field, says):
    data = {**_selection(), "claim": claim.pk, "stance": "supports", **change}
    data = {k: v for k, v in data.items() if v is not None}
    before = row_counts()
    response = _client(editor).post(f"/sources/{source.pk}/attach/", data, headers=HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert f"{field}: " in html and says in html
    assert row_counts() == before
    shown = _client(editor).get(f"/sources/{source.pk}/attach/", data, headers=HTMX)
    assert shown.status_code == 422 and says in shown.content.decode()


def test_it_refuses_a_selection_too_short(editor, source, claim):
    data = {**_selection("at Tartus"), "claim": claim.pk, "stance": "supports"}
    response = _client(editor).post(f"/sources/{source.pk}/attach/", data, headers=JSON)
    assert response.status_code == 422
    assert response.json()["fields"]["quote"] == [
        "The selection is 9 characters long; a quote is at least 12 (a few words)."
    ]


def test_it_refuses_a_selection_too_long(editor, claim):
    long_text = "Word " * 600
    source = make_source(text=long_text)
    data = {"start": 0, "end": 2_500, "quote": long_text[:2_500], "claim": claim.pk, "stance": "supports"}
    response = _client(editor).post(f"/sources/{source.pk}/attach/", data, headers=HTMX)
    assert response.status_code == 422
    assert "at most 2,000" in response.content.decode()
    assert not Assertion.objects.filter(source=source).exists()


def test_it_attaches_the_exact_selection_with_history_and_refuses_it_twice(editor, source, claim):
    client, token = csrf_client(editor)
    data = {**_selection(), "claim": claim.pk, "stance": "supports", "period_from": "2025-10"}
    assert client.post(f"/sources/{source.pk}/attach/", data).status_code == 403  # no CSRF token
    response = client.post(f"/sources/{source.pk}/attach/", data, headers={"X-CSRFToken": token, **HTMX})
    assert response.status_code == 200
    a = Assertion.objects.get(source=source)
    start = TEXT.index(QUOTE)
    assert (a.claim_id, a.quote, a.start, a.end, a.stance) == (claim.pk, QUOTE, start, start + len(QUOTE), "supports")
    assert a.period_display == "October 2025"
    assert a.history.get().history_user_id == editor.pk
    assert Claim.objects.get(pk=claim.pk).status == Status.SINGLE
    assert f"/claims/{claim.pk}/#assertion-{a.pk}" in response.content.decode()
    again = client.post(f"/sources/{source.pk}/attach/", data, headers={"X-CSRFToken": token, **HTMX})
    assert again.status_code == 409
    assert Assertion.objects.filter(source=source).count() == 1
    # The claim page shows the card with the exact quote.
    page = _client(editor).get(f"/claims/{claim.pk}/").content.decode()
    assert f'id="assertion-{a.pk}"' in page and QUOTE in page


def test_it_makes_a_new_claim_with_the_selection_as_its_first_quote(editor, source):
    topic = make_topic()
    data = {
        **_selection(),
        "text": "Russia will keep the Tartus base.",
        "topic": topic.pk,
        "kind": "state",
        "stance": "supports",
    }
    response = _client(editor).post(f"/sources/{source.pk}/new-claim/", data)
    claim = Claim.objects.get(text="Russia will keep the Tartus base.")
    a = claim.assertions.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/#assertion-{a.pk}"
    assert (claim.topic_id, claim.kind, claim.status) == (topic.pk, "state", Status.SINGLE)
    assert a.quote == QUOTE
    assert claim.history.get().history_user_id == editor.pk
    topic.refresh_from_db()
    assert topic.claim_count == 1


def test_it_writes_neither_claim_nor_assertion_when_one_is_refused(editor, source):
    topic = make_topic()
    before = row_counts()
    for bad, field in (
        ({"text": "   "}, "text"),
        ({"stance": "agrees"}, "stance"),
        ({"topic": 10**6}, "topic"),
        ({"period_from": "2025-13"}, "period_from"),
    ):
        data = {**_selection(), "text": "A claim.", "topic": topic.pk, "kind": "event", "stance": "supports", **bad}
        response = _client(editor).post(f"/sources/{source.pk}/new-claim/", data, headers=JSON)
        assert response.status_code == 422, field
        assert field in response.json()["fields"], field
    assert row_counts() == before


def test_it_attributes_the_selection_to_a_speaker_found_by_alias(editor, source, claim):
    kremlin = services.speaker_create(name="The Kremlin", kind="government", aliases="Moscow", user=editor)
    data = {**_selection(), "claim": claim.pk, "stance": "supports", "speaker": "moscow"}
    assert _client(editor).post(f"/sources/{source.pk}/attach/", data).status_code == 302
    assert Assertion.objects.get(source=source).speaker == kremlin
    before = row_counts()
    unknown = _client(editor).post(f"/sources/{source.pk}/attach/", {**data, "speaker": "Nobody"}, headers=JSON)
    assert unknown.status_code == 422
    assert "No speaker is called “Nobody”" in unknown.json()["fields"]["speaker"][0]
    assert row_counts() == before

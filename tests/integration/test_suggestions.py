"""The source page's "What this document speaks to": the list, accept, reject, a new claim, and the API."""

import jsonschema
import pytest
from django.test import Client

from factcheck import services
from factcheck.models import Assertion, Claim, Suggestion
from factcheck.openapi import document
from factcheck.suggestions import compute
from tests.conftest import make_assertion, make_claim, make_source, make_speaker, make_topic, row_counts

TEXT = (
    "Kremlin spokesman Dmitry Peskov said that Assad was not granted asylum in Moscow. "
    "Russia will keep its naval base at Tartus for another fifty years, the two governments agreed.\n"
    "On 3 March 2025 the interior minister Karim Haddad told reporters that 40 prisons had been closed."
)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def page(db):
    topic = make_topic(slug="russian-bases", title="Does Russia keep its bases?")
    asylum = make_claim(topic, "The Kremlin confirmed that Assad received asylum in Moscow.")
    base = make_claim(topic, "Russia agreed to keep its naval base at Tartus for another fifty years.")
    make_claim(topic, "Oil exports from the port of Baniyas doubled.")
    peskov = make_speaker("Dmitry Peskov", aliases="Peskov")
    source = make_source(TEXT, title="Wire <report>")
    compute(source)
    by_claim = {s.claim_id: s for s in Suggestion.objects.filter(source=source, claim__isnull=False)}
    new = Suggestion.objects.get(source=source, claim__isnull=True)
    return {
        "source": source,
        "topic": topic,
        "asylum": by_claim[asylum.pk],
        "base": by_claim[base.pk],
        "new": new,
        "peskov": peskov,
    }


def _passage(s):
    return f"{s.start}:{s.end}"


def _editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def test_it_lists_suggestions_best_first_for_editors(page, editor, django_assert_num_queries):
    client = _editor_client(editor)
    client.get("/")  # the session's first read is not the page's
    # session, the user with their permissions (one query, auth_backends.py), the
    # source, the suggestions with their claims and speakers, the possible new claims, the topics
    with django_assert_num_queries(6):
        response = client.get(f"/sources/{page['source'].pk}/suggestions/", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.index("Assad received asylum") < body.index("Oil exports") if "Oil exports" in body else True
    assert "Dmitry Peskov, reported" in body and "disputes" in body.lower()
    assert "Possible new claims" in body and "40 prisons" in body
    page_response = client.get(f"/sources/{page['source'].pk}/suggestions/")
    assert "<html" in page_response.content.decode() and "Wire &lt;report&gt;" in page_response.content.decode()


def test_it_shows_readers_no_suggestions_at_all(page, reader, client):
    source = page["source"]
    for c in (client, _editor_client(reader)):
        body = c.get(f"/sources/{source.pk}/").content.decode()
        assert "What this document speaks to" not in body and "/suggestions/" not in body
    assert client.get(f"/sources/{source.pk}/suggestions/").status_code == 302
    assert _editor_client(reader).get(f"/sources/{source.pk}/suggestions/").status_code == 403
    editor_page = _editor_client_for_page(page)
    assert "What this document speaks to" in editor_page.get(f"/sources/{source.pk}/").content.decode()


def _editor_client_for_page(page):
    from django.contrib.auth import get_user_model

    from factcheck.roles import ensure_editor_group

    user = get_user_model().objects.create_user("page-editor")
    user.groups.add(ensure_editor_group())
    return _editor_client(user)


def test_it_accepts_a_suggestion_as_a_verified_assertion_with_the_editors_choices(page, editor):
    s = page["asylum"]
    client = _editor_client(editor)
    response = client.post(
        f"/suggestions/{s.pk}/accept/",
        {"passage": _passage(s), "stance": "qualifies", "speaker": "Peskov", "period_from": "2024-12"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assertion = Assertion.objects.get(claim=s.claim, source=page["source"])
    assert "Added — " in response.content.decode() and f"#assertion-{assertion.pk}" in response.content.decode()
    assert (assertion.stance, assertion.speaker, assertion.start, assertion.end) == (
        "qualifies",
        page["peskov"],
        s.start,
        s.end,
    )
    assert (assertion.as_of.isoformat(), assertion.as_of_precision) == ("2024-12-01", "month")
    assert assertion.matches_source()
    record = assertion.history.get()
    assert (record.history_type, record.history_user) == ("+", editor)
    s.refresh_from_db()
    assert (s.state, s.assertion, s.decided_by) == ("accepted", assertion, editor)
    # Accepted twice (a second tab): refused, nothing more written.
    again = client.post(f"/suggestions/{s.pk}/accept/", {"passage": _passage(s), "stance": "supports"}, headers=HTMX)
    assert again.status_code == 409 and Assertion.objects.filter(claim=s.claim).count() == 1


def test_it_refuses_bad_input_saying_which_field_and_writes_nothing(page, editor):
    s = page["base"]
    client = _editor_client(editor)
    before = row_counts()
    cases = [
        ({"passage": _passage(s), "stance": "maybe"}, "stance"),
        ({"passage": _passage(s), "stance": "supports", "speaker": "Nobody Known"}, "No speaker is called"),
        ({"passage": _passage(s), "stance": "supports", "period_from": "2025-13"}, "period_from"),
        ({"passage": "0:5", "stance": "supports"}, "not the passage of this suggestion"),
        ({"stance": "supports"}, "passage"),
    ]
    for data, said in cases:
        response = client.post(f"/suggestions/{s.pk}/accept/", data, headers=HTMX)
        assert response.status_code == 422, data
        assert said in response.content.decode(), (data, response.content[:300])
        assert response["HX-Retarget"] == f"#suggestion-{s.pk} .suggestion-error"
        plain = client.post(f"/suggestions/{s.pk}/accept/", data)
        assert plain.status_code == 400, data
    assert client.post("/suggestions/999999/accept/", {"stance": "supports"}).status_code == 404
    assert row_counts() == before


def test_it_hides_a_rejected_suggestion_for_good(page, editor):
    s = page["base"]
    client = _editor_client(editor)
    response = client.post(f"/suggestions/{s.pk}/reject/", {"passage": _passage(s)}, headers=HTMX)
    assert response.status_code == 200 and response.content == b""
    compute(page["source"])
    listed = client.get(f"/sources/{page['source'].pk}/suggestions/", headers=HTMX).content.decode()
    entries = listed.split('<li class="suggestion"')[1:]
    quote = page["source"].text[s.start : s.end]
    assert entries and not any(quote in e and f"/claims/{s.claim_id}/" in e for e in entries)
    assert not Suggestion.objects.filter(claim=s.claim_id, start=s.start, state="open").exists()
    assert Suggestion.objects.get(pk=s.pk).state == "rejected"
    assert Assertion.objects.count() == 0


def test_it_creates_a_claim_and_its_first_assertion_from_a_possible_new_claim(page, editor):
    s = page["new"]
    client = _editor_client(editor)
    response = client.post(
        f"/suggestions/{s.pk}/claim/",
        {
            "passage": _passage(s),
            "topic": "russian-bases",
            "text": "Syria closed 40 prisons by March 2025.",
            "stance": "supports",
        },
        headers=HTMX,
    )
    assert response.status_code == 200, response.content[:300]
    claim = Claim.objects.get(text="Syria closed 40 prisons by March 2025.")
    assertion = claim.assertions.get()
    assert (claim.topic, assertion.source, assertion.stance) == (page["topic"], page["source"], "supports")
    assert claim.history.get().history_user == editor and assertion.history.get().history_user == editor
    bad = client.post(
        f"/suggestions/{s.pk}/claim/", {"passage": _passage(s), "topic": "nope", "text": "x", "stance": "supports"}
    )
    assert bad.status_code == 400


def test_it_answers_the_api_for_editors_by_session_or_token_only(page, editor, reader, client):
    url = f"/api/sources/{page['source'].pk}/suggestions/"
    assert client.get(url).status_code == 401
    assert _editor_client(reader).get(url).status_code == 403
    secret = services.api_token_issue(user=reader, name="reader")[1]
    assert client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 403
    secret = services.api_token_issue(user=editor, name="CMS")[1]
    by_token = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    by_session = _editor_client(editor).get(url)
    assert by_token.status_code == by_session.status_code == 200
    data = by_token.json()
    assert data == by_session.json()
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True) and scores
    first = next(r for r in data["results"] if r["claim"]["id"] == page["asylum"].claim_id)
    assert first["passage"]["text"] == TEXT[first["passage"]["start"] : first["passage"]["end"]]
    assert (first["stance"], first["speaker"]["name"]) == ("disputes", "Dmitry Peskov")
    doc = document()
    schema = doc["paths"]["/api/sources/{id}/suggestions/"]["get"]["responses"]["200"]["content"]["application/json"]
    registry_doc = {"$ref": "#/components/schemas/SuggestionResults", "components": doc["components"]}
    assert schema["schema"]["$ref"].endswith("SuggestionResults")
    jsonschema.Draft202012Validator(registry_doc).validate(data)
    assert (
        client.get("/api/sources/999999/suggestions/", headers={"Authorization": f"Bearer {secret}"}).status_code == 404
    )


def test_it_leaves_out_suggestions_attached_since_by_another_path(page, editor):
    s = page["base"]
    make_assertion(s.claim, page["source"], "supports", page["source"].text[s.start : s.end])
    client = _editor_client(editor)
    listed = client.get(f"/sources/{page['source'].pk}/suggestions/", headers=HTMX).content.decode()
    assert f'id="suggestion-{s.pk}"' not in listed and f'id="suggestion-{page["asylum"].pk}"' in listed
    api = client.get(f"/api/sources/{page['source'].pk}/suggestions/").json()["results"]
    assert (s.claim_id, s.start) not in [(r["claim"]["id"], r["passage"]["start"]) for r in api]
    assert (page["asylum"].claim_id, page["asylum"].start) in [(r["claim"]["id"], r["passage"]["start"]) for r in api]

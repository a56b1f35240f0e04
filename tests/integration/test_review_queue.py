"""The review queue: unresolved conflicts, oldest first, filtered, paginated; "assign to me"."""

import re

import pytest

from factcheck import services
from factcheck.models import Claim
from tests.conftest import make_claim, make_source, make_topic
from tests.editing import HTMX, JSON, resolve

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


def _conflicts(n, topic=None, sources=None, prefix="Conflict"):
    topic = topic or make_topic()
    a, b = sources or (make_source(title="Alpha"), make_source(title="Beta"))
    return [
        make_claim(topic=topic, text=f"{prefix} {i}", assertions=[(a, "supports", Q1), (b, "disputes", Q2)])
        for i in range(n)
    ]


def _listed(body):
    return [int(pk) for pk in re.findall(r'class="claim-text" href="/claims/(\d+)/"', body)]


def test_it_lists_unresolved_conflicts_oldest_first(client, editor, db):
    older, newer = _conflicts(2)
    agreed = make_claim(assertions=[(make_source(), "supports", Q1), (make_source(), "supports", Q1)])
    resolved = _conflicts(1, prefix="Settled")[0]
    resolve(editor, resolved)
    # Editing a claim later does not move it up: the queue is by age.
    services.claim_assign(claim=older, assignee=editor, version=older.version, by=editor)
    client.force_login(editor)
    body = client.get("/review/").content.decode()
    assert _listed(body) == [older.pk, newer.pk]
    assert agreed.pk not in _listed(body) and resolved.pk not in _listed(body)
    assert "2 conflicts to review" in body


def test_it_filters_by_topic_source_words_and_assignment(client, editor, second_editor, db):
    bases, other = make_topic(slug="bases"), make_topic(slug="other")
    alpha, beta, gamma = make_source(title="Alpha"), make_source(title="Beta"), make_source(title="Gamma")
    in_bases = _conflicts(1, topic=bases, sources=(alpha, beta), prefix="Tartus")[0]
    elsewhere = _conflicts(1, topic=other, sources=(beta, gamma), prefix="Hmeimim")[0]
    services.claim_assign(claim=elsewhere, assignee=second_editor, version=elsewhere.version, by=second_editor)
    client.force_login(editor)
    assert _listed(client.get("/review/", {"topic": "bases"}).content.decode()) == [in_bases.pk]
    assert _listed(client.get("/review/", {"source": gamma.pk}).content.decode()) == [elsewhere.pk]
    assert _listed(client.get("/review/", {"source": beta.pk}).content.decode()) == [in_bases.pk, elsewhere.pk]
    assert _listed(client.get("/review/", {"q": "hmeimim"}).content.decode()) == [elsewhere.pk]
    assert _listed(client.get("/review/", {"assigned": "nobody"}).content.decode()) == [in_bases.pk]
    client.force_login(second_editor)
    assert _listed(client.get("/review/", {"assigned": "me"}).content.decode()) == [elsewhere.pk]
    # The status is not a filter here: the queue is the conflicts.
    assert _listed(client.get("/review/", {"status": "agreement"}).content.decode()) == [in_bases.pk, elsewhere.pk]


def test_it_offers_only_topics_and_sources_with_conflicts_in_its_menus(client, editor, db):
    _conflicts(1, topic=make_topic(title="Bases?"))
    make_claim(topic=make_topic(title="Quiet topic?"), assertions=[(make_source(title="Lonely"), "supports", Q1)])
    client.force_login(editor)
    body = client.get("/review/").content.decode()
    assert ">Bases?</option>" in body and "Quiet topic?" not in body
    assert ">Alpha</option>" in body and "Lonely" not in body


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"topic": "no such topic!"}, 400, "topic:"),
        ({"topic": "missing"}, 404, "There is no topic “missing”"),
        ({"source": "abc"}, 400, "source: Enter a whole number"),
        ({"source": "999999"}, 404, "There is no source with id 999999"),
        ({"assigned": "everyone"}, 400, "assigned: Select a valid choice"),
        ({"page": "0"}, 400, "page: must be between 1 and"),
        ({"page": "9"}, 404, "Page 9 does not exist; there are 1 pages"),
    ],
)
def test_it_answers_bad_filters_with_a_clear_4xx(client, editor, db, params, status, message):
    _conflicts(1)
    client.force_login(editor)
    response = client.get("/review/", params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_it_paginates(client, editor, db, settings):
    settings.FACTCHECK_PAGE_SIZE = 2
    claims = _conflicts(5)
    client.force_login(editor)
    body = client.get("/review/", {"page": 3}).content.decode()
    assert "Page 3 of 3" in body and _listed(body) == [claims[4].pk]


def test_it_answers_htmx_with_the_results_only(client, editor, db):
    _conflicts(1)
    client.force_login(editor)
    body = client.get("/review/", {"q": "Conflict"}, headers=HTMX).content.decode()
    assert "1 conflict to review" in body
    assert "<html" not in body and 'class="filters"' not in body


def test_it_assigns_a_claim_to_the_editor_in_place(client, editor, db):
    claim = _conflicts(1)[0]
    client.force_login(editor)
    row = client.get("/review/").content.decode()
    assert f'<input type="hidden" name="version" value="{claim.version}">' in row
    response = client.post(
        f"/claims/{claim.pk}/assign/", {"version": claim.version, "assignee": "me", "next": "/review/"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div class="assignment" id="assignment-{claim.pk}">')
    assert "Assigned to <strong>you</strong>" in body and "Unassign me" in body
    claim.refresh_from_db()
    assert claim.assigned_to == editor and claim.version == 2
    assert "Assigned to <strong>editor</strong>" not in client.get("/review/").content.decode()


def test_it_assigns_without_javascript_and_returns_to_the_queue(client, editor, second_editor, db):
    claim = _conflicts(1)[0]
    client.force_login(editor)
    response = client.post(
        f"/claims/{claim.pk}/assign/", {"version": claim.version, "assignee": "me", "next": "/review/?topic=x"}
    )
    assert response.status_code == 302 and response["Location"] == "/review/?topic=x"
    client.force_login(second_editor)
    assert "Assigned to <strong>editor</strong>" in client.get("/review/").content.decode()


def test_it_never_redirects_off_site_after_assigning(client, editor, db):
    claim = _conflicts(1)[0]
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/assign/", {"version": claim.version, "next": "https://evil.example/"})
    assert response["Location"] == f"/claims/{claim.pk}/"


def test_it_unassigns(client, editor, db):
    claim = _conflicts(1)[0]
    claim = services.claim_assign(claim=claim, assignee=editor, version=claim.version, by=editor)
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/assign/", {"version": claim.version, "assignee": "nobody"})
    assert response.status_code == 302
    assert Claim.objects.get().assigned_to is None


def test_it_refuses_an_unknown_assignee_choice(client, editor, db):
    claim = _conflicts(1)[0]
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/assign/", {"version": claim.version, "assignee": "admin"})
    assert response.status_code == 422
    assert "assignee must be “me” or “nobody”, not “admin”." in response.content.decode()
    assert Claim.objects.get().assigned_to is None


def test_it_answers_json_with_the_assignment(client, editor, db):
    claim = _conflicts(1)[0]
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/assign/", {"version": claim.version}, headers=JSON)
    assert response.json() == {
        "id": claim.pk,
        "text": claim.text,
        "status": "conflict",
        "assigned_to": "editor",
        "version": 2,
        "kind": "event",
        "origin_count": 2,
    }


def test_it_shows_the_assignee_on_the_claim_page_to_editors(client, editor, second_editor, db):
    claim = _conflicts(1)[0]
    services.claim_assign(claim=claim, assignee=second_editor, version=claim.version, by=second_editor)
    client.force_login(editor)
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Assigned to <strong>editor2</strong>" in body and "Assign to me" in body


def test_it_links_the_queue_from_the_header_for_logged_in_users(client, editor, db):
    assert 'href="/review/"' not in client.get("/").content.decode()
    client.force_login(editor)
    assert 'href="/review/"' in client.get("/").content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_it_keeps_the_queue_constant_in_queries(client, editor, second_editor, db, django_assert_num_queries, htmx):
    topic = make_topic()
    sources = (make_source(title="Alpha"), make_source(title="Beta"))
    for claim in _conflicts(2, topic=topic, sources=sources):
        services.claim_assign(claim=claim, assignee=second_editor, version=claim.version, by=second_editor)
    client.force_login(editor)
    client.get("/")
    headers = HTMX if htmx else {}
    # session + the user with the editor's permissions (one query, auth_backends.py) + count +
    # the page of claims joined to topics and assignees + the count of each
    # of the six tabs; the full page also fills its filter menus: topics and
    # sources with conflicts
    expected = 12 if not htmx else 10
    with django_assert_num_queries(expected):
        assert client.get("/review/", headers=headers).status_code == 200
    for claim in _conflicts(30, topic=make_topic(), sources=sources):
        services.claim_assign(claim=claim, assignee=second_editor, version=claim.version, by=second_editor)
    with django_assert_num_queries(expected):
        body = client.get("/review/", headers=headers).content.decode()
    assert body.count("Assigned to <strong>editor2</strong>") == 25

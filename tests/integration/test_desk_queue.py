"""The review queue's tabs, counts, sorts and "waiting since"; editors land on it after logging in."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from factcheck import services
from factcheck.models import Assertion, Claim, Verdict
from factcheck.models.claims import refresh_newest_statements
from tests.conftest import make_assertion, make_claim, make_source, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


def _listed(body):
    return [int(pk) for pk in re.findall(r'class="claim-text" href="/claims/(\d+)/"', body)]


def _counts(body):
    return {label: int(n) for label, n in re.findall(r'>([A-Z][a-z ]+) <span class="count">\((\d+)\)</span></a>', body)}


def _date_statements(claim, when):
    # Through the model: saving a statement keeps its claim's newest statement (Claim.newest_statement).
    for assertion in Assertion.objects.filter(claim=claim):
        assertion.stated_on, assertion.stated_on_precision = when, "day"
        assertion.save()


@pytest.fixture
def desk(editor, second_editor):
    alpha, beta = make_source(title="Alpha"), make_source(title="Beta")
    b_topic, a_topic = make_topic(title="B topic", slug="b-topic"), make_topic(title="A topic", slug="a-topic")
    conflict = make_claim(
        topic=b_topic, text="Conflict one", assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2)]
    )
    conflict2 = make_claim(
        topic=a_topic, text="Conflict two", assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2)]
    )
    single = make_claim(topic=a_topic, text="Single one", assertions=[(alpha, "supports", Q1)])
    drafted = make_claim(topic=a_topic, text="Drafted", assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2)])
    services.resolution_save(
        claim=drafted, user=editor, verdict=Verdict.MIXED, rationale="Both.", prevailing=[], version=0
    )
    services.claim_assign(claim=single, assignee=second_editor, version=single.version, by=editor)
    return {"conflict": conflict, "conflict2": conflict2, "single": single, "drafted": drafted, "alpha": alpha}


def test_it_shows_every_tab_with_its_count(client, second_editor, desk):
    client.force_login(second_editor)
    body = client.get("/review/").content.decode()
    counts = _counts(body)
    assert counts["Conflicts"] == 3  # the draft's claim is still in conflict for the public
    assert counts["Awaiting approval"] == 1 and counts["Single source"] == 1 and counts["Mine"] == 1
    assert counts["New evidence"] == 4  # every assertion here was added today
    assert _listed(client.get("/review/", {"tab": "approval"}).content.decode()) == [desk["drafted"].pk]
    assert _listed(client.get("/review/", {"tab": "single"}).content.decode()) == [desk["single"].pk]
    assert _listed(client.get("/review/", {"tab": "mine"}).content.decode()) == [desk["single"].pk]
    assert client.get("/review/", {"tab": "nonsense"}).status_code == 400


def test_waiting_since_is_when_the_claim_entered_the_state(client, editor, desk):
    long_ago = timezone.now() - dt.timedelta(days=400)
    Claim.objects.filter(pk=desk["conflict"].pk).update(created_at=long_ago)
    claim = Claim.objects.get(pk=desk["single"].pk)
    entered = claim.status_since
    assert entered is not None
    # It turns into a conflict now: waiting since now, not since its creation.
    make_assertion(claim, make_source(title="Gamma"), "disputes", Q2)
    claim.refresh_from_db()
    assert claim.status == "conflict" and claim.status_since > entered
    client.force_login(editor)
    body = client.get("/review/").content.decode()
    row = body[body.index(f'id="review-{claim.pk}"') :]
    assert f'in conflict since <time datetime="{timezone.localtime(claim.status_since):%Y-%m-%d}' in row
    # Created 400 days ago but in conflict only since its assertions came: not "400 days".
    old = Claim.objects.get(pk=desk["conflict"].pk)
    assert old.status_since > long_ago


def test_it_sorts_by_waiting_topic_and_sources(client, editor, desk):
    earlier = timezone.now() - dt.timedelta(days=3)
    Claim.objects.filter(pk=desk["conflict2"].pk).update(status_since=earlier)
    make_assertion(desk["conflict"], make_source(title="Gamma"), "supports", Q1)
    client.force_login(editor)
    by_wait = _listed(client.get("/review/").content.decode())
    assert by_wait[0] == desk["conflict2"].pk
    by_topic = _listed(client.get("/review/", {"sort": "topic"}).content.decode())
    topics = [Claim.objects.get(pk=pk).topic.title for pk in by_topic]
    assert topics == sorted(topics)
    by_sources = _listed(client.get("/review/", {"sort": "sources"}).content.decode())
    assert by_sources[0] == desk["conflict"].pk  # three sources
    assert client.get("/review/", {"sort": "random"}).status_code == 400


def test_the_stale_tab_holds_claims_whose_newest_statement_is_older_than_the_setting(client, editor, settings, desk):
    settings.FACTCHECK_STALE_DAYS = 30
    old = timezone.now().date() - dt.timedelta(days=90)
    _date_statements(desk["single"], old)
    client.force_login(editor)
    assert _listed(client.get("/review/", {"tab": "stale"}).content.decode()) == [desk["single"].pk]
    settings.FACTCHECK_STALE_DAYS = 365
    assert _listed(client.get("/review/", {"tab": "stale"}).content.decode()) == []


def test_the_new_evidence_tab_holds_recently_added_assertions(client, editor, settings, desk):
    Assertion.objects.update(created_at=timezone.now() - dt.timedelta(days=60))
    client.force_login(editor)
    assert _listed(client.get("/review/", {"tab": "evidence"}).content.decode()) == []
    make_assertion(desk["single"], make_source(title="Gamma"), "supports", Q1)
    assert _listed(client.get("/review/", {"tab": "evidence"}).content.decode()) == [desk["single"].pk]


@pytest.mark.parametrize("tab", ["conflicts", "approval", "evidence", "single", "stale", "mine"])
def test_every_tab_costs_the_same_queries_at_two_sizes(client, editor, desk, tab, django_assert_num_queries):
    # Every tab has a row at the small size too (an empty page skips reading rows).
    old = timezone.now().date() - dt.timedelta(days=3 * 365)
    _date_statements(desk["single"], old)
    conflict = desk["conflict"]
    services.claim_assign(claim=conflict, assignee=editor, version=Claim.objects.get(pk=conflict.pk).version, by=editor)
    client.force_login(editor)
    client.get("/")
    # session + the user with the editor's permissions (one query, auth_backends.py) + the tab's
    # count + its page joined to topics and assignees + the six tabs' counts +
    # the filter menus (topics, sources)
    expected = 12
    with django_assert_num_queries(expected):
        small = client.get("/review/", {"tab": tab}).content.decode()
    assert _listed(small)
    alpha, beta = desk["alpha"], make_source(title="More")
    for i in range(30):
        claim = make_claim(text=f"More {i}", assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2)])
        if i % 3 == 0:
            services.resolution_save(
                claim=claim, user=editor, verdict=Verdict.MIXED, rationale="x", prevailing=[], version=0
            )
        services.claim_assign(claim=claim, assignee=editor, version=Claim.objects.get(pk=claim.pk).version, by=editor)
    with django_assert_num_queries(expected):
        large = client.get("/review/", {"tab": tab}).content.decode()
    assert len(_listed(large)) > len(_listed(small)) or tab in ("single", "stale")


def test_editors_land_on_the_queue_after_logging_in_and_readers_on_the_home_page(editor, reader):
    for user, password, landing in ((editor, "editor-password-123", "/review/"), (reader, "reader-password-123", "/")):
        client = Client()
        response = client.post("/accounts/login/", {"username": user.username, "password": password})
        assert response.status_code == 302 and response["Location"] == landing, user
    # An explicit next still wins.
    response = Client().post(
        "/accounts/login/?next=/claims/", {"username": "editor", "password": "editor-password-123"}
    )
    assert response["Location"] == "/claims/"


def test_a_claims_newest_statement_follows_its_statements_and_their_sources(desk):
    single, alpha = desk["single"], desk["alpha"]
    published = dt.date(2024, 5, 1)
    alpha.published = published
    alpha.save()  # the statement has no date of its own: its source's stands in
    assert Claim.objects.get(pk=single.pk).newest_statement == published

    _date_statements(single, dt.date(2025, 2, 3))
    assert Claim.objects.get(pk=single.pk).newest_statement == dt.date(2025, 2, 3)

    Claim.objects.filter(pk=single.pk).update(newest_statement=None)  # a write that bypasses the models
    assert refresh_newest_statements(Claim.objects.all()) == 1
    assert Claim.objects.get(pk=single.pk).newest_statement == dt.date(2025, 2, 3)

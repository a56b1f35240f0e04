"""Where matching a source against the claims stands, as the source page's "What this document speaks to" shows it.

Under pytest django-tasks' immediate backend runs a task as soon as it is
enqueued; the enqueue itself waits for the commit, so a test that does not
run its on-commit callbacks sees the run still queued, as a page would
before the worker has got to it.
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from factcheck.models import SuggestionRun
from factcheck.services.intake import after_source_saved
from factcheck.services.suggestions import matching_queue
from factcheck.suggestions import store
from tests.conftest import make_claim, make_source, make_topic

TEXT = (
    "Russia will keep its naval base at Tartus for another fifty years, the two governments agreed.\n"
    "On 3 March 2025 the interior minister Karim Haddad told reporters that 40 prisons had been closed."
)
HTMX = {"HX-Request": "true"}
MATCHING = "Matching this document against the claims…"
POLLING = 'hx-trigger="every 2s"'


@pytest.fixture
def source(db):
    topic = make_topic(slug="bases", title="Does Russia keep its bases?")
    make_claim(topic, "Russia agreed to keep its naval base at Tartus for another fifty years.")
    return make_source(TEXT, title="Wire report")


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    client.get("/")  # the session's first read is not the section's
    return client


def _section(client, source):
    response = client.get(f"/sources/{source.pk}/suggestions/", headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_queued_source_as_matching_and_polls(source, editor_client, django_assert_num_queries):
    after_source_saved(source)  # intake's hook; the task waits for a commit that this test never makes
    assert SuggestionRun.objects.get(source=source).state == "queued"
    # session, user with permissions, the source with its run: no suggestion is read while it is pending
    with django_assert_num_queries(3):
        body = _section(editor_client, source)
    assert MATCHING in body and POLLING in body
    assert f'hx-get="/sources/{source.pk}/suggestions/"' in body
    assert "No open suggestion" not in body


def test_it_lists_the_suggestions_once_the_task_has_run(
    source, editor_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        matching_queue(source=source)
    run = SuggestionRun.objects.get(source=source)
    assert run.state == "done" and run.finished_at is not None
    # session, user with permissions, the source with its run, suggestions, possible new claims, topics
    with django_assert_num_queries(6):
        body = _section(editor_client, source)
    assert MATCHING not in body and POLLING not in body  # the final state stops the polling
    assert "naval base at Tartus for another fifty years" in body and 'class="suggestion"' in body


def test_it_names_a_failed_run_and_matches_again(
    source, editor_client, monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    def broken(source):
        raise RuntimeError("the claims index is unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(store, "compute", broken)
        with django_capture_on_commit_callbacks(execute=True):
            matching_queue(source=source)
    run = SuggestionRun.objects.get(source=source)
    assert (run.state, run.error) == ("failed", "RuntimeError: the claims index is unavailable")
    with django_assert_num_queries(6):
        body = _section(editor_client, source)
    assert "Matching this document against the claims failed." in body
    assert "RuntimeError: the claims index is unavailable" in body
    assert f'action="/sources/{source.pk}/match/"' in body and "Match again" in body
    assert "csrfmiddlewaretoken" in body and POLLING not in body

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/sources/{source.pk}/match/", {"seen": "failed"}, headers=HTMX)
    body = response.content.decode()
    # The answer is rendered before this test's transaction "commits": the run is still queued, and polls.
    assert response.status_code == 200 and MATCHING in body and POLLING in body and "failed" not in body
    assert SuggestionRun.objects.get(source=source).state == "done"
    body = _section(editor_client, source)
    assert "failed" not in body and "naval base at Tartus" in body


def test_it_offers_a_source_never_matched_a_button_that_queues_it(source, editor_client):
    body = _section(editor_client, source)
    assert "has not been matched against the claims yet" in body
    assert "Find what this document speaks to" in body and "No open suggestion" not in body

    response = editor_client.post(f"/sources/{source.pk}/match/", {"seen": "none"})
    assert response.status_code == 302 and response["Location"] == f"/sources/{source.pk}/#suggestions"
    assert SuggestionRun.objects.get(source=source).state == "queued"
    body = _section(editor_client, source)
    assert MATCHING in body and POLLING in body


def test_it_queues_nothing_when_the_state_moved_on_or_the_form_is_bad(source, editor_client):
    SuggestionRun.objects.create(source=source, state="running", started_at=timezone.now())
    url = f"/sources/{source.pk}/match/"
    response = editor_client.post(url, {"seen": "failed"}, headers=HTMX)  # someone else's "Match again" won
    assert response.status_code == 200 and MATCHING in response.content.decode()
    response = editor_client.post(url, {"seen": "whatever"})
    assert response.status_code == 400 and "seen: expected one of none, queued" in response.content.decode()
    assert SuggestionRun.objects.get(source=source).state == "running"


def test_it_queues_a_pending_source_once(source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = matching_queue(source=source)
        again = matching_queue(source=source)
    assert len(callbacks) == 1 and first.queued_at == again.queued_at


def test_it_takes_a_run_whose_worker_died_for_failed(source, editor_client):
    SuggestionRun.objects.create(
        source=source, state="running", started_at=timezone.now() - SuggestionRun.STALL_AFTER - dt.timedelta(seconds=1)
    )
    body = _section(editor_client, source)
    assert "stopped before it finished" in body and "Match again" in body and POLLING not in body


def test_it_lets_only_editors_queue_matching(source, reader, editor):
    url = f"/sources/{source.pk}/match/"
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    as_reader = Client()
    as_reader.force_login(reader)
    assert as_reader.post(url, {"seen": "none"}).status_code == 403
    assert as_reader.get(f"/sources/{source.pk}/suggestions/", headers=HTMX).status_code == 403
    without_csrf = Client(enforce_csrf_checks=True)
    without_csrf.force_login(editor)
    assert without_csrf.post(url, {"seen": "none"}).status_code == 403
    assert Client().get(url).status_code in (302, 405)
    assert not SuggestionRun.objects.filter(source=source).exists()
    as_editor = Client()
    as_editor.force_login(editor)
    assert as_editor.get(url).status_code == 405
    assert as_editor.post("/sources/999999/match/", {"seen": "none"}).status_code == 404

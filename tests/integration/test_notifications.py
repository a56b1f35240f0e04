"""Notifications: the inbox and its badge, email through the outbox with one-click unsubscribe, webhooks, digest."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factcheck import services
from factcheck.models import Delivery, DeliveryStatus, Event, Notification, Verdict, Webhook, WebhookFormat
from factcheck.outbox import SIGNATURE_HEADER, process_due
from factcheck.services.notify import unsubscribe_token
from tests.conftest import make_claim, make_source
from tests.editing import HTMX

SECRET_NOTE = "PANGOLIN-INTERNAL-3308"
HOOK_SECRET = "a-webhook-secret-of-some-length"


def _mention(author, claim, name, **kwargs):
    return services.annotation_create(claim=claim, author=author, body=f"@{name} look at this.", **kwargs)


def test_the_inbox_lists_notifications_and_marks_them_read(client, editor, second_editor, conflict_claim):
    _mention(editor, conflict_claim, "editor2")
    client.force_login(second_editor)
    body = client.get("/inbox/").content.decode()
    assert "editor mentioned you in a note" in body and "(1 unread)" in body
    badge = client.get("/inbox/badge/", headers=HTMX).content.decode()
    assert 'hx-trigger="every 30s"' in badge and ">1<" in badge
    [notice] = Notification.objects.all()
    response = client.post("/inbox/read/", {"notification": notice.pk})
    assert response.status_code == 302
    assert Notification.objects.get().read_at is not None
    assert "badge-unread" not in client.get("/inbox/badge/", headers=HTMX).content.decode()
    # Another editor's notification cannot be marked by guessing its id.
    other = _mention(second_editor, conflict_claim, "editor")
    client.post("/inbox/read/", {"notification": Notification.objects.get(recipient=editor).pk})
    assert Notification.objects.get(recipient=editor).read_at is None
    assert other.pk and client.post("/inbox/read/", {"notification": "9" * 40}).status_code == 302


def test_the_header_polls_the_badge_for_logged_in_users_only(client, editor, conflict_claim):
    assert "inbox-badge" not in client.get("/").content.decode()
    client.force_login(editor)
    page = client.get("/").content.decode()
    assert 'hx-get="/inbox/badge/"' in page and 'hx-trigger="load, every 30s"' in page


def test_the_badge_and_the_inbox_cost_the_same_queries_at_two_sizes(
    client, editor, second_editor, conflict_claim, django_assert_num_queries
):
    _mention(editor, conflict_claim, "editor2")
    client.force_login(second_editor)
    client.get("/")
    # session + the user with the editor's permissions (one query, auth_backends.py) + the unread count
    with django_assert_num_queries(3):
        client.get("/inbox/badge/", headers=HTMX)
    # session + user with permissions + the count + the page joined to actors and claims + the unread count
    with django_assert_num_queries(5):
        client.get("/inbox/", headers=HTMX)
    for i in range(40):
        _mention(editor, make_claim(text=f"Claim {i}"), "editor2")
    with django_assert_num_queries(3):
        assert ">41<" in client.get("/inbox/badge/", headers=HTMX).content.decode()
    with django_assert_num_queries(5):
        assert client.get("/inbox/", headers=HTMX).content.decode().count('class="notification unread"') == 30


def test_it_emails_with_a_direct_link_and_a_working_one_click_unsubscribe(editor, publisher, conflict_claim):
    _mention(editor, conflict_claim, "publisher")
    assert mail.outbox == []  # queued, not sent inside the request
    assert process_due() == 1
    [message] = mail.outbox
    assert message.to == ["pub@example.org"] and "Mentioned you" in message.subject
    assert f"http://localhost:8000/claims/{conflict_claim.pk}/#note-" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    path = unsubscribe.removeprefix("http://localhost:8000")
    anonymous = Client(enforce_csrf_checks=True)
    assert "Stop the emails" in anonymous.get(path).content.decode()
    # A mail client's one-click POST: no session, no CSRF token.
    response = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "no more notification emails" in response.content.decode()
    _mention(editor, conflict_claim, "publisher")
    process_due()
    assert len(mail.outbox) == 1  # the inbox still gets it
    assert Notification.objects.filter(recipient=publisher).count() == 2


def test_a_forged_unsubscribe_token_is_refused(client, publisher):
    token = unsubscribe_token(publisher)
    assert client.post(f"/notifications/unsubscribe/{token[:-2]}xx/").status_code == 403
    assert client.get("/notifications/unsubscribe/forged/").status_code == 403


def test_assignments_and_decisions_notify_the_people_concerned(editor, second_editor, publisher, conflict_claim):
    services.claim_assign(claim=conflict_claim, assignee=second_editor, version=conflict_claim.version, by=editor)
    resolution = services.resolution_save(
        claim=conflict_claim, user=second_editor, verdict=Verdict.MIXED, rationale="Both.", prevailing=[], version=0
    )
    services.resolution_approve(claim=conflict_claim, user=publisher, version=resolution.version)
    got = sorted(Notification.objects.values_list("recipient__username", "event"))
    assert got == [
        ("editor2", Event.APPROVED),
        ("editor2", Event.ASSIGNED),
        ("publisher", Event.AWAITING_APPROVAL),
    ]


def test_watchers_hear_of_new_conflicts_on_a_topic_and_new_evidence_on_a_claim(client, editor, second_editor):
    alpha, beta = make_source(title="Alpha"), make_source(title="Beta")
    claim = make_claim(text="Bases stay.", assertions=[(alpha, "supports", "Russia keeps its naval base at Tartus.")])
    client.force_login(second_editor)
    assert "Watch this topic" in client.get(claim.topic.get_absolute_url()).content.decode()
    assert "Watch this topic" not in Client().get(claim.topic.get_absolute_url()).content.decode()
    assert client.post("/watch/", {"topic": claim.topic.slug}).status_code == 302
    assert "Unwatch this topic" in client.get(claim.topic.get_absolute_url()).content.decode()
    assert client.post("/watch/", {"claim": claim.pk}).status_code == 302
    assert client.post("/watch/", {"claim": claim.pk, "action": "sideways"}).status_code == 400
    services.assertion_create_located(
        assertion=_located(claim, beta, "disputes", "Talks about the bases are active as of July 2025."),
        user=editor,
    )
    events = sorted(Notification.objects.filter(recipient=second_editor).values_list("event", flat=True))
    assert events == [Event.NEW_CONFLICT, Event.NEW_EVIDENCE]
    assert client.post("/watch/", {"claim": claim.pk, "action": "unwatch"}).status_code == 302
    Notification.objects.all().delete()
    services.assertion_create_located(
        assertion=_located(claim, make_source(title="Gamma"), "supports", "Russia keeps its naval base at Tartus."),
        user=editor,
    )
    assert not Notification.objects.filter(event=Event.NEW_EVIDENCE).exists()


def _located(claim, source, stance, quote):
    from factcheck.models import Assertion

    assertion = Assertion(claim=claim, source=source, stance=stance, quote=quote)
    assertion.locate()
    return assertion


class _Receiver:
    """A local HTTP endpoint answering ``status``, recording each request's headers and body."""

    def __init__(self, status=200):
        self.status, self.requests = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _approved_with_internal_note(editor, publisher, claim):
    services.annotation_create(claim=claim, author=editor, body=f"{SECRET_NOTE} do not publish.", internal=True)
    resolution = services.resolution_save(
        claim=claim, user=editor, verdict=Verdict.FALSE, rationale="No.", prevailing=[], version=0
    )
    services.resolution_approve(claim=claim, user=publisher, version=resolution.version)


@pytest.mark.parametrize("fmt", [WebhookFormat.JSON, WebhookFormat.SLACK])
def test_webhooks_are_signed_and_hold_no_internal_note(editor, publisher, conflict_claim, fmt):
    with _Receiver() as receiver:
        Webhook.objects.create(
            name="Desk", topic=conflict_claim.topic, url=receiver.url, secret=HOOK_SECRET, format=fmt
        )
        _approved_with_internal_note(editor, publisher, conflict_claim)
        assert process_due() == 2  # the email to the decider, the webhook
    [(headers, body)] = receiver.requests
    expected = "sha256=" + hmac.new(HOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers[SIGNATURE_HEADER], expected)
    assert headers["X-Factcheck-Event"] == Event.APPROVED
    payload = json.loads(body)
    assert SECRET_NOTE not in body.decode()
    if fmt == WebhookFormat.SLACK:
        assert set(payload) == {"text"} and "Decision published" in payload["text"]
    else:
        assert payload["claim"]["id"] == conflict_claim.pk and payload["event"] == Event.APPROVED
    delivery = Delivery.objects.get(webhook__isnull=False)
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.DELIVERED, 1, 200)


def test_a_failing_receiver_is_retried_with_back_off_then_logged_as_failed(
    editor, publisher, conflict_claim, settings, staff_client
):
    settings.FACTCHECK_DELIVERY_MAX_ATTEMPTS = 3
    settings.FACTCHECK_DELIVERY_BACKOFF_SECONDS = 60
    with _Receiver(status=500) as receiver:
        Webhook.objects.create(name="Broken", url=receiver.url, secret=HOOK_SECRET)
        _approved_with_internal_note(editor, publisher, conflict_claim)
        now = timezone.now()
        process_due(now=now)
        delivery = Delivery.objects.get(webhook__isnull=False)
        assert (delivery.status, delivery.attempts, delivery.last_error) == (
            "pending",
            1,
            "HTTP 500 Internal Server Error",
        )
        assert delivery.next_attempt_at == now + dt.timedelta(seconds=60)
        assert process_due(now=now + dt.timedelta(seconds=30)) == 0  # not due yet
        process_due(now=now + dt.timedelta(seconds=61))
        delivery.refresh_from_db()
        assert delivery.attempts == 2 and delivery.next_attempt_at == now + dt.timedelta(seconds=61 + 120)
        process_due(now=now + dt.timedelta(seconds=200))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.FAILED, 3, 500)
    assert len(receiver.requests) == 3
    # The delivery log in the admin shows it, and can queue it again.
    page = staff_client.get(
        reverse("admin:factcheck_delivery_changelist"), {"status__exact": "failed"}
    ).content.decode()
    assert "HTTP 500" in page and "Broken" in page
    staff_client.post(
        reverse("admin:factcheck_delivery_changelist"), {"action": "retry", "_selected_action": [delivery.pk]}
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


def test_the_daily_digest_emails_each_editor_their_day(editor, second_editor, publisher, conflict_claim):
    second_editor.email = "two@example.org"
    second_editor.save()
    _mention(editor, conflict_claim, "editor2")
    _mention(editor, conflict_claim, "publisher")
    Notification.objects.filter(recipient=publisher).update(created_at=timezone.now() - dt.timedelta(days=3))
    Delivery.objects.all().delete()
    call_command("send_digest", stdout=open("/dev/null", "w"))
    process_due()
    [message] = mail.outbox
    assert message.to == ["two@example.org"] and "editor mentioned you" in message.body
    assert "List-Unsubscribe" in message.extra_headers

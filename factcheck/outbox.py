"""The outbox worker: sends the emails and webhook calls the services queued (models.Delivery).

Django 5.2 has no task framework (django-tasks backports 6.0's, without
retries); the desk needs retries with back-off and a delivery log staff can
read, and an outbox table written in the same transaction as the change that
triggers it gives both, plus "no notification for a change rolled back".
``manage.py run_worker`` calls ``process_due`` in a loop (``make run``
starts it beside the server); docs/operations.md says why and how to run it.

A webhook body is signed with the hook's secret: the header
``X-Factcheck-Signature: sha256=<hex HMAC-SHA256 of the raw body>``, as
GitHub and Slack sign theirs. A failed attempt is retried after
``FACTCHECK_DELIVERY_BACKOFF_SECONDS`` × 1, 2, 4…, and after
``FACTCHECK_DELIVERY_MAX_ATTEMPTS`` attempts logged as failed.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from factcheck.models import Delivery, DeliveryChannel, DeliveryStatus

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Factcheck-Signature"


def signature(secret, body):
    """``sha256=<hex>``: the HMAC-SHA256 of ``body`` (bytes) under ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _send_email(delivery):
    payload = delivery.payload
    message = EmailMessage(
        subject=payload["subject"],
        body=payload["body"],
        to=payload["to"],
        headers=payload.get("headers") or {},
    )
    message.send()
    return None


def _call_webhook(delivery):
    hook = delivery.webhook
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    request = urllib.request.Request(
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "factcheck-webhooks/1",
            SIGNATURE_HEADER: signature(hook.secret, body),
            "X-Factcheck-Event": delivery.event,
            "X-Factcheck-Delivery": str(delivery.pk),
        },
    )
    # Staff configure the URL: http(s) only, checked by the model's URLField.
    with urllib.request.urlopen(request, timeout=settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
        return response.status


def attempt(delivery, now=None):
    """Try ``delivery`` once and record the outcome: delivered, retry later, or failed for good."""
    now = now or timezone.now()
    code, error = None, ""
    try:
        if delivery.channel == DeliveryChannel.EMAIL:
            code = _send_email(delivery)
        else:
            if delivery.webhook is None or not delivery.webhook.is_active:
                raise RuntimeError("the webhook was removed or switched off")
            code = _call_webhook(delivery)
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except Exception as exc:  # any failure is logged on the row and retried; the worker carries on
        error = f"{type(exc).__name__}: {exc}"[:2000]
    delivery.attempts += 1
    delivery.response_code = code
    if not error:
        delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, now, ""
    else:
        delivery.last_error = error
        if delivery.attempts >= settings.FACTCHECK_DELIVERY_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            log.warning("delivery %s failed for good after %s attempts: %s", delivery.pk, delivery.attempts, error)
        else:
            wait = settings.FACTCHECK_DELIVERY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = now + dt.timedelta(seconds=wait)
    delivery.save(
        update_fields=["attempts", "response_code", "status", "delivered_at", "last_error", "next_attempt_at"]
    )
    return delivery


def process_due(now=None, limit=100):
    """Attempt every pending delivery that is due (oldest first, at most ``limit``); how many were attempted."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .select_related("webhook")
            .order_by("next_attempt_at", "id")[:limit]
        )
        # Claimed: another worker skips them until this one has tried them.
        Delivery.objects.filter(pk__in=[d.pk for d in due]).update(
            next_attempt_at=now + dt.timedelta(seconds=settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS * 3)
        )
    for delivery in due:
        attempt(delivery, now)
    return len(due)

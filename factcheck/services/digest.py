"""The daily digest: one email per editor listing their notifications of the period, queued in the outbox."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from factcheck.models import Delivery, DeliveryChannel, Notification, NotificationPreference
from factcheck.services.notify import absolute, unsubscribe_token

# Lines listed in one digest; the rest are counted and left to the inbox.
DIGEST_LINES = 50


def digest_queue(*, since: dt.datetime) -> int:
    """Queue a digest for each user with notifications since ``since`` who takes email; how many."""
    rows = (
        Notification.objects.filter(created_at__gte=since)
        .select_related("recipient")
        .order_by("recipient_id", "-created_at", "-id")
    )
    by_user: dict[int, list[Notification]] = {}
    users: dict[int, Any] = {}
    for row in rows:
        by_user.setdefault(row.recipient_id, []).append(row)
        users[row.recipient_id] = row.recipient
    opted_out = set(
        NotificationPreference.objects.filter(user_id__in=list(users), email=False).values_list("user_id", flat=True)
    )
    now = timezone.now()
    deliveries = []
    for pk, lines in by_user.items():
        user = users[pk]
        if pk in opted_out or not user.email or not user.is_active:
            continue
        unsubscribe = absolute(reverse("notifications-unsubscribe", args=[unsubscribe_token(user)]))
        context = {
            "user": user,
            "lines": [(n.text, absolute(n.url)) for n in lines[:DIGEST_LINES]],
            "more": max(0, len(lines) - DIGEST_LINES),
            "inbox": absolute(reverse("inbox")),
            "unsubscribe": unsubscribe,
        }
        deliveries.append(
            Delivery(
                channel=DeliveryChannel.EMAIL,
                recipient=user,
                event="digest",
                payload={
                    "to": [user.email],
                    "subject": f"[factcheck] Your day on the desk: {len(lines)} notification"
                    + ("s" if len(lines) != 1 else ""),
                    "body": render_to_string("factcheck/email/digest.txt", context),
                    "headers": {
                        "List-Unsubscribe": f"<{unsubscribe}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                },
                next_attempt_at=now,
            )
        )
    with transaction.atomic():
        Delivery.objects.bulk_create(deliveries)
    return len(deliveries)

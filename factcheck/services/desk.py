"""The desk's own writes: watches, read marks, email preference."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from factcheck.models import (
    Claim,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    Topic,
    Watch,
    Webhook,
)
from factcheck.services.rows import delete_atomically, save_atomically


def watch_set(*, user: Any, topic: Topic | None = None, claim: Claim | None = None, watching: bool) -> bool:
    """Watch (or stop watching) exactly one of ``topic`` and ``claim``; whether anything changed."""
    if (topic is None) == (claim is None):
        raise ValueError("Watch a topic or a claim, not both and not neither.")
    with transaction.atomic():
        if watching:
            _watch, created = Watch.objects.get_or_create(user=user, topic=topic, claim=claim)
            return created
        deleted, _ = Watch.objects.filter(user=user, topic=topic, claim=claim).delete()
        return deleted > 0


def notifications_mark_read(*, user: Any, notifications: QuerySet[Notification]) -> int:
    """Mark ``user``'s unread ones among ``notifications`` read; how many."""
    with transaction.atomic():
        return notifications.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_email_set(*, user: Any, email: bool) -> NotificationPreference:
    with transaction.atomic():
        pref, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"email": email})
    return pref


def webhook_save(*, webhook: Webhook) -> Webhook:
    """Create or change a webhook (staff, in the admin); the model's checks first."""
    webhook.full_clean()
    return save_atomically(webhook)


def webhook_delete(*, webhook: Webhook) -> None:
    delete_atomically(webhook)


def delivery_retry(*, deliveries: QuerySet[Delivery]) -> int:
    """Send failed or pending deliveries again at the worker's next poll, attempts counted afresh."""
    with transaction.atomic():
        return deliveries.exclude(status=DeliveryStatus.DELIVERED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )


def delivery_delete(*, delivery: Delivery) -> None:
    delete_atomically(delivery)

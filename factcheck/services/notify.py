"""Notifications: the inbox line, and the email and webhook calls queued in the outbox, in the writer's transaction.

Called by the services whose writes trigger them (a mention, a reply, an
assignment, a decision to approve, approved or sent back, a new conflict on a
watched topic, new evidence on a watched claim). Each writes rows only: the
worker (``manage.py run_worker``, factcheck.outbox) sends what the outbox
holds, so a slow mail server or webhook never holds a request, and a rolled
back write leaves no notification behind.

What leaves the site (email, webhooks) never quotes a note: a note may be
internal, and an email or a Slack channel is not the desk.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from factcheck.models import (
    Claim,
    Delivery,
    DeliveryChannel,
    Event,
    Notification,
    NotificationPreference,
    Watch,
    Webhook,
    WebhookFormat,
)

UNSUBSCRIBE_SALT = "factcheck.notifications.unsubscribe"
PUBLISH_PERMISSION = "factcheck.publish_decision"


def absolute(path: str) -> str:
    return settings.FACTCHECK_SITE_URL.rstrip("/") + path


def unsubscribe_token(user: AbstractBaseUser) -> str:
    """A signed token naming the user: the email's one-click unsubscribe needs no login."""
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_token(token: str) -> Any:
    """The user the token names, or ``None`` if it is forged or the account is gone."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()


def notify(
    *,
    recipients: Iterable[Any],
    event: str,
    claim: Claim,
    actor: Any,
    text: str,
    url: str | None = None,
) -> list[Notification]:
    """An inbox line for each recipient but the actor, and an email for those who take them."""
    seen: set[int] = set()
    people = []
    for user in recipients:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        people.append(user)
    if not people:
        return []
    url = url or claim.get_absolute_url()
    rows = Notification.objects.bulk_create(
        Notification(recipient=u, actor=actor, event=event, claim=claim, text=text[:300], url=url) for u in people
    )
    opted_out = set(
        NotificationPreference.objects.filter(user__in=[u.pk for u in people], email=False).values_list(
            "user_id", flat=True
        )
    )
    _queue(
        Delivery(channel=DeliveryChannel.EMAIL, recipient=u, event=event, payload=_email(u, event, text, url))
        for u in people
        if u.pk not in opted_out and u.email
    )
    return rows


def _queue(deliveries: Iterable[Delivery]) -> int:
    """Put ``deliveries`` in the outbox, due at once: the worker sends them at its next poll. How many."""
    rows = list(deliveries)
    now = timezone.now()
    for row in rows:
        row.next_attempt_at = now
    Delivery.objects.bulk_create(rows)
    return len(rows)


def _label(event: str) -> str:
    """The event's name as emails and webhooks carry it: in the site's language, whoever's interface sent it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(Event(event).label)


def _email(user: Any, event: str, text: str, url: str) -> dict[str, Any]:
    unsubscribe = absolute(reverse("notifications-unsubscribe", args=[unsubscribe_token(user)]))
    context = {"user": user, "text": text, "link": absolute(url), "unsubscribe": unsubscribe}
    return {
        "to": [user.email],
        "subject": f"[factcheck] {_label(event)}: {text}"[:200],
        "body": render_to_string("factcheck/email/notification.txt", context),
        "headers": {
            # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the address.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def publishers(exclude: AbstractBaseUser | None = None) -> list[Any]:
    """Active users holding the publish permission through a group or directly (superusers aside)."""
    app, code = PUBLISH_PERMISSION.split(".")
    perm = Q(groups__permissions__codename=code, groups__permissions__content_type__app_label=app) | Q(
        user_permissions__codename=code, user_permissions__content_type__app_label=app
    )
    users = get_user_model().objects.filter(perm, is_active=True).distinct()
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def watchers_of(claim: Claim, *, topic: bool) -> list[Any]:
    """The users watching ``claim``'s topic (``topic``) or the claim itself."""
    watches = Watch.objects.filter(topic_id=claim.topic_id) if topic else Watch.objects.filter(claim=claim)
    return [w.user for w in watches.select_related("user")]


def topic_event(*, claim: Claim, event: str, actor: AbstractBaseUser | None, text: str) -> None:
    """A claim-level event: its watchers are told, and the topic's webhooks called."""
    recipients = watchers_of(claim, topic=event == Event.NEW_CONFLICT)
    notify(recipients=recipients, event=event, claim=claim, actor=actor, text=text)
    queue_webhooks(claim=claim, event=event, text=text)


def webhook_payload(hook: Webhook, *, claim: Claim, event: str, text: str) -> dict[str, Any]:
    """What a webhook receives: public facts about the claim only, never a note."""
    link = absolute(claim.get_absolute_url())
    if hook.format == WebhookFormat.SLACK:
        return {"text": f"{_label(event)}: {text} <{link}|claim {claim.pk}>"}
    return {
        "event": event,
        "label": _label(event),
        "text": text,
        "claim": {"id": claim.pk, "text": claim.text, "status": claim.status, "url": link},
        "topic": claim.topic_id,
        "sent_at": timezone.now().isoformat(),
    }


def queue_webhooks(*, claim: Claim, event: str, text: str) -> int:
    hooks = Webhook.objects.filter(Q(topic__isnull=True) | Q(topic_id=claim.topic_id), is_active=True)
    return _queue(
        Delivery(
            channel=DeliveryChannel.WEBHOOK,
            webhook=hook,
            event=event,
            payload=webhook_payload(hook, claim=claim, event=event, text=text),
        )
        for hook in hooks
    )


def short(text: str, words: int = 12) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def status_now(claim_id: int) -> str | None:
    return Claim.objects.filter(pk=claim_id).values_list("status", flat=True).first()


def evidence_added(*, claim: Claim, actor: AbstractBaseUser | None, status_before: str | None) -> None:
    """A new assertion on ``claim``: its watchers hear of new evidence, its topic's of a new conflict."""
    status = status_now(claim.pk)
    topic_event(claim=claim, event=Event.NEW_EVIDENCE, actor=actor, text=f"New evidence on “{short(claim.text)}”")
    if status == "conflict" and status_before != "conflict":
        claim.status = status
        topic_event(
            claim=claim, event=Event.NEW_CONFLICT, actor=actor, text=f"Sources now conflict on “{short(claim.text)}”"
        )

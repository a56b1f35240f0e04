"""The desk working together: watches, notifications, webhooks and the outbox that delivers them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from factcheck.models.claims import Claim, Topic


class Watch(models.Model):
    """An editor following a topic or one claim: new conflicts and new evidence notify them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True, claim__isnull=False)
                | models.Q(topic__isnull=False, claim__isnull=True),
                name="watch_topic_xor_claim",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="watch_unique_topic"),
            models.UniqueConstraint(fields=["user", "claim"], name="watch_unique_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.topic or self.claim}"


class Event(models.TextChoices):
    MENTION = "mention", _("Mentioned you")
    REPLY = "reply", _("Replied to your note")
    ASSIGNED = "assigned", _("Assigned you a claim")
    AWAITING_APPROVAL = "awaiting-approval", _("A decision awaits approval")
    APPROVED = "approved", _("Approved your decision")
    SENT_BACK = "sent-back", _("Sent your decision back")
    NEW_CONFLICT = "new-conflict", _("New conflict on a topic you watch")
    NEW_EVIDENCE = "new-evidence", _("New evidence on a claim you watch")


class Notification(models.Model):
    """One line of an editor's inbox. ``text`` is written for editors: it may quote internal notes."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(max_length=20, choices=Event.choices)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient}"


class NotificationPreference(models.Model):
    """Whether an editor gets notifications by email too (the one-click unsubscribe turns it off)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: email {'on' if self.email else 'off'}"


class WebhookFormat(models.TextChoices):
    SLACK = "slack", "Slack-compatible ({“text”: …})"
    JSON = "json", "JSON event"


class Webhook(models.Model):
    """An outgoing webhook for one topic (or every topic), configured by staff."""

    name = models.CharField(max_length=100)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks", help_text="Empty: every topic."
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200, help_text="Signs each body: X-Factcheck-Signature: sha256=<HMAC hex>.")
    format = models.CharField(max_length=5, choices=WebhookFormat.choices, default=WebhookFormat.JSON)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if len(self.secret or "") < 16:
            raise ValidationError({"secret": "At least 16 characters: it is what proves a delivery came from here."})


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """The outbox: one email or webhook call to make, retried with back-off, and its log once made."""

    channel = models.CharField(max_length=7, choices=DeliveryChannel.choices)
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(max_length=20)
    payload = models.JSONField(help_text="Email: subject, body, to, headers. Webhook: the JSON body.")
    status = models.CharField(max_length=9, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.event} ({self.status})"

"""Staff's side of the desk's notifications: outgoing webhooks, and the outbox as a delivery log."""

from django.contrib import admin, messages
from django.utils.html import format_html

from factcheck import services
from factcheck.admin.base import ServiceDeletes
from factcheck.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(ServiceDeletes, admin.ModelAdmin):
    list_display = ("name", "topic", "format", "url", "is_active", "created_at")
    list_filter = ("format", "is_active")
    search_fields = ("name", "url")
    autocomplete_fields = ("topic",)
    fields = ("name", "topic", "url", "format", "secret", "is_active")

    def save_model(self, request, obj, form, change):
        services.webhook_save(webhook=obj)

    def delete_with(self, obj, user):
        services.webhook_delete(webhook=obj)


@admin.register(Delivery)
class DeliveryAdmin(ServiceDeletes, admin.ModelAdmin):
    """The delivery log: every email and webhook call, its attempts and the last error. Read-only."""

    list_display = ("created_at", "channel", "event", "target", "status", "attempts", "response_code", "short_error")
    list_filter = ("status", "channel", "event")
    list_select_related = ("webhook", "recipient")
    readonly_fields = (
        "channel",
        "webhook",
        "recipient",
        "event",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "response_code",
        "created_at",
        "delivered_at",
    )
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="To")
    def target(self, obj):
        return obj.webhook.name if obj.webhook_id else (obj.recipient.get_username() if obj.recipient_id else "—")

    @admin.display(description="Last error")
    def short_error(self, obj):
        return format_html("<span title='{}'>{}</span>", obj.last_error, obj.last_error[:60]) if obj.last_error else ""

    @admin.action(description="Send again at the worker’s next poll")
    def retry(self, request, queryset):
        count = services.delivery_retry(deliveries=queryset)
        self.message_user(request, f"{count} deliver{'y' if count == 1 else 'ies'} queued again.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        raise PermissionError("The delivery log is read-only.")

    def delete_with(self, obj, user):
        services.delivery_delete(delivery=obj)

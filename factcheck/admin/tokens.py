"""API tokens: staff issue one per integration and user, see its secret once, and revoke it."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from factcheck import services
from factcheck.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # An issued token's user and name stay as issued: revoke it and issue another.
        return ("user", "name", *self.readonly_fields) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: its record says who could write, and until when

    # Deleting is off (above); were it called, it revokes, which is what deleting a token means.
    def delete_model(self, request, obj):
        services.api_token_revoke(token=obj)

    def delete_queryset(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, secret = services.api_token_issue(user=form.cleaned_data["user"], name=form.cleaned_data["name"])
        obj.pk, obj.prefix, obj.created_at = token.pk, token.prefix, token.created_at
        request._issued_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        # The secret is shown on this one page and stored nowhere: not in a message cookie, not in the database.
        context = {**self.admin_site.each_context(request), "token": obj, "secret": request._issued_secret}
        context["opts"] = self.model._meta
        return TemplateResponse(request, "admin/factcheck/apitoken/issued.html", context)

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s); they no longer authenticate.")

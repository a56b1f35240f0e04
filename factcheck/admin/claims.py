"""Topics and claims (a claim's assertions inline: factcheck/admin/assertions.py)."""

import uuid

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import slugify

from factcheck import services
from factcheck.admin.assertions import AssertionInline
from factcheck.admin.base import (
    HistoryAdmin,
    ServiceDeletes,
    VersionedModelForm,
    changed_fields,
    excerpt_column,
    save_inline_rows,
)
from factcheck.admin.corpus_views import CorpusViewsMixin, download
from factcheck.admin.filters import AssignedFilter, CitedBySourceFilter, HasConflictFilter, TopicFilter
from factcheck.admin.translations import ClaimTranslationInline, save_claim_translations
from factcheck.models import Claim, ClaimTranslation, Status, Topic


@admin.register(Topic)
class TopicAdmin(ServiceDeletes, HistoryAdmin):
    list_display = ("title", "slug", "claim_count", "conflict_count", "created_at")
    search_fields = ("title", "slug", "description")
    ordering = ("title", "id")
    actions = ["export_json"]

    def get_readonly_fields(self, request, obj=None):
        # The slug is in public URLs and import files.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("title",)}

    def save_model(self, request, obj, form, change):
        if change:
            services.topic_update(topic=obj, user=request.user)
        else:
            services.topic_create(topic=obj, user=request.user)

    def delete_with(self, obj, user):
        services.topic_delete(topic=obj, user=user)

    @admin.action(description="Export selected topics as JSON (with their claims and sources)", permissions=["view"])
    def export_json(self, request, queryset):
        return download("json", topics=list(queryset), name="factcheck-topics")


class ClaimAdminForm(VersionedModelForm):
    class Meta:
        model = Claim
        fields = ["topic", "text", "key", "kind", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].required = False
            self.fields[
                "key"
            ].help_text = "Stable key used by import and export; leave blank to make one from the text."

    def clean_key(self):
        key = self.cleaned_data.get("key")
        if key:
            return key
        text = self.cleaned_data.get("text") or ""
        return f"{slugify(text)[:60].strip('-') or 'claim'}-{uuid.uuid4().hex[:8]}"


@admin.register(Claim)
class ClaimAdmin(ServiceDeletes, CorpusViewsMixin, HistoryAdmin):
    form = ClaimAdminForm
    inlines = [AssertionInline, ClaimTranslationInline]
    list_display = ("text_excerpt", "topic_excerpt", "kind", "status", "sources", "has_conflict", "updated_at")
    list_filter = ("status", "kind", HasConflictFilter, TopicFilter, CitedBySourceFilter, AssignedFilter)
    list_select_related = ("topic",)
    search_fields = ("text", "key")
    autocomplete_fields = ("topic", "assigned_to")
    ordering = ("-updated_at", "-id")
    list_per_page = 50
    actions = ["export_csv", "export_json"]
    readonly_fields = ("status", "source_count", "origin_count", "version", "created_at", "updated_at", "public_page")
    fieldsets = (
        (None, {"fields": ("topic", "text", "key", "kind", "assigned_to", "base_version")}),
        (
            "Derived from the assertions",
            {"fields": ("status", "source_count", "origin_count", "version", "public_page")},
        ),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        return readonly + ["key"] if obj else readonly

    text_excerpt = excerpt_column("text", "Claim", ordering="text")
    topic_excerpt = excerpt_column("topic.title", "Topic", 8, ordering="topic__title")

    @admin.display(description="Sources", ordering="source_count")
    def sources(self, obj):
        return obj.source_count

    @admin.display(description="Conflict", boolean=True, ordering="status")
    def has_conflict(self, obj):
        return obj.status == Status.CONFLICT

    @admin.display(description="Public page")
    def public_page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url()) if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        changed = changed_fields(request, form) if change else set()
        if changed == {"assigned_to"}:
            # The editors' "assign" goes through the same service.
            saved = services.claim_assign(
                claim=obj, assignee=obj.assigned_to, version=form.cleaned_data["base_version"], by=request.user
            )
            obj.version = saved.version
            return
        if not change:
            services.claim_create(claim=obj, user=request.user)
            return
        services.claim_update(
            claim=obj, user=request.user, version=form.cleaned_data["base_version"], changed=bool(changed)
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is ClaimTranslation:
            save_claim_translations(request, formset)
            return
        user = request.user

        def add(inline_form):
            inline_form.instance.claim = formset.instance
            return services.assertion_create_located(assertion=inline_form.instance, user=user)

        save_inline_rows(
            formset,
            remove=lambda assertion: services.assertion_delete(assertion=assertion, user=user),
            update=lambda assertion, inline_form: services.assertion_update(
                assertion=assertion, user=user, version=inline_form.cleaned_data["base_version"]
            ),
            add=add,
        )

    def delete_with(self, obj, user):
        services.claim_delete(claim=obj, user=user)

    @admin.action(description="Export selected claims as CSV (one row per assertion)", permissions=["view"])
    def export_csv(self, request, queryset):
        return download("csv", claims=list(queryset), name="factcheck-claims")

    @admin.action(description="Export selected claims as JSON (with their topics and sources)", permissions=["view"])
    def export_json(self, request, queryset):
        return download("json", claims=list(queryset), name="factcheck-claims")

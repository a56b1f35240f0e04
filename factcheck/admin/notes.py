"""Notes and resolutions: the editors' services do the writing, after the admin's own checks."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from factcheck import services
from factcheck.admin.base import (
    HistoryAdmin,
    ServiceDeletes,
    VersionedModelForm,
    changed_fields,
    excerpt_column,
    safe_html,
)
from factcheck.admin.filters import ClaimTopicFilter
from factcheck.models import Annotation, Resolution


class AnnotationAdminForm(VersionedModelForm):
    class Meta:
        model = Annotation
        fields = ["claim", "assertion", "body", "is_deleted"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "cols": 80})}

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        if len(body) > services.MAX_NOTE_LENGTH:
            raise ValidationError(f"At most {services.MAX_NOTE_LENGTH:,} characters; this has {len(body):,}.")
        return body


@admin.register(Annotation)
class AnnotationAdmin(ServiceDeletes, HistoryAdmin):
    form = AnnotationAdminForm
    list_display = ("note_excerpt", "claim_excerpt", "assertion", "author", "is_deleted", "created_at")
    list_filter = ("is_deleted", ClaimTopicFilter)
    list_select_related = ("claim", "author", "assertion__source")
    search_fields = ("body", "claim__text", "claim__key", "author__username")
    autocomplete_fields = ("claim", "assertion")
    ordering = ("-created_at", "-id")
    fields = (
        "claim",
        "assertion",
        "body",
        "is_deleted",
        "rendered",
        "author",
        "version",
        "created_at",
        "updated_at",
        "base_version",
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["rendered", "author", "version", "created_at", "updated_at"]
        # A note stays on what it was written about.
        return readonly + ["claim", "assertion"] if obj else readonly

    note_excerpt = excerpt_column("body", "Note")
    claim_excerpt = excerpt_column("claim.text", "Claim", 10, ordering="claim__text")

    @admin.display(description="As readers see it")
    def rendered(self, obj):
        return format_html('<div class="rendered-note">{}</div>', safe_html(obj.body_html)) if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.annotation_create(
                claim=obj.claim, author=request.user, body=obj.body, assertion=obj.assertion
            )
            obj.pk, obj.author, obj.version = saved.pk, saved.author, saved.version
            return
        version = form.cleaned_data["base_version"]
        changed = changed_fields(request, form)
        if "is_deleted" in changed and not obj.is_deleted:
            version = services.annotation_restore(annotation=obj, user=request.user, version=version).version
        if "body" in changed:
            version = services.annotation_update(
                annotation=obj, user=request.user, body=obj.body, version=version
            ).version
        if "is_deleted" in changed and obj.is_deleted:
            version = services.annotation_delete(annotation=obj, user=request.user, version=version).version
        obj.version = version

    def delete_with(self, obj, user):
        services.annotation_erase(annotation=obj, user=user)


class ResolutionAdminForm(VersionedModelForm):
    class Meta:
        model = Resolution
        fields = ["claim", "verdict", "rationale", "prevailing", "is_open"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 8, "cols": 80})}

    def clean(self):
        cleaned = super().clean()
        claim = cleaned.get("claim") or (self.instance.claim if self.instance.claim_id else None)
        prevailing = cleaned.get("prevailing")
        if claim is not None and prevailing:
            foreign = [a for a in prevailing if a.claim_id != claim.pk]
            if foreign:
                self.add_error(
                    "prevailing",
                    "Only this claim's assertions can prevail; not "
                    + ", ".join(f"assertion {a.pk} ({a.source})" for a in foreign)
                    + ".",
                )
        if claim is not None and not self.instance.pk and Resolution.objects.filter(claim=claim).exists():
            self.add_error("claim", "This claim already has a resolution; open it to revise or reopen it.")
        rationale = cleaned.get("rationale") or ""
        if len(rationale) > services.MAX_RATIONALE_LENGTH:
            self.add_error(
                "rationale", f"At most {services.MAX_RATIONALE_LENGTH:,} characters; this has {len(rationale):,}."
            )
        return cleaned


@admin.register(Resolution)
class ResolutionAdmin(ServiceDeletes, HistoryAdmin):
    form = ResolutionAdminForm
    list_display = ("claim_excerpt", "verdict", "is_open", "decided_by", "updated_at")
    list_filter = ("verdict", "is_open", ClaimTopicFilter)
    list_select_related = ("claim", "decided_by")
    search_fields = ("claim__text", "claim__key", "rationale")
    autocomplete_fields = ("claim", "prevailing")
    ordering = ("-updated_at", "-id")
    fields = (
        "claim",
        "verdict",
        "rationale",
        "prevailing",
        "is_open",
        "rendered",
        "no_prevailing_reason",
        "decided_by",
        "version",
        "created_at",
        "updated_at",
        "base_version",
    )

    def get_readonly_fields(self, request, obj=None):
        # Why a true or false verdict has no prevailing statement: written on the claim's resolve form.
        readonly = ["rendered", "no_prevailing_reason", "decided_by", "version", "created_at", "updated_at"]
        return readonly + ["claim"] if obj else readonly

    claim_excerpt = excerpt_column("claim.text", "Claim", 12, ordering="claim__text")

    @admin.display(description="Rationale as readers see it")
    def rendered(self, obj):
        return format_html('<div class="rendered-note">{}</div>', safe_html(obj.rationale_html)) if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        # The service sets the prevailing assertions itself, in one history row.
        form.save_m2m = lambda: None
        data = form.cleaned_data
        version = data["base_version"] if change else 0
        changed = changed_fields(request, form) if change else set()
        decided = {"verdict", "rationale", "prevailing"} & changed
        closing = "is_open" in changed and not data["is_open"]
        if not change or decided or closing:
            saved = services.resolution_save(
                claim=obj.claim,
                user=request.user,
                verdict=data["verdict"],
                rationale=data["rationale"],
                prevailing=list(data["prevailing"]),
                version=version,
            )
            version = saved.version
            obj.pk = saved.pk
        if data["is_open"] and (not change or decided or "is_open" in changed):
            version = services.resolution_reopen(claim=obj.claim, user=request.user, version=version).version
        obj.version = version

    def delete_with(self, obj, user):
        services.resolution_delete(resolution=obj, user=user)

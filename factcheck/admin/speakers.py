"""Speakers, and the origins a source derives from (an inline on the source).

Speakers are written by ``services.speaker_create`` / ``speaker_update`` /
``speaker_delete``, which refuse a change made on top of a speaker someone
else changed meanwhile (the form carries the fingerprint of what it showed);
origins by ``derivation_add`` / ``derivation_update`` / ``derivation_remove``,
which recount the independent origins of every claim they touch.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join

from factcheck import services
from factcheck.admin.base import HistoryAdmin, ServiceDeletes, excerpt, save_inline_rows
from factcheck.models import Assertion, SourceDerivation, Speaker
from factcheck.services.speakers import MAX_ALIASES, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, derived_from

# The change page lists what a speaker said; past this many, the public page has the rest.
SAID_SHOWN = 200


class SpeakerAdminForm(forms.ModelForm):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Speaker
        fields = ["name", "slug", "kind", "aliases", "description"]
        widgets = {"aliases": forms.Textarea(attrs={"rows": 4, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:  # read-only once the speaker exists
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = "Stable key used by import and export; leave blank to make one from the name."
        if self.instance.pk:
            self.initial["seen"] = services.speaker_fingerprint(self.instance)

    def clean(self):
        cleaned = super().clean()
        aliases = [a for a in (cleaned.get("aliases") or "").splitlines() if a.strip()]
        if len(aliases) > MAX_ALIASES:
            self.add_error("aliases", f"At most {MAX_ALIASES} aliases; this has {len(aliases)}.")
        elif any(len(a.strip()) > MAX_NAME_LENGTH for a in aliases):
            self.add_error("aliases", f"Each alias is at most {MAX_NAME_LENGTH} characters.")
        description = (cleaned.get("description") or "").strip()
        if len(description) > MAX_DESCRIPTION_LENGTH:
            self.add_error(
                "description", f"At most {MAX_DESCRIPTION_LENGTH:,} characters; this has {len(description):,}."
            )
        if self.instance.pk:
            current = Speaker.objects.select_for_update().filter(pk=self.instance.pk).first()
            if current is None or services.speaker_fingerprint(current) != cleaned.get("seen"):
                raise ValidationError(
                    "This speaker was changed by someone else while you were editing it. Nothing was saved. "
                    "Open it again to see their change, then make yours on top.",
                    code="stale",
                )
        return cleaned


@admin.register(Speaker)
class SpeakerAdmin(ServiceDeletes, HistoryAdmin):
    form = SpeakerAdminForm
    list_display = ("name", "kind", "slug", "alias_excerpt", "statement_count")
    list_filter = ("kind",)
    search_fields = ("name", "aliases", "slug", "description")
    ordering = ("name", "id")
    list_per_page = 50
    readonly_fields = ("statement_count", "said", "public_page")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "aliases", "description", "seen")}),
        ("On record", {"fields": ("statement_count", "public_page", "said")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("assertions"))

    def get_readonly_fields(self, request, obj=None):
        # The slug is in public URLs and import files.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    @admin.display(description="Aliases")
    def alias_excerpt(self, obj):
        return excerpt(", ".join(obj.alias_list), 8)

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, obj):
        return getattr(obj, "statement_count", "—")

    @admin.display(description="Public page")
    def public_page(self, obj):
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url()) if obj.pk else "—"

    @admin.display(description="What sources report this speaker saying")
    def said(self, obj):
        if not obj.pk:
            return "—"
        statements = list(
            Assertion.objects.filter(speaker=obj)
            .select_related("claim", "source")
            .defer("source__text")
            .order_by("claim_id", "source__title", "start")[: SAID_SHOWN + 1]
        )
        if not statements:
            return "Nothing yet."
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {} {}: “{}” <a href="{}">(claim)</a></li>',
            (
                (
                    a.get_absolute_url(),
                    a.source.title,
                    a.get_stance_display().lower(),
                    a.period_display,
                    excerpt(a.quote, 24),
                    a.claim.get_absolute_url(),
                )
                for a in statements[:SAID_SHOWN]
            ),
        )
        more = "… and more: see the public page." if len(statements) > SAID_SHOWN else ""
        return format_html('<ul class="speaker-said">{}</ul>{}', rows, more)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "kind": data["kind"],
            "aliases": data.get("aliases") or "",
            "description": data.get("description") or "",
        }
        if change:
            saved = services.speaker_update(speaker=obj, user=request.user, seen=data.get("seen"), **fields)
        else:
            saved = services.speaker_create(user=request.user, slug=data.get("slug") or "", **fields)
        # The admin's messages and redirect read the object it passed in.
        obj.pk, obj.slug, obj.name, obj.aliases = saved.pk, saved.slug, saved.name, saved.aliases

    # A speaker on record is protected (on_delete=PROTECT): the confirmation page says so and deletes nothing.
    def delete_with(self, obj, user):
        services.speaker_delete(speaker=obj, user=user)


class DerivationForm(forms.ModelForm):
    class Meta:
        model = SourceDerivation
        fields = ["origin_source", "origin_speaker", "relation", "note"]

    def clean(self):
        cleaned = super().clean()
        origin_source, origin_speaker = cleaned.get("origin_source"), cleaned.get("origin_speaker")
        if (origin_source is None) == (origin_speaker is None):
            raise ValidationError("Give the origin as a stored source or as an outlet, not both and not neither.")
        source = self.instance.source if self.instance.source_id else None
        if self.instance.pk:
            stored = SourceDerivation.objects.get(pk=self.instance.pk)
            if (stored.origin_source_id, stored.origin_speaker_id) != (
                getattr(origin_source, "pk", None),
                getattr(origin_speaker, "pk", None),
            ):
                raise ValidationError("To name another origin, delete this row and add one.")
        elif source is not None and source.pk and origin_source is not None:
            if origin_source.pk == source.pk:
                self.add_error("origin_source", "A source cannot derive from itself.")
            elif origin_source.pk in derived_from(source.pk):
                self.add_error(
                    "origin_source",
                    f"“{origin_source}” already derives from this source: a loop would leave neither an origin.",
                )
        return cleaned


class DerivationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.errors or self._should_delete_form(form):
                continue
            origin = form.cleaned_data.get("origin_source") or form.cleaned_data.get("origin_speaker")
            if origin in seen:
                raise ValidationError(f"“{origin}” is named twice; keep one row.")
            seen.add(origin)


class SourceDerivationInline(admin.TabularInline):
    model = SourceDerivation
    fk_name = "source"
    form = DerivationForm
    formset = DerivationFormSet
    fields = ("origin_source", "origin_speaker", "relation", "note")
    autocomplete_fields = ("origin_source", "origin_speaker")
    verbose_name = "origin (a source or outlet this one cites, republishes or translates)"
    verbose_name_plural = "origins (sources or outlets this one cites, republishes or translates)"
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("origin_source", "origin_speaker")


def save_derivations(request, formset):
    """The origins inline's rows through the derivation services."""
    user = request.user

    def update(derivation, form):
        data = form.cleaned_data
        return services.derivation_update(
            derivation=derivation, user=user, relation=data["relation"], note=data["note"]
        )

    def add(form):
        data = form.cleaned_data
        return services.derivation_add(
            source=formset.instance,
            user=user,
            origin_source=data.get("origin_source"),
            origin_speaker=data.get("origin_speaker"),
            relation=data["relation"],
            note=data.get("note") or "",
        )

    save_inline_rows(
        formset,
        remove=lambda derivation: services.derivation_remove(derivation=derivation, user=user),
        update=update,
        add=add,
    )

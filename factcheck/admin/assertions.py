"""Assertions: their form (shared with the write API), the inline on a claim, and their own admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from factcheck import corpus, dates, services
from factcheck.admin.base import (
    HistoryAdmin,
    PartialDateFormMixin,
    ServiceDeletes,
    VersionedModelForm,
    as_of_field,
    changed_fields,
    excerpt_column,
)
from factcheck.admin.filters import ClaimTopicFilter, SourceFilter
from factcheck.models import Assertion
from factcheck.quotes import find_occurrences, nearest_passage

# An assertion's own fields, as a row of the claim's inline shows them: the
# form adds its claim (the inline's parent) and its translation (its own page only).
ROW_FIELDS = ("source", "stance", "quote", "occurrence", "language", "speaker", "stated_on", "as_of", "period_end")


class AssertionAdminForm(PartialDateFormMixin, VersionedModelForm):
    as_of = as_of_field(
        "Start of the period the statement speaks about; blank: undated (never the document's date).",
        label="Period from",
    )
    period_end = as_of_field("End of the period; blank for a single date, month or year.", label="Period to")
    stated_on = as_of_field("When the statement was made; blank: the source's publication date.", label="Stated on")
    occurrence = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="Only when the quote occurs more than once in the source: which occurrence (1 = the first).",
        widget=forms.NumberInput(attrs={"class": "vSmallField occurrence"}),
    )

    class Meta:
        model = Assertion
        fields = ["claim", *ROW_FIELDS, "translation", "translation_language", "translator"]
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3, "cols": 50, "dir": "auto"}),
            "translation": forms.Textarea(attrs={"rows": 3, "cols": 50, "dir": "auto"}),
            "language": forms.TextInput(attrs={"class": "vSmallField", "size": 4}),
            "translation_language": forms.TextInput(attrs={"class": "vSmallField", "size": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_as_of()
        a = self.instance
        self.initial["stated_on"] = dates.serialize_partial_date(a.stated_on, a.stated_on_precision) or ""
        self.initial["period_end"] = dates.serialize_partial_date(a.period_end, a.period_end_precision) or ""
        if self.instance.pk:
            self.initial["occurrence"] = corpus.occurrence_of(self.instance)

    def clean_stated_on(self):
        return self._clean_partial_date("stated_on")

    def clean_period_end(self):
        return self._clean_partial_date("period_end")

    def _check_period(self, cleaned):
        """The service's own check, run here so that a bad period shows on the form rather than failing the save."""
        if self.has_error("as_of") or self.has_error("period_end"):
            return
        self.instance.as_of, self.instance.period_end = cleaned.get("as_of"), cleaned.get("period_end")
        try:
            services.check_timing(self.instance)
        except ValidationError as exc:
            fields = {"period_from": "as_of", "period_to": "period_end"}
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(fields.get(name), message)

    def _check_languages(self, cleaned):
        """The service's language and translation checks, shown on the form's fields."""
        for field in ("language", "translation", "translation_language", "translator"):
            if field in cleaned:
                setattr(self.instance, field, cleaned[field])
        try:
            services.check_languages(self.instance)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)

    def clean(self):
        cleaned = super().clean()
        self._check_period(cleaned)
        source, quote = cleaned.get("source"), cleaned.get("quote")
        if source is None or not (quote or "").strip():
            return cleaned
        occurrence = cleaned.get("occurrence")
        if self.instance.pk and "occurrence" not in self.changed_data and {"quote", "source"} & set(self.changed_data):
            # The occurrence shown belonged to the old quote.
            occurrence = None
        quote = cleaned["quote"] = self.data.get(self.add_prefix("use_passage")) or quote
        self.instance.source, self.instance.quote = source, quote
        try:
            self.instance.locate(occurrence)
        except ValidationError as exc:
            self.add_error(None, exc)
            self._offer_nearest_passage(source, quote)
            return cleaned
        claim = cleaned.get("claim")
        claim_id = claim.pk if claim else self.instance.claim_id
        twin = (
            Assertion.objects.filter(claim_id=claim_id, source=source, start=self.instance.start, end=self.instance.end)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if claim_id and twin is not None:
            self.add_error("quote", f"This claim already cites this passage of “{source.title}” (assertion {twin.pk}).")
        self._check_languages(cleaned)
        return cleaned

    def _offer_nearest_passage(self, source, quote):
        """Beside “does not occur”, a button that saves again with the nearest passage as the quote."""
        if find_occurrences(source.text, quote):
            return  # found: the error was about which occurrence
        nearest = nearest_passage(source.text, quote, limit=len(source.text))
        if nearest and find_occurrences(source.text, nearest):
            self.add_error(
                "quote",
                format_html(
                    '<button type="submit" class="button use-passage" name="{}" value="{}">Use this passage</button>',
                    self.add_prefix("use_passage"),
                    nearest,
                ),
            )


class AssertionInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.errors or self._should_delete_form(form):
                continue
            passage = (form.instance.source_id, form.instance.start, form.instance.end)
            if passage in seen:
                raise ValidationError(
                    f"Two rows cite the same passage of “{form.instance.source.title}” "
                    f"({form.instance.start}–{form.instance.end}); keep one."
                )
            seen[passage] = form


def _passage(obj):
    if not obj or not obj.pk:
        return "Found on save: the quote is located in the source and its offsets stored."
    before, passage, after = obj.in_context()
    return format_html(
        '<span class="passage">{}<mark>{}</mark>{}</span> <span class="offsets">characters {}–{}</span>',
        before,
        passage,
        after,
        obj.start,
        obj.end,
    )


class AssertionInline(admin.TabularInline):
    model = Assertion
    form = AssertionAdminForm
    formset = AssertionInlineFormSet
    fields = (*ROW_FIELDS, "passage", "base_version")
    readonly_fields = ("passage",)
    autocomplete_fields = ("source", "speaker")
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "speaker")

    @admin.display(description="Passage in the source")
    def passage(self, obj):
        return _passage(obj)


@admin.register(Assertion)
class AssertionAdmin(ServiceDeletes, HistoryAdmin):
    form = AssertionAdminForm
    list_display = (
        "quote_excerpt",
        "claim_excerpt",
        "source",
        "speaker",
        "stance",
        "as_of_shown",
        "start",
        "end",
        "updated_at",
    )
    list_filter = ("stance", SourceFilter, "claim__status", ClaimTopicFilter)
    list_select_related = ("claim", "source", "speaker")
    search_fields = ("quote", "claim__text", "claim__key", "source__title", "speaker__name")
    autocomplete_fields = ("claim", "source", "speaker")
    ordering = ("-updated_at", "-id")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("claim", "source", "stance", "quote", "occurrence", "language", "base_version")}),
        ("Who said it, and when", {"fields": ("speaker", "stated_on", "as_of", "period_end")}),
        ("Translation (shown beneath the original)", {"fields": ("translation", "translation_language", "translator")}),
        ("Located in the source", {"fields": ("passage", "start", "end", "version")}),
    )
    readonly_fields = ("passage", "start", "end", "version")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            qs = qs.defer("source__text")
        return qs

    quote_excerpt = excerpt_column("quote", "Quote", ordering="quote")
    claim_excerpt = excerpt_column("claim.text", "Claim", 10, ordering="claim__text")

    @admin.display(description="Period", ordering="as_of")
    def as_of_shown(self, obj):
        return obj.period_display

    @admin.display(description="Passage in the source")
    def passage(self, obj):
        return _passage(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            services.assertion_create_located(assertion=obj, user=request.user)
            return
        changed = bool(changed_fields(request, form))
        services.assertion_update(
            assertion=obj, user=request.user, version=form.cleaned_data["base_version"], changed=changed
        )

    def delete_with(self, obj, user):
        services.assertion_delete(assertion=obj, user=user)

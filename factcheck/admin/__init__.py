"""The data editors' admin.

Every form here runs the same checks as import and the editors' pages: a
quote is located in its source (``Assertion.locate``), offsets are computed,
never typed; a source's new text must still hold every quote that cites it;
an edit based on an out-of-date version is refused rather than applied over
someone else's change. Writes that the editors' pages also make go through
``factcheck.services``. Every change page links to its history.
"""

import json
import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe, require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from factcheck import corpus, dates, services
from factcheck.admin import corpus_views
from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Status, Topic, text_digest

admin.site.site_header = "factcheck data entry"
admin.site.site_title = "factcheck admin"
admin.site.index_title = "Sources, claims and the corpus"

ADMIN_CSS = {"all": ["css/admin.css"]}
# Importing creates and changes sources, topics, claims and assertions, and
# removes assertions a file no longer lists.
IMPORT_PERMISSIONS = [
    *(
        f"factcheck.{action}_{model}"
        for model in ("source", "topic", "claim", "assertion")
        for action in ("add", "change")
    ),
    "factcheck.delete_assertion",
]
EXPORT_PERMISSIONS = [
    "factcheck.view_source",
    "factcheck.view_topic",
    "factcheck.view_claim",
    "factcheck.view_assertion",
]


def _excerpt(text, words=14):
    return Truncator(text).words(words, truncate="…")


# Form pieces shared by several models -----------------------------------------


class PartialDateFormMixin:
    """``as_of`` typed as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and stored as a date plus its precision."""

    def _init_as_of(self):
        self.initial["as_of"] = self.instance.as_of_value or ""

    def clean_as_of(self):
        value = (self.cleaned_data.get("as_of") or "").strip()
        if not value:
            self.instance.as_of_precision = dates.DAY
            return None
        try:
            date, precision = dates.parse_partial_date(value)
        except ValueError as exc:
            raise ValidationError(str(exc)[:1].upper() + str(exc)[1:] + ".") from None
        # Not a form field, so the ModelForm leaves it as set here.
        self.instance.as_of_precision = precision
        return date


def _as_of_field(help_text):
    return forms.CharField(
        required=False,
        max_length=10,
        label="As of",
        help_text=help_text + " YYYY, YYYY-MM or YYYY-MM-DD: only as precise as the text is.",
        widget=forms.TextInput(attrs={"size": 10, "placeholder": "YYYY-MM-DD"}),
    )


class VersionedModelForm(forms.ModelForm):
    """Carries the version the editor started from and refuses a save on top of a newer one.

    Checked in ``clean()`` with the row locked (SELECT … FOR UPDATE; on SQLite
    the IMMEDIATE transaction the admin view runs in holds the write lock), so
    no other save can slip in between the check and the write.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A revert from history starts from an old row; its base is the version current when the page opened.
            self.initial["base_version"] = getattr(self.instance, "_base_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        name = model._meta.verbose_name
        current = (
            model.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True).first()
        )
        submitted = cleaned.get("base_version")
        if current is None:
            raise ValidationError(f"This {name} was deleted while you were editing it. Nothing was saved.")
        if submitted is None:
            raise ValidationError(f"The form lost the version of this {name} it was based on; reload the page.")
        if submitted != current:
            raise ValidationError(
                f"This {name} was changed by someone else while you were editing it: you started from version "
                f"{submitted}, it is now version {current}. Nothing was saved. Open it again to see their change, "
                "then make yours on top.",
                code="stale",
            )
        return cleaned


def _next_version(form):
    return (form.cleaned_data.get("base_version") or form.instance.version) + 1


def _changed_fields(request, form):
    """The model fields this save changes.

    Normally what the editor changed on the form. A revert from history starts
    the form from an old row, so there it is what differs from the current row.
    """
    if not getattr(request, "_factcheck_history_form", False):
        return set(form.changed_data)
    model = type(form.instance)
    current = model.objects.get(pk=form.instance.pk)
    changed = set()
    for name, value in form.cleaned_data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            differs = set(getattr(current, name).values_list("pk", flat=True)) != {obj.pk for obj in value}
        elif field.is_relation:
            differs = getattr(current, field.attname) != (value.pk if value is not None else None)
        else:
            differs = getattr(current, name) != value
        if differs:
            changed.add(name)
    return changed


class HistoryAdmin(SimpleHistoryAdmin):
    """History on every change page; reverts go through this admin's own forms and checks."""

    class Media:
        css = ADMIN_CSS

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "_factcheck_history_form", False) and hasattr(obj, "version"):
            obj._base_version = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first()
        return super().get_form(request, obj, change=change, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._factcheck_history_form = True
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


# Sources ----------------------------------------------------------------------


def _source_formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        # Django 6's default; said now so a bare "example.org" becomes https.
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class SourceAdminForm(PartialDateFormMixin, forms.ModelForm):
    as_of = _as_of_field("The date the document speaks as of, when the text shows it.")

    class Meta:
        model = Source
        fields = "__all__"
        formfield_callback = _source_formfield
        widgets = {
            "text": forms.Textarea(
                attrs={"rows": 30, "cols": 110, "class": "vLargeTextField source-text", "spellcheck": "false"}
            ),
            "notes": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_as_of()
        self.moves = []
        if "text" in self.fields:
            # The text is stored verbatim: no trimming.
            self.fields["text"].strip = False

    def clean_text(self):
        # Browsers send a textarea's line breaks as CRLF whatever the text had.
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if not text.strip():
            raise ValidationError("The full text is required.")
        same = Source.objects.filter(text_sha256=text_digest(text)).exclude(pk=self.instance.pk).first()
        if same is not None:
            raise ValidationError(f"The same text is already stored as “{same.title}” (key {same.key}).")
        if self.instance.pk and text != self.instance.text:
            self.moves, problems = corpus.quotes_after_text_change(self.instance, text)
            if problems:
                raise ValidationError(
                    [f"The new text would break {len(problems)} quote(s); nothing was saved."] + problems
                )
        return text


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    form = SourceAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "title",
        "publisher",
        "kind",
        "language",
        "published",
        "as_of_shown",
        "assertion_count",
        "updated_at",
    )
    list_filter = ("kind", "language")
    search_fields = ("title", "publisher", "author", "key", "text")
    ordering = ("title", "id")
    list_per_page = 50
    fieldsets = (
        ("Document", {"fields": ("title", "key", "publisher", "author", "url")}),
        ("Dates", {"fields": ("published", "as_of")}),
        ("Classification", {"fields": ("kind", "language", "notes")}),
        ("Full text", {"fields": ("text", "text_length")}),
        ("Record", {"fields": ("assertion_count", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request).annotate(assertion_count=Count("assertions"))
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            # The list shows metadata only; full texts can be long.
            qs = qs.defer("text")
        return qs

    def get_readonly_fields(self, request, obj=None):
        readonly = ["text_length", "assertion_count", "created_at", "updated_at"]
        # Keys are how import files refer to a source: stable once made.
        return readonly + ["key"] if obj else readonly

    def get_prepopulated_fields(self, request, obj=None):
        # Not the class attribute: the history (revert) page reads that one for a stored source.
        return {} if obj else {"key": ("title",)}

    @admin.display(description="As of", ordering="as_of")
    def as_of_shown(self, obj):
        return obj.as_of_display

    @admin.display(description="Assertions", ordering="assertion_count")
    def assertion_count(self, obj):
        return getattr(obj, "assertion_count", "—")

    @admin.display(description="Length")
    def text_length(self, obj):
        return f"{len(obj.text):,} characters" if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for assertion, start, end in form.moves:
            assertion.start, assertion.end = start, end
            assertion.version += 1
            assertion._change_reason = "source text changed; quote moved"
            assertion._history_user = request.user
            assertion.save()
        if form.moves:
            self.message_user(
                request,
                f"{len(form.moves)} quote(s) moved with the new text; their offsets were updated.",
                messages.INFO,
            )


# Topics -----------------------------------------------------------------------


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ("title", "slug", "claim_count", "conflict_count", "created_at")
    search_fields = ("title", "slug", "description")
    ordering = ("title", "id")
    actions = ["export_json"]

    def get_readonly_fields(self, request, obj=None):
        # The slug is in public URLs and import files.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("title",)}

    @admin.action(description="Export selected topics as JSON (with their claims and sources)", permissions=["view"])
    def export_json(self, request, queryset):
        return _download("json", topics=list(queryset), name="factcheck-topics")


class ManyChoicesFilter(admin.SimpleListFilter):
    """A filter by a related row of which there may be thousands (topics, sources).

    While there are at most LISTED, each is a link, as in Django's own
    filters. Beyond that a sidebar of links would outweigh the list it filters
    (10,000 topics and 2,000 sources made the claim list 1.2 MB): it shows a
    box that finds them by title, the SHOWN first matches, and the one chosen.
    Subclasses name the ``related`` model and the ``field`` filtered on.
    """

    template = "admin/factcheck/many_choices_filter.html"
    LISTED = 50
    SHOWN = 20
    MAX_ID = 2**63 - 1  # a bigger number cannot be an id, and would overflow SQLite's driver
    related = None
    field = None

    def __init__(self, request, params, model, model_admin):
        self.search_parameter = f"{self.parameter_name}__find"
        found = params.pop(self.search_parameter, None)
        self.search = (found[-1] if isinstance(found, list) else found or "").strip()[:100]
        self.many = self.more = False
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self):
        return [self.parameter_name, self.search_parameter]

    def has_output(self):
        return True  # the box shows even when nothing is listed yet

    def lookups(self, request, model_admin):
        rows = self.related.objects.order_by("title", "id").values_list("pk", "title")
        head = list(rows[: self.LISTED + 1])
        self.many = len(head) > self.LISTED
        if not self.many:
            return head
        found = list(rows.filter(title__icontains=self.search)[: self.SHOWN + 1]) if self.search else []
        self.more = len(found) > self.SHOWN
        found = found[: self.SHOWN]
        chosen = self._chosen_pk()
        if chosen is not None and chosen not in {pk for pk, _ in found}:
            found = list(rows.filter(pk=chosen)) + found
        return found

    def _chosen_pk(self):
        """The chosen id, or ``None`` when there is none or it is no id (not a number, or beyond 64 bits)."""
        try:
            pk = int(self.value()) if self.value() else None
        except ValueError:
            return None
        return pk if pk is not None and 1 <= pk <= self.MAX_ID else None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = self._chosen_pk()
        if chosen is None:
            raise IncorrectLookupParameters(f"{self.title}: “{self.value()}” is not an id.")
        return self.filter_by(queryset, chosen)

    def filter_by(self, queryset, pk):
        return queryset.filter(**{self.field: pk})

    def choices(self, changelist):
        # The find box keeps every other filter (and the search) the list has.
        self.kept_params = [
            (name, value) for name, value in changelist.params.items()
            if name not in (self.parameter_name, self.search_parameter)
        ]
        yield from super().choices(changelist)


class SourceFilter(ManyChoicesFilter):
    """Filter by source, listing titles only: the stock filter would load every full text."""

    title = "source"
    parameter_name = "source"
    related = Source
    field = "source_id"


class TopicFilter(ManyChoicesFilter):
    title = "topic"
    parameter_name = "topic__id__exact"  # the parameter Django's own filter used: old links keep working
    related = Topic
    field = "topic_id"


class ClaimTopicFilter(TopicFilter):
    parameter_name = "claim__topic__id__exact"
    field = "claim__topic_id"


# Assertions -------------------------------------------------------------------


class AssertionAdminForm(PartialDateFormMixin, VersionedModelForm):
    as_of = _as_of_field("Leave blank when the source's own date applies.")
    occurrence = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="Only when the quote occurs more than once in the source: which occurrence (1 = the first).",
        widget=forms.NumberInput(attrs={"class": "vSmallField occurrence"}),
    )

    class Meta:
        model = Assertion
        fields = ["claim", "source", "stance", "quote", "occurrence", "as_of"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3, "cols": 50})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_as_of()
        if self.instance.pk:
            self.initial["occurrence"] = corpus.occurrence_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        source, quote = cleaned.get("source"), cleaned.get("quote")
        if source is None or not (quote or "").strip():
            return cleaned
        occurrence = cleaned.get("occurrence")
        if self.instance.pk and "occurrence" not in self.changed_data and {"quote", "source"} & set(self.changed_data):
            # The occurrence shown belonged to the old quote.
            occurrence = None
        self.instance.source, self.instance.quote = source, quote
        try:
            self.instance.locate(occurrence)
        except ValidationError as exc:
            self.add_error(None, exc)
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
        return cleaned


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
    fields = ("source", "stance", "quote", "occurrence", "as_of", "passage", "base_version")
    readonly_fields = ("passage",)
    autocomplete_fields = ("source",)
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    @admin.display(description="Passage in the source")
    def passage(self, obj):
        return _passage(obj)


@admin.register(Assertion)
class AssertionAdmin(HistoryAdmin):
    form = AssertionAdminForm
    list_display = ("quote_excerpt", "claim_excerpt", "source", "stance", "as_of_shown", "start", "end", "updated_at")
    list_filter = ("stance", SourceFilter, "claim__status", ClaimTopicFilter)
    list_select_related = ("claim", "source")
    search_fields = ("quote", "claim__text", "claim__key", "source__title")
    autocomplete_fields = ("claim", "source")
    ordering = ("-updated_at", "-id")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("claim", "source", "stance", "quote", "occurrence", "as_of", "base_version")}),
        ("Located in the source", {"fields": ("passage", "start", "end", "version")}),
    )
    readonly_fields = ("passage", "start", "end", "version")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            qs = qs.defer("source__text")
        return qs

    @admin.display(description="Quote", ordering="quote")
    def quote_excerpt(self, obj):
        return _excerpt(obj.quote)

    @admin.display(description="Claim", ordering="claim__text")
    def claim_excerpt(self, obj):
        return _excerpt(obj.claim.text, 10)

    @admin.display(description="As of", ordering="as_of")
    def as_of_shown(self, obj):
        return obj.as_of_display

    @admin.display(description="Passage in the source")
    def passage(self, obj):
        return _passage(obj)

    def save_model(self, request, obj, form, change):
        if change and _changed_fields(request, form):
            obj.version = _next_version(form)
        super().save_model(request, obj, form, change)


# Claims -----------------------------------------------------------------------


class ClaimAdminForm(VersionedModelForm):
    class Meta:
        model = Claim
        fields = ["topic", "text", "key", "assigned_to"]

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


class HasConflictFilter(admin.SimpleListFilter):
    title = "conflict"
    parameter_name = "conflict"

    def lookups(self, request, model_admin):
        return [("yes", "In conflict"), ("no", "Not in conflict")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_conflict()
        if self.value() == "no":
            return queryset.exclude(status=Status.CONFLICT)
        return queryset


class CitedBySourceFilter(SourceFilter):
    """Claims with at least one assertion from the chosen source (no duplicate rows)."""

    def filter_by(self, queryset, pk):
        return queryset.citing(pk)


class AssignedFilter(admin.SimpleListFilter):
    title = "assignment"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("anyone", "Assigned to anyone"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assigned_to=request.user)
        if value == "anyone":
            return queryset.filter(assigned_to__isnull=False)
        if value == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    form = ClaimAdminForm
    inlines = [AssertionInline]
    list_display = ("text_excerpt", "topic_excerpt", "status", "sources", "has_conflict", "updated_at")
    list_filter = ("status", HasConflictFilter, TopicFilter, CitedBySourceFilter, AssignedFilter)
    list_select_related = ("topic",)
    search_fields = ("text", "key")
    autocomplete_fields = ("topic", "assigned_to")
    ordering = ("-updated_at", "-id")
    list_per_page = 50
    actions = ["export_csv", "export_json"]
    readonly_fields = ("status", "source_count", "version", "created_at", "updated_at", "public_page")
    fieldsets = (
        (None, {"fields": ("topic", "text", "key", "assigned_to", "base_version")}),
        ("Derived from the assertions", {"fields": ("status", "source_count", "version", "public_page")}),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        return readonly + ["key"] if obj else readonly

    @admin.display(description="Claim", ordering="text")
    def text_excerpt(self, obj):
        return _excerpt(obj.text)

    @admin.display(description="Topic", ordering="topic__title")
    def topic_excerpt(self, obj):
        return _excerpt(obj.topic.title, 8)

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
        changed = _changed_fields(request, form) if change else set()
        if changed == {"assigned_to"}:
            # The editors' "assign" goes through the same service.
            saved = services.claim_assign(
                claim=obj, assignee=obj.assigned_to, version=form.cleaned_data["base_version"], by=request.user
            )
            obj.version = saved.version
            return
        if changed:
            obj.version = _next_version(form)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed() and not formset._should_delete_form(inline_form):
                instance.version = _next_version(inline_form)
            instance._history_user = request.user
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="factcheck_corpus_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="factcheck_corpus_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **_corpus_links(request)}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Export selected claims as CSV (one row per assertion)", permissions=["view"])
    def export_csv(self, request, queryset):
        return _download("csv", claims=list(queryset), name="factcheck-claims")

    @admin.action(description="Export selected claims as JSON (with their topics and sources)", permissions=["view"])
    def export_json(self, request, queryset):
        return _download("json", claims=list(queryset), name="factcheck-claims")

    # Corpus import and export pages.

    # CSRF is checked inside, once the upload's size is known to be within the limit (corpus_views).
    @method_decorator(csrf_exempt)
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def import_view(self, request):
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied(
                "Importing needs permission to add and change sources, topics, claims and assertions."
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Import corpus",
            "opts": self.model._meta,
            "csv_columns": corpus.CSV_COLUMNS,
            "media": self.media,
        }
        return corpus_views.import_page(request, context, message_user=self.message_user)

    @method_decorator(require_safe)
    def export_view(self, request):
        if not request.user.has_perms(EXPORT_PERMISSIONS):
            raise PermissionDenied("Exporting needs permission to view sources, topics, claims and assertions.")
        fmt = request.GET.get("format", "json")
        if fmt not in ("json", "csv"):
            raise BadRequest(f"Bad parameter — format: {fmt[:20]!r} is not one of json, csv.")
        topics = None
        slugs = request.GET.getlist("topic")
        if slugs:
            topics = list(Topic.objects.filter(slug__in=slugs))
            missing = sorted(set(slugs) - {t.slug for t in topics})
            if missing:
                raise Http404(f"There is no topic “{missing[0][:100]}”.")
        return _download(fmt, topics=topics, name="factcheck-corpus" if topics is None else "factcheck-topics")


def _corpus_links(request):
    user = request.user
    return {
        "can_import_corpus": user.has_perms(IMPORT_PERMISSIONS),
        "can_export_corpus": user.has_perms(EXPORT_PERMISSIONS),
    }


def _download(fmt, *, topics=None, claims=None, name):
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        corpus.export_csv(response, topics=topics, claims=claims)
    else:
        data = corpus.export_corpus(topics=topics, claims=claims)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


# Annotations and resolutions: the editors' services do the writing ------------


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
class AnnotationAdmin(HistoryAdmin):
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

    @admin.display(description="Note")
    def note_excerpt(self, obj):
        return _excerpt(obj.body)

    @admin.display(description="Claim", ordering="claim__text")
    def claim_excerpt(self, obj):
        return _excerpt(obj.claim.text, 10)

    @admin.display(description="As readers see it")
    def rendered(self, obj):
        return format_html('<div class="rendered-note">{}</div>', _safe_html(obj.body_html)) if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.annotation_create(
                claim=obj.claim, author=request.user, body=obj.body, assertion=obj.assertion
            )
            obj.pk, obj.author, obj.version = saved.pk, saved.author, saved.version
            return
        version = form.cleaned_data["base_version"]
        changed = _changed_fields(request, form)
        if "is_deleted" in changed and not obj.is_deleted:
            # Restoring a deleted note is a staff power the editors' pages do not have.
            obj.version = version + 1
            obj._history_user = request.user
            obj.save()
            version = obj.version
        if "body" in changed:
            version = services.annotation_update(
                annotation=obj, user=request.user, body=obj.body, version=version
            ).version
        if "is_deleted" in changed and obj.is_deleted:
            version = services.annotation_delete(annotation=obj, user=request.user, version=version).version
        obj.version = version


def _safe_html(html):
    # Rendered by factcheck.markdown, which sanitises with nh3.
    return mark_safe(html)


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
class ResolutionAdmin(HistoryAdmin):
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
        "decided_by",
        "version",
        "created_at",
        "updated_at",
        "base_version",
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["rendered", "decided_by", "version", "created_at", "updated_at"]
        return readonly + ["claim"] if obj else readonly

    @admin.display(description="Claim", ordering="claim__text")
    def claim_excerpt(self, obj):
        return _excerpt(obj.claim.text, 12)

    @admin.display(description="Rationale as readers see it")
    def rendered(self, obj):
        return format_html('<div class="rendered-note">{}</div>', _safe_html(obj.rationale_html)) if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        # The service sets the prevailing assertions itself, in one history row.
        form.save_m2m = lambda: None
        data = form.cleaned_data
        version = data["base_version"] if change else 0
        changed = _changed_fields(request, form) if change else set()
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


# Name aliases for search and the evidence finder (factcheck/search.py): each
# variant finds every other spelling of its canonical name.
from factcheck.models import NameAlias  # noqa: E402


@admin.register(NameAlias)
class NameAliasAdmin(admin.ModelAdmin):
    list_display = ("variant", "canonical", "created_at")
    list_filter = ("canonical",)
    search_fields = ("canonical", "variant")
    ordering = ("canonical", "variant")
    fields = ("canonical", "variant")


# Synonym groups for the evidence finder: their own module, registered on import.
from factcheck import admin_synonyms  # noqa: E402, F401

"""Sources: their metadata and full text, which must keep holding every quote that cites it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count

from factcheck import corpus, services
from factcheck.admin.base import HistoryAdmin, PartialDateFormMixin, ServiceDeletes, as_of_field, changed_fields
from factcheck.admin.speakers import SourceDerivationInline, save_derivations
from factcheck.models import Source, text_digest


def _source_formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        # Django 6's default; said now so a bare "example.org" becomes https.
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class SourceAdminForm(PartialDateFormMixin, forms.ModelForm):
    as_of = as_of_field("The date the document speaks as of, when the text shows it.")

    class Meta:
        model = Source
        # The admin's fieldsets choose the fields shown; the form validates whatever they hold.
        fields = "__all__"  # noqa: DJ007
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
            # Checked here to show on the form; source_update_text checks again under a lock as it saves.
            _, problems = corpus.quotes_after_text_change(self.instance, text)
            if problems:
                raise ValidationError(
                    [f"The new text would break {len(problems)} quote(s); nothing was saved."] + problems
                )
        return text


@admin.register(Source)
class SourceAdmin(ServiceDeletes, HistoryAdmin):
    form = SourceAdminForm
    inlines = [SourceDerivationInline]
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
        if not change:
            # Nothing cites a new source yet: no quotes to move.
            services.source_create(source=obj, user=request.user)
            return
        if "text" not in changed_fields(request, form):
            services.source_update_details(source=obj, user=request.user)
            return
        moves = services.source_update_text(source=obj, text=obj.text, user=request.user)
        if moves:
            self.message_user(
                request,
                f"{len(moves)} quote(s) moved with the new text; their offsets were updated.",
                messages.INFO,
            )

    def get_inline_instances(self, request, obj=None):
        # Origins are recorded on a stored source, where a loop through it can be checked.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_formset(self, request, form, formset, change):
        save_derivations(request, formset)

    def delete_with(self, obj, user):
        services.source_delete(source=obj, user=user)

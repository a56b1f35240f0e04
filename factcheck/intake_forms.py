"""The forms of /sources/add/: the upload or paste, and the metadata of the source to save (also the CLI's)."""

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from factcheck import dates
from factcheck.language_codes import LANGUAGE_CHOICES
from factcheck.models import Source


class IntakeUploadForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text=_(
            "PDF (with a text layer, or scanned: it is read by OCR), HTML saved from a browser, .docx or .txt."
        ),
    )
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), label=_("Or paste the text"), strip=False
    )

    def clean(self):
        data = super().clean()
        has_file, has_text = bool(data.get("file")), bool((data.get("text") or "").strip())
        if has_file == has_text:
            raise forms.ValidationError(_("Drop or choose one file, or paste a text: one of the two."))
        return data


def _max(name):
    return Source._meta.get_field(name).max_length


class SourceMetadataForm(forms.Form):
    """Every value of the new source, pre-filled from what extraction read; the editor may change each."""

    title = forms.CharField(max_length=_max("title"), label=_("Title"))
    author = forms.CharField(max_length=_max("author"), required=False, label=_("Author"))
    publisher = forms.CharField(max_length=_max("publisher"), required=False, label=_("Publisher"))
    published = forms.DateField(
        required=False, label=_("Published"), help_text=_("Publication date, YYYY-MM-DD."), input_formats=["%Y-%m-%d"]
    )
    as_of = forms.CharField(
        required=False,
        label=_("Speaks as of"),
        help_text=_("The date the text speaks as of: YYYY, YYYY-MM or YYYY-MM-DD."),
    )
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.OTHER, label=_("Kind"))
    language = forms.ChoiceField(
        choices=LANGUAGE_CHOICES, label=_("Language"), help_text=_("ISO 639-1; detected from the text.")
    )
    url = forms.URLField(max_length=_max("url"), required=False, label=_("Address (URL)"), assume_scheme="https")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=pgettext_lazy("a source's remarks", "Notes"),
        help_text=_("What the text reveals of its origin."),
    )
    key = forms.CharField(
        max_length=_max("key"),
        required=False,
        label=_("Key"),
        help_text=_("Stable key for import and export; blank: made from the title."),
    )
    confirm_reprint = forms.BooleanField(required=False)

    def clean_as_of(self):
        value = self.cleaned_data["as_of"].strip()
        if not value:
            return None, dates.DAY
        try:
            return dates.parse_partial_date(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if key:
            validate_slug(key)
            if Source.objects.filter(key=key).exists():
                raise forms.ValidationError(_("A source with the key “%(key)s” already exists.") % {"key": key})
        return key

    def source_fields(self):
        """The cleaned values as ``intake_save`` takes them."""
        data = self.cleaned_data
        as_of, precision = data["as_of"]
        names = ("title", "author", "publisher", "published", "kind", "language", "url", "notes", "key")
        return {**{name: data[name] for name in names}, "as_of": as_of, "as_of_precision": precision}


def initial_metadata(job):
    """The form's first values, from what extraction read: a partial publication date becomes "speaks as of"."""
    meta = job.metadata if isinstance(job.metadata, dict) else {}
    published = str(meta.get("published") or "")
    initial = {name: str(meta.get(name) or "") for name in ("title", "author", "publisher", "url")}
    if not initial["title"]:
        initial["title"] = job.filename.rsplit(".", 1)[0] if job.filename else ""
    initial["language"] = str(meta.get("language") or "en")
    initial["as_of"] = published
    try:
        _, precision = dates.parse_partial_date(published)
    except ValueError:
        precision = None
    initial["published"] = published if precision == dates.DAY else ""
    return initial

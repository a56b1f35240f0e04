"""What every model's admin here shares: partial dates, version checks, history reverts through the forms."""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from factcheck import dates

ADMIN_CSS = {"all": ["css/admin.css"]}


def excerpt(text, words=14):
    return Truncator(text).words(words, truncate="…")


def excerpt_column(path, description, words=14, ordering=None):
    """A change list column: the first ``words`` words of ``path`` (``"claim.text"``), sorted by ``ordering``."""

    @admin.display(description=description, ordering=ordering)
    def column(self, obj):
        value = obj
        for name in path.split("."):
            value = getattr(value, name)
        return excerpt(value, words)

    return column


def safe_html(html):
    # Rendered by factcheck.markdown, which sanitises with nh3.
    return mark_safe(html)


class PartialDateFormMixin:
    """``as_of`` typed as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and stored as a date plus its precision."""

    def _init_as_of(self):
        self.initial["as_of"] = self.instance.as_of_value or ""

    def clean_as_of(self):
        return self._clean_partial_date("as_of")

    def _clean_partial_date(self, name, precision_field=None):
        """The typed partial date of field ``name`` as a date; its precision set on the instance."""
        precision_field = precision_field or f"{name}_precision"
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            setattr(self.instance, precision_field, dates.DAY)
            return None
        try:
            date, precision = dates.parse_partial_date(value)
        except ValueError as exc:
            raise ValidationError(str(exc)[:1].upper() + str(exc)[1:] + ".") from None
        # Not a form field, so the ModelForm leaves it as set here.
        setattr(self.instance, precision_field, precision)
        return date


def as_of_field(help_text, label="As of"):
    return forms.CharField(
        required=False,
        max_length=10,
        label=label,
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


def save_inline_rows(formset, *, remove, update, add):
    """An inline's rows through the services: ``remove(obj)``, ``update(obj, form)`` and ``add(form)``.

    ``update`` and ``add`` return the object as saved (a new row, when a change
    replaces the old one). Rows in the order Django's BaseModelFormSet.save
    takes them; fills the lists the admin's change message reads.
    """
    deleting = formset.deleted_forms
    formset.deleted_objects, formset.changed_objects, formset.new_objects = [], [], []
    for form in formset.initial_forms:
        obj = form.instance
        if obj.pk is None:
            continue
        if form in deleting:
            remove(obj)
            formset.deleted_objects.append(obj)
        elif form.has_changed():
            formset.changed_objects.append((update(obj, form), form.changed_data))
    for form in formset.extra_forms:
        if form.has_changed() and form not in deleting:
            formset.new_objects.append(add(form))


class ServiceDeletes:
    """The admin's delete and "delete selected" through the one service its ``delete_with`` names.

    "Delete selected" deletes one object at a time through it, all or none.
    """

    def delete_with(self, obj, user):
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_with(obj, request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_with(obj, request.user)


def changed_fields(request, form):
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

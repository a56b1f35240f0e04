"""A claim's wordings in other languages, inline on the claim, written through the services."""

from django import forms
from django.contrib import admin

from factcheck import services
from factcheck.models import ClaimTranslation


class ClaimTranslationForm(forms.ModelForm):
    class Meta:
        model = ClaimTranslation
        fields = ["language", "text"]
        widgets = {
            "language": forms.TextInput(attrs={"class": "vSmallField", "size": 4}),
            "text": forms.Textarea(attrs={"rows": 2, "cols": 60, "dir": "auto"}),
        }


class ClaimTranslationInline(admin.TabularInline):
    model = ClaimTranslation
    form = ClaimTranslationForm
    fields = ("language", "text")
    extra = 0
    verbose_name = "wording in another language"
    verbose_name_plural = "wordings in other languages"


def save_claim_translations(request, formset):
    """The inline's rows through the services; fills the lists the admin's change message reads."""
    user, deleting = request.user, formset.deleted_forms
    formset.deleted_objects, formset.changed_objects, formset.new_objects = [], [], []
    for form in formset.initial_forms:
        row = form.instance
        if row.pk is None:
            continue
        if form in deleting:
            services.claim_translation_delete(translation=row, user=user)
            formset.deleted_objects.append(row)
        elif form.has_changed():
            if "language" in form.changed_data:
                # A new language is a new wording: the old row goes, as the editor replaced it.
                services.claim_translation_delete(translation=ClaimTranslation.objects.get(pk=row.pk), user=user)
            saved = services.claim_translation_save(
                claim=formset.instance, user=user, language=row.language, text=form.cleaned_data["text"]
            )
            formset.changed_objects.append((saved, form.changed_data))
    for form in formset.extra_forms:
        if form.has_changed() and form not in deleting:
            data = form.cleaned_data
            formset.new_objects.append(
                services.claim_translation_save(
                    claim=formset.instance, user=user, language=data["language"], text=data["text"]
                )
            )

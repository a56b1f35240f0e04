"""A claim's wordings in other languages, inline on the claim, written through the services."""

from django import forms
from django.contrib import admin

from factcheck import services
from factcheck.admin.base import save_inline_rows
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
    """The inline's rows through the translation services."""
    user, claim = request.user, formset.instance

    def update(row, form):
        if "language" in form.changed_data:
            # A new language is a new wording: the old row goes, as the editor replaced it.
            services.claim_translation_delete(translation=ClaimTranslation.objects.get(pk=row.pk), user=user)
        return services.claim_translation_save(
            claim=claim, user=user, language=row.language, text=form.cleaned_data["text"]
        )

    def add(form):
        data = form.cleaned_data
        return services.claim_translation_save(claim=claim, user=user, language=data["language"], text=data["text"])

    save_inline_rows(
        formset,
        remove=lambda row: services.claim_translation_delete(translation=row, user=user),
        update=update,
        add=add,
    )

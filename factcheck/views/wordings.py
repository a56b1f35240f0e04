"""Editors on the claim page: the claim worded for readers of other languages (added, replaced, removed).

A wording is shown beside the claim and found by search; the claim's own
text stays the one checked. Answers as every editor's action does
(views.responses): htmx gets the wordings back in place, a plain form post
is redirected to the claim, bad input is a 422 naming the field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from factcheck import services
from factcheck.language_codes import language_name
from factcheck.models import ClaimTranslation
from factcheck.services.translations import MAX_CLAIM_TRANSLATION_LENGTH
from factcheck.views.common import editor_required, get_claim_for_editing
from factcheck.views.responses import add_service_errors, bad, done, invalid


class WordingForm(forms.Form):
    language = forms.CharField(max_length=10, label=gettext_lazy("Language (ISO 639-1 code, e.g. ru)"))
    # Blank with ``remove``: the wording in that language is removed.
    text = forms.CharField(
        required=False, max_length=MAX_CLAIM_TRANSLATION_LENGTH, widget=forms.Textarea, label=gettext_lazy("Wording")
    )
    remove = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("remove") and not (data.get("text") or "").strip() and "text" not in self.errors:
            self.add_error("text", _("Write the claim as a reader of that language would read it."))
        return data


def wordings_context(claim, *, can_edit, form=None):
    return {
        "claim": claim,
        "wordings": list(claim.translations.all()),
        "can_edit_wordings": can_edit,
        "wording_form": form or WordingForm(),
    }


TEMPLATE = "factcheck/_claim_wordings.html"


def _refused(request, claim, form):
    """422: htmx gets the form back with each field's problem; a plain post or JSON, the problems named."""
    if request.htmx:
        return invalid(request, form, TEMPLATE, wordings_context(claim, can_edit=True, form=form))
    return bad(request, form)


@require_POST
@editor_required("factcheck.change_claim", gettext_lazy("Wording a claim in another language"))
def claim_wordings(request, pk):
    claim = get_claim_for_editing(pk)
    form = WordingForm(request.POST)
    if not form.is_valid():
        return _refused(request, claim, form)
    data = form.cleaned_data
    language = data["language"].strip()
    try:
        if data["remove"]:
            found = ClaimTranslation.objects.filter(claim=claim, language=language).first()
            if found is not None:
                services.claim_translation_delete(translation=found, user=request.user)
            message = _("Removed the claim's %(language)s wording.")
        else:
            services.claim_translation_save(claim=claim, user=request.user, language=language, text=data["text"])
            message = _("Saved the claim's %(language)s wording.")
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _refused(request, claim, form)
    context = wordings_context(claim, can_edit=True)
    return done(
        request,
        to=claim.get_absolute_url(),
        message=message % {"language": language_name(language)},
        json_data={"translations": [{"language": w.language, "text": w.text} for w in context["wordings"]]},
        partial=TEMPLATE,
        context=context,
    )

"""Editors on the claim page: remove a statement from the claim, and undo that in place.

The card is replaced by "Removed. Undo"; Undo puts the same card back
(same id, quote, offsets, attribution, notes). Both answer as the other
editors' actions do (views.responses): htmx gets the partial, with the
columns' counts and the claim's status swapped out of band; a plain form post
is redirected to the claim; a stale version is a 409 with the current state.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from factcheck import services
from factcheck.forms import VersionForm
from factcheck.models import Assertion, Claim
from factcheck.selectors.claims import column_counts
from factcheck.shapes import assertion_state_json, claim_state_json, conflict_json, error_json
from factcheck.views.attribution import _card_context
from factcheck.views.common import editor_required, get_or_404, wants_json
from factcheck.views.responses import bad, done


class RestoreForm(forms.Form):
    removal = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={"required": gettext_lazy("Missing: the removal to undo, as the “Undo” button sends it.")},
    )


def _refused(request, status, message, current=None):
    """409 or 422 with a message; htmx gets it where the card was (409 and 422 are swapped, see base.html)."""
    if wants_json(request):
        return JsonResponse(error_json(message, status), status=status)
    context = {"status": status, "message": message}
    if request.htmx:
        if current is not None:
            context = {**_card_context(request, current), **context}
        return render(request, "factcheck/_assertion_refused.html", context, status=status)
    return render(request, "error.html", {**context, "title": _("Not saved")}, status=status)


@require_POST
@editor_required("factcheck.delete_assertion", gettext_lazy("Removing a statement from a claim"))
def assertion_remove(request, pk):
    # Gone is a 404 whatever was posted, as on the other editors' actions.
    assertion = get_or_404(Assertion.objects.select_related("source", "claim"), "assertion", pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return bad(request, form)
    claim, source_title = assertion.claim, assertion.source.title
    try:
        removal = services.assertion_remove(
            assertion=assertion, user=request.user, version=form.cleaned_data["version"]
        )
    except services.StaleEdit as exc:
        return _stale(request, exc, pk, str(exc))
    except ValidationError as exc:
        return _refused(request, 422, " ".join(exc.messages), _current(pk))
    claim = Claim.objects.get(pk=claim.pk)
    if not request.htmx and not wants_json(request):
        # A page rather than a redirect: without JavaScript too, Undo is one click away.
        context = {"pk": pk, "removal": removal, "source_title": source_title, "claim": claim}
        return render(request, "factcheck/assertion_removed.html", context)
    return done(
        request,
        to=claim.get_absolute_url(),
        message=_("Removed the passage of “%(title)s” from this claim.") % {"title": source_title},
        json_data={"removed": pk, "removal": removal, "claim": claim_state_json(claim)},
        partial="factcheck/_assertion_removed.html",
        context={
            "pk": pk,
            "removal": removal,
            "source_title": source_title,
            "claim": claim,
            "column_counts": column_counts(claim),
        },
    )


@require_POST
@editor_required("factcheck.delete_assertion", gettext_lazy("Undoing the removal of a statement"))
def assertion_restore(request, pk):
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return bad(request, form)
    try:
        assertion = services.assertion_restore(assertion_id=pk, removal=form.cleaned_data["removal"], user=request.user)
    except services.StaleEdit as exc:
        message = _("Nothing to undo: this removal was undone already, or the statement changed since.")
        return _stale(request, exc, pk, message)
    except services.AssertionExists:
        return _refused(request, 409, _("The same passage was attached to this claim again since; nothing to undo."))
    except ValidationError as exc:
        return _refused(request, 422, " ".join(exc.messages))
    assertion = _current(assertion.pk)
    context = {**_card_context(request, assertion), "column_counts": column_counts(assertion.claim)}
    return done(
        request,
        to=f"{assertion.claim.get_absolute_url()}#assertion-{assertion.pk}",
        message=_("Put the passage of “%(title)s” back on this claim.") % {"title": assertion.source.title},
        json_data=assertion_state_json(assertion),
        partial="factcheck/_assertion_restored.html",
        context=context,
    )


def _stale(request, exc, pk, message):
    """409: JSON gets the statement as it is now (null if gone), htmx and pages ``message``."""
    current = _current(pk)
    if wants_json(request):
        return JsonResponse(conflict_json(exc, assertion_state_json(current) if current else None), status=409)
    return _refused(request, 409, message, current)


def _current(pk):
    return Assertion.objects.select_related("source", "speaker", "claim__topic").filter(pk=pk).first()

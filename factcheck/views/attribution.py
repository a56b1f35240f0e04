"""Editors on the claim page: who said a statement, when, about what period; whether the claim is an event or a state.

Both answer as every editor's action does (views.responses): htmx gets the
card or the header back in place, a plain form post is redirected to the
claim, a stale version is a 409 with the current state, bad input a 422.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from factcheck import services
from factcheck.attribution_forms import AttributionForm, ClaimKindForm
from factcheck.models import Assertion, ClaimKind, Resolution
from factcheck.selectors.claims import column_counts
from factcheck.selectors.notes import thread_notes
from factcheck.selectors.speakers import speaker_names
from factcheck.shapes import assertion_state_json, claim_state_json
from factcheck.views.common import editor_required, get_claim_for_editing, get_or_404
from factcheck.views.responses import add_service_errors, bad, conflict, done, invalid


def _get_assertion(pk):
    return get_or_404(Assertion.objects.select_related("source", "speaker", "claim__topic"), "assertion", pk=pk)


def _card_context(request, assertion):
    """What the card partial needs to render one assertion in place of the form, as the claim page shows it."""
    claim = assertion.claim
    assertion.notes = thread_notes(request.user, claim, assertion)
    resolution = Resolution.objects.filter(claim=claim, is_open=False).first()
    assertion.prevails = resolution is not None and resolution.prevailing.filter(pk=assertion.pk).exists()
    return {
        "a": assertion,
        "claim": claim,
        "can_attribute": request.user.has_perm("factcheck.change_assertion"),
        "can_annotate": request.user.has_perm("factcheck.add_annotation"),
        "oob": True,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.change_assertion", gettext_lazy("Changing who said a statement and when"))
def assertion_attribution(request, pk):
    assertion = _get_assertion(pk)
    template = "factcheck/_attribution_form.html" if request.htmx else "factcheck/attribution_form.html"
    context = {"a": assertion, "claim": assertion.claim, "speaker_names": speaker_names()}
    if request.method != "POST":
        if request.GET.get("cancel") and request.htmx:
            return render(request, "factcheck/_assertion_card.html", _card_context(request, assertion))
        form = AttributionForm(initial=AttributionForm.initial_for(assertion))
        return render(request, template, {**context, "form": form})
    form = AttributionForm(request.POST)
    if not form.is_valid():
        return invalid(request, form, template, context)
    data = form.cleaned_data
    new_speaker = (data["new_speaker"], data["new_speaker_kind"]) if data["new_speaker"] else None
    stance_before = assertion.stance
    # A form without the language fields (an older page, a script) leaves them as they are.
    languages = {}
    if "language" in request.POST:
        languages["language"] = data["language"]
    if "translation" in request.POST:
        translator = data["translator"].strip()
        if data["translation"].strip() and not translator:
            translator = request.user.get_full_name() or request.user.get_username()
        languages["translation"] = (data["translation"], data["translation_language"], translator)
    try:
        assertion = services.assertion_attribute(
            assertion=assertion,
            version=data["version"],
            stance=data["stance"] or None,
            speaker=data["speaker"],
            new_speaker=new_speaker,
            stated_on=data["stated_on"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            user=request.user,
            **languages,
        )
    except services.StaleEdit as exc:
        current = exc.current
        again = AttributionForm(
            initial={**request.POST.dict(), "version": current.version} if current is not None else None
        )
        context = {"kind": "attribution", "claim": assertion.claim, "a": assertion, "form": again}
        return conflict(request, exc, {**context, "speaker_names": speaker_names()})
    except ValidationError as exc:
        add_service_errors(form, exc)
        return invalid(request, form, template, context)
    assertion = _get_assertion(assertion.pk)
    moved = assertion.stance != stance_before
    context = _card_context(request, assertion)
    if moved:  # the card leaves its column for its new one, the columns' counts with it
        context["column_counts"] = column_counts(assertion.claim)
    return done(
        request,
        to=f"{assertion.claim.get_absolute_url()}#assertion-{assertion.pk}",
        message=_("Saved the stance of the passage of “%(title)s”, who said it and when.")
        % {"title": assertion.source.title},
        json_data=assertion_state_json(assertion),
        partial="factcheck/_assertion_moved.html" if moved else "factcheck/_assertion_card.html",
        context=context,
    )


@require_POST
@editor_required("factcheck.change_claim", gettext_lazy("Setting whether a claim is an event or a state"))
def claim_kind(request, pk):
    claim = get_claim_for_editing(pk)
    form = ClaimKindForm(request.POST)
    if not form.is_valid():  # only a tampered form: the page offers the two kinds and the version
        return bad(request, form)
    data = form.cleaned_data
    try:
        claim = services.claim_set_kind(claim=claim, kind=data["kind"], version=data["version"], user=request.user)
    except services.StaleEdit as exc:
        return conflict(request, exc, {"kind": "claim-kind", "claim": exc.current or claim, "choice": data["kind"]})
    claim = get_claim_for_editing(claim.pk)
    return done(
        request,
        to=claim.get_absolute_url(),
        message=_("This claim is now %(kind)s.") % {"kind": ClaimKind(claim.kind).label.lower()},
        json_data=claim_state_json(claim),
        partial="factcheck/_claim_kind.html",
        # The status and the assignment form (it carries the claim's version) come along, swapped out of band.
        context={"claim": claim, "can_set_kind": True, "oob": True, "can_assign": True},
    )

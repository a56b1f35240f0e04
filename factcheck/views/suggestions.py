"""What a source speaks to: its suggestions on the source page, the editors' decisions, and the JSON API.

Editors and staff only. Suggestions are unreviewed machine matches, not
facts: a reader sees neither the section nor the API (anonymous → login or
401, a reader → 403). Every decision is a POST carrying the passage the
editor saw; bad input is answered 422 beside the form (400 without htmx).
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from factcheck import services
from factcheck.forms import describe_errors
from factcheck.models import Assertion, Source, Stance, Suggestion, SuggestionRun, SuggestionState, Topic
from factcheck.services import suggestions as decisions
from factcheck.shapes import error_json, suggestion_json
from factcheck.suggestions.forms import AcceptForm, DecisionForm, NewClaimForm
from factcheck.views.common import editor_required, get_or_404
from factcheck.views.write_api import _Refused, _user

SHOWN = 50  # suggestions listed, best first
SHOWN_NEW = 20  # possible new claims listed
TOPICS = 1000  # topics offered in the new claim form's list (any slug or title is accepted)
PERM = "factcheck.add_assertion"
DOING = gettext_lazy("Reviewing what a document speaks to")
# What a "Find" or "Match again" form saw: no run yet, or a run's state.
RUN_STATES = ("none", *SuggestionRun.State.values)


def _open(source):
    return Suggestion.objects.filter(source=source, state=SuggestionState.OPEN, digest=source.text_sha256)


def _open_for_claims(source):
    """Open suggestions of existing claims, less those attached since they were computed (by any path)."""
    attached = Assertion.objects.filter(
        source_id=OuterRef("source_id"),
        claim_id=OuterRef("claim_id"),
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    return _open(source).filter(claim__isnull=False).exclude(Exists(attached))


def _open_new_claims(source):
    """Open possible new claims, less passages quoted on any claim since."""
    quoted = Assertion.objects.filter(
        source_id=OuterRef("source_id"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
    )
    return _open(source).filter(claim__isnull=True).exclude(Exists(quoted))


def suggestions_context(source):
    """The section's state and rows: claims suggested best first, then possible new claims (three queries).

    ``source`` comes with its ``suggestion_run`` (or none) already joined in.
    Until a run has finished the rows are not worth a query: the section says
    it is still matching, and polls.
    """
    run = getattr(source, "suggestion_run", None)
    if run is not None and run.is_pending:
        return {"source": source, "run": run, "pending": True}
    order = ("-score", "start", "claim_id")
    suggestions = list(_open_for_claims(source).select_related("claim", "speaker").order_by(*order)[:SHOWN])
    new_claims = list(_open_new_claims(source).select_related("speaker").order_by(*order)[:SHOWN_NEW])
    for s in suggestions + new_claims:
        s.quote = source.text[s.start : s.end]
    return {
        "source": source,
        "run": run,
        "failed": run is not None and run.has_failed,
        "unmatched": run is None and not suggestions and not new_claims,
        "suggestions": suggestions,
        "new_claims": new_claims,
        "stances": Stance.choices,
        "topics": list(Topic.objects.order_by("title").values_list("slug", "title")[:TOPICS]),
    }


@require_safe
@editor_required(PERM, DOING)
def source_suggestions(request, pk):
    source = get_or_404(Source.objects.select_related("suggestion_run"), "source", pk=pk)
    context = suggestions_context(source)
    if request.htmx:
        return render(request, "factcheck/_suggestion_list.html", context)
    return render(request, "factcheck/source_suggestions.html", context)


@require_POST
@editor_required(PERM, DOING)
def source_match(request, pk):
    """Queue matching the source against the claims: first time (seed, admin), or again after a failure.

    The form says which state its editor saw (``seen``): if the run has moved
    on since (another editor queued it, it finished), nothing is queued and
    the section shows where it stands now.
    """
    source = get_or_404(Source.objects.select_related("suggestion_run"), "source", pk=pk)
    seen = request.POST.get("seen", "")
    if seen not in RUN_STATES:
        raise BadRequest(_("Not queued — seen: expected one of %(states)s.") % {"states": ", ".join(RUN_STATES)})
    run = getattr(source, "suggestion_run", None)
    if seen == (run.state if run is not None else "none"):
        decisions.matching_queue(source=source)
    if request.htmx:
        # Fresh from the database: the immediate backend may have run the task already.
        source = Source.objects.select_related("suggestion_run").get(pk=source.pk)
        return render(request, "factcheck/_suggestion_list.html", suggestions_context(source))
    messages.success(request, _("Matching this document against the claims."))
    return redirect(f"{reverse('source-detail', args=[source.pk])}#suggestions")


def _get_suggestion(pk):
    return get_or_404(Suggestion.objects.select_related("source", "claim", "speaker"), "suggestion", pk=pk)


def _refuse(request, suggestion, status, message):
    """422 beside the entry's forms with htmx (it swaps 409 and 422 only), which keep their choices; else a page."""
    if request.htmx:
        response = render(
            request,
            "factcheck/_suggestion_refused.html",
            {"suggestion": suggestion, "error": message},
            status=422 if status == 400 else status,
        )
        response["HX-Retarget"] = f"#suggestion-{suggestion.pk} .suggestion-error"
        response["HX-Reswap"] = "innerHTML"
        return response
    if status == 400:
        raise BadRequest(message)
    return render(request, "error.html", {"status": status, "title": _("Not done"), "message": message}, status=status)


def _describe(exc):
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())


def _done(request, suggestion, assertion, message):
    """``message``: what was done, with ``%(claim)s`` for the claim's words."""
    if request.htmx:
        return render(request, "factcheck/_suggestion_done.html", {"suggestion": suggestion, "assertion": assertion})
    messages.success(request, message % {"claim": assertion.claim.text[:80]})
    return redirect(f"{reverse('source-detail', args=[suggestion.source_id])}#suggestions")


def _decide(request, suggestion, form, decide, fields, *, not_done, done):
    """Check ``form``, then ``decide`` with its ``fields``: the answer every decision that makes an assertion gives.

    ``not_done`` words a refusal, with ``%(why)s`` for the reason; ``done``
    what was done, with ``%(claim)s`` for the claim's words.
    """
    if not form.is_valid():
        return _refuse(request, suggestion, 400, not_done % {"why": describe_errors(form)})
    data = form.cleaned_data
    try:
        assertion = decide(suggestion=suggestion, user=request.user, **{name: data[name] for name in fields})
    except ValidationError as exc:
        return _refuse(request, suggestion, 400, not_done % {"why": _describe(exc)})
    except decisions.SuggestionDecided as exc:
        return _refuse(request, suggestion, 409, str(exc))
    except services.AssertionExists:
        return _refuse(request, suggestion, 409, _("This passage is already an assertion of this claim."))
    return _done(request, suggestion, assertion, done)


@require_POST
@editor_required(PERM, DOING)
def suggestion_accept(request, pk):
    """The suggested passage as a verified assertion of the claim, with the stance, speaker and period chosen."""
    suggestion = _get_suggestion(pk)
    return _decide(
        request,
        suggestion,
        AcceptForm(request.POST, suggestion),
        decisions.suggestion_accept,
        ("stance", "speaker", "period_from", "period_to"),
        not_done=_("Not added — %(why)s"),
        done=_("Added to “%(claim)s”."),
    )


@require_POST
@editor_required(PERM, DOING)
def suggestion_reject(request, pk):
    """Hide the suggestion for good: recomputing remembers it."""
    suggestion = _get_suggestion(pk)
    form = DecisionForm(request.POST, suggestion)
    if not form.is_valid():
        return _refuse(request, suggestion, 400, _("Not rejected — %(why)s") % {"why": describe_errors(form)})
    try:
        decisions.suggestion_reject(suggestion=suggestion, user=request.user)
    except decisions.SuggestionDecided as exc:
        return _refuse(request, suggestion, 409, str(exc))
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Rejected: it will not be suggested again."))
    return redirect(f"{reverse('source-detail', args=[suggestion.source_id])}#suggestions")


@require_POST
@editor_required("factcheck.add_claim", gettext_lazy("Creating a claim from a document"))
def suggestion_create_claim(request, pk):
    """A claim in the editor's words, with the suggested passage as its first assertion."""
    suggestion = _get_suggestion(pk)
    if not request.user.has_perm(PERM):
        raise PermissionDenied(
            _("%(doing)s is for editors; your account is not in the Editors group.") % {"doing": DOING}
        )
    return _decide(
        request,
        suggestion,
        NewClaimForm(request.POST, suggestion),
        decisions.suggestion_create_claim,
        ("topic", "text", "stance", "kind", "speaker"),
        not_done=_("Not created — %(why)s"),
        done=_("Created “%(claim)s”."),
    )


@require_safe
def source_suggestions_api(request, pk):
    """Editors' read, by session or API token (the page shows the same): best first."""
    if request.user.is_authenticated and "Authorization" not in request.headers:
        if not request.user.has_perm(PERM):
            return JsonResponse(error_json(f"{DOING} needs the permission “{PERM}”.", 403), status=403)
    else:
        try:
            _user(request, PERM, DOING)
        except _Refused as refused:
            return refused.response
    source = Source.objects.filter(pk=pk).only("id", "text", "text_sha256").first()
    if source is None:
        return JsonResponse(error_json(f"There is no source with id {pk}.", 404), status=404)
    rows = _open_for_claims(source).select_related("claim", "speaker").order_by("-score", "start", "claim_id")
    return JsonResponse({"results": [suggestion_json(s, source.text) for s in rows[:SHOWN]]})

"""Editors' decisions on a claim: resolve it (or revise the resolution), reopen it, assign it.

Each action is a POST with CSRF, a login and a permission (views.common) and
answers as every editor's action does (views.responses).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from factcheck import markdown, services
from factcheck.forms import ReopenForm, ResolutionForm, VersionForm
from factcheck.models import Resolution, Verdict
from factcheck.roles import PUBLISH_DECISION, can_publish
from factcheck.shapes import claim_state_json, resolution_json
from factcheck.views.common import editor_required, get_claim_for_editing, safe_next
from factcheck.views.responses import add_service_errors, bad, conflict, done, invalid


def _get_resolution(claim):
    return Resolution.objects.select_related("decided_by").filter(claim=claim).first()


def _resolution_initial(resolution):
    if resolution is None:
        return {"version": 0}
    return {
        "verdict": resolution.verdict,
        "rationale": resolution.rationale,
        "prevailing": list(resolution.prevailing.values_list("pk", flat=True)),
        "no_prevailing_reason": resolution.no_prevailing_reason,
        "version": resolution.version,
    }


def _asked_initial(request, resolution):
    """The form's initial values; ``?verdict=`` asks for that verdict with its side pre-ticked (no JS needed)."""
    initial = _resolution_initial(resolution)
    asked = request.GET.get("verdict")
    if asked in Verdict.values and asked != initial.get("verdict"):
        initial["verdict"] = asked
        initial.pop("prevailing", None)  # the form pre-ticks the side the verdict takes
    return initial


def _current_prevailing(resolution):
    return list(resolution.prevailing.select_related("source")) if resolution else []


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.add_resolution", gettext_lazy("Resolving claims"))
def claim_resolve(request, pk):
    claim = get_claim_for_editing(pk)
    resolution = _get_resolution(claim)
    if resolution is not None and not request.user.has_perm("factcheck.change_resolution"):
        raise PermissionDenied("Revising a resolution is for editors; your account is not in the Editors group.")
    template = "factcheck/_resolution_form.html" if request.htmx else "factcheck/resolution_form.html"
    context = {"claim": claim, "resolution": resolution}
    if request.method == "GET":
        form = ResolutionForm(initial=_asked_initial(request, resolution), claim=claim)
        return render(request, template, {**context, "form": form, "prevailing_by_verdict": form.prevailing_by_verdict})
    form = ResolutionForm(request.POST, claim=claim)
    if not form.is_valid():
        return invalid(request, form, template, context)
    data = form.cleaned_data
    try:
        resolution = services.resolution_save(
            claim=claim,
            user=request.user,
            verdict=data["verdict"],
            rationale=data["rationale"],
            prevailing=list(data["prevailing"]),
            version=data["version"],
            no_prevailing_reason=data["no_prevailing_reason"],
        )
    except services.StaleEdit as exc:
        current = exc.current
        again = ResolutionForm(
            initial={
                **_resolution_initial(current),
                "verdict": data["verdict"],
                "rationale": data["rationale"],
                "prevailing": [a.pk for a in data["prevailing"]],
            },
            claim=claim,
        )
        return conflict(
            request,
            exc,
            {
                "kind": "resolution",
                "claim": claim,
                "current_prevailing": _current_prevailing(current),
                "mine": data,
                "mine_verdict_label": dict(form.fields["verdict"].choices)[data["verdict"]],
                "mine_html": markdown.render(data["rationale"]),
                "form": again,
            },
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return invalid(request, form, template, context)
    published = "" if resolution.is_published else " " + _("It is a draft until another editor approves it.")
    return done(
        request,
        to=f"{claim.get_absolute_url()}#resolution",
        message=_("Resolved: %(verdict)s.") % {"verdict": resolution.get_verdict_display()} + published,
        json_data=resolution_json(resolution),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.change_resolution", gettext_lazy("Reopening claims"))
def claim_reopen(request, pk):
    """GET: what reopening will change, and the button (the no-JavaScript confirmation); POST: reopen."""
    claim = get_claim_for_editing(pk)
    resolution = _get_resolution(claim)
    if resolution is None:
        raise Http404(f"Claim {claim.pk} has no resolution to reopen.")
    if request.method != "POST":
        return render(
            request,
            "factcheck/confirm_reopen.html",
            {"claim": claim, "resolution": resolution, "reason": request.GET.get("reason", "")[:100]},
        )
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return bad(request, form)
    reason = form.cleaned_data["reason"]
    try:
        resolution = services.resolution_reopen(
            claim=claim, user=request.user, version=form.cleaned_data["version"], reason=reason
        )
    except services.StaleEdit as exc:
        return conflict(
            request,
            exc,
            {
                "kind": "reopen",
                "claim": claim,
                "current_prevailing": _current_prevailing(exc.current),
                "reason": reason,
            },
        )
    return done(
        request,
        to=f"{claim.get_absolute_url()}#resolution",
        message=_("Reopened: the claim’s status follows its sources again."),
        json_data=resolution_json(resolution),
    )


def _posted_choice(request, form, name, choices):
    """The POSTed ``name`` (absent: the first of ``choices``); any other value is an error on ``form``."""
    value = request.POST.get(name, choices[0])
    if value not in choices:
        form.is_valid()
        form.add_error(None, f"{name} must be {' or '.join(f'“{c}”' for c in choices)}, not “{value[:40]}”.")
    return value


@require_POST
@editor_required("factcheck.change_claim", gettext_lazy("Assigning claims"))
def claim_assign(request, pk):
    """Assign the claim to the requesting editor (``assignee=me``) or to nobody (``assignee=nobody``)."""
    claim = get_claim_for_editing(pk)
    form = VersionForm(request.POST)
    choice = _posted_choice(request, form, "assignee", ("me", "nobody"))
    if not form.is_valid():
        return bad(request, form)
    assignee = request.user if choice == "me" else None
    next_url = safe_next(request, request.POST.get("next")) or claim.get_absolute_url()
    try:
        claim = services.claim_assign(
            claim=claim, assignee=assignee, version=form.cleaned_data["version"], by=request.user
        )
    except services.StaleEdit as exc:
        return conflict(
            request, exc, {"kind": "assignment", "claim": exc.current or claim, "choice": choice, "next": next_url}
        )
    claim = get_claim_for_editing(claim.pk)
    return done(
        request,
        to=next_url,
        message=_("Assigned to you.") if assignee else _("Unassigned."),
        json_data=claim_state_json(claim),
        partial="factcheck/_assignment.html",
        context={"claim": claim, "can_assign": True, "next": next_url},
    )


@require_POST
@editor_required(PUBLISH_DECISION, "Approving decisions")
def claim_approve(request, pk):
    """A second editor approves the draft decision (``action=approve``) or sends it back with a ``comment``."""
    claim = get_claim_for_editing(pk)
    resolution = _get_resolution(claim)
    if resolution is None:
        raise Http404(f"Claim {claim.pk} has no decision to approve.")
    if not can_publish(request.user, resolution):
        raise PermissionDenied(_("A different editor approves a decision: you made this one."))
    form = VersionForm(request.POST)
    action = _posted_choice(request, form, "action", ("approve", "send-back"))
    if not form.is_valid():
        return bad(request, form)
    version = form.cleaned_data["version"]
    try:
        if action == "approve":
            resolution = services.resolution_approve(claim=claim, user=request.user, version=version)
        else:
            resolution = services.resolution_send_back(
                claim=claim, user=request.user, version=version, comment=request.POST.get("comment", "")
            )
    except services.StaleEdit as exc:
        return conflict(
            request,
            exc,
            {
                "kind": "approval",
                "claim": claim,
                "current_prevailing": _current_prevailing(exc.current),
                "sending_back": action == "send-back",
            },
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                form.add_error(None, f"{field}: {message}" if field not in ("resolution", "__all__") else message)
        return bad(request, form)
    message = (
        _("Approved: the verdict is public.") if action == "approve" else _("Sent back to the editor who decided it.")
    )
    return done(
        request,
        to=f"{claim.get_absolute_url()}#resolution",
        message=message,
        json_data=resolution_json(resolution),
    )

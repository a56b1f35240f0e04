"""Editors' pages and actions: notes, resolutions, assignment, history and the review queue.

Every action is a POST with CSRF, needs a login (anonymous: to the login
page) and a permission (without it: 403). Each answers three ways: htmx gets
the partial to swap in, ``Accept: application/json`` gets JSON, and a plain
form post is redirected (or, on a stale edit, shown both versions). A stale
edit is always a 409 carrying the current state, never a silent overwrite.
"""

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from factcheck import markdown, services
from factcheck.cache import cached_page
from factcheck.forms import (
    NewNoteForm,
    NoteEditForm,
    ResolutionForm,
    ReviewFilterForm,
    VersionForm,
    cleaned_or_400,
    describe_errors,
    paginate,
)
from factcheck.history import KINDS, claim_timeline, deletion_marks, history_keys, latest_reopening
from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Status, Topic
from factcheck.roles import MODERATORS, REVERT_HISTORY, can_change_note, can_revert_history
from factcheck.views.common import get_or_404

# How many entries of the timeline the claim page shows; the rest are on the history page.
TIMELINE_ON_CLAIM_PAGE = 20
# Entries per page of the history page: a long history costs its readers no more than this.
HISTORY_PAGE_SIZE = 50


# Access


def _wants_json(request):
    return not request.htmx and "application/json" in request.headers.get("Accept", "")


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _login_redirect(request):
    """To the login page, coming back to the page the editor was on (a POST-only URL would 405)."""
    if request.method == "GET":
        next_url = request.get_full_path()
    else:
        next_url = (
            _safe_next(request, request.POST.get("next"))
            or _safe_next(request, request.headers.get("HX-Current-URL"))
            or request.get_full_path()
        )
    if _wants_json(request):
        return JsonResponse({"error": "Log in first: this is an editor's action.", "status": 401}, status=401)
    if request.htmx:
        return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?next={quote(next_url)}")
    return redirect_to_login(next_url)


def editor_required(perm, doing):
    """Logged in (else the login page) and holding ``perm`` (else 403 saying what was refused)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _login_redirect(request)
            if not request.user.has_perm(perm):
                raise PermissionDenied(
                    f"{doing} is for editors; your account is not in the Editors group. Ask an administrator."
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def staff_required(doing, perm=None, granted_by=""):
    """Logged in (else the login page), staff, and holding ``perm`` if given (else 403 saying what was refused)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _login_redirect(request)
            if not request.user.is_staff:
                raise PermissionDenied(f"{doing} is for staff only.")
            if perm and not request.user.has_perm(perm):
                raise PermissionDenied(
                    f"{doing} needs the permission “{perm}”, which your account does not have. "
                    f"Ask an administrator{granted_by}."
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _get_claim(pk):
    return get_or_404(Claim.objects.select_related("topic", "assigned_to"), "claim", pk=pk)


def _get_note_for_user(request, pk, perm):
    note = get_or_404(
        Annotation.objects.select_related("author", "claim", "assertion__source").defer("assertion__source__text"),
        "note",
        pk=pk,
    )
    if not can_change_note(request.user, note, perm):
        raise PermissionDenied(f"Only the note’s author ({note.author.get_username()}) or staff can change it.")
    return note


def _get_resolution(claim):
    return Resolution.objects.select_related("decided_by").filter(claim=claim).first()


# State as JSON: what a 409 carries, and what a JSON client gets back on success.


def note_json(note):
    return {
        "id": note.pk,
        "claim": note.claim_id,
        "assertion": note.assertion_id,
        "author": note.author.get_username(),
        "body": note.body,
        "body_html": note.body_html,
        "is_deleted": note.is_deleted,
        "version": note.version,
        "updated_at": note.updated_at.isoformat(),
    }


def resolution_json(resolution):
    return {
        "claim": resolution.claim_id,
        "verdict": resolution.verdict,
        "verdict_label": resolution.get_verdict_display(),
        "rationale": resolution.rationale,
        "rationale_html": resolution.rationale_html,
        "prevailing": sorted(resolution.prevailing.values_list("pk", flat=True)),
        "decided_by": resolution.decided_by.get_username(),
        "is_open": resolution.is_open,
        "version": resolution.version,
        "updated_at": resolution.updated_at.isoformat(),
    }


def claim_state_json(claim):
    return {
        "id": claim.pk,
        "text": claim.text,
        "status": claim.status,
        "assigned_to": claim.assigned_to.get_username() if claim.assigned_to else None,
        "version": claim.version,
    }


def assertion_state_json(assertion):
    return {
        "id": assertion.pk,
        "claim": assertion.claim_id,
        "source": assertion.source_id,
        "stance": assertion.stance,
        "quote": assertion.quote,
        "start": assertion.start,
        "end": assertion.end,
        "version": assertion.version,
    }


def _state_json(obj):
    if obj is None:
        return None
    return {
        Annotation: note_json,
        Resolution: resolution_json,
        Claim: claim_state_json,
        Assertion: assertion_state_json,
    }[type(obj)](obj)


# Answers


def _invalid(request, form, template, context):
    """Bad input: 422 with every field's problem, nothing written."""
    if _wants_json(request):
        fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        return JsonResponse(
            {"error": f"Not saved — {describe_errors(form)}", "status": 422, "fields": fields}, status=422
        )
    return render(request, template, {**context, "form": form}, status=422)


def _bad(request, form):
    """A tampered or missing hidden field (version, assignee): 422 naming it, nothing written."""
    problems = "; ".join(
        " ".join(str(m) for m in errors) if name == "__all__" else f"{name}: {' '.join(str(m) for m in errors)}"
        for name, errors in form.errors.items()
    )
    message = f"Not saved — {problems}"
    if _wants_json(request):
        return JsonResponse({"error": message, "status": 422}, status=422)
    return render(request, "error.html", {"status": 422, "title": "Not saved", "message": message}, status=422)


def _add_service_errors(form, error):
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _conflict(request, error, context):
    """409: the current state, the editor's own change, and a form to apply theirs on top of it."""
    if _wants_json(request):
        return JsonResponse(
            {
                "error": str(error),
                "status": 409,
                "your_version": error.submitted_version,
                "current": _state_json(error.current),
            },
            status=409,
        )
    context = {"error": error, "current": error.current, **context}
    template = "factcheck/_conflict.html" if request.htmx else "factcheck/conflict.html"
    return render(request, template, context, status=409)


def _done(request, *, to, message, json_data, json_status=200, partial=None, context=None):
    if _wants_json(request):
        return JsonResponse(json_data, status=json_status)
    if request.htmx:
        if partial:
            return render(request, partial, context)
        return HttpResponseClientRedirect(to)
    messages.success(request, message)
    return redirect(to)


def _gone(request, message):
    return render(request, "error.html", {"status": 410, "title": "Gone", "message": message}, status=410)


# Notes


def _decorate_notes(user, notes):
    """Mark what this user may do with each note, and who deleted the deleted ones."""
    marks = deletion_marks(notes)
    for note in notes:
        note.editable = can_change_note(user, note)
        note.deletable = can_change_note(user, note, "factcheck.delete_annotation")
        note.deleted_by, note.deleted_at = marks.get(note.pk, (None, note.updated_at))
    return notes


def _notes_for(user, claim, assertion):
    notes = list(
        Annotation.objects.filter(claim=claim, assertion=assertion).select_related("author").order_by("created_at", "id")
    )
    return _decorate_notes(user, notes)


def _notes_context(request, claim, assertion, form=None):
    return {
        "claim": claim,
        "assertion": assertion,
        "notes": _notes_for(request.user, claim, assertion),
        "can_annotate": request.user.has_perm("factcheck.add_annotation"),
        "note_form": form,
    }


def _note_anchor(claim, note):
    return f"{claim.get_absolute_url()}#note-{note.pk}"


@require_POST
@editor_required("factcheck.add_annotation", "Writing notes")
def annotation_create(request, pk):
    claim = _get_claim(pk)
    form = NewNoteForm(request.POST, claim=claim)
    assertion = note = None
    if form.is_valid():
        assertion = form.cleaned_data["assertion"]
        try:
            note = services.annotation_create(
                claim=claim, author=request.user, body=form.cleaned_data["body"], assertion=assertion
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
    if note is None:
        template = "factcheck/_annotations.html" if request.htmx else "factcheck/annotation_form.html"
        return _invalid(request, form, template, {**_notes_context(request, claim, assertion, form), "creating": True})
    return _done(
        request,
        to=_note_anchor(claim, note),
        message="Your note is saved.",
        json_data=note_json(note),
        json_status=201,
        partial="factcheck/_annotations.html",
        context=_notes_context(request, claim, assertion),
    )


@require_safe
def annotation_detail(request, pk):
    """One note: htmx gets the note (an edit's "cancel"); a browser goes to it on the claim page."""
    note = get_or_404(Annotation.objects.select_related("author", "claim"), "note", pk=pk)
    if request.htmx:
        return render(request, "factcheck/_annotation.html", {"note": _decorate_notes(request.user, [note])[0]})
    return redirect(_note_anchor(note.claim, note))


def _note_form_context(note, form):
    return {"note": note, "claim": note.claim, "form": form}


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.change_annotation", "Editing notes")
def annotation_edit(request, pk):
    note = _get_note_for_user(request, pk, "factcheck.change_annotation")
    if note.is_deleted:
        return _gone(request, f"Note {note.pk} was deleted; it can no longer be edited. Staff can restore it.")
    if request.method == "GET":
        form = NoteEditForm(initial={"body": note.body, "version": note.version})
        template = "factcheck/_annotation_form.html" if request.htmx else "factcheck/annotation_form.html"
        return render(request, template, _note_form_context(note, form))
    form = NoteEditForm(request.POST)
    template = "factcheck/_annotation_form.html" if request.htmx else "factcheck/annotation_form.html"
    if not form.is_valid():
        return _invalid(request, form, template, _note_form_context(note, form))
    data = form.cleaned_data
    try:
        note = services.annotation_update(annotation=note, user=request.user, body=data["body"], version=data["version"])
    except services.StaleEdit as exc:
        return _note_conflict(request, note, exc, data["body"])
    except ValidationError as exc:
        _add_service_errors(form, exc)
        return _invalid(request, form, template, _note_form_context(note, form))
    return _done(
        request,
        to=_note_anchor(note.claim, note),
        message="Your changes to the note are saved.",
        json_data=note_json(note),
        partial="factcheck/_annotation.html",
        context={"note": _decorate_notes(request.user, [note])[0]},
    )


def _note_conflict(request, note, exc, body, deleting=False):
    current = exc.current
    if current is not None:
        _decorate_notes(request.user, [current])
    form = NoteEditForm(initial={"body": body, "version": current.version if current else 0})
    return _conflict(
        request,
        exc,
        {
            "kind": "note",
            "claim": note.claim,
            "note": note,
            "deleting": deleting,
            "mine_html": markdown.render(body),
            "form": form,
        },
    )


@require_POST
@editor_required("factcheck.delete_annotation", "Deleting notes")
def annotation_delete(request, pk):
    note = _get_note_for_user(request, pk, "factcheck.delete_annotation")
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _bad(request, form)
    try:
        note = services.annotation_delete(annotation=note, user=request.user, version=form.cleaned_data["version"])
    except services.StaleEdit as exc:
        return _note_conflict(request, note, exc, note.body, deleting=True)
    return _done(
        request,
        to=_note_anchor(note.claim, note),
        message="The note is deleted; its text stays in the history.",
        json_data=note_json(note),
        partial="factcheck/_annotation.html",
        context={"note": _decorate_notes(request.user, [note])[0]},
    )


# Resolutions


def _resolution_initial(resolution):
    if resolution is None:
        return {"version": 0}
    return {
        "verdict": resolution.verdict,
        "rationale": resolution.rationale,
        "prevailing": list(resolution.prevailing.values_list("pk", flat=True)),
        "version": resolution.version,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.add_resolution", "Resolving claims")
def claim_resolve(request, pk):
    claim = _get_claim(pk)
    resolution = _get_resolution(claim)
    if resolution is not None and not request.user.has_perm("factcheck.change_resolution"):
        raise PermissionDenied("Revising a resolution is for editors; your account is not in the Editors group.")
    template = "factcheck/_resolution_form.html" if request.htmx else "factcheck/resolution_form.html"
    context = {"claim": claim, "resolution": resolution}
    if request.method == "GET":
        form = ResolutionForm(initial=_resolution_initial(resolution), claim=claim)
        return render(request, template, {**context, "form": form})
    form = ResolutionForm(request.POST, claim=claim)
    if not form.is_valid():
        return _invalid(request, form, template, context)
    data = form.cleaned_data
    try:
        resolution = services.resolution_save(
            claim=claim,
            user=request.user,
            verdict=data["verdict"],
            rationale=data["rationale"],
            prevailing=list(data["prevailing"]),
            version=data["version"],
        )
    except services.StaleEdit as exc:
        current = exc.current
        again = ResolutionForm(
            initial={**_resolution_initial(current), "verdict": data["verdict"], "rationale": data["rationale"],
                     "prevailing": [a.pk for a in data["prevailing"]]},
            claim=claim,
        )
        return _conflict(
            request,
            exc,
            {
                "kind": "resolution",
                "claim": claim,
                "current_prevailing": list(current.prevailing.select_related("source")) if current else [],
                "mine": data,
                "mine_verdict_label": dict(form.fields["verdict"].choices)[data["verdict"]],
                "mine_html": markdown.render(data["rationale"]),
                "form": again,
            },
        )
    except ValidationError as exc:
        _add_service_errors(form, exc)
        return _invalid(request, form, template, context)
    return _done(
        request,
        to=f"{claim.get_absolute_url()}#resolution",
        message=f"Resolved: {resolution.get_verdict_display()}.",
        json_data=resolution_json(resolution),
    )


@require_POST
@editor_required("factcheck.change_resolution", "Reopening claims")
def claim_reopen(request, pk):
    claim = _get_claim(pk)
    resolution = _get_resolution(claim)
    if resolution is None:
        raise Http404(f"Claim {claim.pk} has no resolution to reopen.")
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _bad(request, form)
    reason = request.POST.get("reason", "")
    try:
        resolution = services.resolution_reopen(
            claim=claim, user=request.user, version=form.cleaned_data["version"], reason=reason
        )
    except services.StaleEdit as exc:
        return _conflict(
            request,
            exc,
            {
                "kind": "reopen",
                "claim": claim,
                "current_prevailing": list(exc.current.prevailing.select_related("source")) if exc.current else [],
                "reason": reason,
            },
        )
    return _done(
        request,
        to=f"{claim.get_absolute_url()}#resolution",
        message="Reopened: the claim’s status follows its sources again.",
        json_data=resolution_json(resolution),
    )


# Assignment


@require_POST
@editor_required("factcheck.change_claim", "Assigning claims")
def claim_assign(request, pk):
    """Assign the claim to the requesting editor (``assignee=me``) or to nobody (``assignee=nobody``)."""
    claim = _get_claim(pk)
    form = VersionForm(request.POST)
    choice = request.POST.get("assignee", "me")
    if choice not in ("me", "nobody"):
        form.is_valid()
        form.add_error(None, f"assignee must be “me” or “nobody”, not “{choice[:40]}”.")
    if not form.is_valid():
        return _bad(request, form)
    assignee = request.user if choice == "me" else None
    next_url = _safe_next(request, request.POST.get("next")) or claim.get_absolute_url()
    try:
        claim = services.claim_assign(claim=claim, assignee=assignee, version=form.cleaned_data["version"],
                                      by=request.user)
    except services.StaleEdit as exc:
        return _conflict(request, exc, {"kind": "assignment", "claim": exc.current or claim, "choice": choice,
                                        "next": next_url})
    claim = _get_claim(claim.pk)
    return _done(
        request,
        to=next_url,
        message="Assigned to you." if assignee else "Unassigned.",
        json_data=claim_state_json(claim),
        partial="factcheck/_assignment.html",
        context={"claim": claim, "can_assign": True, "next": next_url},
    )


# History


def _timeline(request, claim, keys, **known):
    return claim_timeline(
        claim,
        keys,
        # Staff without the revert permission still see what staff see, without the buttons.
        can_revert=can_revert_history(request.user),
        show_deleted=request.user.is_staff,
        **known,
    )


@require_safe
@cached_page(params=("page",))
def claim_history(request, pk):
    """Every recorded change to the claim, newest first, a page at a time."""
    claim = _get_claim(pk)
    page = paginate(request, history_keys(claim.pk), HISTORY_PAGE_SIZE)
    context = {
        "claim": claim,
        "entries": _timeline(request, claim, page.object_list),
        "total_entries": page.paginator.count,
        "history_page": page,
    }
    if request.htmx:
        return render(request, "factcheck/_history.html", context)
    return render(request, "factcheck/history.html", context)


def _record_claim_id(kind, record):
    return record.id if kind == "claim" else record.claim_id


@require_POST
@staff_required("Reverting history", perm=REVERT_HISTORY, granted_by=f" to add you to the {MODERATORS} group")
def history_revert(request, kind, history_id):
    model = KINDS.get(kind)
    if model is None:
        raise Http404(f"There is no history of “{kind[:40]}”; kinds are {', '.join(KINDS)}.")
    record = get_or_404(model.history.all(), f"{kind} history entry", history_id=history_id)
    claim = _get_claim(_record_claim_id(kind, record))
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _bad(request, form)
    try:
        restored = services.history_revert(record=record, user=request.user, version=form.cleaned_data["version"])
    except services.StaleEdit as exc:
        return _conflict(request, exc, {"kind": "revert", "claim": claim, "record": record, "what": kind})
    except ValidationError as exc:
        form.add_error(None, exc.message_dict.get("record", exc.messages))
        return _bad(request, form)
    return _done(
        request,
        to=f"{claim.get_absolute_url()}#history",
        message=f"Restored the {kind} as it was before change #{record.history_id}.",
        json_data=_state_json(restored),
    )


# Review queue


@require_safe
@editor_required("factcheck.change_claim", "The review queue")
def review_queue(request):
    form = cleaned_or_400(ReviewFilterForm(request.GET))
    claims, topic, source = form.filter(Claim.objects.select_related("topic", "assigned_to"))
    assigned = form.cleaned_data["assigned"]
    if assigned == "me":
        claims = claims.filter(assigned_to=request.user)
    elif assigned == "nobody":
        claims = claims.filter(assigned_to__isnull=True)
    # Oldest first: the conflict that has waited longest comes first.
    page = paginate(request, claims.order_by("created_at", "id"), settings.FACTCHECK_PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "topic": topic,
        "source": source,
        "query": params.urlencode(),
        "here": request.get_full_path(),
        "can_assign": True,
    }
    if request.htmx:
        return render(request, "factcheck/_review_results.html", context)
    # The filter menus offer only topics and sources that have a conflict to review.
    context["topic_choices"] = Topic.objects.filter(claims__status=Status.CONFLICT).distinct().only("slug", "title")
    context["source_choices"] = (
        Source.objects.filter(assertions__claim__status=Status.CONFLICT).distinct().only("id", "title")
    )
    return render(request, "factcheck/review_queue.html", context)


# The claim page's editorial sections (called by browse.claim_detail)


def claim_page_context(request, claim, assertions):
    """Notes, the decision, its prevailing sources and the timeline for the claim page.

    The same queries however long the history: the notes (one), who deleted
    the deleted ones (one, if any), the prevailing assertions (one, if
    resolved), the number of changes and the keys of the newest
    ``TIMELINE_ON_CLAIM_PAGE`` (two), those rows (see ``claim_timeline``; the
    page's own assertions name their sources) and, when the claim has been
    reopened and the reopening is not among them, who reopened it (one). An
    editor's permissions cost two more, once per request.
    """
    user = request.user
    notes = _decorate_notes(
        user, list(Annotation.objects.filter(claim=claim).select_related("author").order_by("created_at", "id"))
    )
    by_assertion = {}
    for note in notes:
        by_assertion.setdefault(note.assertion_id, []).append(note)
    try:
        resolution = claim.resolution
    except Resolution.DoesNotExist:
        resolution = None
    prevailing = set()
    if resolution is not None:
        prevailing = set(
            Resolution.prevailing.through.objects.filter(resolution=resolution).values_list("assertion_id", flat=True)
        )
    for a in assertions:
        a.notes = by_assertion.get(a.pk, [])
        a.prevails = resolution is not None and not resolution.is_open and a.pk in prevailing
    keys = history_keys(claim.pk)
    entries = _timeline(
        request,
        claim,
        keys[:TIMELINE_ON_CLAIM_PAGE],
        known_sources={a.source_id: a.source.title for a in assertions},
        known_assertions={a.pk: a.source_id for a in assertions},
    )
    total_entries = keys.count()
    reopened = None
    if resolution is not None and resolution.is_open:
        reopened = next((e for e in entries if e.kind == "resolution"), None) or latest_reopening(claim.pk)
    return {
        "notes": by_assertion.get(None, []),
        "resolution": resolution,
        "prevailing_cards": [a for a in assertions if a.prevails],
        "last_resolution_entry": reopened,
        "can_annotate": user.has_perm("factcheck.add_annotation"),
        "can_resolve": user.has_perm("factcheck.add_resolution"),
        "can_revise": user.has_perm("factcheck.change_resolution"),
        "can_assign": user.has_perm("factcheck.change_claim"),
        "entries": entries,
        "total_entries": total_entries,
        "limited": total_entries > len(entries),
    }

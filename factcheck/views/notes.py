"""Editors' notes on a claim or on one of its assertions: write, show, edit, delete.

Each action is a POST with CSRF, a login and a permission (views.common) and
answers as every editor's action does (views.responses).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factcheck import markdown, services
from factcheck.forms import NewNoteForm, NoteEditForm, VersionForm
from factcheck.models import Annotation
from factcheck.roles import can_change_note
from factcheck.selectors.notes import decorate_notes, thread_notes, visible_notes
from factcheck.shapes import note_json
from factcheck.views.common import editor_required, get_claim_for_editing, get_or_404
from factcheck.views.responses import add_service_errors, bad, conflict, done, gone, invalid


def _get_note_for_user(request, pk, perm):
    note = get_or_404(
        Annotation.objects.select_related("author", "claim", "assertion__source").defer("assertion__source__text"),
        "note",
        pk=pk,
    )
    if not can_change_note(request.user, note, perm):
        raise PermissionDenied(
            _("Only the note’s author (%(author)s) or staff can change it.") % {"author": note.author.get_username()}
        )
    return note


def _notes_context(request, claim, assertion, form=None):
    return {
        "claim": claim,
        "assertion": assertion,
        "notes": thread_notes(request.user, claim, assertion),
        "can_annotate": request.user.has_perm("factcheck.add_annotation"),
        "note_form": form,
    }


def _note_anchor(claim, note):
    return f"{claim.get_absolute_url()}#note-{note.pk}"


def _decorated(request, note):
    return decorate_notes(request.user, [note])[0]


@require_POST
@editor_required("factcheck.add_annotation", gettext_lazy("Writing notes"))
def annotation_create(request, pk):
    claim = get_claim_for_editing(pk)
    form = NewNoteForm(request.POST, claim=claim)
    assertion = note = None
    if form.is_valid():
        data = form.cleaned_data
        assertion = data["parent"].assertion if data["parent"] else data["assertion"]
        try:
            note = services.annotation_create(
                claim=claim,
                author=request.user,
                body=data["body"],
                assertion=assertion,
                internal=data["internal"],
                parent=data["parent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if note is None:
        template = "factcheck/_annotations.html" if request.htmx else "factcheck/annotation_form.html"
        return invalid(request, form, template, {**_notes_context(request, claim, assertion, form), "creating": True})
    return done(
        request,
        to=_note_anchor(claim, note),
        message=_("Your note is saved."),
        json_data=note_json(note),
        json_status=201,
        partial="factcheck/_annotations.html",
        context=_notes_context(request, claim, assertion),
    )


@require_safe
def annotation_detail(request, pk):
    """One note: htmx gets the note (an edit's "cancel"); a browser goes to it on the claim page."""
    note = get_or_404(visible_notes(request.user, Annotation.objects.select_related("author", "claim")), "note", pk=pk)
    if request.htmx:
        return render(request, "factcheck/_annotation.html", {"note": _decorated(request, note)})
    return redirect(_note_anchor(note.claim, note))


def _note_saved(request, note, message):
    """A note changed: htmx gets it back in place of the form or the note."""
    return done(
        request,
        to=_note_anchor(note.claim, note),
        message=message,
        json_data=note_json(note),
        partial="factcheck/_annotation.html",
        context={"note": _decorated(request, note)},
    )


def _note_form_context(note, form):
    return {"note": note, "claim": note.claim, "form": form}


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.change_annotation", gettext_lazy("Editing notes"))
def annotation_edit(request, pk):
    note = _get_note_for_user(request, pk, "factcheck.change_annotation")
    if note.is_deleted:
        return gone(
            request, _("Note %(pk)s was deleted; it can no longer be edited. Staff can restore it.") % {"pk": note.pk}
        )
    template = "factcheck/_annotation_form.html" if request.htmx else "factcheck/annotation_form.html"
    if request.method == "GET":
        form = NoteEditForm(initial={"body": note.body, "version": note.version})
        return render(request, template, _note_form_context(note, form))
    form = NoteEditForm(request.POST)
    if not form.is_valid():
        return invalid(request, form, template, _note_form_context(note, form))
    data = form.cleaned_data
    try:
        note = services.annotation_update(
            annotation=note, user=request.user, body=data["body"], version=data["version"]
        )
    except services.StaleEdit as exc:
        return _note_conflict(request, note, exc, data["body"])
    except ValidationError as exc:
        add_service_errors(form, exc)
        return invalid(request, form, template, _note_form_context(note, form))
    return _note_saved(request, note, _("Your changes to the note are saved."))


def _note_conflict(request, note, exc, body, deleting=False):
    current = exc.current
    if current is not None:
        decorate_notes(request.user, [current])
    form = NoteEditForm(initial={"body": body, "version": current.version if current else 0})
    return conflict(
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
@editor_required("factcheck.delete_annotation", gettext_lazy("Deleting notes"))
def annotation_delete(request, pk):
    note = _get_note_for_user(request, pk, "factcheck.delete_annotation")
    form = VersionForm(request.POST)
    if not form.is_valid():
        return bad(request, form)
    try:
        note = services.annotation_delete(annotation=note, user=request.user, version=form.cleaned_data["version"])
    except services.StaleEdit as exc:
        return _note_conflict(request, note, exc, note.body, deleting=True)
    return _note_saved(request, note, _("The note is deleted; its text stays in the history."))

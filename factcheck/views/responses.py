"""How every editor's action answers: saved, bad input, a stale edit, gone.

Each answers three ways: htmx gets the partial to swap in, ``Accept:
application/json`` gets JSON, and a plain form post is redirected (or, on a
stale edit, shown both versions). A stale edit is always a 409 carrying the
current state, never a silent overwrite; bad input is a 422 naming each
field, with nothing written.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from factcheck.forms import describe_errors
from factcheck.shapes import conflict_json, error_json, state_json
from factcheck.views.common import wants_json


def invalid(request, form, template, context):
    """Bad input: 422 with every field's problem, nothing written."""
    if wants_json(request):
        fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        return JsonResponse(error_json(f"Not saved — {describe_errors(form)}", 422, fields), status=422)
    return render(request, template, {**context, "form": form}, status=422)


def bad(request, form):
    """A tampered or missing hidden field (version, assignee): 422 naming it, nothing written."""
    problems = "; ".join(
        " ".join(str(m) for m in errors) if name == "__all__" else f"{name}: {' '.join(str(m) for m in errors)}"
        for name, errors in form.errors.items()
    )
    message = f"Not saved — {problems}"
    if wants_json(request):
        return JsonResponse(error_json(message, 422), status=422)
    return render(request, "error.html", {"status": 422, "title": "Not saved", "message": message}, status=422)


def add_service_errors(form, error):
    """Put a service's ``ValidationError`` on the form, under the field it names if the form has it."""
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def conflict(request, error, context):
    """409: the current state, the editor's own change, and a form to apply theirs on top of it."""
    if wants_json(request):
        return JsonResponse(conflict_json(error, state_json(error.current)), status=409)
    context = {"error": error, "current": error.current, **context}
    template = "factcheck/_conflict.html" if request.htmx else "factcheck/conflict.html"
    return render(request, template, context, status=409)


def done(request, *, to, message, json_data, json_status=200, partial=None, context=None):
    """Saved: JSON gets ``json_data``, htmx the ``partial`` (without one, the page ``to``), a form post goes ``to``."""
    if wants_json(request):
        return JsonResponse(json_data, status=json_status)
    if request.htmx:
        if partial:
            return render(request, partial, context)
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        target = urlsplit(to)
        if (current.path, current.query) == (target.path, target.query):
            # Sent to the page it is on (only the #fragment differs), a browser would not reload it.
            return HttpResponseClientRefresh()
        return HttpResponseClientRedirect(to)
    messages.success(request, message)
    return redirect(to)


def gone(request, message):
    return render(request, "error.html", {"status": 410, "title": "Gone", "message": message}, status=410)

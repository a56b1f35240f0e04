"""Error pages that say what went wrong: JSON under /api/, HTML elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from factcheck.shapes import error_json


def _respond(request, status, title, exception):
    message = str(exception) if exception is not None and str(exception) else title
    # Django's own 404 for an unmatched URL carries a resolver dict, not prose.
    if message.startswith("{"):
        message = title
    # Django logs a 404 after this page is made, without the exception: the
    # one-line log record (factcheck/request_log.py) takes the reason from here.
    request.error_message = message
    if request.path.startswith("/api/"):
        return JsonResponse(error_json(message, status), status=status)
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _respond(request, 400, _("Bad request"), exception)


def permission_denied(request, exception=None):
    return _respond(request, 403, _("You do not have permission to do that"), exception)


def page_not_found(request, exception=None):
    return _respond(request, 404, _("Not found"), exception)


def server_error(request):
    return _respond(request, 500, _("Something went wrong on our side"), None)

"""``/healthz`` for load balancers and monitors: is the database answering? And ``/favicon.ico``."""

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from factcheck.models import Claim


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a query on our own tables, else 503 with why.

    A bare ``SELECT 1`` would pass against an empty, unmigrated database, so
    it also reads one row id from the claims table.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        list(Claim.objects.values_list("id", flat=True)[:1])
    except DatabaseError as exc:
        reason = f"{type(exc).__name__}: {exc}".strip()
        return JsonResponse({"status": "error", "database": reason[:300]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def favicon(request):
    """``/favicon.ico``, which browsers ask for on pages that name no icon (the admin's): the app's SVG icon."""
    response = HttpResponse(_favicon_svg(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@functools.cache
def _favicon_svg():
    return Path(finders.find("favicon.svg")).read_bytes()

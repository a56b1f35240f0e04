"""The benchmark's additions to the site: its URLconf, the reference view, the query count.

Only the benchmark's gunicorn loads this, through ``tools.bench_settings``;
production's URLconf and settings know nothing of it. ``reference`` answers a
fixed page through the whole middleware stack with no database work: the
fastest any page could be on the same server, so the benchmark reports each
page's throughput as a ratio to it.
"""

import os

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

REFERENCE_BODY = b"<!doctype html><title>reference</title><p>A fixed response through the same middleware.</p>\n"


@require_safe
def reference(request):
    return HttpResponse(REFERENCE_BODY, content_type="text/html; charset=utf-8")


def query_count_middleware(get_response):
    """Report each response's database queries in ``X-DB-Queries``, session and auth included.

    ``X-Bench-Worker`` names the worker process that answered: each keeps its own page
    cache, so the desk's readers are warmed until every worker has stored every page.
    """

    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-DB-Queries"] = str(count)
        response["X-Bench-Worker"] = str(os.getpid())
        return response

    return middleware


urlpatterns = [
    path("bench/ref/", reference, name="bench-reference"),
    path("", include("factcheck.urls")),
]

# Django looks the error handlers up on the root URLconf only: the app's own, as in production.
from factcheck.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401

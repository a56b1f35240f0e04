"""The benchmark's yardstick (only with FACTCHECK_BENCH=1, which `make bench` sets).

``reference`` answers a fixed page through the whole middleware stack with no
database work: the fastest any page could be on the same server, so the
benchmark reports each page's throughput as a ratio to it.
"""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

REFERENCE_BODY = b"<!doctype html><title>reference</title><p>A fixed response through the same middleware.</p>\n"


@require_safe
def reference(request):
    if not settings.FACTCHECK_BENCH:
        raise Http404("The benchmark's reference view is off; FACTCHECK_BENCH=1 turns it on.")
    return HttpResponse(REFERENCE_BODY, content_type="text/html; charset=utf-8")


def query_count_middleware(get_response):
    """Report each response's database queries in ``X-DB-Queries``, session and auth included."""

    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-DB-Queries"] = str(count)
        return response

    return middleware

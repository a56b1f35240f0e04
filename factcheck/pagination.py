"""Pages of a list: the ``page`` parameter, checked, and the JSON envelope of a page."""

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404

MAX_PAGE = 1_000_000


def page_number(request):
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise BadRequest(f"Bad parameter — page: {raw[:40]!r} is not a whole number.") from None
    if not 1 <= number <= MAX_PAGE:
        raise BadRequest(f"Bad parameter — page: must be between 1 and {MAX_PAGE}.")
    return number


def paginate(request, queryset, per_page, count=None):
    """The requested page of ``queryset``; a page past the end is a 404 saying how many there are."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    number = page_number(request)
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404(f"Page {number} does not exist; there are {paginator.num_pages} pages.") from None


def page_json(request, page, results):
    """``{"count", "next", "previous", "results"}``: every paginated JSON answer has this shape."""

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": page.paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": results,
    }

"""The JSON API. Shapes here are public: see ARCHITECTURE.md before changing one."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from factcheck.cache import cached_page
from factcheck.forms import ClaimFilterForm, cleaned_or_400, paginate
from factcheck.models import Assertion, Claim, Source
from factcheck.views.common import LISTED_SOURCE_FIELDS, get_or_404, with_assertion_counts


def source_summary(source):
    return {"id": source.pk, "title": source.title, "publisher": source.publisher}


def assertion_json(assertion):
    return {
        "id": assertion.pk,
        "source": source_summary(assertion.source),
        "stance": assertion.stance,
        "quote": assertion.quote,
        "start": assertion.start,
        "end": assertion.end,
        "as_of": assertion.as_of_value,
        "url": assertion.get_absolute_url(),
    }


def claim_json(claim, request):
    return {
        "id": claim.pk,
        "key": claim.key,
        "text": claim.text,
        "topic": {"slug": claim.topic.slug, "title": claim.topic.title},
        "status": claim.status,
        "verdict": claim.verdict,
        "version": claim.version,
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "assertions": [assertion_json(a) for a in claim.assertions.all()],
    }


def source_json(source, request):
    return {
        "id": source.pk,
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "author": source.author,
        "url": source.url,
        "published": source.published.isoformat() if source.published else None,
        "as_of": source.as_of_value,
        "kind": source.kind,
        "language": source.language,
        "html_url": request.build_absolute_uri(source.get_absolute_url()),
    }


def _assertions_prefetch():
    """Assertions with just the source fields a claim's JSON shows, never the full texts."""
    summary = Source.objects.only("id", "title", "publisher")
    return Prefetch(
        "assertions",
        queryset=Assertion.objects.prefetch_related(Prefetch("source", queryset=summary)).order_by("start", "id"),
    )


def _page_json(request, page, results):
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


@require_safe
@cached_page(params=("page", "q", "source", "status", "topic"))
def claims(request):
    form = cleaned_or_400(ClaimFilterForm(request.GET))
    qs, _topic, _source = form.filter(Claim.objects.for_list().select_related("resolution"))
    page = paginate(request, qs.prefetch_related(_assertions_prefetch()), settings.FACTCHECK_PAGE_SIZE)
    return JsonResponse(_page_json(request, page, [claim_json(c, request) for c in page]))


@require_safe
@cached_page
def claim(request, pk):
    obj = get_or_404(
        Claim.objects.select_related("topic", "resolution").prefetch_related(_assertions_prefetch()), "claim", pk=pk
    )
    return JsonResponse(claim_json(obj, request))


@require_safe
@cached_page(params=("page",))
def sources(request):
    sources = Source.objects.only(*LISTED_SOURCE_FIELDS).order_by("title", "id")
    page = paginate(request, sources, settings.FACTCHECK_PAGE_SIZE)
    results = [{**source_json(s, request), "assertion_count": s.assertion_count} for s in with_assertion_counts(page)]
    return JsonResponse(_page_json(request, page, results))


@require_safe
@cached_page
def source(request, pk):
    obj = get_or_404(Source.objects.all(), "source", pk=pk)
    data = source_json(obj, request)
    data["notes"] = obj.notes
    data["text"] = obj.text
    data["assertions"] = [
        {"id": a.pk, "claim": a.claim_id, "stance": a.stance, "start": a.start, "end": a.end, "as_of": a.as_of_value}
        for a in obj.assertions.order_by("start", "id")
    ]
    return JsonResponse(data)

"""The JSON API. Its shapes are public and live in factcheck/shapes.py: see ARCHITECTURE.md before changing one."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from factcheck.cache import cached_page
from factcheck.forms import ClaimFilterForm, cleaned_or_400
from factcheck.models import Assertion, Claim, Source
from factcheck.pagination import page_json, paginate
from factcheck.selectors.claims import assertions_with_source_summaries
from factcheck.selectors.sources import listed_sources, with_assertion_counts
from factcheck.shapes import claim_json, source_json
from factcheck.views.browse import LISTED
from factcheck.views.common import get_or_404


@require_safe
@cached_page(params=("page", "q", "source", "status", "topic"), tables=LISTED)
def claims(request):
    form = cleaned_or_400(ClaimFilterForm(request.GET))
    qs, _topic, _source = form.filter(Claim.objects.for_list().select_related("resolution"))
    page = paginate(request, qs.prefetch_related(assertions_with_source_summaries()), settings.FACTCHECK_PAGE_SIZE)
    return JsonResponse(page_json(request, page, [claim_json(c, request) for c in page]))


@require_safe
@cached_page
def claim(request, pk):
    claims = Claim.objects.select_related("topic", "resolution").prefetch_related(assertions_with_source_summaries())
    obj = get_or_404(claims, "claim", pk=pk)
    return JsonResponse(claim_json(obj, request))


@require_safe
@cached_page(params=("page",), tables=(Source, Assertion))
def sources(request):
    page = paginate(request, listed_sources(), settings.FACTCHECK_PAGE_SIZE)
    results = [{**source_json(s, request), "assertion_count": s.assertion_count} for s in with_assertion_counts(page)]
    return JsonResponse(page_json(request, page, results))


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

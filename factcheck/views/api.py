"""The JSON API. Its shapes are public and live in factcheck/shapes.py: see ARCHITECTURE.md before changing one."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import Count, Q
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from factcheck import voices
from factcheck.cache import cached_page
from factcheck.forms import ClaimFilterForm, LanguageFilterForm, cleaned_or_400
from factcheck.models import Assertion, Claim, Source, SourceDerivation, Speaker
from factcheck.pagination import page_json, paginate
from factcheck.selectors.claims import assertions_with_source_summaries
from factcheck.selectors.sources import listed_sources, with_assertion_counts
from factcheck.shapes import claim_json, source_detail_json, source_json, speaker_json, speaker_statement_json
from factcheck.views.browse import LISTED
from factcheck.views.common import get_or_404

MAX_QUERY_LENGTH = 100


def _roots_of(claims):
    """The root origins of every source the claims' (prefetched) assertions cite: one query."""
    return voices.load_roots({a.source_id for c in claims for a in c.assertions.all()})


@require_safe
@cached_page(params=("language", "page", "q", "source", "status", "topic"), tables=(*LISTED, Speaker))
def claims(request):
    form = cleaned_or_400(ClaimFilterForm(request.GET))
    qs, _topic, _source = form.filter(Claim.objects.for_list().select_related("resolution"))
    page = paginate(
        request, qs.prefetch_related(assertions_with_source_summaries(), "translations"), settings.FACTCHECK_PAGE_SIZE
    )
    roots = _roots_of(page)
    return JsonResponse(page_json(request, page, [claim_json(c, request, roots=roots) for c in page]))


@require_safe
@cached_page
def claim(request, pk):
    claims = Claim.objects.select_related("topic", "resolution").prefetch_related(
        assertions_with_source_summaries(), "translations"
    )
    obj = get_or_404(claims, "claim", pk=pk)
    return JsonResponse(claim_json(obj, request, roots=_roots_of([obj])))


@require_safe
@cached_page(params=("language", "page"), tables=(Source, Assertion))
def sources(request):
    form = cleaned_or_400(LanguageFilterForm(request.GET))
    page = paginate(request, listed_sources(form.cleaned_data["language"]), settings.FACTCHECK_PAGE_SIZE)
    results = [{**source_json(s, request), "assertion_count": s.assertion_count} for s in with_assertion_counts(page)]
    return JsonResponse(page_json(request, page, results))


@require_safe
@cached_page
def source(request, pk):
    obj = get_or_404(Source.objects.all(), "source", pk=pk)
    derivations = (
        SourceDerivation.objects.filter(source=obj)
        .select_related("origin_source", "origin_speaker")
        .defer("origin_source__text")
        .order_by("id")
    )
    assertions = obj.assertions.select_related("speaker").order_by("start", "id")
    data = source_detail_json(obj, request, derivations=derivations, assertions=assertions)
    return JsonResponse(data)


@require_safe
@cached_page(params=("page", "q"), tables=(Speaker, Assertion))
def speakers(request):
    """Speakers by name; ``q`` matches a name, an alias or a slug."""
    q = " ".join(request.GET.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        raise BadRequest(f"Bad parameter — q: at most {MAX_QUERY_LENGTH} characters.")
    qs = Speaker.objects.annotate(statement_count=Count("assertions")).order_by("name", "id")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(aliases__icontains=q) | Q(slug__icontains=q))
    page = paginate(request, qs, settings.FACTCHECK_PAGE_SIZE)
    return JsonResponse(page_json(request, page, [speaker_json(sp, request) for sp in page]))


@require_safe
@cached_page
def speaker(request, slug):
    """A speaker and every statement a source reports them making, by claim."""
    obj = get_or_404(Speaker.objects.annotate(statement_count=Count("assertions")), "speaker", slug=slug)
    statements = (
        Assertion.objects.filter(speaker=obj)
        .select_related("claim", "source")
        .only(
            *("id", "claim__id", "claim__text", "claim__status", "stance", "quote", "start", "end"),
            *("stated_on", "stated_on_precision", "as_of", "as_of_precision", "period_end", "period_end_precision"),
            *("source__id", "source__title", "source__publisher", "speaker_id", "source_id", "claim_id"),
        )
        .order_by("claim_id", "source__title", "start")
    )
    data = speaker_json(obj, request)
    data["statements"] = [speaker_statement_json(a) for a in statements]
    return JsonResponse(data)

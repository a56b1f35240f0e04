"""Source against source, a topic's timeline as JSON, and the ClaimReview feed.

``/compare/`` takes the sources to compare as ``?a=<id>&b=<id>`` (the pair
links on the site) or ``?s=<id>&s=<id>&s=<id>`` (the form, any number from
two to twelve); all of ``a``, ``b`` and ``s`` are read, in that order, and a
source named twice counts once. ``topic=<slug>`` limits the comparison to
one topic's claims.
"""

from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from factcheck import claimreview, shapes
from factcheck.cache import cached_page
from factcheck.comparison import MAX_COMPARED, compare_sources
from factcheck.language_codes import validate_language_code
from factcheck.models import Assertion, Claim, Resolution, Source, Topic
from factcheck.pagination import page_json, paginate
from factcheck.selectors.sources import source_choices, sources_by_id
from factcheck.selectors.topics import topic_statements
from factcheck.shapes import comparison_json, comparison_row_json
from factcheck.statement_timeline import topic_timeline
from factcheck.views.common import get_or_404

MAX_ID = 2**63 - 1
SOURCE_PARAMS = ("a", "b", "s")
# What a comparison lists and shows: any write to these evicts its pages.
COMPARED = (Claim, Topic, Source, Assertion, Resolution)


class _ChoiceError(Exception):
    """A 400: the sources asked for cannot be compared (the message says why)."""


def _requested_ids(request):
    """Source ids from ``a``, ``b`` and ``s``, in order, each once; and whether one was repeated."""
    ids, repeated = [], False
    for name in SOURCE_PARAMS:
        for raw in request.GET.getlist(name):
            raw = raw.strip()
            if not raw:
                continue  # the form's empty "choose…" option
            try:
                value = int(raw)
            except ValueError:
                raise _ChoiceError(
                    f"Bad parameter — {name}: {raw[:40]!r} is not a source id; "
                    f"use the number in the source's address, e.g. {name}=3."
                ) from None
            if not 1 <= value <= MAX_ID:
                raise _ChoiceError(f"Bad parameter — {name}: {value} is not a source id (ids start at 1).")
            if value in ids:
                repeated = True
            else:
                ids.append(value)
    if len(ids) > MAX_COMPARED:
        raise _ChoiceError(f"Choose at most {MAX_COMPARED} sources to compare; you chose {len(ids)}.")
    return ids, repeated


def _requested_topic(request):
    slug = request.GET.get("topic", "").strip()
    if not slug:
        return None
    if len(slug) > 100 or not all(ch.isalnum() or ch in "-_" for ch in slug):
        raise _ChoiceError(f"Bad parameter — topic: {slug[:40]!r} is not a topic slug (letters, digits, hyphens).")
    return get_or_404(Topic.objects.all(), "topic", slug=slug)


def _get_sources(ids, repeated):
    """The sources in the order asked; 404 naming every unknown id; 400 if fewer than two."""
    found = sources_by_id(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise Http404(f"There is no source with id {' or '.join(missing)}.")
    sources = [found[i] for i in ids]
    if len(sources) == 1:
        only = sources[0]
        if repeated:
            raise _ChoiceError(f"You chose “{only.title}” twice; choose two different sources to compare.")
        raise _ChoiceError(f"Choose at least two sources to compare; you chose only “{only.title}”.")
    return sources


def _requested_language(request):
    """``?language=``: only claims quoted in that language (by any source); "" for every claim."""
    code = request.GET.get("language", "").strip()
    if code:
        try:
            validate_language_code(code)
        except ValidationError as exc:
            raise _ChoiceError(f"Bad parameter — language: {exc.messages[0]}") from None
    return code


def _comparison(request):
    """``(comparison or None, topic)``; raises _ChoiceError or Http404 on bad input."""
    ids, repeated = _requested_ids(request)
    topic = _requested_topic(request)
    language = _requested_language(request)
    if not ids:
        return None, topic
    return compare_sources(_get_sources(ids, repeated), topic=topic, language=language), topic


def _chosen_ids(request):
    """The well-formed source ids asked for, even when the request as a whole is refused: the form keeps them."""
    chosen = set()
    for name in SOURCE_PARAMS:
        for raw in request.GET.getlist(name):
            if raw.strip().isdigit() and 1 <= int(raw) <= MAX_ID:
                chosen.add(int(raw))
    return chosen


def _source_checkboxes(chosen):
    """The form's list of every source, the chosen first, built in Python: a newsroom has thousands."""
    choices = sorted(source_choices(), key=lambda c: c[0] not in chosen)  # stable: titles stay in order
    rows = ((pk, mark_safe(" checked") if pk in chosen else "", title) for pk, title in choices)
    return format_html_join("\n", '<li><label><input type="checkbox" name="s" value="{}"{}> {}</label></li>', rows)


@require_safe
@cached_page(params=("language", "page", "topic"), lists=SOURCE_PARAMS, tables=COMPARED)
def compare(request):
    """The comparison page, a page of claims at a time, conflicts first.

    With no sources chosen, just the form to choose them.
    """
    error, status, comparison, topic, page = None, 200, None, None, None
    try:
        comparison, topic = _comparison(request)
    except _ChoiceError as exc:
        error, status = str(exc), 400
    if comparison is not None:
        page = paginate(request, comparison.rows, settings.FACTCHECK_PAGE_SIZE)
    context = {
        "comparison": comparison,
        "page": page,
        "sections": comparison.sections(page.object_list) if page else [],
        "topic": topic,
        "error": error,
        "source_checkboxes": _source_checkboxes(
            {s.pk for s in comparison.sources} if comparison else _chosen_ids(request)
        ),
        "topic_slug": request.GET.get("topic", "") if error else (topic.slug if topic else ""),
    }
    return render(request, "factcheck/compare.html", context, status=status)


@require_safe
@cached_page(params=("language", "page", "topic"), lists=SOURCE_PARAMS, tables=COMPARED)
def compare_json(request):
    try:
        comparison, topic = _comparison(request)
    except _ChoiceError as exc:
        raise BadRequest(str(exc)) from None
    if comparison is None:
        raise BadRequest("Choose at least two sources to compare: ?a=<id>&b=<id>, or ?s=<id>&s=<id>&s=<id>.")
    page = paginate(request, comparison.rows, settings.FACTCHECK_PAGE_SIZE)
    results = [comparison_row_json(row, comparison.sources, request) for row in page]
    return JsonResponse({**comparison_json(comparison, topic), **page_json(request, page, results)})


@require_safe
@cached_page
def timeline_json(request, slug):
    topic = get_or_404(Topic.objects.all(), "topic", slug=slug)
    return JsonResponse(shapes.timeline_json(topic, topic_timeline(*topic_statements(topic)), request))


@require_safe
@cached_page(params=("page",), tables=COMPARED + (Resolution.prevailing.through,))
def claimreview_feed(request):
    """Every published ClaimReview, paginated like ``/api/claims/``."""
    page = paginate(request, claimreview.reviewed_claims(), settings.FACTCHECK_PAGE_SIZE)
    results = [claimreview.claim_review(c, list(c.assertions.all()), request.build_absolute_uri) for c in page]
    return JsonResponse(page_json(request, page, results))

"""Search, the evidence API, and evidence suggestions on a claim's page."""

import functools

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from factcheck import evidence, services
from factcheck.cache import cached_page
from factcheck.forms import EvidenceForm, EvidenceSuggestionForm, SearchForm, cleaned_or_400, describe_errors
from factcheck.models import (
    Annotation,
    Assertion,
    Claim,
    NameAlias,
    Passage,
    Resolution,
    Source,
    Stance,
    SynonymGroup,
    Topic,
)
from factcheck.search import KIND_LABELS
from factcheck.search import KINDS as RESULT_KINDS
from factcheck.search import search as run_search
from factcheck.views.common import editor_required, get_or_404

PER_KIND = 5  # hits of each kind on the overview
PER_PAGE = 20  # hits on a page of one kind
SUGGESTIONS = 5
# What search looks through and shows (notes are a kind of result): any write to these evicts its pages.
SEARCHED = (Claim, Topic, Source, Assertion, Annotation, Resolution, NameAlias)


def _without_nul(querydict):
    """A copy with NUL characters removed: they can't be stored or searched, and aren't worth a 400."""
    data = querydict.copy()
    for key in data:
        data.setlist(key, [v.replace("\x00", "") for v in data.getlist(key)])
    return data


@require_safe
@cached_page(params=("kind", "page", "q", "status", "topic"), tables=SEARCHED)
def search(request):
    form = cleaned_or_400(SearchForm(_without_nul(request.GET)))
    data = form.cleaned_data
    topic = None
    if data["topic"]:
        topic = get_or_404(Topic.objects.only("id", "slug", "title"), "topic", slug=data["topic"])
    kinds = [data["kind"]] if data["kind"] else list(RESULT_KINDS)
    page = (data["page"] or 1) if data["kind"] else 1  # the overview has no pages: each kind links to its own
    per_kind = PER_PAGE if data["kind"] else PER_KIND
    results = run_search(
        data["q"],
        kinds=kinds,
        topic=topic,
        status=data["status"] or None,
        limit=per_kind,
        offset=(page - 1) * per_kind,
    )
    pages = None
    if data["kind"] and data["kind"] in results.kinds:
        total = results.kinds[data["kind"]].total
        pages = {"number": page, "count": max(1, -(-total // per_kind))}
    context = {
        "form": form,
        "q": data["q"],
        "results": results,
        "topic": topic,
        "kind": data["kind"],
        "kind_labels": KIND_LABELS,
        "pages": pages,
        "facets": _topic_facets(results),
    }
    if request.htmx:
        return render(request, "factcheck/_search_results.html", context)
    return render(request, "factcheck/search.html", context)


def _topic_facets(results):
    """Topics of the claim-bound hits shown, to narrow the search by one."""
    seen = {}
    for kind_results in results.kinds.values():
        for hit in kind_results.hits:
            if hit.topic_slug:
                seen.setdefault(hit.topic_slug, [hit.topic_title, 0])[1] += 1
    return sorted(((slug, title, n) for slug, (title, n) in seen.items()), key=lambda f: (-f[2], f[1]))[:8]


@require_safe
@cached_page(params=("limit", "q"), tables=SEARCHED + (Passage, SynonymGroup))
def evidence_api(request):
    form = cleaned_or_400(EvidenceForm(_without_nul(request.GET)))
    found = evidence.find_evidence(form.cleaned_data["q"], limit=form.cleaned_data["limit"])
    results = []
    for e in found:
        item = e.as_json()
        item["url"] = request.build_absolute_uri(f"{reverse('source-detail', args=[e.source_id])}#p-{e.start}")
        results.append(item)
    return JsonResponse({"query": form.cleaned_data["q"], "count": len(results), "results": results})


def _get_claim(pk):
    return get_or_404(Claim.objects.select_related("topic"), "claim", pk=pk)


def _suggestions(claim):
    attached = list(claim.assertions.order_by().values_list("source_id", flat=True).distinct())
    found = evidence.find_evidence(claim.text, limit=SUGGESTIONS, exclude_sources=attached)
    for e in found:
        e.form = EvidenceSuggestionForm(initial={"source": e.source_id, "start": e.start, "end": e.end})
    return found


# Both answer htmx requests (the claim page loads the suggestions into a slot):
# editor_required sends an expired session to the login page as a whole page,
# where login_required would swap the login form into the slot.


@require_safe
@editor_required("factcheck.add_assertion", "Adding sources to a claim")
def claim_evidence(request, pk):
    """Passages of sources not yet attached to the claim that may support or dispute it."""
    claim = _get_claim(pk)
    context = {"claim": claim, "suggestions": _suggestions(claim), "stances": Stance.choices}
    if request.htmx:
        return render(request, "factcheck/_claim_evidence.html", context)
    return render(request, "factcheck/claim_evidence.html", context)


@require_POST
@editor_required("factcheck.add_assertion", "Adding sources to a claim")
def claim_evidence_add(request, pk):
    """Turn a suggested passage (or part of it) into an assertion of the claim, with the stance the editor chose."""
    claim = _get_claim(pk)
    form = EvidenceSuggestionForm(_without_nul(request.POST))
    form.is_valid()
    if any(name in form.errors for name in ("source", "start", "end")):
        return _refuse(request, claim, 400, f"Bad parameter — {describe_errors(form)}")
    data = form.cleaned_data
    source = Source.objects.filter(pk=data["source"]).first()
    if source is None:
        return _refuse(request, claim, 404, f"There is no source with id {data['source']}.")
    start, end = data["start"], data["end"]
    if not (0 <= start < end <= len(source.text)) or not source.text[start:end].strip():
        return _refuse(
            request,
            claim,
            400,
            f"The passage {start}–{end} is not within “{source.title}” (length {len(source.text)}).",
        )
    refuse = functools.partial(_refuse, request, claim, source=source, start=start, end=end)
    if form.errors:  # the stance or the as-of date: the editor can correct them in place
        return refuse(400, f"Bad parameter — {describe_errors(form)}")
    try:
        assertion = services.assertion_create(
            claim=claim,
            source=source,
            start=start,
            end=end,
            stance=data["stance"],
            as_of=data["as_of"],
            user=request.user,
        )
    except ValidationError as exc:
        return refuse(422, f"Not added — {_describe(exc)}")
    except services.AssertionExists:
        return refuse(409, f"This passage of “{source.title}” is already an assertion of this claim.")
    if request.htmx:
        return render(request, "factcheck/_evidence_added.html", {"claim": claim, "assertion": assertion})
    messages.success(request, f"Added “{source.title}” as {assertion.get_stance_display().lower()}.")
    return redirect(f"{claim.get_absolute_url()}#assertion-{assertion.pk}")


def _describe(error):
    """``start: …`` for each parameter the service refused, like ``describe_errors`` for a form."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(f"{name}: {' '.join(messages_)}" for name, messages_ in error.message_dict.items())


def _refuse(request, claim, status, message, source=None, start=None, end=None):
    """A 4xx naming what was wrong. With htmx, the suggestion comes back with the message in it.

    htmx leaves 4xx answers unswapped; static/js/editor.js swaps 409 and 422,
    so bad input is answered 422 there (400 without htmx), as the editors' forms do.
    """
    if request.htmx and source is not None:
        suggestion = evidence.Evidence(
            None, source.pk, source.title, source.publisher, source.text[start:end], start, end, 0.0
        )
        context = {"claim": claim, "e": suggestion, "error": message, "stances": Stance.choices}
        return render(request, "factcheck/_evidence_suggestion.html", context, status=422 if status == 400 else status)
    if status == 400:
        raise BadRequest(message)
    if status == 404:
        raise Http404(message)
    title = "Already added" if status == 409 else "Not added"
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)

"""Search, the evidence API, and evidence suggestions on a claim's page."""

import functools

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    Speaker,
    Stance,
    SynonymGroup,
    Topic,
)
from factcheck.search import COUNT_CAP, KIND_LABELS, Hit, KindResults, render_snippet
from factcheck.search import KINDS as RESULT_KINDS
from factcheck.search import search as run_search
from factcheck.search_html import QueryString, facets_html, sections_html
from factcheck.selectors.claims import column_counts
from factcheck.selectors.speakers import speakers_found
from factcheck.shapes import evidence_json
from factcheck.views.common import editor_required, get_or_404

PER_KIND = 5  # hits of each kind on the overview
PER_PAGE = 20  # hits on a page of one kind
SUGGESTIONS = 5
# What search looks through and shows (notes are a kind of result): any write to these evicts its pages.
SEARCHED = (Claim, Topic, Source, Assertion, Annotation, Resolution, NameAlias, Speaker)


def _without_nul(querydict):
    """A copy with NUL characters removed: they can't be stored or searched, and aren't worth a 400."""
    data = querydict.copy()
    for key in data:
        data.setlist(key, [v.replace("\x00", "") for v in data.getlist(key)])
    return data


@require_safe
@cached_page(params=("kind", "language", "page", "q", "status", "topic"), tables=SEARCHED)
def search(request):
    form = cleaned_or_400(SearchForm(_without_nul(request.GET)))
    data = form.cleaned_data
    topic = None
    if data["topic"]:
        topic = get_or_404(Topic.objects.only("id", "slug", "title", "claim_count"), "topic", slug=data["topic"])
    kinds = [data["kind"]] if data["kind"] else list(RESULT_KINDS)
    page = (data["page"] or 1) if data["kind"] else 1  # the overview has no pages: each kind links to its own
    per_kind = PER_PAGE if data["kind"] else PER_KIND
    results = run_search(
        data["q"],
        kinds=kinds,
        topic=topic,
        status=data["status"] or None,
        language=data["language"] or None,
        limit=per_kind,
        offset=(page - 1) * per_kind,
    )
    # Nothing holds every word (results.any_word, or none at all): the words
    # may be the reader's, not the source's, so the evidence finder's
    # passages are likelier quotes than those holding one of the words.
    unmatched = results.any_word or results.total == 0
    if "quotes" in results.kinds and unmatched and page == 1 and results.query:
        hits = _quotes_by_evidence(
            data["q"], topic=topic, status=data["status"] or None, language=data["language"], limit=per_kind
        )
        if hits:
            results.kinds["quotes"] = KindResults(kind="quotes", total=len(hits), hits=hits)
            results.paraphrased = True
    pages = None
    if data["kind"] and data["kind"] in results.kinds:
        total = results.kinds[data["kind"]].total
        pages = {"number": page, "count": max(1, -(-total // per_kind))}
    facets = _topic_facets(results)
    query_string = QueryString(request.GET)
    context = {
        "form": form,
        "q": data["q"],
        "results": results,
        "topic": topic,
        "kind": data["kind"],
        "kind_labels": KIND_LABELS,
        "count_cap": COUNT_CAP,
        "pages": pages,
        "facets": facets,
        "facets_html": facets_html(facets, query_string) if facets and not topic else "",
        "sections_html": sections_html(results, kind=data["kind"], query_string=query_string),
        # Speakers are found by name or alias beside the search index's kinds, on the overview only.
        "speakers": _speakers(data),
    }
    if request.htmx:
        return render(request, "factcheck/_search_results.html", context)
    return render(request, "factcheck/search.html", context)


def _speakers(data):
    """Speakers whose name or alias holds the words typed (quotes dropped), on the overview only."""
    words = data["q"].strip().strip('"“”').strip()
    if not words or data["kind"]:
        return []
    return speakers_found(words, PER_KIND)


def _topic_facets(results):
    """Topics of the claim-bound hits shown, to narrow the search by one."""
    seen = {}
    for kind_results in results.kinds.values():
        for hit in kind_results.hits:
            if hit.topic_slug:
                seen.setdefault(hit.topic_slug, [hit.topic_title, 0])[1] += 1
    return sorted(((slug, title, n) for slug, (title, n) in seen.items()), key=lambda f: (-f[2], f[1]))[:8]


EVIDENCE_PASSAGES = 20  # passages the evidence finder ranks for a quote search that matched no words


def _quotes_by_evidence(q, *, topic, status, limit, language=""):
    """Quotes in the passages the evidence finder ranks best for ``q``: its word forms reach paraphrases.

    Used when nothing holds every word of the query ("surrender Assad" for
    "will not hand him over"). A fixed number of queries whatever the result:
    the finder's, then one for the assertions overlapping its passages.
    """
    found = evidence.find_evidence(q, limit=EVIDENCE_PASSAGES)
    if not found:
        return []
    overlap = Q()
    for e in found:
        overlap |= Q(source_id=e.source_id, start__lt=e.end, end__gt=e.start)
    assertions = Assertion.objects.filter(overlap).select_related("claim__topic", "source").order_by()
    if topic is not None:
        assertions = assertions.filter(claim__topic=topic)
    if status:
        assertions = assertions.filter(claim__status=status)
    if language:
        assertions = assertions.filter(Q(language=language) | Q(language="", source__language=language))
    ranked = []
    for a in assertions:
        n = next(n for n, e in enumerate(found) if e.source_id == a.source_id and a.start < e.end and a.end > e.start)
        ranked.append((n, a.pk, found[n].score, a))
    ranked.sort(key=lambda r: r[:2])
    return [_quote_hit(a, score) for _, _, score, a in ranked[:limit]]


def _quote_hit(a, score):
    return Hit(
        kind="quotes",
        id=a.pk,
        score=score,
        snippet=render_snippet(a.quote),
        url=f"{reverse('source-detail', args=[a.source_id])}#a-{a.pk}",
        claim_id=a.claim_id,
        claim_text=a.claim.text,
        source_id=a.source_id,
        source_title=a.source.title,
        topic_slug=a.claim.topic.slug,
        topic_title=a.claim.topic.title,
        status=a.claim.status,
        stance=a.stance,
    )


@require_safe
@cached_page(params=("limit", "q"), tables=SEARCHED + (Passage, SynonymGroup))
def evidence_api(request):
    form = cleaned_or_400(EvidenceForm(_without_nul(request.GET)))
    found = evidence.find_evidence(form.cleaned_data["q"], limit=form.cleaned_data["limit"])
    results = [evidence_json(e, request) for e in found]
    return JsonResponse({"query": form.cleaned_data["q"], "count": len(results), "results": results})


def _get_claim(pk):
    return get_or_404(Claim.objects.select_related("topic"), "claim", pk=pk)


DISMISSED = "evidence_dismissed"  # session key: per claim, the passages an editor said are not relevant
MAX_DISMISSED = 100  # per claim; the oldest are forgotten first


def _dismissed(request, claim):
    return {tuple(p) for p in request.session.get(DISMISSED, {}).get(str(claim.pk), [])}


def _suggestions(request, claim):
    attached = list(claim.assertions.order_by().values_list("source_id", flat=True).distinct())
    dismissed = _dismissed(request, claim)
    found = evidence.find_evidence(claim.text, limit=SUGGESTIONS + len(dismissed), exclude_sources=attached)
    found = [e for e in found if (e.source_id, e.start, e.end) not in dismissed][:SUGGESTIONS]
    best = max((e.score for e in found), default=0)
    for e in found:
        # Against the best suggestion: a raw score means nothing to an editor.
        e.match = round(100 * e.score / best) if best > 0 else None
    return found


# Both answer htmx requests (the claim page loads the suggestions into a slot):
# editor_required sends an expired session to the login page as a whole page,
# where login_required would swap the login form into the slot.


@require_safe
@editor_required("factcheck.add_assertion", gettext_lazy("Adding sources to a claim"))
def claim_evidence(request, pk):
    """Passages of sources not yet attached to the claim that may support or dispute it."""
    claim = _get_claim(pk)
    context = {"claim": claim, "suggestions": _suggestions(request, claim), "stances": Stance.choices}
    if request.htmx:
        return render(request, "factcheck/_claim_evidence.html", context)
    return render(request, "factcheck/claim_evidence.html", context)


def _passage(data):
    """The list's one ``passage`` choice ("source:start:end") as the fields the form reads; a copy."""
    passage = data.get("passage", "")
    if passage:
        parts = passage.split(":")
        data["source"], data["start"], data["end"] = parts if len(parts) == 3 else (passage, "", "")
    return data


@require_POST
@editor_required("factcheck.add_assertion", gettext_lazy("Adding sources to a claim"))
def claim_evidence_add(request, pk):
    """Turn a suggested passage (or part of it) into an assertion of the claim, with the stance the editor chose."""
    claim = _get_claim(pk)
    data = _passage(_without_nul(request.POST))
    if not any(data.get(name) for name in ("source", "start", "end")):
        return _refuse(request, claim, 400, "Choose a passage first: tick “Use this passage” beside one.")
    form = EvidenceSuggestionForm(data)
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
    refuse = functools.partial(_refuse, request, claim)
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
        assertion.notes = []
        context = {
            "claim": claim,
            "assertion": assertion,
            "column_counts": column_counts(claim),
            "chosen_start": start,
            "can_annotate": request.user.has_perm("factcheck.add_annotation"),
        }
        return render(request, "factcheck/_evidence_added.html", context)
    messages.success(
        request,
        _("Added “%(title)s” as %(stance)s.")
        % {"title": source.title, "stance": assertion.get_stance_display().lower()},
    )
    return redirect(f"{claim.get_absolute_url()}#assertion-{assertion.pk}")


@require_POST
@editor_required("factcheck.add_assertion", gettext_lazy("Adding sources to a claim"))
def claim_evidence_dismiss(request, pk):
    """Leave a suggested passage out of this claim's suggestions for the rest of the editor's session.

    A judgement about relevance, not an edit of the record: it lives in the
    editor's session, not the database, and costs no history.
    """
    claim = _get_claim(pk)
    parts = request.POST.get("dismiss", "").split(":")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 10 for p in parts):
        raise BadRequest("Bad parameter — dismiss: expected source:start:end, as the suggestion gives it.")
    store = request.session.get(DISMISSED, {})
    kept = [p for p in store.get(str(claim.pk), []) if p != [int(x) for x in parts]]
    store[str(claim.pk)] = [*kept, [int(x) for x in parts]][-MAX_DISMISSED:]
    request.session[DISMISSED] = store
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Left out of the suggestions for this claim."))
    return redirect(reverse("claim-evidence", args=[claim.pk]))


def _describe(error):
    """``start: …`` for each parameter the service refused, like ``describe_errors`` for a form."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(f"{name}: {' '.join(messages_)}" for name, messages_ in error.message_dict.items())


def _refuse(request, claim, status, message):
    """A 4xx naming what was wrong. With htmx, the message goes beside the form's button, which keeps its choices.

    htmx leaves 4xx answers unswapped but for 409 and 422 (base.html's
    htmx-config), so bad input is answered 422 there (400 without htmx), as
    the editors' forms do.
    """
    if request.htmx and status != 404:
        return render(
            request,
            "factcheck/_evidence_refused.html",
            {"claim": claim, "error": message},
            status=422 if status == 400 else status,
        )
    if status == 400:
        raise BadRequest(message)
    if status == 404:
        raise Http404(message)
    title = _("Already added") if status == 409 else _("Not added")
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)

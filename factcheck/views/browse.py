"""Pages for readers: topics, claims, sources, search."""

from dataclasses import dataclass
from html import escape as _escape

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from factcheck import cache, cache_tags, compiled_queries, fragments, quotes
from factcheck.cache import cached_page
from factcheck.forms import ClaimFilterForm, LanguageFilterForm, TopicFinderForm, cleaned_or_400
from factcheck.grid_cells import cells_html, claim_headers_html, column_headers_html
from factcheck.language_codes import text_direction
from factcheck.links import url_maker
from factcheck.models import Assertion, Claim, ClaimTranslation, Resolution, Source, Stance, Status, Topic
from factcheck.pagination import paginate
from factcheck.passage_index import passage_items
from factcheck.prepared import with_prepared_statements
from factcheck.roles import is_desk
from factcheck.selectors.claims import claim_editorial, stored_claim_count, watching
from factcheck.selectors.source_quotes import source_statements
from factcheck.selectors.sources import listed_sources, with_assertion_counts
from factcheck.selectors.speakers import decided_claims, source_origins
from factcheck.selectors.topics import find_topics, status_counts, topic_grid, with_status_counts
from factcheck.statement_timeline import topic_timeline
from factcheck.timeline_html import timeline_list_html
from factcheck.topic_cards import cards_html
from factcheck.track_record import track_record
from factcheck.views.common import get_or_404, not_found

STANCE_ORDER = [Stance.SUPPORTS, Stance.DISPUTES, Stance.QUALIFIES]
# What a list of claims shows or filters by (status, topic, source, text): any write to these evicts it.
LISTED = (Claim, Topic, Source, Assertion, Resolution)
# A source page names its peers' titles one tag each up to this many (_source_page).
PEER_TAGS = 20


@require_safe
@cached_page(params=("order", "page", "q", "status"), tables=(Topic, Claim))
def home(request):
    form = cleaned_or_400(TopicFinderForm(request.GET))
    data = form.cleaned_data
    counts = status_counts()
    topics = find_topics(q=data["q"], status=data["status"], order=data["order"] or "conflicts")
    # Unfiltered, the page count is the stored number of topics, not a COUNT(*) of them.
    filtered = bool(data["q"] or data["status"])
    page = paginate(request, with_status_counts(topics), 50, count=None if filtered else counts.topics)
    # The cards' links at one reverse() for all: {% url %} per card and status link cost as much as the rest of home.
    marker = "topic-slug-placeholder"
    before, after = reverse("topic-detail", args=[marker]).split(marker)
    for topic in page:
        topic.status_counts = [(status.value, status.phrase, getattr(topic, f"n_{status.value}")) for status in Status]
        topic.url = f"{before}{topic.slug}{after}"  # a slug needs no quoting in a path
    context = {
        "page": page,
        "counts": counts,
        "form": form,
        "filtered": filtered,
        "keep_params": bool(data["q"] or data["status"] or data["order"]),  # in the page links
        "cards_html": cards_html(page),
    }
    if request.htmx:
        return render(request, "factcheck/_topic_cards.html", context)
    return render(request, "factcheck/home.html", context)


def _get_topic(slug):
    return get_or_404(Topic.objects.all(), "topic", slug=slug)


@require_safe
@cached_page(params=("status",), personal=True)
def topic_detail(request, slug):
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        raise BadRequest(f"status: “{status[:40]}” is not a claim status; use one of {', '.join(Status.values)}.")
    topic = _get_topic(slug)
    context = {
        "topic": topic,
        "status": status,
        # Read only if the page's fragment is not cached (factcheck/fragments.py).
        "page": SimpleLazyObject(lambda: _topic_page(topic, status)),
    }
    if is_desk(request.user):
        # Editors may watch the topic: one query, never for the cached readers' page.
        context["watching"] = watching(request.user, topic)
    return render(request, "factcheck/topic_detail.html", context)


def _topic_page(topic, status):
    grid = topic_grid(topic, status=status or None)
    # The grid's links, at one reverse() per URL name rather than one per claim and quote.
    claim_url, source_url = url_maker("claim-detail"), url_maker("source-detail")
    for row in grid.rows:
        row["claim_url"] = claim_url(row["claim"].pk)
    for a in grid.assertions:
        a.passage_url = f"{source_url(a.source_id)}#a-{a.pk}"
    cells_html(grid.rows, quote_length=220)  # as topic_detail.html's include of the rows clips them
    claim_headers_html(grid.rows)
    timeline = topic_timeline(grid.claims, grid.assertions)  # no query: reuses the grid's rows
    timeline.list_html = timeline_list_html(timeline)
    toggles = [
        {"status": value, "label": label, "count": grid.counts[value]}
        for value, label in Status.choices
        if grid.counts.get(value)
    ]
    return {
        "columns": grid.columns,
        # The sources' headers and their compare menus, built as the template's loop would (grid_cells.py).
        "column_headers_html": column_headers_html(grid.columns, compare_url=reverse("compare"), topic_slug=topic.slug),
        "rows": grid.rows,
        "timeline": timeline,
        "status_label": Status(status).label if status else "",
        "toggles": toggles,
        "claim_count": sum(grid.counts.values()),
    }


@require_safe
@cached_page(params=("language", "page", "q", "source", "status", "topic"), tables=LISTED)
def claim_list(request):
    form = cleaned_or_400(ClaimFilterForm(request.GET))
    claims, topic, source = form.filter(Claim.objects.for_list())
    count = stored_claim_count(form.cleaned_data, topic)
    page = paginate(request, claims, settings.FACTCHECK_PAGE_SIZE, count=count)
    context = {"form": form, "page": page, "topic": topic, "source": source}
    if request.htmx:
        return render(request, "factcheck/_claim_results.html", context)
    return render(request, "factcheck/claim_list.html", context)


def _get_claim(pk):
    """The claim with its topic, decision (and who took it) and assignee, or a 404; SQL compiled once."""
    found = compiled_queries.fetch(
        "claim-page claim",
        lambda: (
            Claim.objects.select_related("topic", "resolution__decided_by", "assigned_to")
            .filter(pk=compiled_queries.ID)
            .order_by("pk")[:1]
        ),
        {compiled_queries.ID: pk},
    )
    if not found:
        raise not_found("claim", pk=pk)
    return found[0]


def _claim_quotes(claim):
    """``claim.assertions`` with their sources and speakers, as the page orders them (compiled once)."""
    return compiled_queries.fetch(
        "claim-page assertions",
        lambda: (
            Assertion.objects.filter(claim_id=compiled_queries.ID)
            .select_related("source", "speaker")
            .order_by("source__title", "start")
        ),
        {compiled_queries.ID: claim.pk},
        known={"claim": claim},
    )


def _claim_wordings(claim):
    """``claim.translations.all()`` (compiled once)."""
    return compiled_queries.fetch(
        "claim-page wordings",
        lambda: ClaimTranslation.objects.filter(claim_id=compiled_queries.ID),
        {compiled_queries.ID: claim.pk},
        known={"claim": claim},
    )


@require_safe
@cached_page(personal=True)
@with_prepared_statements  # the page's queries, planned once per connection
def claim_detail(request, pk):
    claim = _get_claim(pk)
    assertions = _claim_quotes(claim)
    can_attribute = request.user.has_perm("factcheck.change_assertion")
    columns = [
        {"stance": stance, "label": stance.label, "cards": [a for a in assertions if a.stance == stance]}
        for stance in STANCE_ORDER
    ]
    editorial = claim_editorial(request.user, claim, assertions)  # notes, the decision, the history
    # The fragments claim_detail.html renders, checked together: names and parts as the template gives them.
    specs = [("assertion-card", (a, a.source, a.speaker)) for a in assertions]
    if editorial["history_shared"]:
        specs.append(("claim-history", (claim, editorial["show_deleted"], editorial["desk"])))
    with fragments.prefetched(specs):
        return render(
            request,
            "factcheck/claim_detail.html",
            {
                "claim": claim,
                # The claim worded in other languages: one query, however many.
                "wordings": _claim_wordings(claim),
                "columns": columns,
                "assertions": assertions,
                **editorial,
                "can_attribute": can_attribute,
                "can_set_kind": request.user.has_perm("factcheck.change_claim"),
                "can_edit_wordings": request.user.has_perm("factcheck.change_claim"),
            },
        )


@require_safe
@cached_page(params=("language", "page"), tables=(Source, Assertion))
def source_list(request):
    form = cleaned_or_400(LanguageFilterForm(request.GET))
    page = paginate(request, listed_sources(form.cleaned_data["language"]), 50)
    with_assertion_counts(page)
    return render(request, "factcheck/source_list.html", {"page": page, "form": form})


@require_safe
@cached_page(personal=True)
@with_prepared_statements  # the page's queries, planned once per connection
def source_detail(request, pk):
    source = _get_source(pk)
    # Read only if the page's fragment is not cached (factcheck/fragments.py).
    page = SimpleLazyObject(lambda: _source_page(source))
    return render(
        request, "factcheck/source_detail.html", {"source": source, "page": page, "compare_url": reverse("compare")}
    )


def _get_source(pk):
    """The source with the one it was derived from, or a 404; SQL compiled once (compiled_queries.py)."""
    found = compiled_queries.fetch(
        "source-page source",
        lambda: Source.objects.select_related("original").filter(pk=compiled_queries.ID).order_by("pk")[:1],
        {compiled_queries.ID: pk},
    )
    if not found:
        raise not_found("source", pk=pk)
    return found[0]


def _source_page(source):
    # Only what the page shows, as rows; with them the track record's own statements and their decisions.
    assertions, own = source_statements(source.pk)
    derived_from, derived = source_origins(source.pk)
    track = track_record(source, own=own)
    texts = {a.claim_id: a.claim.text for a in assertions}
    right_claims, wrong_claims = decided_claims(track.upheld_claims, track.overturned_claims, texts)
    source_url = url_maker("source-detail")
    for peer in track.peers:
        peer.url = source_url(peer.source_id)
    # The peers' titles are read as values, not rows: name them, so a retitled peer shows here.
    # Past a few, the sources' own table tag (a title is a source's column): a much-quoted
    # source has hundreds of peers, and every hit of its page would read all their versions.
    if len(track.peers) > PEER_TAGS:
        cache.depends_on(Source._meta.db_table)
    else:
        cache.depends_on(*(cache_tags.object_tag(Source._meta.db_table, peer.source_id) for peer in track.peers))
    return {
        "assertions": assertions,
        "highlighted_text": highlighted_text(source.text, assertions, breaks=_segment_breaks(source)),
        "passage_items": passage_items(assertions),
        "track": track,
        "peer_rows": peer_rows(source, track.peers),
        "peer_options": peer_options(track.peers),
        "right_claims": right_claims,
        "wrong_claims": wrong_claims,
        "derived_from": derived_from,
        "derived": derived,
    }


# The source page's long lists, built in Python as highlighted_text is: a
# much-quoted source has hundreds of peers, and a template loop costs
# several times as much per row. Escaped with the standard library's
# html.escape, which Django's escape wraps (lazy-string checks and a
# SafeString per call were a tenth of the page): the same characters out.


def peer_rows(source, peers):
    compare_url = _escape(reverse("compare"))
    rows = []
    for p in peers:
        title = _escape(p.title)
        rows.append(
            f'<tr>\n        <th scope="row"><a href="{_escape(p.url)}">{title}</a></th>\n'
            f"        <td>{int(p.shared)}</td><td>{int(p.conflicts)}</td><td>{int(p.changed)}</td>\n"
            f'        <td><a href="{compare_url}?a={int(source.pk)}&amp;b={int(p.source_id)}">'
            f'compare<span class="visually-hidden"> with {title}</span></a></td>\n      </tr>'
        )
    return mark_safe("\n".join(rows))  # every value escaped above


def peer_options(peers):
    options = (
        f'<option value="{int(p.source_id)}">{_escape(p.title)} ({int(p.shared)} claim{"" if p.shared == 1 else "s"}'
        " in common)</option>"
        for p in peers
    )
    return mark_safe("".join(options))  # every value escaped


def _segment_breaks(source):
    """``(offset, label)`` where each part of an intake's text begins ("page 3", "page 4 (OCR)")."""
    from factcheck.models.intake import segments_of

    original = getattr(source, "original", None)  # select_related: no query, None when there is none
    segments = segments_of(original.segments) if original is not None else []
    # One part needs no mark, unless it was read by OCR: the reader should know that.
    if len(segments) < 2 and not any("OCR" in s["label"] for s in segments):
        return []
    return [(s["start"], s["label"]) for s in segments if s["label"]]


def highlighted_text(text, assertions, breaks=()):
    """The source text as HTML, each quoted passage a link to its claim.

    Built in Python rather than a template loop so that not a single
    character of whitespace is added to or lost from the verbatim text.
    Each assertion carries its ``claim_url``.

    Overlapping passages nest: a stretch two quotes share is a mark inside a
    mark, the innermost (shortest) passage's link inside. Only the mark where
    a passage begins (``hl-start``) draws its stance's icon, so a shared
    stretch never reads as fragments ("✗ or ✓"). Footnote markers stay in
    the text, de-emphasised. ``breaks``, ``(offset, label)`` pairs, mark where
    each page of the original begins, with an empty span whose label CSS
    draws: the text itself, and any selection of it, stays verbatim.
    """
    parts, links, marks = [], {}, {}
    words = (_("(reporting %(name)s)"), _("about %(period)s"))
    # Each break is an empty span: the text is cut there, and the break opens the piece after it.
    cuts = [_Break(offset, label) for offset, label in breaks]
    for seg in quotes.segments(text, [*assertions, *cuts]):
        if cuts:
            parts.extend(_segment_mark(s.label) for s in seg.opening if isinstance(s, _Break))
            seg = quotes.Segment(
                seg.text,
                seg.start,
                [s for s in seg.spans if not isinstance(s, _Break)],
                [s for s in seg.opening if not isinstance(s, _Break)],
            )
        anchors = "".join(f'<span class="anchor" id="a-{int(a.pk)}"></span>' for a in seg.opening)
        body = _with_quiet_footnotes(seg.text)
        if not seg.spans:
            parts.append(anchors + body)
            continue
        html = _link_open(seg.spans[0], links, words) + body + "</a>"
        for span in seg.spans:  # innermost first: each wraps the one before
            html = _mark_open(span, span in seg.opening, marks) + html + "</mark>"
        parts.append(anchors + html)
    return mark_safe("".join(parts))  # every part escaped by the helpers below


# A passage spans several segments where others overlap it: its link and marks are built once, escaped.


def _link_open(a, cache, words):
    found = cache.get(a.pk)
    if found is None:
        reporting, about = words  # translated once per text, not per passage
        # The stance first: the title names what the mark's colour shows.
        title = "".join(
            [
                str(a.get_stance_display()),
                " " + reporting % {"name": a.speaker.name} if a.speaker_id else "",
                ", " + about % {"period": a.period_display} if a.as_of else "",
                ": ",
                a.claim.text[:200],
            ]
        )
        found = cache[a.pk] = f'<a href="{_escape(a.claim_url)}" title="{_escape(title)}">'
    return found


def _mark_open(a, starts, cache):
    key = (a.pk, starts)
    found = cache.get(key)
    if found is None:
        # A quote in another language than the text around it (a Russian statement in an English report).
        lang = f' lang="{_escape(a.language)}" dir="{_escape(text_direction(a.language))}"' if a.language else ""
        found = cache[key] = (
            f'<mark class="hl hl-{_escape(a.stance)}{" hl-start" if starts else ""}"'
            f' data-claims="{int(a.claim_id)}"{lang}>'
        )
    return found


@dataclass(frozen=True)
class _Break:
    start: int
    label: str

    @property
    def end(self):
        return self.start


def _segment_mark(label):
    return format_html('<span class="segment-mark" data-label="{}" title="{}"></span>', label, label)


def _with_quiet_footnotes(text):
    """Escaped ``text``, each run of footnote markers ("[1][3]") in a span that de-emphasises it."""
    if "[" not in text:
        return _escape(text)
    out, last = [], 0
    for m in quotes.FOOTNOTE_MARKERS.finditer(text):
        out.append(_escape(text[last : m.start()]))
        out.append(format_html('<span class="footnote-marker">{}</span>', m.group()))
        last = m.end()
    out.append(_escape(text[last:]))
    return mark_safe("".join(out))  # each piece escaped above

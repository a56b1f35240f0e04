"""Pages for readers: topics, claims, sources, search."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from factcheck import cache, cache_tags, fragments, quotes
from factcheck.cache import cached_page
from factcheck.forms import ClaimFilterForm, cleaned_or_400
from factcheck.links import url_maker
from factcheck.models import Assertion, Claim, Resolution, Source, Stance, Topic
from factcheck.pagination import paginate
from factcheck.selectors.claims import claim_editorial
from factcheck.selectors.sources import listed_sources, with_assertion_counts
from factcheck.selectors.topics import claim_totals, topic_grid
from factcheck.statement_timeline import topic_timeline
from factcheck.templatetags.page_tags import clip, stance_badge
from factcheck.track_record import track_record
from factcheck.views.common import get_or_404

STANCE_ORDER = [Stance.SUPPORTS, Stance.DISPUTES, Stance.QUALIFIES]
# What a list of claims shows or filters by (status, topic, source, text): any write to these evicts it.
LISTED = (Claim, Topic, Source, Assertion, Resolution)


@require_safe
@cached_page(params=("page",), tables=(Topic, Claim))
def home(request):
    page = paginate(request, Topic.objects.by_conflicts(), 50)
    return render(request, "factcheck/home.html", {"page": page, "totals": claim_totals()})


def _get_topic(slug):
    return get_or_404(Topic.objects.all(), "topic", slug=slug)


@require_safe
@cached_page
def topic_detail(request, slug):
    topic = _get_topic(slug)
    # Read only if the page's fragment is not cached (factcheck/fragments.py).
    page = SimpleLazyObject(lambda: _topic_page(topic))
    return render(request, "factcheck/topic_detail.html", {"topic": topic, "page": page})


def _topic_page(topic):
    grid = topic_grid(topic)
    timeline = topic_timeline(grid.claims, grid.assertions)  # no query: reuses the grid's rows
    return {"columns": grid.columns, "rows": grid.rows, "timeline": timeline}


@require_safe
@cached_page(params=("page", "q", "source", "status", "topic"), tables=LISTED)
def claim_list(request):
    form = cleaned_or_400(ClaimFilterForm(request.GET))
    claims, topic, source = form.filter(Claim.objects.for_list())
    page = paginate(request, claims, settings.FACTCHECK_PAGE_SIZE)
    context = {"form": form, "page": page, "topic": topic, "source": source}
    if request.htmx:
        return render(request, "factcheck/_claim_results.html", context)
    return render(request, "factcheck/claim_list.html", context)


def _get_claim(pk):
    return get_or_404(Claim.objects.select_related("topic", "resolution__decided_by", "assigned_to"), "claim", pk=pk)


@require_safe
@cached_page
def claim_detail(request, pk):
    claim = _get_claim(pk)
    assertions = list(claim.assertions.select_related("source").order_by("source__title", "start"))
    columns = [
        {"stance": stance, "label": stance.label, "cards": [a for a in assertions if a.stance == stance]}
        for stance in STANCE_ORDER
    ]
    editorial = claim_editorial(request.user, claim, assertions)  # notes, the decision, the history
    # The fragments claim_detail.html renders, checked together: names and parts as the template gives them.
    specs = [("assertion-card", (a, a.source)) for a in assertions]
    if editorial["history_shared"]:
        specs.append(("claim-history", (claim, editorial["show_deleted"])))
    with fragments.prefetched(specs):
        return render(
            request,
            "factcheck/claim_detail.html",
            {"claim": claim, "columns": columns, "assertions": assertions, **editorial},
        )


@require_safe
@cached_page(params=("page",), tables=(Source, Assertion))
def source_list(request):
    page = paginate(request, listed_sources(), 50)
    with_assertion_counts(page)
    return render(request, "factcheck/source_list.html", {"page": page})


@require_safe
@cached_page
def source_detail(request, pk):
    source = get_or_404(Source.objects.all(), "source", pk=pk)
    # Read only if the page's fragment is not cached (factcheck/fragments.py).
    page = SimpleLazyObject(lambda: _source_page(source))
    return render(
        request, "factcheck/source_detail.html", {"source": source, "page": page, "compare_url": reverse("compare")}
    )


def _source_page(source):
    # Only what the highlights and the passage index show: hundreds of rows on a much-quoted source.
    assertions = list(
        source.assertions.select_related("claim")
        .only("id", "claim_id", "source_id", "stance", "start", "end", "claim__text")
        .order_by("start", "id")
    )
    claim_url = url_maker("claim-detail")
    for a in assertions:
        a.claim_url = claim_url(a.claim_id)
    track = track_record(source)
    source_url = url_maker("source-detail")
    for peer in track.peers:
        peer.url = source_url(peer.source_id)
    # The peers' titles are read as values, not rows: name them, so a retitled peer shows here.
    cache.depends_on(*(cache_tags.object_tag(Source._meta.db_table, peer.source_id) for peer in track.peers))
    return {
        "assertions": assertions,
        "highlighted_text": highlighted_text(source.text, assertions),
        "passage_index": passage_index(assertions),
        "track": track,
        "peer_rows": peer_rows(source, track.peers),
        "peer_options": peer_options(track.peers),
    }


# The source page's long lists, built in Python as highlighted_text is: a
# much-quoted source has hundreds of passages and peers, and a template loop
# costs several times as much per row.


def passage_index(assertions):
    """The list of quoted passages: each a link to its place in the text and one to its claim."""
    rows = (
        (a.pk, stance_badge(a.stance, a.get_stance_display()), a.claim_url, clip(a.claim.text, 120)) for a in assertions
    )
    return format_html_join("\n", '<li><a href="#a-{}">{}</a>\n        <a href="{}">{}</a></li>', rows)


def peer_rows(source, peers):
    compare_url = reverse("compare")
    rows = (
        (p.url, p.title, p.shared, p.conflicts, p.changed, compare_url, source.pk, p.source_id, p.title) for p in peers
    )
    return format_html_join(
        "\n",
        '<tr>\n        <th scope="row"><a href="{}">{}</a></th>\n        <td>{}</td><td>{}</td><td>{}</td>\n'
        '        <td><a href="{}?a={}&amp;b={}">compare<span class="visually-hidden"> with {}</span></a></td>\n'
        "      </tr>",
        rows,
    )


def peer_options(peers):
    rows = ((p.source_id, p.title, p.shared, "" if p.shared == 1 else "s") for p in peers)
    return format_html_join("", '<option value="{}">{} ({} claim{} in common)</option>', rows)


def highlighted_text(text, assertions):
    """The source text as HTML, each quoted passage a link to its claim.

    Built in Python rather than a template loop so that not a single
    character of whitespace is added to or lost from the verbatim text.
    Each assertion carries its ``claim_url``.
    """
    parts = []
    for seg in quotes.segments(text, assertions):
        anchors = format_html_join("", '<span class="anchor" id="a-{}"></span>', ((a.pk,) for a in seg.opening))
        if not seg.spans:
            parts.append(format_html("{}{}", anchors, seg.text))
            continue
        inner = seg.spans[0]
        parts.append(
            format_html(
                '{}<mark class="hl hl-{}" data-claims="{}"><a href="{}" title="{}: {}">{}</a></mark>',
                anchors,
                inner.stance,
                " ".join(str(a.claim_id) for a in seg.spans),
                inner.claim_url,
                inner.get_stance_display(),
                inner.claim.text[:200],
                seg.text,
            )
        )
    return mark_safe("".join(parts))  # every part above is escaped by format_html

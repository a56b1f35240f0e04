"""What a search returns: hits of each kind, with snippets made safe to show."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from factcheck.links import url_maker
from factcheck.quotes import without_footnotes
from factcheck.search.query import Query

KINDS = ("claims", "quotes", "notes", "sources")
KIND_LABELS = {"claims": _("Claims"), "quotes": _("Quotes"), "notes": _("Editors' notes"), "sources": _("Sources")}

# Private-use characters mark highlights inside the engines' snippets; the
# snippet is HTML-escaped first and only then are they turned into <mark>.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"

# Matches of one kind counted and ranked at most: past it a page says "more than"
# and ranks the newest this many (search/base.py, _Backend.search).
COUNT_CAP = 1000


def render_snippet(raw):
    """Escape an engine's snippet, then turn our markers (and only them) into <mark>."""
    html = escape(raw or "")
    html = re.sub(f"{MARK_OPEN}(.*?){MARK_CLOSE}", r"<mark>\1</mark>", html, flags=re.S)
    return mark_safe(html.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))


# ---------------------------------------------------------------------------
# Results


@dataclass
class Hit:
    kind: str
    id: int
    score: float
    snippet: str
    url: str
    title: str = ""
    claim_id: int = None
    claim_text: str = ""
    source_id: int = None
    source_title: str = ""
    topic_slug: str = ""
    topic_title: str = ""
    status: str = ""
    stance: str = ""
    author: str = ""

    @property
    def status_label(self):
        from factcheck.models import Status

        return Status(self.status).label if self.status in Status.values else ""


@dataclass
class KindResults:
    kind: str
    total: int
    hits: list
    capped: bool = False  # more than ``total`` (COUNT_CAP) match; the newest COUNT_CAP are ranked

    @property
    def label(self):
        return KIND_LABELS[self.kind]


@dataclass
class SearchResults:
    query: Query
    kinds: dict
    any_word: bool = False  # no document had every word; these have some
    paraphrased: bool = False  # no quote had the words: the quotes are the evidence finder's passages

    @property
    def total(self):
        return sum(r.total for r in self.kinds.values())

    @property
    def capped(self):
        """Some kind has more matches than counted: ``total`` is a lower bound."""
        return any(r.capped for r in self.kinds.values())


def _hits(kind, rows):
    """The rows' hits, their page addresses made at the cost of one ``reverse()`` for all of them."""
    if not rows:
        return []
    # A claim's page for claims and notes, a source's for quotes and sources.
    url = url_maker("claim-detail" if kind in ("claims", "notes") else "source-detail")
    return [_hit(kind, row, url) for row in rows]


def _hit(kind, row, url_of):
    pk, score, snippet, claim_id, claim_text, source_id, source_title, slug, topic_title, status, stance, author = row[
        :12
    ]
    title = row[12]
    if kind == "claims":
        url = url_of(pk)
    elif kind == "quotes":
        url = f"{url_of(source_id)}#a-{pk}"
    elif kind == "notes":
        url = f"{url_of(claim_id)}#annotation-{pk}"
    else:
        url = url_of(pk)
    return Hit(
        kind=kind,
        id=pk,
        score=float(score or 0),
        snippet=render_snippet(without_footnotes(snippet or "") if kind == "quotes" else snippet),
        url=url,
        title=render_snippet(title) if title else "",
        claim_id=claim_id,
        claim_text=claim_text or "",
        source_id=source_id,
        source_title=source_title or "",
        topic_slug=slug or "",
        topic_title=topic_title or "",
        status=status or "",
        stance=stance or "",
        author=author or "",
    )

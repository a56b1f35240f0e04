"""Editors' Markdown renders in bounded time.

Never inside a write transaction: tests/integration/test_markdown_transactions.py.

Python-Markdown, the renderer before, was quadratic in unmatched brackets: a
note of 10,000 ``[`` held a worker (and, on SQLite, the database's write lock)
for seconds to tens of seconds, and 5,000 nested ``*`` ran out of recursion.
Each pathological input below, cut to the longest text the services accept,
must render within SLOWEST_RATIO times an ordinary prose text of the same
length, both measured in this run as CPU time (no wall-clock thresholds: the
machine's speed cancels out, and so does waiting for a CPU that others
share). markdown-it's worst case here is about 18× prose, from its nesting
cap of 20 on unmatched brackets; the old renderer took up to 1,600× prose on
these at 10,000 characters, a ratio that grows with the length.
"""

import re
import time

import pytest

from factcheck import markdown
from factcheck.services import MAX_NOTE_LENGTH, MAX_RATIONALE_LENGTH

SLOWEST_RATIO = 40


def _fit(unit, length, head="", tail=""):
    """``unit`` repeated after ``head`` and before ``tail``, exactly ``length`` characters in all."""
    body = unit * ((length - len(head) - len(tail)) // len(unit) + 1)
    return (head + body)[: length - len(tail)] + tail


def _nested(opener, middle, closer, length):
    half = (length - len(middle)) // 2
    return opener * half + middle + closer * (length - len(middle) - half)


PATHOLOGICAL = {
    # The three from the security review (M1).
    "open brackets": lambda n: "[" * n,
    "bracket-a pairs": lambda n: _fit("[a", n),
    "footnote-like [^": lambda n: _fit("[^", n),
    # The rest after cmark's and markdown-it's pathological suites.
    "nested brackets": lambda n: _nested("[", "a", "]", n),
    "unclosed link destinations": lambda n: _fit("[a](b", n),
    "link openers and emphasis closers": lambda n: _fit("[ a_", n),
    "strong emphasis around brackets": lambda n: _fit("**x [", n),
    "nested * runs": lambda n: _nested("*", "a", "*", n),
    "nested _ runs": lambda n: _nested("_", "a", "_", n),
    "mismatched * and _": lambda n: _fit("*a_ ", n),
    "deep blockquote on one line": lambda n: ">" * (n - 1) + "a",
    "deep blockquote with spaces": lambda n: _fit("> ", n, tail="a"),
    "link reference chain": lambda n: _fit("[a]: /u\n[a]\n", n),
    "backtick runs of growing length": lambda n: "".join("e" + "`" * i for i in range(1, n))[:n],
    "alternating backticks": lambda n: _fit("` ", n),
    "HTML-looking open tags": lambda n: _fit("<a ", n),
    "unclosed CDATA sections": lambda n: _fit("<![CDATA[", n),
    "unclosed autolinks": lambda n: _fit("<http://", n),
    "setext headings": lambda n: _fit("a\n=\n", n),
}

PROSE = (
    "The minister said on Tuesday that the **base at Tartus** would stay open, according to "
    "[a report](https://example.org/r) from the agency; other sources deny it, and the *talks* continue.\n\n"
)

LIMITS = {"note": MAX_NOTE_LENGTH, "rationale": MAX_RATIONALE_LENGTH}


def _cpu_seconds(text):
    """CPU time of one render, and its HTML: time spent waiting for a busy CPU is not counted."""
    start = time.process_time()
    html = markdown.render(text)
    return time.process_time() - start, html


@pytest.fixture(scope="module")
def prose_seconds():
    return {field: min(_cpu_seconds(_fit(PROSE, length))[0] for _ in range(5)) for field, length in LIMITS.items()}


@pytest.mark.parametrize("field", LIMITS)
@pytest.mark.parametrize("case", PATHOLOGICAL)
def test_it_renders_a_pathological_text_about_as_fast_as_prose(case, field, prose_seconds):
    text = PATHOLOGICAL[case](LIMITS[field])
    assert len(text) == LIMITS[field]
    ratios = []
    # Up to three tries, as a cache flush or a page fault can slow one render;
    # a quadratic renderer is slow every time.
    for _ in range(3):
        seconds, html = _cpu_seconds(text)  # the old renderer raised RecursionError on nested * runs
        ratios.append(seconds / prose_seconds[field])
        if ratios[-1] <= SLOWEST_RATIO:
            break
    assert min(ratios) <= SLOWEST_RATIO, f"{case} ({len(text):,} characters) took {min(ratios):.0f}× prose"
    assert set(re.findall(r"<([a-z0-9]+)", html)) <= markdown.ALLOWED_TAGS


@pytest.mark.parametrize(
    "source, html",
    [
        ("# One", "<h4>One</h4>"),
        ("## Two", "<h5>Two</h5>"),
        ("### Three", "<h6>Three</h6>"),
        ("###### Six", "<h6>Six</h6>"),
        ("Setext\n======", "<h4>Setext</h4>"),
        ("Setext\n------", "<h5>Setext</h5>"),
    ],
)
def test_it_starts_headings_at_h4_below_the_pages_own(source, html):
    assert markdown.render(source) == html


def test_it_keeps_allowed_inline_html_and_strips_the_rest():
    html = markdown.render('H<sub>2</sub>O, <kbd>Ctrl</kbd> <span style="color:red">red</span> <script>x()</script>')
    assert html == "<p>H<sub>2</sub>O, <kbd>Ctrl</kbd> red </p>"


def test_it_remembers_short_note_texts_and_renders_long_ones_each_time():
    short, long = "A *short* note, see https://example.org/.", "word " * (markdown.MEMO_LIMIT // 5 + 1)
    markdown._note_html.cache_clear()

    assert markdown.note_html(short) == markdown.render_note(short)
    assert markdown.note_html(short) == markdown.render_note(short)
    assert markdown.note_html(long) == markdown.render_note(long)

    assert markdown._note_html.cache_info()[:2] == (1, 1)  # (hits, misses): the long text never entered

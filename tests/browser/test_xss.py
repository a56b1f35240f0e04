"""The XSS corpus (tests/xss_payloads.py) rendered in Chromium: no dialog, no script, no stray request.

Every payload goes in as a claim's text, a quoted passage of a source, an
editor's note, a resolution's rationale (and so the ClaimReview JSON-LD), a
search query and a filter; topic and source titles carry payloads too. Then a
reader and an editor walk every page that shows them. A payload "runs" if a
dialog opens, the trap set before any page script (``window.__xss``) springs,
the page asks another origin (or a URL the payload names) for anything, or
the DOM ends up with an event handler, a script URL or a script of its own.
tests/integration/test_xss.py checks the same corpus in the HTML; this checks a browser.
"""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from factcheck import services
from factcheck.models import Claim, Speaker
from factcheck.suggestions import compute_suggestions
from tests.browser.conftest import log_in
from tests.conftest import make_assertion, make_source, make_topic
from tests.xss_payloads import PAYLOADS

# What a payload would leave in the DOM if it had got through unescaped.
UNSAFE_DOM = r"""() => {
  const bad = [];
  const origin = location.origin;
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`<${tag} ${name}>`);
      if (name === 'srcdoc') bad.push(`<${tag} srcdoc>`);
      if (urlAttrs.includes(name) && /^(javascript|vbscript|data:text\/html)/.test(value)) bad.push(`<${tag} ${name}=${attr.value}>`);
      // What the payloads' htmx attributes name: a bare "xss" would also match a random CSRF token in <body hx-headers>.
      if ((name.startsWith('hx-') || name.startsWith('data-hx-')) && /\/xss|\?xss|alert\(/.test(value)) bad.push(`<${tag} ${name}=${attr.value}>`);
    }
    if (['iframe', 'frame', 'object', 'embed', 'base', 'applet', 'style'].includes(tag)) bad.push(`<${tag}>`);
    if (tag === 'meta' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh') bad.push('<meta refresh>');
    if (tag === 'link' && new URL(el.href, location.href).origin !== origin) bad.push(`<link ${el.href}>`);
    if (tag === 'script') {
      const src = el.getAttribute('src');
      const ours = src && new URL(src, location.href).origin === origin && new URL(src, location.href).pathname.startsWith('/static/');
      if (!ours && el.type !== 'application/ld+json') bad.push(`<script> ${el.outerHTML.slice(0, 80)}`);
    }
  }
  return bad;
}"""  # noqa: E501 (JavaScript, one rule a line)


def _squash(text):
    return re.sub(r"[\s\u0000-\u001f\u2028\u2029\u202e]+", "", text)


@pytest.fixture
def xss_corpus(orm, reset_corpus):
    """Every payload through every field that shows user text; half the claims resolved, half in conflict."""
    User = get_user_model()
    editor = User.objects.get(username="editor")
    lines = [f"[{i}] {payload}" for i, payload in enumerate(PAYLOADS)]
    alpha = make_source(title=PAYLOADS[0], text="\n".join(lines) + "\n", key="xss-alpha", notes=PAYLOADS[1])
    beta = make_source(title=PAYLOADS[2], text="\n".join(reversed(lines)) + "\n", key="xss-beta", author=PAYLOADS[3])
    topic = make_topic(slug="hostile-payloads", title=PAYLOADS[4], description=PAYLOADS[5])
    claims, speakers = [], []
    for i, (payload, line) in enumerate(zip(PAYLOADS, lines, strict=True)):
        claim = Claim.objects.create(topic=topic, text=payload, key=f"xss-{i}")
        supports = make_assertion(claim, alpha, "supports", line, as_of="2025-07")
        # Beta reports a speaker named by payloads: the card, grid, timeline and speaker pages show them.
        speaker = Speaker.objects.create(
            slug=f"hostile-speaker-{i}", name=payload, aliases=f"{payload}\n{PAYLOADS[-1 - i]}"
        )
        speakers.append(speaker)
        make_assertion(claim, beta, "disputes", line, as_of="2025-07", speaker=speaker)
        claims.append(claim)
        if i % 2 == 0:
            services.resolution_save(
                publish=True,
                claim=claim,
                user=editor,
                verdict="unproven",
                rationale=payload,
                prevailing=[supports],
                version=0,
            )
    noted = claims[1]
    for payload in PAYLOADS:
        services.annotation_create(claim=noted, author=editor, body=payload)
    first = noted.assertions.order_by("id").first()
    for payload in PAYLOADS[:20]:
        services.annotation_create(claim=noted, author=editor, body=payload, assertion=first)
    return {"topic": topic, "claims": claims, "noted": noted, "sources": (alpha, beta), "speakers": speakers}


class Checker:
    """Visits pages in one browser context and collects every sign of a payload running."""

    def __init__(self, page, site_url):
        self.page, self.problems, self.visited = page, [], 0
        page.on("request", self._on_request)
        self.site_url = site_url

    def _on_request(self, request):
        url = request.url
        if url.startswith("data:"):
            return
        if not url.startswith(self.site_url):
            self.problems.append(f"request to another origin: {url}")
            return
        path, _, query = url[len(self.site_url) :].partition("?")
        # Payloads name /xss, evil.example/xss… or ?xss; our own search and filter URLs carry them as the query.
        if "xss" in path.lower() or (
            "xss" in query.lower() and path not in ("/search/", "/claims/", "/accounts/login/")
        ):
            self.problems.append(f"request named by a payload: {request.method} {url}")

    def visit(self, path):
        self.page.goto(path)
        self.visited += 1
        self.inspect(path)

    def inspect(self, where):
        for item in self.page.evaluate(UNSAFE_DOM):
            self.problems.append(f"{where}: {item}")
        if self.page.evaluate("window.__xss") is not False:
            self.problems.append(f"{where}: the alert/confirm/prompt trap sprang")
        if self.page.watch.dialogs:
            self.problems.append(f"{where}: dialogs {self.page.watch.dialogs}")
            self.page.watch.dialogs.clear()

    def assert_clean(self):
        assert not self.problems, f"{len(self.problems)} signs of a payload running:\n" + "\n".join(self.problems[:40])


def test_it_runs_no_payload_on_any_page_a_reader_sees(page, site, xss_corpus):
    check = Checker(page, site.url)
    topic, claims, noted = xss_corpus["topic"], xss_corpus["claims"], xss_corpus["noted"]
    alpha, beta = xss_corpus["sources"]
    check.visit("/")
    check.visit(topic.get_absolute_url())
    check.visit(alpha.get_absolute_url())
    check.visit(beta.get_absolute_url())
    check.visit("/sources/")
    check.visit(f"/compare/?a={alpha.pk}&b={beta.pk}")
    check.visit(f"/claims/?topic={topic.slug}")
    check.visit(f"/claims/?topic={topic.slug}&page=2")
    check.visit(f"/claims/{noted.pk}/history/")
    check.visit("/speakers/")
    for speaker in xss_corpus["speakers"][:10]:
        check.visit(speaker.get_absolute_url())
    for claim, payload in zip(claims, PAYLOADS, strict=True):
        check.visit(claim.get_absolute_url())
        # Shown, as text: a field that silently dropped its payload would pass for a safe one.
        assert _squash(payload) in _squash(page.get_by_role("heading", level=1).inner_text())
    check.assert_clean()
    assert check.visited == 9 + 11 + len(PAYLOADS)


def test_it_runs_no_payload_typed_into_search_or_filters(page, site, xss_corpus):
    check = Checker(page, site.url)
    for payload in PAYLOADS:
        check.visit(f"/search/?q={quote(payload)}")
    # The claim filter echoes its words the same way; tests/integration/test_xss.py reads every payload there.
    for payload in PAYLOADS[::4]:
        check.visit(f"/claims/?q={quote(payload)}")
    # As-you-type search and the claim filter through htmx, with the hostile text typed.
    check.visit("/search/")
    for payload in PAYLOADS[:10]:
        page.locator("#id_q").fill(payload)
        page.locator("#id_q").press("Enter")
        expect(page.locator("#search-results")).to_be_visible()
        check.inspect(f"search typed {payload!r}")
    check.visit(f"/accounts/login/?next={quote(PAYLOADS[0])}")
    check.assert_clean()


def test_it_runs_no_payload_on_the_pages_an_editor_sees(page, site, xss_corpus):
    log_in(page, "editor")
    check = Checker(page, site.url)
    noted, claims = xss_corpus["noted"], xss_corpus["claims"]
    check.visit(noted.get_absolute_url())
    expect(page.locator("#annotations .note")).to_have_count(len(PAYLOADS))
    # Open every editing form on the page: the note editor, the resolution form, the notes on sources.
    page.locator("#annotations .note").first.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.locator(".note-editing textarea")).to_be_visible()
    check.inspect("note editor")
    resolved = claims[0]
    check.visit(resolved.get_absolute_url())
    page.get_by_role("link", name="Revise the decision").click()
    expect(page.locator(".resolution-form")).to_be_visible()
    check.inspect("resolution form")
    check.visit("/review/?topic=hostile-payloads")
    expect(page.locator(".review-row").first).to_be_visible()
    page.locator(".review-row").first.get_by_role("button", name=re.compile("^Assign to me")).click()
    expect(page.locator(".review-row .assignee").first).to_contain_text("you")
    check.inspect("review queue, assigned")
    # Who said it and when: the form in place of a card, its pick list naming every speaker; a speaker's own form.
    check.visit(resolved.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Edit who said it and when")).first.click()
    expect(page.locator(".attribution-editing")).to_be_visible()
    check.inspect("attribution form")
    check.visit(f"{xss_corpus['speakers'][0].get_absolute_url()}edit/")
    # What a document speaks to: a third copy of the payload lines, matched to the payload claims.
    gamma = make_source(title=PAYLOADS[6], text=xss_corpus["sources"][0].text + "Gamma.\n", key="xss-gamma")
    compute_suggestions.call(gamma.pk)
    check.visit(gamma.get_absolute_url())
    page.locator("#suggestions").scroll_into_view_if_needed()
    expect(page.locator("#suggestions li.suggestion").first).to_be_visible()
    page.locator("#suggestions .suggestion-accept summary").first.click()
    check.inspect("suggestions, an Accept form open")
    check.assert_clean()

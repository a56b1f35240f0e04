"""Reading on a phone (390 px) and a desktop (1440 px), finding a topic, search, and the paper cuts (issue 20)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, htmx_settled, log_in, screenshot, submit

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
FOOTNOTES = re.compile(r"\[\d{1,3}\]")


def _no_serious(page, label):
    serious = [v for v in axe_violations(page, label) if v["impact"] in ("serious", "critical")]
    assert not serious, f"{label}: " + "; ".join(f"{v['id']}: {v['help']} at {v['targets']}" for v in serious)


def _height(page):
    return page.evaluate("document.documentElement.scrollHeight")


def _overflows(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


# --- the topic page ---------------------------------------------------------------------------


def test_a_topic_with_conflicts_only_is_at_most_three_phone_screens_per_ten_claims(new_page):
    page = new_page(**PHONE)
    page.goto("/")
    topics = page.locator(".topic-card h3 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(topics) >= 10
    checked = 0
    for url in topics:
        page.goto(url)
        claims = page.locator(".claim-grid tbody tr").count()
        toggle = page.get_by_role("link", name=re.compile("^Conflicts only"))
        if not toggle.count():
            continue
        toggle.click()
        expect(page).to_have_url(re.compile(r"\?status=conflict$"))
        expect(toggle).to_have_attribute("aria-current", "true")
        # Per ten of the topic's claims (a topic of three still gets three screens: its header alone is one).
        budget = 3 * PHONE["height"] * max(claims, 10) / 10
        assert _height(page) <= budget, f"{url}: {_height(page)} px for {claims} claims (budget {budget:.0f})"
        assert not _overflows(page), f"{url} is wider than the phone"
        checked += 1
    assert checked >= 5  # the seed corpus has a dozen topics with a conflict


def test_a_phone_shows_each_claim_as_a_card_of_one_line_statements(new_page):
    page = new_page(**PHONE)
    page.goto("/topics/early-relations/?status=conflict")
    row = page.locator(".claim-grid tbody tr").first
    expect(row.locator(".cell-source").first).to_be_visible()  # the source names its row
    assert row.locator("td.cell-empty").first.is_hidden()  # a silent source takes no room
    statement = row.locator(".cell-assertion").first
    assert statement.bounding_box()["height"] < 40  # one line: stance, source, the quote's start
    assert row.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]
    screenshot(page, "topic-phone", max_height=1700)
    _no_serious(page, "topic, conflicts only (390px)")
    page.locator(".timeline-fold > summary").click()  # the timeline waits behind a summary
    expect(page.locator(".timeline").first).to_be_visible()


def test_a_desktop_topic_has_toggles_and_jump_links(new_page):
    page = new_page(**DESKTOP)
    page.goto("/topics/early-relations/")
    toggles = page.get_by_role("navigation", name="Which claims to show")
    expect(toggles.get_by_role("link", name=re.compile("^All"))).to_have_attribute("aria-current", "true")
    page.get_by_role("link", name="timeline").click()
    expect(page).to_have_url(re.compile("#timeline-heading$"))
    expect(page.locator("#timeline-heading")).to_be_in_viewport()
    toggles.get_by_role("link", name=re.compile("^Agreement")).click()
    expect(toggles.get_by_role("link", name=re.compile("^Agreement"))).to_have_attribute("aria-current", "true")
    statuses = page.locator(".claim-grid tbody .claim-meta .status").all_inner_texts()
    assert statuses and all("Agreement" in s for s in statuses)
    _no_serious(page, "topic, agreements (1440px)")


# --- home, search --------------------------------------------------------------------------------


def test_home_finds_the_bases_topic_as_one_types_and_keeps_focus_in_the_box(new_page):
    page = new_page(**DESKTOP)
    page.goto("/")
    intro = page.locator(".intro .lede").inner_text()
    total = int(intro.split()[0])
    counted = sum(int(n) for n in re.findall(r"(\d+) (?:with|in|changed|qualified|resolved)", intro))
    assert counted == total, f"the intro leaves claims out: {intro}"
    box = page.get_by_label("Find a topic")
    box.fill("Russian bases")
    expect(page.locator(".topic-card h3").filter(has_text="Will Russia keep its bases in Syria?")).to_have_count(1)
    expect(page.locator("#topic-results .result-count")).to_contain_text("found for “Russian bases”")
    expect(box).to_be_focused()  # the cards were swapped, not the box being typed in
    _no_serious(page, "home, topic finder (1440px)")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1440px"])
def test_search_finds_the_bases_claims_for_russian_bases_syria(new_page, viewport):
    page = new_page(**viewport)
    page.goto("/search/?q=Russian+bases+Syria")
    claims = page.locator("#r-claims").locator("xpath=..").locator(".search-hit")
    texts = claims.all_inner_texts()
    assert len(texts) == 5  # a full page of the overview
    assert any("Russia's Syrian bases" in t or "Syrian bases" in t for t in texts), texts
    expect(page.locator(".result-count")).not_to_contain_text("no result holds every word")
    total = int(re.search(r"\((\d+)\)", page.locator("#r-claims").inner_text()).group(1))
    assert total >= 10
    if viewport is DESKTOP:
        # The kinds side by side: the quotes beside the claims, not below them.
        claims_box = page.locator("#r-claims").bounding_box()
        quotes_box = page.locator("#r-quotes").bounding_box()
        assert abs(claims_box["y"] - quotes_box["y"]) < 2 and quotes_box["x"] > claims_box["x"] + 300
    assert not _overflows(page)
    _no_serious(page, f"search, Russian bases Syria ({viewport['width']}px)")


def test_search_finds_the_extradition_quotes_for_hand_over_assad(page):
    page.goto("/search/?q=hand+over+Assad&kind=quotes")
    hits = page.locator(".search-hit-quotes")
    assert hits.count() >= 3
    assert any("extradit" in t.lower() for t in hits.all_inner_texts())


# --- the source page ----------------------------------------------------------------------------


def _footnoted_source(page):
    page.goto("/sources/")
    for href in page.locator(".source-table td:first-child a").evaluate_all("els => els.map(e => e.href)"):
        page.goto(href)
        if page.locator(".footnote-marker").count():
            return href
    raise AssertionError("no source of the seed corpus has footnote markers")


def test_footnote_markers_stay_quiet_in_the_text_and_out_of_the_quotes(new_page):
    page = new_page(**PHONE)
    _footnoted_source(page)
    marker = page.locator(".footnote-marker").first
    text_size = float(page.locator(".source-text").evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert float(marker.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) < 0.8 * text_size
    # The track record before the text; the curator's notes folded.
    track = page.locator("#track-heading").bounding_box()["y"]
    assert track < page.locator("#text-heading").bounding_box()["y"]
    notes = page.locator(".source-notes-fold")
    if notes.count():
        assert notes.get_attribute("open") is None
    screenshot(page, "source-phone", max_height=1700)
    _no_serious(page, "source with footnotes (390px)")
    # Every claim quoting the source shows its quote without the markers.
    page.locator(".passage-index li a + a").first.click()
    cards = page.locator(".assertion-card .in-context")
    for text in cards.all_inner_texts():
        assert not FOOTNOTES.search(text), text


def test_overlapping_quotes_draw_one_icon_each_and_no_fragments(page, urls):
    page.goto(urls["source"])
    starts = page.locator(".source-text mark.hl-start").count()
    assert starts == page.locator(".passage-index li").count()  # each passage begins once
    icons = page.locator(".source-text mark.hl").evaluate_all(
        "els => els.map(el => [el.classList.contains('hl-start'), getComputedStyle(el, '::before').content])"
    )
    assert all((content != "none") == start for start, content in icons)
    # No mark begins or ends inside a word.
    torn = page.locator(".source-text").evaluate(
        """el => [...el.querySelectorAll('mark.hl')].filter(m => !m.parentElement.closest('mark')).filter(m => {
            const before = m.previousSibling && m.previousSibling.textContent.slice(-1);
            const after = m.nextSibling && m.nextSibling.textContent.slice(0, 1);
            const text = m.textContent;
            const word = (c) => /\\w/.test(c || '');
            return (word(before) && word(text[0])) || (word(after) && word(text.slice(-1)));
        }).map(m => m.textContent.slice(0, 40))"""
    )
    assert not torn, torn


def test_the_changed_over_time_badge_has_a_glyph_in_the_vendored_fonts(page, urls):
    page.goto(urls["topic"])
    badge = page.locator(".status-changed .status-icon, .timeline-entry .status-changed [aria-hidden]")
    glyph = badge.first.inner_text().strip() if badge.count() else "±"
    # Inter draws it if a canvas measures it the same whatever the fallback behind Inter:
    # a glyph Inter lacks would come from the fallback, monospace or serif, at different widths.
    widths = page.evaluate(
        """async (g) => {
            await document.fonts.load('16px Inter', g);
            const c = document.createElement('canvas').getContext('2d');
            return ['monospace', 'serif', 'cursive'].map(f => {
                c.font = `16px Inter, ${f}`;
                return c.measureText(g).width;
            });
        }""",
        glyph,
    )
    assert len(set(widths)) == 1, f"{glyph!r} falls back past Inter: {widths}"
    lacking = page.evaluate(
        """(g) => { const c = document.createElement('canvas').getContext('2d');
            return ['monospace', 'serif'].map(f => {
                c.font = `16px Inter, ${f}`;
                return c.measureText(g).width;
            }); }""",
        "⏱",
    )
    assert len(set(lacking)) > 1, "the check cannot tell a missing glyph"


# --- compare ----------------------------------------------------------------------------------


def test_compare_is_in_the_navigation_and_its_picker_keeps_the_choice_after_an_error(new_page):
    page = new_page(**DESKTOP)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare sources")
    choices = page.locator("#source-choices li")
    total = choices.count()
    second = choices.nth(1)
    title = second.inner_text().strip()
    second.locator("input").check()
    page.watch.allow_status(400)
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("alert")).to_contain_text(f"you chose only “{title}”")
    assert "(id " not in page.locator("main").inner_text()
    first = page.locator("#source-choices li").first
    expect(first.locator("input")).to_be_checked()
    expect(first).to_have_text(title)
    # The filter narrows the list and never hides what is ticked.
    page.get_by_label("Filter the sources by title").fill("zzzz-no-such-source")
    expect(page.locator("#source-choices li:visible")).to_have_count(1)
    page.get_by_label("Filter the sources by title").fill("")
    expect(page.locator("#source-choices li:visible")).to_have_count(total)
    _no_serious(page, "compare, one source chosen (1440px)")


# --- editors ----------------------------------------------------------------------------------


def test_focus_stays_on_what_an_htmx_swap_changed(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["claim"])
    notes = page.locator("#annotations")
    notes.get_by_label("Add a note on this claim").fill("Checked the **date**.")
    notes.get_by_role("button", name="Add note").click()
    expect(page.locator("#annotations .note")).to_have_count(1)
    # The form that held focus was replaced: focus moves into what replaced it, not back to <body>.
    page.wait_for_function("document.activeElement.closest('#annotations') !== null", timeout=5000)
    expect(page.locator("#annotations-h")).to_be_focused()


def test_an_editor_adds_a_suggested_passage_in_one_form_and_sees_its_card_at_once(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["extradition-claim"])
    before = page.locator(".assertion-card").count()
    evidence = page.locator("#evidence")
    evidence.scroll_into_view_if_needed()
    suggestions = evidence.locator(".evidence-suggestion")
    expect(suggestions.first).to_be_visible()
    htmx_settled(page)  # the section was swapped in: its forms are wired when it settles
    expect(evidence.locator(".evidence-score").first).to_contain_text("match 100%")
    assert evidence.locator("form").count() == 1 and evidence.locator("input[name=stance]").count() == 3
    page.watch.allow_status(422)
    # Without a stance the page says so itself: no browser popup, the chosen passage stays chosen.
    suggestions.nth(1).get_by_label(re.compile("Use this passage")).check()
    evidence.get_by_role("button", name="Add to claim").click()
    expect(evidence.locator("#evidence-status")).to_contain_text("choose whether the passage supports")
    expect(suggestions.nth(1).get_by_label(re.compile("Use this passage"))).to_be_checked()
    htmx_settled(page)
    # Not relevant: the first goes.
    count = suggestions.count()
    suggestions.first.get_by_role("button", name=re.compile("Not relevant")).click()
    expect(suggestions).to_have_count(count - 1)
    htmx_settled(page)
    evidence.get_by_label("qualifies the claim").check()
    evidence.get_by_role("button", name="Add to claim").click()
    expect(evidence.locator(".evidence-added")).to_contain_text("Added")
    expect(page.locator(".stance-column-qualifies .assertion-card")).not_to_have_count(0)
    expect(page.locator(".assertion-card")).to_have_count(before + 1)  # no reload
    # Focus stays in the form it was in (the button pressed), never falling back to <body>.
    assert page.evaluate("document.activeElement.closest('#evidence') !== null")
    _no_serious(page, "evidence suggestions after adding one, as editor (1440px)")


def test_the_resolve_form_defines_each_verdict_and_sits_beside_the_statements(new_page, urls):
    page = new_page(**DESKTOP)
    log_in(page, "editor")
    page.goto(urls["bases-claim"])
    page.get_by_role("link", name="Resolve this claim").click()
    form = page.locator(".resolution-form")
    expect(form.get_by_text("the situation changed, not the record")).to_be_visible()  # Outdated
    expect(form.get_by_text("parts of the claim hold and parts do not")).to_be_visible()  # Mixed
    rationale = form.locator("textarea[name=rationale]").bounding_box()
    statements = form.locator(".prevailing-choices").bounding_box()
    assert statements["x"] > rationale["x"] + rationale["width"] - 1  # beside, not below
    _no_serious(page, "resolve form, as editor (1440px)")


# --- staff ------------------------------------------------------------------------------------


def test_admin_tables_fit_1440_px_and_ask_for_no_missing_favicon(new_page, urls):
    page = new_page(**DESKTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("staff-password-123")
    submit(page, page.get_by_role("button", name="Log in"))
    claim_id = urls["claim"].strip("/").rsplit("/", 1)[1]
    for url in (
        "/admin/factcheck/source/",
        "/admin/factcheck/assertion/",
        "/admin/factcheck/claim/",
        f"/admin/factcheck/claim/{claim_id}/change/",
    ):
        page.goto(url)
        assert not _overflows(page), f"{url} is wider than the screen"
        for table in page.locator("#result_list, .inline-group table").all():
            assert table.bounding_box()["x"] + table.bounding_box()["width"] <= DESKTOP["width"], url
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_admin_offers_the_nearest_passage_and_uses_it(new_page, urls, reset_corpus):
    page = new_page(**DESKTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("staff-password-123")
    submit(page, page.get_by_role("button", name="Log in"))
    page.goto("/admin/factcheck/assertion/add/")
    claim_id = urls["claim"].strip("/").rsplit("/", 1)[1]
    source_id = urls["source"].strip("/").rsplit("/", 1)[1]
    page.locator("#id_claim").evaluate(f"(el) => {{ el.add(new Option('c', '{claim_id}', true, true)); }}")
    page.locator("#id_source").evaluate(f"(el) => {{ el.add(new Option('s', '{source_id}', true, true)); }}")
    page.locator("#id_stance").select_option("qualifies")
    page.locator("#id_quote").fill("Russia keeps its naval bases in Tartus and Hmeimim for ever")
    page.get_by_role("button", name="Save", exact=True).click()
    button = page.get_by_role("button", name="Use this passage")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

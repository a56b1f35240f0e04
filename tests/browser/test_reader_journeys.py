"""A reader browses, filters and searches, with and without JavaScript."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot

STANCES = ("Supports", "Disputes", "Qualifies")


def _follow_to_its_page(page, link, url_pattern):
    """Click ``link``, check it leads to a page at ``url_pattern`` headed with the link's text; return its URL."""
    text = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(url_pattern))
    url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
    return url


def test_it_takes_a_reader_from_the_topics_to_a_quoted_passage_and_back(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "home", max_height=1100)

    # Topics with conflicts come first: the first card leads to a disagreement.
    topic_url = _follow_to_its_page(page, page.locator(".topic-card h3 a").first, r"/topics/[\w-]+/$")
    screenshot(page, "topic", max_height=1100)

    row = page.locator(".claim-grid tbody tr").filter(has=page.locator(".status-conflict")).first
    claim_url = _follow_to_its_page(page, row.locator("th a").first, r"/claims/\d+/$")
    for stance in STANCES:
        expect(page.get_by_role("heading", level=2, name=re.compile(stance))).to_be_visible()
    supports = page.locator(".stance-column-supports .assertion-card")
    disputes = page.locator(".stance-column-disputes .assertion-card")
    expect(supports.first).to_be_visible()
    expect(disputes.first).to_be_visible()

    # Follow a disputing card to its passage in the source.
    card = disputes.first
    source_title = card.locator(".card-source").inner_text()
    quoted = card.locator("blockquote mark").inner_text()
    card.get_by_role("link", name=re.compile("Read this passage")).click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/#a-\d+$"))
    anchor_id = page.url.rsplit("#", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text(source_title)
    # The anchor is the :target and the highlighted passage right after it is on screen.
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == anchor_id
    # Several passages can start at one place: the targeted anchor's passage is the next highlight.
    passage = page.locator(f"#{anchor_id} ~ mark").first
    expect(passage).to_be_in_viewport()
    # The card leaves the source's footnote markers ([1][3]) out of the quote; the text keeps them.
    source_text = re.sub(r"\s?(?:\[\d+\])+", "", page.locator(".source-text").inner_text())
    assert " ".join(quoted.split()) in " ".join(source_text.split())
    assert passage.evaluate("el => getComputedStyle(el).outlineStyle") != "none", "the target passage is not marked"
    screenshot(page, "source-passage")

    # The passage links back to its claim; history leads back the way the reader came.
    page.go_back()
    expect(page).to_have_url(claim_url)
    page.go_back()
    expect(page).to_have_url(topic_url)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))


def test_it_links_each_highlighted_passage_to_its_claim(page):
    page.goto("/sources/")
    page.locator(".source-table tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/$"))
    screenshot(page, "source", max_height=1100)
    mark_link = page.locator(".source-text mark.hl a").first
    title = mark_link.get_attribute("title")
    href = mark_link.get_attribute("href")
    mark_link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    # The link's title begins with the stance and names the claim.
    stance, _, claim_text = title.partition(": ")
    assert stance in STANCES
    expect(page.get_by_role("heading", level=1)).to_contain_text(claim_text[:40])


def test_it_filters_the_claim_list_in_place_with_htmx(page):
    page.goto("/claims/")
    total = page.locator(".result-count").inner_text()
    page.evaluate("window.__samePage = 'still here'")

    page.get_by_label("Status").select_option("conflict")
    expect(page).to_have_url(re.compile(r"status=conflict"))
    expect(page.locator(".result-count")).not_to_have_text(total)
    rows = page.locator(".claim-row")
    assert rows.count() > 0
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".status")).to_contain_text("Conflict")
    # The list changed without a page load: the marker set on the old page survives.
    assert page.evaluate("window.__samePage") == "still here"

    page.get_by_label("Words in the claim").press_sequentially("zzzz-no-such-words", delay=10)
    expect(page.locator(".claim-list")).to_contain_text("No claims match")
    assert page.evaluate("window.__samePage") == "still here"


def test_it_filters_and_searches_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/claims/")
    page.get_by_label("Status").select_option("conflict")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=conflict"))
    expect(page.locator(".claim-row .status").first).to_contain_text("Conflict")

    page.get_by_role("searchbox", name="Search claims, quotes and sources").first.fill("Tartus")
    page.get_by_role("searchbox", name="Search claims, quotes and sources").first.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Tartus"))
    expect(page.locator("#search-results")).to_contain_text("Tartus")


def test_it_searches_from_the_header_and_opens_a_quote_in_its_source(page):
    page.goto("/")
    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill("Tartus")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Tartus"))
    expect(page.get_by_role("heading", name=re.compile(r"^Claims \(\d+\)"))).to_be_visible()
    screenshot(page, "search", max_height=1100)

    quote_link = page.locator("#search-results blockquote a").first
    quote_link.click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/#a-\d+$"))
    anchor_id = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{anchor_id} ~ mark").first).to_be_in_viewport()


def test_it_searches_as_the_reader_types_without_reloading(page):
    page.goto("/search/")
    page.evaluate("window.__samePage = 'still here'")
    page.locator("#id_q").press_sequentially("Hmeimim", delay=20)
    expect(page.locator("#search-results")).to_contain_text("Hmeimim")
    expect(page).to_have_url(re.compile(r"q=Hmeimim"))
    assert page.evaluate("window.__samePage") == "still here"

    # Narrow to quotes, then to one topic: still no page load.
    page.get_by_label("Show").select_option("quotes")
    expect(page).to_have_url(re.compile(r"kind=quotes"))
    expect(page.locator(".search-section")).to_have_count(1)
    expect(page.locator(".search-section h2")).to_contain_text("Quotes")
    assert page.evaluate("window.__samePage") == "still here"
    # Another spelling of the name finds the same passages (aliases).
    page.locator("#id_q").fill("")
    page.locator("#id_q").press_sequentially("Khmeimim", delay=20)
    expect(page).to_have_url(re.compile(r"q=Khmeimim"))
    expect(page.locator(".search-section mark").first).to_be_visible()
    topic_link = page.locator(".facets a").first
    topic_link.click()
    expect(page).to_have_url(re.compile(r"topic="))
    expect(page.locator(".active-filters .chip")).to_contain_text("Topic")


def test_it_compares_two_sources_from_a_source_page(page, urls):
    page.goto(urls["source"])
    source_title = page.get_by_role("heading", level=1).inner_text()
    picker = page.get_by_label("Compare with…")
    picker.select_option(index=1)
    other_title = picker.locator("option:checked").inner_text().rsplit(" (", 1)[0]
    page.locator("form.compare-with").get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare/\?a=\d+&b=\d+"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(source_title)
    expect(heading).to_contain_text(other_title)
    expect(page.locator(".summary-line")).to_contain_text(source_title)
    groups = page.locator(".compare-group")
    assert groups.count() > 0
    # Each group names what it holds, and every row shows both sources' quotes or their silence.
    first_group = groups.first
    expect(first_group.get_by_role("heading", level=2)).to_contain_text(re.compile(r"\(\d+ claims?\)"))
    rows = first_group.locator("tbody tr")
    assert rows.count() > 0
    assert rows.first.locator("td").count() == 2
    screenshot(page, "compare", max_height=1100)


def test_it_compares_the_sources_of_a_topic_from_its_grid(page, urls):
    page.goto(urls["topic"])
    menu = page.locator(".claim-grid thead .compare-with-menu").first
    menu.locator("summary").click()
    menu.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/compare/\?a=\d+&b=\d+&topic="))
    expect(page.locator(".chip-line")).to_contain_text("Only claims in")
    expect(page.locator(".compare-group").first).to_be_visible()


def test_it_orders_a_topic_timeline_by_the_date_each_statement_speaks_as_of(page, urls):
    page.goto(urls["bases-claim"])
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").nth(1).click()
    timeline = page.locator(".timeline-section")
    expect(timeline.get_by_role("heading", level=2, name="Timeline")).to_be_visible()
    dates = timeline.locator(".timeline-period h3 time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(dates) >= 2
    assert dates == sorted(dates), "periods must run oldest first"
    # A difference that is only one of time is labelled so, never as a conflict.
    changed = timeline.locator(".timeline-entry .status-changed")
    if changed.count():
        expect(changed.first).to_contain_text("changed over time")
        expect(timeline.locator(".time-changes")).to_contain_text("not contradictions")

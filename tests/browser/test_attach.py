"""Editors attach a selected passage to a claim, move a card by stance, remove one and undo it; readers see none.

Done from the pages with the mouse and keyboard; the selection is made the
way a drag leaves it (a DOM selection across the reader's highlights).
"""

import re

from playwright.sync_api import expect

from tests.browser.attaching import attach, choose_claim, select_passage
from tests.browser.conftest import axe_violations, htmx_settled, log_in
from tests.browser.selecting import SAME_PAGE, SELECT, same_page


def _passage_across_a_highlight():
    """A source, and words of its text that run into a quoted (highlighted) passage, on word boundaries."""
    from factcheck.models import Assertion

    for a in Assertion.objects.select_related("source").order_by("id"):
        text = a.source.text
        start = text.rfind(" ", 0, max(a.start - 30, 0)) + 1
        end = text.find(" ", a.start + 25)
        chunk = text[start:end]
        if start > 0 and end > 0 and "[" not in chunk and "\n" not in chunk and chunk.isascii() and chunk[-1].isalpha():
            return a.source, start, end
    raise AssertionError("no quoted passage with plain words around it in the corpus")


def test_it_lets_an_editor_select_text_and_attach_it_to_a_claim(page, urls, orm, reset_corpus):
    from factcheck.models import Claim

    claim = Claim.objects.filter(text__icontains="extradite").order_by("id").first()
    source, start, end = _passage_across_a_highlight()
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    panel = choose_claim(page, source, start, end, claim, words="extradite Assad", stance="qualifies")
    serious = [v for v in axe_violations(page, "attach panel, as editor") if v["impact"] in ("serious", "critical")]
    assert serious == []
    attach(page, panel, source, start, end, claim, "qualifies")


def test_it_closes_the_toolbar_with_escape_and_keeps_plain_selection(page, urls, orm):
    source, start, end = _passage_across_a_highlight()
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    toolbar = select_passage(page, start, end)
    page.keyboard.press("Escape")
    expect(toolbar).to_be_hidden()
    assert page.evaluate("window.getSelection().toString()") == source.text[start:end]


def test_it_moves_a_card_by_its_stance_and_undoes_a_removal_in_place(page, urls, orm, reset_corpus):
    from factcheck.models import Assertion

    log_in(page, "editor")
    page.goto(urls["extradition-claim"])
    page.evaluate(SAME_PAGE)
    card_id = page.locator("#column-supports .assertion-card").first.get_attribute("id")
    pk = int(card_id.split("-")[1])
    before = Assertion.objects.get(pk=pk)
    supports_count = page.locator("#column-count-supports").inner_text()

    card = page.locator(f"#{card_id}")
    card.get_by_role("link", name=re.compile("^Edit who said it and when, or its stance")).click()
    expect(page.locator(f"#{card_id}.attribution-editing")).to_be_visible()
    htmx_settled(page)
    page.locator(f"#{card_id}.attribution-editing").get_by_label("Stance").select_option("qualifies")
    page.locator(f"#{card_id}.attribution-editing").get_by_role("button", name="Save").click()
    moved = page.locator(f"#column-qualifies #{card_id}")
    expect(moved).to_be_visible()
    expect(page.locator(f"#column-supports #{card_id}")).to_have_count(0)
    expect(page.locator("#column-count-supports")).not_to_have_text(supports_count)
    assert same_page(page), "changing the stance reloaded the page"

    htmx_settled(page)
    moved.get_by_role("button", name=re.compile("^Remove from this claim")).click()
    removed = page.locator(f"#{card_id}.assertion-removed")
    expect(removed).to_contain_text("Removed")
    assert not Assertion.objects.filter(pk=pk).exists()
    htmx_settled(page)
    removed.get_by_role("button", name=re.compile("^Undo")).click()
    expect(page.locator(f"#column-qualifies #{card_id}.assertion-card")).to_be_visible()
    assert same_page(page), "removing and undoing reloaded the page"
    after = Assertion.objects.get(pk=pk)
    assert (after.quote, after.start, after.end, after.source_id, after.speaker_id) == (
        before.quote,
        before.start,
        before.end,
        before.source_id,
        before.speaker_id,
    )


def test_it_shows_a_reader_no_controls(page, urls, orm):
    source, start, end = _passage_across_a_highlight()
    log_in(page, "reader")
    page.goto(source.get_absolute_url())
    page.evaluate(SELECT, [start, end])
    # Not hidden but absent: the toolbar is rendered for editors only, so no wait can make it show.
    expect(page.locator("#attach-toolbar, #attach-panel")).to_have_count(0)
    expect(page.get_by_role("toolbar")).to_have_count(0)
    assert page.evaluate("window.getSelection().toString()") == source.text[start:end]
    page.goto(urls["extradition-claim"])
    expect(page.get_by_role("button", name=re.compile("^Remove from this claim"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Edit who said it"))).to_have_count(0)


def test_it_lets_an_editor_narrow_a_suggested_passage_before_adding_it(page, urls, orm, reset_corpus):
    from factcheck.models import Assertion, Source

    log_in(page, "editor")
    page.goto(urls["extradition-claim"])
    page.evaluate(SAME_PAGE)
    evidence = page.locator("#evidence")
    evidence.scroll_into_view_if_needed()  # suggestions load when the section comes into view
    suggestion = evidence.locator(".evidence-suggestion").first
    expect(suggestion).to_be_visible()
    whole = suggestion.get_by_label(re.compile("Use this passage")).get_attribute("value")
    controls = suggestion.locator(".narrow-controls")
    expect(controls).to_be_visible()
    controls.get_by_role("button", name="start → one word later").click()
    controls.get_by_role("button", name="end ← one word earlier").click()
    expect(controls.locator(".narrow-status")).to_contain_text("Part of it")
    radio = suggestion.get_by_label(re.compile("Use this passage"))
    expect(radio).to_be_checked()
    source_id, start, end = map(int, radio.get_attribute("value").split(":"))
    _, whole_start, whole_end = map(int, whole.split(":"))
    assert whole_start < start < end < whole_end
    chosen = Source.objects.get(pk=source_id).text[start:end]
    expect(suggestion.locator("mark.narrow-in")).to_have_text(chosen)

    qualifies = page.locator("#column-count-qualifies").inner_text()
    evidence.get_by_label("qualifies the claim").check()
    evidence.get_by_role("button", name="Add to claim").click()
    expect(evidence.locator(".evidence-added")).to_contain_text("Added")
    added = Assertion.objects.get(source_id=source_id, start=start)
    assert (added.end, added.quote) == (end, chosen)
    expect(page.locator(f"#column-qualifies #assertion-{added.pk}")).to_be_visible()
    expect(page.locator("#column-count-qualifies")).not_to_have_text(qualifies)
    assert same_page(page), "adding a narrowed passage reloaded the page"

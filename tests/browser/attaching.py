"""The attach panel as an editor drives it: select a passage, find the claim, choose a stance, attach."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import htmx_settled
from tests.browser.selecting import SELECT


def select_passage(page, start, end):
    """Select source-text characters [start, end) on the source page; returns the toolbar the selection shows."""
    page.evaluate(SELECT, [start, end])
    toolbar = page.get_by_role("toolbar", name="The selected passage")
    expect(toolbar).to_be_visible()
    return toolbar


def choose_claim(page, source, start, end, claim, *, words, stance):
    """Open the attach panel for [start, end) of ``source``, find ``claim`` by ``words`` and choose ``stance``.

    Returns the panel, ready for ``attach``.
    """
    select_passage(page, start, end).get_by_role("button", name="Attach to claim…").click()
    panel = page.locator("#attach-panel")
    expect(panel.get_by_role("heading", name="Attach the selected passage to a claim")).to_be_visible()
    expect(panel.locator(".attach-quote")).to_have_text(source.text[start:end])
    # Typed before htmx wires the finder (it settles 20 ms after the panel shows), the words are never sent.
    htmx_settled(page)
    panel.get_by_label("Find the claim by its words").fill(words)
    choice = panel.locator(f'#attach-claims input[name=claim][value="{claim.pk}"]')
    expect(choice).to_be_visible()
    choice.check()
    panel.get_by_label(f"{stance} the claim").check()
    return panel


def attach(page, panel, source, start, end, claim, stance):
    """Attach the passage chosen in ``panel`` and follow its link to the claim page.

    Checks the stored assertion and its card there; returns ``(assertion, card)``.
    """
    from factcheck.models import Assertion

    quote = source.text[start:end]
    panel.get_by_role("button", name="Attach to this claim").click()
    expect(panel.locator(".attach-done")).to_contain_text("Attached")
    attached = Assertion.objects.get(claim=claim, source=source, start=start)
    assert (attached.end, attached.quote, attached.stance) == (end, quote, stance)
    panel.get_by_role("link", name=re.compile(re.escape(claim.text[:40]))).click()
    card = page.locator(f"#column-{stance} #assertion-{attached.pk}")
    expect(card).to_be_visible()
    expect(card.locator("blockquote mark")).to_have_text(quote)
    return attached, card

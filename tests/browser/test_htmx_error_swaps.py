"""htmx answers an editor's bad input in place: the 422 form with its errors replaces the form.

The stale edit (409) is in test_editor_journeys.py; both rest on the
``responseHandling`` of base.html's htmx-config, not on a script of our own.
"""

from playwright.sync_api import expect

from tests.browser.conftest import htmx_settled, log_in

SAME_PAGE = "window.__samePage = 'still here'"


def test_it_answers_a_blank_note_in_place_with_the_reason(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["extradition-claim"])
    page.evaluate(SAME_PAGE)
    page.watch.allow_status(422)

    notes = page.locator("#annotations")
    # Spaces pass the browser's "required" but not the server, which strips them.
    notes.get_by_label("Add a note on this claim").fill("   ")
    notes.get_by_role("button", name="Add note").click()
    expect(notes.locator(".errorlist")).to_contain_text("cannot be empty")
    expect(notes.get_by_label("Add a note on this claim")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.__samePage") == "still here", "the 422 answer should be swapped in, not navigated to"

    # The swapped-in form works: the note goes in.
    htmx_settled(page)
    notes.get_by_label("Add a note on this claim").fill("Checked against the ministry's statement.")
    notes.get_by_role("button", name="Add note").click()
    expect(notes.locator(".note-body")).to_contain_text("ministry's statement")
    expect(notes.locator(".errorlist")).to_have_count(0)

"""An editor works through "What this document speaks to" on a source page: accepts two suggestions, rejects one."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import htmx_settled, log_in

SAME_PAGE = "window.__samePage = 'still here'"


def test_it_lets_an_editor_accept_two_suggestions_and_reject_one(page, orm, reset_corpus):
    from factcheck.models import Assertion, Source, Suggestion
    from factcheck.suggestions import compute

    source = Source.objects.order_by("id").first()
    compute(source)
    open_rows = Suggestion.objects.filter(source=source, state="open", claim__isnull=False)
    assert open_rows.count() >= 3, "the seed source should speak to claims it is not yet attached to"
    assertions = Assertion.objects.filter(source=source).count()

    log_in(page, "editor")
    page.goto(f"/sources/{source.pk}/")
    page.evaluate(SAME_PAGE)
    section = page.locator("#suggestions")
    section.scroll_into_view_if_needed()  # the suggestions load when the section comes into view
    entries = section.locator("li.suggestion:not(.suggestion-done)")
    expect(entries.first).to_be_visible()
    htmx_settled(page)  # a click on a form swapped in but not yet wired would post the whole page
    first_id = entries.nth(0).get_attribute("id")
    second_id = entries.nth(1).get_attribute("id")
    third_id = entries.nth(2).get_attribute("id")

    # Accept the best as suggested: two clicks.
    first = section.locator(f"#{first_id}")
    first.get_by_text("Accept", exact=False).first.click()
    first.get_by_role("button", name="Add").click()
    expect(section.locator(f"#{first_id}")).to_contain_text("Added — see claim")

    # Accept the second with another stance and a period.
    second = section.locator(f"#{second_id}")
    second.get_by_text("Accept", exact=False).first.click()
    second.get_by_label("Stance").select_option("qualifies")
    second.get_by_label("Speaks about: from").fill("2025-10")
    second.get_by_role("button", name="Add").click()
    expect(section.locator(f"#{second_id}")).to_contain_text("Added — see claim")

    # Reject the third: one click, and it is gone.
    section.locator(f"#{third_id}").get_by_role("button", name=re.compile("^Reject")).click()
    expect(section.locator(f"#{third_id}")).to_have_count(0)
    assert page.evaluate("window.__samePage") == "still here", "a decision reloaded the page"

    assert Assertion.objects.filter(source=source).count() == assertions + 2
    decided = dict(Suggestion.objects.filter(source=source).exclude(state="open").values_list("pk", "state"))
    pk = lambda element_id: int(element_id.rsplit("-", 1)[1])  # noqa: E731
    assert decided == {pk(first_id): "accepted", pk(second_id): "accepted", pk(third_id): "rejected"}
    qualified = Suggestion.objects.get(pk=pk(second_id)).assertion
    assert (qualified.stance, qualified.as_of.isoformat(), qualified.as_of_precision) == (
        "qualifies",
        "2025-10-01",
        "month",
    )
    # The link goes to the claim, where the new assertion is.
    section.locator(f"#{first_id}").get_by_role("link", name="see claim").click()
    expect(page).to_have_url(re.compile(r"/claims/\d+/#assertion-\d+$"))

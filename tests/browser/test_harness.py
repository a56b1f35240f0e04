"""The watchers themselves: a check that could never fail would prove nothing.

Each test makes a page misbehave on purpose, waits for the browser's own event
saying it happened (never a fixed delay), asserts the harness saw it, then clears
what it saw so the page's own teardown check passes. Playwright calls the
harness's listeners before it ends the wait, as they were registered first.
"""

from playwright.sync_api import expect

from tests.browser.conftest import htmx_settled, log_in
from tests.browser.test_xss import UNSAFE_DOM, Checker


def test_it_notices_a_dialog_and_springs_the_xss_trap(page):
    page.goto("/")
    assert page.evaluate("window.__xss") is False
    page.evaluate("() => { alert('caught'); }")
    assert page.watch.dialogs == ["alert: caught"]
    assert page.evaluate("window.__xss") is True
    page.watch.dialogs.clear()


def test_it_notices_an_injected_handler_that_the_csp_blocks(page):
    page.goto("/")
    # Two console errors, in either order: the image's 404, and the policy refusing its handler.
    with (
        page.expect_console_message(lambda msg: "Content Security Policy" in msg.text),
        page.expect_console_message(lambda msg: msg.location.get("url", "").endswith("/no-such.png")),
    ):
        page.evaluate(
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=/no-such.png onerror=alert(1)>')"
        )
    assert page.evaluate(UNSAFE_DOM) == ["<img onerror>"]
    refused = [e for e in page.watch.console_errors if "Content Security Policy" in e]
    assert refused, page.watch.console_errors
    assert page.watch.dialogs == []  # the policy stopped it; the DOM check still reports it
    page.watch.console_errors.clear()


def test_it_notices_a_request_to_another_origin(new_page, site):
    # The CSP would stop this fetch before it left; without it, the checker must still see it.
    page = new_page(bypass_csp=True)
    check = Checker(page, site.url)
    page.goto("/")
    with page.expect_event("requestfailed", lambda request: request.url.startswith("http://evil.example/")):
        page.evaluate("fetch('http://evil.example/xss').catch(() => null)")
    assert any("another origin" in p for p in check.problems)
    page.watch.console_errors.clear()
    page.watch.failed_requests.clear()


def test_it_notices_a_script_error(page):
    page.goto("/")
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new Error('boom'); }, 0)")
    assert any("boom" in e for e in page.watch.page_errors)
    page.watch.page_errors.clear()


def test_it_waits_until_htmx_has_wired_what_it_swapped_in(page, urls):
    log_in(page, "editor")
    page.goto(urls["bases-claim"])
    # htmx fires htmx:load on new content once it has processed it; a slow settle widens the gap to a second.
    page.evaluate(
        """() => {
          window.__loaded = [];
          document.body.addEventListener("htmx:load", (event) => window.__loaded.push(event.target.id));
          htmx.config.defaultSettleDelay = 1000;
        }"""
    )
    page.get_by_role("link", name="Resolve this claim").click()
    expect(page.locator(".resolution-form")).to_be_visible()
    assert "resolution" not in page.evaluate("window.__loaded"), "shown, but not yet wired: the gap it waits out"
    htmx_settled(page)
    assert "resolution" in page.evaluate("window.__loaded")

"""Everything by keyboard: the skip link, a visible focus on every stop, labelled forms."""

import re

import pytest
from playwright.sync_api import expect

FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  return outline || ring;
}"""


@pytest.mark.parametrize("page_type", ["home", "claim", "source"])
def test_it_skips_to_the_content_with_the_first_tab(page, urls, page_type):
    page.goto(urls[page_type])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def _tab_round(page):
    """Tab once round the page; every stop must show a visible focus indicator. Returns the stops."""
    page.evaluate("document.querySelectorAll('[data-tab-seen]').forEach(el => el.removeAttribute('data-tab-seen'))")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.locator("*:focus")
        if focused.count() == 0:  # between the last stop and the browser's own UI
            continue
        if focused.evaluate("el => el.dataset.tabSeen === '1'"):
            break  # once round the page
        focused.evaluate("el => { el.dataset.tabSeen = '1'; }")
        description = focused.evaluate("el => el.outerHTML.slice(0, 120)")
        assert focused.evaluate(FOCUS_STYLE), f"no visible focus indicator on {description}"
        assert focused.is_visible(), f"focus went to something invisible: {description}"
        seen += 1
    return seen


@pytest.mark.parametrize("page_type", ["claim", "claim-list", "login"])
def test_it_shows_where_the_focus_is_at_every_tab_stop(page, urls, page_type):
    page.goto(urls[page_type])
    assert _tab_round(page) >= 5
    page.emulate_media(color_scheme="dark")
    assert _tab_round(page) >= 5


@pytest.mark.parametrize("page_type", ["claim-list", "search", "login", "home"])
def test_it_labels_every_form_control(page, urls, page_type):
    page.goto(urls[page_type])
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML)"""
    )
    assert unlabelled == []
    assert page.locator("input:not([type=hidden]), select, textarea").count() > 0


def test_it_lets_an_editor_log_in_with_the_keyboard_alone(page, site):
    page.goto("/")
    # Tab along the header until the log-in link has focus.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Editor log in":
            break
    else:
        pytest.fail("the log-in link is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_label("Username")).to_be_visible()
    for _ in range(30):
        if page.evaluate("document.activeElement.id") == "id_username":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("editor")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(site.passwords["editor"])
    page.keyboard.press("Enter")
    expect(page.locator(".account")).to_contain_text("editor")

"""The interface in French, Russian and Arabic, switched as a reader would, and still accessible.

The switcher in the footer posts the language; the page comes back in it, at
the same address. axe-core finds no serious or critical violation in any of
them, and in Arabic the page runs right to left: the claim's columns and the
header mirror.
"""

import pytest

from tests.browser.conftest import axe_violations, screenshot, submit

# What the switcher's label and the main navigation say in each language.
LANGUAGES = {
    "fr": {"label": "Langue", "claims": "Affirmations", "direction": "ltr"},
    "ru": {"label": "Язык", "claims": "Утверждения", "direction": "ltr"},
    "ar": {"label": "اللغة", "claims": "الادعاءات", "direction": "rtl"},
}
PAGES = ["home", "claim", "source", "claim-list"]


def _switch(page, language):
    """Choose the language with the footer's switcher, as a reader would, starting in English."""
    page.get_by_label("Language").select_option(language)
    submit(page, page.get_by_role("button", name="Change language"))


def _assert_no_serious(violations):
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"- {v['id']} ({v['impact']}): {v['help']} at {v['targets']}" for v in serious)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_switches_language_and_stays_accessible(new_page, urls, language):
    words = LANGUAGES[language]
    page = new_page()
    page.goto(urls["claim"])
    _switch(page, language)
    # Back on the same page, in the chosen language.
    assert page.url.endswith(urls["claim"])
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == words["direction"]
    assert page.locator(".site-nav").get_by_role("link", name=words["claims"], exact=True).is_visible()
    assert page.get_by_label(words["label"]).input_value() == language
    for page_type in PAGES:
        page.goto(urls[page_type])
        assert page.evaluate("document.documentElement.lang") == language, page_type
        _assert_no_serious(axe_violations(page, f"{page_type} ({language})"))


def test_arabic_mirrors_the_claim_page(new_page, urls):
    page = new_page(width=1280, height=900)
    page.goto(urls["claim"])
    columns = page.locator(".stance-column")
    left_to_right = [columns.nth(i).bounding_box()["x"] for i in range(columns.count())]
    _switch(page, "ar")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    right_to_left = [columns.nth(i).bounding_box()["x"] for i in range(columns.count())]
    # The first column (supports) starts on the right in Arabic, as it starts on the left in English.
    assert left_to_right == sorted(left_to_right)
    assert right_to_left == sorted(right_to_left, reverse=True)
    # The brand, first in the header, sits at the right.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 1280 / 2
    screenshot(page, "claim-arabic", max_height=1000)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_never_scrolls_sideways_on_a_phone_in_any_language(new_page, urls, language):
    page = new_page(width=375, height=800)
    page.goto(urls["home"])
    _switch(page, language)
    for page_type in ["home", "claim", "topic", "source", "claim-list", "search"]:
        page.goto(urls[page_type])
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page_type} in {language} is {overflow}px wider than a 375px phone"

"""axe-core on every page type, in light and dark and on a phone: no serious or critical violation.

Every result (all impacts) is written to var/axe-results.json and summed up at
the end of the run, so the moderate and minor findings are visible too.
"""

import pytest

from tests.browser.conftest import axe_violations, log_in

PAGE_TYPES = [
    "home",
    "topic",
    "claim",
    "claim-list",
    "claim-list-filtered",
    "source-list",
    "source",
    "search",
    "search-empty",
    "login",
    "not-found",
    "bad-request",
    "compare",
    "compare-empty",
    "history",
    "speaker-list",
    "speaker",
]
EDITOR_PAGE_TYPES = ["claim", "extradition-claim", "review", "history", "attribution"]


def _assert_no_serious(violations):
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "axe found serious or critical violations:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['targets']}" for v in serious
    )


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_it_has_no_serious_axe_violations(page, urls, page_type):
    """Each page type in light, in dark, and on a phone (the same page, re-laid out)."""
    page.goto(urls[page_type])
    _assert_no_serious(axe_violations(page, f"{page_type} (light)"))
    page.emulate_media(color_scheme="dark")
    _assert_no_serious(axe_violations(page, f"{page_type} (dark)"))
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 375, "height": 800})
    _assert_no_serious(axe_violations(page, f"{page_type} (375px)"))


def test_it_has_no_serious_axe_violations_on_a_failed_login(page):
    log_in(page, "editor", "not-the-password")
    assert page.get_by_role("alert").is_visible()
    _assert_no_serious(axe_violations(page, "login error (light)"))


@pytest.mark.parametrize("page_type", EDITOR_PAGE_TYPES)
def test_it_has_no_serious_axe_violations_for_an_editor(page, urls, page_type):
    log_in(page, "editor")
    page.goto(urls[page_type])
    _assert_no_serious(axe_violations(page, f"{page_type}, as editor (light)"))


def test_it_has_no_serious_axe_violations_in_the_editors_forms(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["bases-claim"])
    page.get_by_role("link", name="Resolve this claim").click()
    page.locator(".resolution-form").wait_for()
    page.locator(".assertion-card summary").first.click()
    _assert_no_serious(axe_violations(page, "resolution and note forms, as editor (light)"))
    # An invalid resolution comes back with its errors marked.
    page.locator(".resolution-form").get_by_role("button", name="Resolve").click()
    page.get_by_role("alert").first.wait_for()
    _assert_no_serious(axe_violations(page, "resolution form with errors, as editor (light)"))

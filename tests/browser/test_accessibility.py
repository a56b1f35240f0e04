"""axe-core on every page type, in light and dark: no serious or critical violation.

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
]


def _assert_no_serious(violations):
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "axe found serious or critical violations:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['targets']}" for v in serious
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_it_has_no_serious_axe_violations(new_page, urls, page_type, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(urls[page_type])
    _assert_no_serious(axe_violations(page, f"{page_type} ({scheme})"))


@pytest.mark.parametrize("width", [375])
@pytest.mark.parametrize("page_type", ["home", "topic", "claim", "source"])
def test_it_has_no_serious_axe_violations_on_a_phone(new_page, urls, page_type, width):
    page = new_page(width=width, height=800)
    page.goto(urls[page_type])
    _assert_no_serious(axe_violations(page, f"{page_type} ({width}px)"))


def test_it_has_no_serious_axe_violations_on_a_failed_login(page):
    log_in(page, "editor", "not-the-password")
    assert page.get_by_role("alert").is_visible()
    _assert_no_serious(axe_violations(page, "login error (light)"))


def test_it_has_no_serious_axe_violations_for_a_logged_in_editor(page, urls):
    log_in(page, "editor")
    page.goto(urls["claim"])
    _assert_no_serious(axe_violations(page, "claim, as editor (light)"))

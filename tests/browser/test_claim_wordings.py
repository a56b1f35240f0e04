"""An editor words a claim in Arabic on the claim page: it reads right to left, and axe stays clean."""

from tests.browser.conftest import axe_violations, log_in, screenshot

AR_WORDING = "روسيا تحتفظ بقاعدة طرطوس البحرية."


def test_an_editor_adds_an_arabic_wording_that_reads_right_to_left(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["bases-claim"])
    page.get_by_text("Word this claim in another language").click()
    page.get_by_label("Language (ISO 639-1 code, e.g. ru)").fill("ar")
    page.get_by_label("Wording (replaces the one in that language, if any)").fill(AR_WORDING)
    page.get_by_role("button", name="Save wording").click()
    wording = page.locator('.claim-wording dd[lang="ar"]')
    wording.wait_for()
    assert wording.inner_text() == AR_WORDING
    assert wording.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.locator(".claim-wording dt").first.inner_text() == "Arabic"
    serious = [v for v in axe_violations(page, "claim wordings, as editor") if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    screenshot(page, "claim-wording-arabic", max_height=900)

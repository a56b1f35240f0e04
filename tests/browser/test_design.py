"""The design holds: phone to wide screen, dark mode, print, and stance never told by colour alone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

STANCE_WORDS = {"supports": "Supports", "disputes": "Disputes", "qualifies": "Qualifies"}
COLUMNS = ".stance-column"


def _boxes(page, selector):
    return [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]


@pytest.mark.parametrize(
    "page_type", ["home", "topic", "claim", "claim-list", "source-list", "source", "search", "login"]
)
def test_it_never_scrolls_sideways_on_a_phone(new_page, urls, page_type):
    page = new_page(width=375, height=800)
    page.goto(urls[page_type])
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 375px phone"


def test_it_stacks_the_stance_columns_on_a_phone(new_page, urls):
    page = new_page(width=375, height=800)
    page.goto(urls["claim"])
    boxes = _boxes(page, COLUMNS)
    assert len(boxes) == 3
    assert len({round(b["x"]) for b in boxes}) == 1, "columns should sit one above the other"
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(b["width"] >= 300 for b in boxes)
    screenshot(page, "claim-phone", max_height=1800)


def test_it_sets_the_stance_columns_side_by_side_on_a_wide_screen(new_page, urls):
    page = new_page(width=1440, height=900)
    page.goto(urls["claim"])
    boxes = _boxes(page, COLUMNS)
    assert len({round(b["y"]) for b in boxes}) == 1, "columns should share one row"
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert all(b["width"] >= 300 for b in boxes)
    # Reading lines stay a readable length even on a wide screen.
    title_width = page.get_by_role("heading", level=1).bounding_box()["width"]
    assert title_width <= 1000
    screenshot(page, "claim", max_height=1150)


def test_it_follows_the_system_dark_mode(new_page, urls):
    page = new_page(width=1280, height=900, color_scheme="dark")
    page.goto(urls["claim"])
    background, text = page.evaluate(
        """() => { const s = getComputedStyle(document.body);
                   return [s.backgroundColor, s.color]; }"""
    )
    assert _luminance(background) < 0.1 < 0.6 < _luminance(text)
    screenshot(page, "claim-dark", max_height=1100)


def test_it_prints_a_claim_without_the_site_chrome(page, urls):
    page.goto(urls["claim"])
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".assertion-card").first).to_be_visible()
    for word in STANCE_WORDS.values():
        expect(page.locator(COLUMNS).filter(has_text=word).first).to_be_visible()
    # On paper the columns run one after the other, each card whole.
    boxes = _boxes(page, COLUMNS)
    assert len({round(b["x"]) for b in boxes}) == 1
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_it_never_tells_a_stance_by_colour_alone(page, urls):
    """Each coloured stance mark also carries its name (or an icon and a title naming it)."""
    page.goto(urls["claim"])
    for stance, word in STANCE_WORDS.items():
        column = page.locator(f".stance-column-{stance}")
        expect(column.get_by_role("heading", level=2)).to_contain_text(word)
        cards = column.locator(".assertion-card")
        for i in range(cards.count()):
            expect(cards.nth(i).locator(".stance")).to_have_text(f"{_icon(stance)} {word}")

    page.goto(urls["topic"])
    cells = page.locator(".cell-assertion")
    assert cells.count() > 0
    for i in range(cells.count()):
        assert cells.nth(i).locator(".stance").inner_text().split()[-1] in STANCE_WORDS.values()

    page.goto(urls["source"])
    # Where each passage begins (overlapping passages nest, and only their start draws the icon).
    marks = page.locator(".source-text mark.hl-start")
    assert marks.count() > 0
    for i in range(min(marks.count(), 40)):
        mark = marks.nth(i)
        stance = next(
            c.removeprefix("hl-") for c in mark.get_attribute("class").split() if c.removeprefix("hl-") in STANCE_WORDS
        )
        # An icon drawn before the passage, and the stance named in the title of the link it holds.
        icon = mark.evaluate("el => getComputedStyle(el, '::before').content")
        assert _icon(stance) in icon
        own_link = mark.locator(":scope > a")
        if own_link.count():
            assert own_link.get_attribute("title").startswith(STANCE_WORDS[stance])
    index = page.locator(".passage-index .stance")
    for i in range(index.count()):
        assert index.nth(i).inner_text().split()[-1] in STANCE_WORDS.values()


def _icon(stance):
    return {"supports": "✓", "disputes": "✗", "qualifies": "≈"}[stance]


def _luminance(css_colour):
    r, g, b = (int(x) / 255 for x in css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b

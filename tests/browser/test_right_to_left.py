"""Arabic quotes read right to left on an English page, their translation beneath them."""

from tests.browser.conftest import screenshot

AR_TEXT = "قالت الحكومة السورية إن القاعدة البحرية في طرطوس ستبقى تحت السيطرة الروسية مؤقتا. ولم تذكر تفاصيل أخرى."
AR_QUOTE = "القاعدة البحرية في طرطوس ستبقى تحت السيطرة الروسية مؤقتا"


def _arabic_claim():
    from factcheck.models import Assertion, Claim, Source, Topic

    topic = Topic.objects.order_by("id").first()
    source = Source.objects.create(
        key="sana-arabic", title="بيان الحكومة السورية", publisher="SANA", language="ar", text=AR_TEXT
    )
    claim = Claim.objects.create(topic=topic, key="base-stays-russian", text="The naval base at Tartus stays Russian.")
    assertion = Assertion(
        claim=claim,
        source=source,
        stance="supports",
        quote=AR_QUOTE,
        translation="the naval base in Tartus will remain under Russian control for now",
        translation_language="en",
        translator="Layla Haddad",
    )
    assertion.locate()
    assertion.save()
    return claim, source


def _direction(page, selector):
    return page.eval_on_selector(selector, "el => getComputedStyle(el).direction")


def test_an_arabic_quote_and_text_read_right_to_left(page, site, orm, reset_corpus):
    claim, source = _arabic_claim()
    page.goto(f"{site.url}{claim.get_absolute_url()}")
    quote = "blockquote.in-context[lang='ar']"
    assert _direction(page, quote) == "rtl"
    # The page around it stays left to right, and so does the English translation beneath.
    assert _direction(page, "h1") == "ltr"
    assert _direction(page, ".quote-translation blockquote") == "ltr"
    assert page.get_by_text("Translation by").first.is_visible()
    # Right to left: of two words side by side on one line, the first sits to the right.
    first, second = (
        page.eval_on_selector(
            quote,
            f"""el => {{
                const range = document.createRange();
                const text = el.querySelector('.context').firstChild;
                const at = text.data.indexOf({word!r});
                range.setStart(text, at); range.setEnd(text, at + {len(word)});
                return range.getBoundingClientRect().left;
            }}""",
        )
        for word in ("قالت", "الحكومة")
    )
    assert first > second
    page.locator(quote).scroll_into_view_if_needed()
    screenshot(page, "arabic-quote", max_height=1400)
    page.goto(f"{site.url}{source.get_absolute_url()}")
    assert _direction(page, ".source-text") == "rtl"

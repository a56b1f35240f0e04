"""Issue 16's whole journey, from the pages alone: an editor brings two documents in and works the new source.

Drop an HTML page and a PDF, see them read, correct the metadata and save;
on the new source accept two suggestions and reject one, attach a selected
passage to a claim, remove a card and undo it; drop the page again and be
told it is stored. Then a reader sees none of it. Under pytest the live
server runs tasks at once (django-tasks' immediate backend): reading happens
during the upload, matching as the source is saved.
"""

import re

from playwright.sync_api import expect

from tests.browser.attaching import attach, choose_claim
from tests.browser.conftest import axe_violations, htmx_settled, load_language_model, log_in
from tests.browser.selecting import SAME_PAGE
from tests.intake_docs import make_html, make_pdf

# Each restates a claim of the seed corpus, so the new sources speak to them.
PAGE_PARAGRAPHS = [
    "Tartus is Russia's only naval base in the Mediterranean, the defence analyst told the paper.",
    "Russia reinforced its Qamishli base in summer 2025, satellite images published on Monday show.",
    "Alawite civilians took refuge at Russia's Hmeimim air base during the March 2025 clashes in western Syria.",
    "Russia began a military intervention in Syria's civil war in 2015, the report recalls.",
]
ATTACHED = "Russia began a military intervention in Syria's civil war in 2015"
PAGE = make_html(
    title="Russia's bases after Assad",
    paragraphs=PAGE_PARAGRAPHS,
    meta={"author": "A. Writer", "og:site_name": "The Paper", "article:published_time": "2025-11-02T08:00:00Z"},
).encode()
PDF = make_pdf(
    [
        "The 1980 Soviet-Syrian Treaty of Friendship and Cooperation is still in force, the ministry said.",
        "Losing its Syrian bases would be a major strategic setback for Russia, officials in Moscow conceded.",
    ],
    {"title": "Treaty briefing", "author": "Press office"},
)


def _serious(page, label):
    return [v for v in axe_violations(page, label) if v["impact"] in ("serious", "critical")]


def _drop(page, name, data, mime):
    page.goto("/sources/")
    page.get_by_role("link", name="Add a source").click()
    page.locator("[data-drop-zone] input[type=file]").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name="Read it").click()


def _source_id(page):
    return int(re.search(r"/sources/(\d+)/$", page.url).group(1))


def test_it_takes_an_editor_through_the_whole_journey_and_shows_a_reader_none_of_it(page, new_page, orm, reset_corpus):
    from factcheck.models import Assertion, Claim, Source, Suggestion, SuggestionRun

    # Under pytest the upload reads the document at once: its one-time model load must not count against the click.
    load_language_model()
    log_in(page, "editor")

    # (1, 2, 3) The PDF: read page by page, saved as an official document.
    _drop(page, "treaty.pdf", PDF, "application/pdf")
    expect(page).to_have_url(re.compile(r"/sources/add/\d+/$"))
    expect(page.locator("[data-intake-stage]")).to_have_text("Read")
    expect(page.get_by_label("Title")).to_have_value("Treaty briefing")
    page.get_by_label("Kind").select_option("official")
    page.get_by_role("button", name="Save the source").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treaty briefing")

    # (1, 2, 3) The page: its metadata corrected before saving.
    _drop(page, "bases.html", PAGE, "text/html")
    expect(page.locator("[data-intake-stage]")).to_have_text("Read")
    expect(page.get_by_label("Title")).to_have_value("Russia's bases after Assad")
    expect(page.get_by_label("Author")).to_have_value("A. Writer")
    assert _serious(page, "intake, a read page's metadata form") == []
    page.get_by_label("Title").fill("Russia's bases after Assad, checked")
    page.get_by_label("Author").fill("Anna Writer")
    page.get_by_label("Kind").select_option("news")
    page.get_by_role("button", name="Save the source").click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Russia's bases after Assad, checked")
    source = Source.objects.get(pk=_source_id(page))
    assert (source.author, source.kind) == ("Anna Writer", "news")
    assert SuggestionRun.objects.get(source=source).state == "done"

    # (4) What it speaks to: accept two suggestions, reject one, without leaving the page.
    page.evaluate(SAME_PAGE)
    section = page.locator("#suggestions")
    section.scroll_into_view_if_needed()  # the section loads when it comes into view
    entries = section.locator("li.suggestion:not(.suggestion-done)").filter(has_not_text="military intervention")
    expect(entries.nth(2)).to_be_visible()
    expect(section).not_to_contain_text("Matching this document")
    htmx_settled(page)
    assert _serious(page, "source page, its suggestions listed") == []
    ids = [entries.nth(i).get_attribute("id") for i in range(3)]
    for accepted in ids[:2]:
        entry = section.locator(f"#{accepted}")
        entry.get_by_text("Accept", exact=False).first.click()
        entry.get_by_role("button", name="Add").click()
        expect(section.locator(f"#{accepted}")).to_contain_text("Added — see claim")
    section.locator(f"#{ids[2]}").get_by_role("button", name=re.compile("^Reject")).click()
    expect(section.locator(f"#{ids[2]}")).to_have_count(0)
    pk = lambda element_id: int(element_id.rsplit("-", 1)[1])  # noqa: E731
    decided = dict(Suggestion.objects.filter(source=source).exclude(state="open").values_list("pk", "state"))
    assert decided == {pk(ids[0]): "accepted", pk(ids[1]): "accepted", pk(ids[2]): "rejected"}
    assert Assertion.objects.filter(source=source).count() == 2
    assert page.evaluate("window.__samePage") == "still here", "a decision reloaded the page"

    # (5) Select a sentence in the reader and attach it to its claim: the card shows the exact quote.
    claim = Claim.objects.get(text__startswith="Russia began a military intervention in Syria's civil war")
    start = source.text.index(ATTACHED)
    end = start + len(ATTACHED)
    panel = choose_claim(page, source, start, end, claim, words="military intervention civil war", stance="supports")
    attached, card = attach(page, panel, source, start, end, claim, "supports")

    # (6) Remove it from the claim, then undo: the same card comes back in place.
    page.evaluate(SAME_PAGE)
    card.get_by_role("button", name=re.compile("^Remove from this claim")).click()
    removed = page.locator(f"#assertion-{attached.pk}.assertion-removed")
    expect(removed).to_contain_text("Removed")
    assert not Assertion.objects.filter(pk=attached.pk).exists()
    htmx_settled(page)
    removed.get_by_role("button", name=re.compile("^Undo")).click()
    expect(page.locator(f"#column-supports #assertion-{attached.pk}.assertion-card")).to_be_visible()
    assert Assertion.objects.get(pk=attached.pk).quote == ATTACHED
    assert page.evaluate("window.__samePage") == "still here", "removing and undoing reloaded the page"

    # (7) The same page again: refused as already stored, with a link to the source.
    page.watch.allow_status(409)
    _drop(page, "bases-again.html", PAGE, "text/html")
    stored = page.locator(".intake-stored")
    expect(stored).to_contain_text(f"already stored as #{source.pk}")
    stored.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Russia's bases after Assad, checked")
    assert Source.objects.filter(title__startswith="Russia's bases after Assad").count() == 1

    # (8) A reader: no add link, no suggestions, no attach toolbar, no remove buttons.
    reader = new_page()
    log_in(reader, "reader")
    reader.goto("/sources/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Sources")
    expect(reader.get_by_role("link", name="Add a source")).to_have_count(0)
    reader.goto(f"/sources/{source.pk}/")
    expect(reader.locator(".source-text")).to_contain_text(ATTACHED)
    expect(reader.locator("#suggestions")).to_have_count(0)
    expect(reader.locator("#attach-toolbar")).to_have_count(0)
    reader.goto(claim.get_absolute_url())
    expect(reader.locator(f"#assertion-{attached.pk}")).to_be_visible()
    expect(reader.get_by_role("button", name=re.compile("^Remove from this claim"))).to_have_count(0)


def test_it_shows_matching_in_progress_until_the_worker_is_done(page, orm, reset_corpus):
    """A seed source was never matched: the editor asks, the section waits, and turns into the list by itself."""
    import io

    from django.core.management import call_command
    from django.test.utils import override_settings

    from factcheck.models import Source, Suggestion, SuggestionRun

    source = Source.objects.order_by("id").first()
    # Never matched, whatever tests ran before on this worker's database.
    SuggestionRun.objects.filter(source=source).delete()
    Suggestion.objects.filter(source=source).delete()
    log_in(page, "editor")
    page.goto(source.get_absolute_url())
    page.evaluate(SAME_PAGE)
    section = page.locator("#suggestions")
    section.scroll_into_view_if_needed()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        section.get_by_role("button", name="Find what this document speaks to").click()
        expect(section.get_by_role("status")).to_have_text("Matching this document against the claims…")
        assert SuggestionRun.objects.get(source=source).state == "queued"
        call_command("db_worker", batch=True, startup_delay=False, stdout=io.StringIO(), stderr=io.StringIO())
    # No reload: the polling section turns into the list once the run is done, and stops polling.
    expect(section.locator("li.suggestion").first).to_be_visible()
    expect(section.locator("[hx-trigger='every 2s']")).to_have_count(0)
    assert SuggestionRun.objects.get(source=source).state == "done"
    assert page.evaluate("window.__samePage") == "still here"

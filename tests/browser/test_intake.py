"""Adding a source, as an editor would: drop a file, watch it being read, check its metadata, save it.

The queue is the real database queue here, and its worker is run by the test
when the page is already polling: the page must get from "Waiting for a
worker" to the metadata form by itself.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.intake_docs import make_html, make_pdf

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PAGE = make_html(
    title="Base talks continue",
    meta={"author": "A. Writer", "og:site_name": "The Paper", "article:published_time": "2024-03-05T10:00:00Z"},
    canonical="https://example.org/talks",
).encode()
PDF = make_pdf(
    ["The first page: the delegation arrived on Monday.", "The second page: talks resume in the spring."],
    {"title": "Delegation report", "author": "Press office"},
)


@pytest.fixture
def database_queue():
    with override_settings(TASKS=DATABASE_QUEUE):
        yield


def _run_worker():
    call_command("db_worker", batch=True, startup_delay=False, stdout=io.StringIO(), stderr=io.StringIO())


def _drop(page, name, data, mime):
    page.goto("/sources/add/")
    page.locator("[data-drop-zone] input[type=file]").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name="Read it").click()


def test_it_takes_an_editor_from_a_dropped_file_to_a_saved_source(page, reset_corpus, orm, database_queue):
    log_in(page, "editor")
    page.goto("/sources/")
    page.get_by_role("link", name="Add a source").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a source")

    _drop(page, "talks.html", PAGE, "text/html")
    expect(page).to_have_url(re.compile(r"/sources/add/\d+/$"))
    expect(page.locator("[data-intake-stage]")).to_have_text("Waiting for a worker")
    _run_worker()
    # No reload: the polling partial turns into the metadata form once the job is read.
    expect(page.locator("[data-intake-stage]")).to_have_text("Read", timeout=15_000)
    title = page.get_by_label("Title")
    expect(title).to_have_value("Base talks continue")
    expect(page.get_by_label("Author")).to_have_value("A. Writer")
    expect(page.get_by_label("Publisher")).to_have_value("The Paper")
    expect(page.get_by_label("Published")).to_have_value("2024-03-05")
    expect(page.locator("main").get_by_label("Language")).to_have_value("en")
    title.fill("Base talks continue, checked")
    page.get_by_label("Kind").select_option("news")
    page.get_by_role("button", name="Save the source").click()

    expect(page).to_have_url(re.compile(r"/sources/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Base talks continue, checked")
    expect(page.locator(".source-original")).to_contain_text("talks.html · SHA-256")
    expect(page.locator(".source-text")).to_contain_text("Officials said the agreements would be respected")
    expect(page.locator(".source-text")).not_to_contain_text("SCRIPT-TEXT-MUST-NOT-APPEAR")

    # The same file again: refused before any work, with a link to the stored source.
    page.watch.allow_status(409)
    _drop(page, "talks-again.html", PAGE, "text/html")
    alert = page.locator(".intake-stored")
    expect(alert).to_contain_text(re.compile(r"The same file is already stored as #\d+ “Base talks continue, checked”"))
    alert.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Base talks continue, checked")


def test_it_reads_a_pdf_page_by_page_and_marks_the_pages_in_the_reader(page, reset_corpus, orm, database_queue):
    log_in(page, "editor")
    _drop(page, "report.pdf", PDF, "application/pdf")
    expect(page.locator("[data-intake-stage]")).to_have_text("Waiting for a worker")
    _run_worker()
    expect(page.locator("[data-intake-stage]")).to_have_text("Read", timeout=15_000)
    expect(page.get_by_label("Title")).to_have_value("Delegation report")
    expect(page.get_by_label("Author")).to_have_value("Press office")
    expect(page.locator(".intake-preview .segment-mark")).to_have_count(2)
    page.get_by_label("Kind").select_option("official")
    page.get_by_role("button", name="Save the source").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delegation report")
    marks = page.locator(".source-text .segment-mark")
    expect(marks).to_have_count(2)
    expect(marks.nth(1)).to_have_attribute("data-label", "page 2")
    # The labels are drawn by CSS: the text a reader selects and quotes is the document's own.
    assert "page 2" not in page.locator(".source-text").inner_text()
    download = page.request.get(page.get_by_role("link", name="Download").get_attribute("href"))
    assert download.status == 200 and download.body() == PDF
    assert download.headers["content-disposition"] == 'attachment; filename="report.pdf"'


def test_it_shows_a_reader_no_add_control_and_refuses_the_page(page):
    log_in(page, "reader")
    page.goto("/sources/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sources")
    expect(page.get_by_role("link", name="Add a source")).to_have_count(0)
    response = page.goto("/sources/add/")
    assert response.status == 403
    expect(page.locator("input[type=file]")).to_have_count(0)

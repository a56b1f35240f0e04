"""/sources/add/: who may use it, each state of a job, every failure named, and the saved source's original."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factcheck.models import IntakeJob, Source, SourceOriginal
from tests.intake_docs import (
    make_encrypted_pdf,
    make_html,
    make_pdf,
    make_zip_bomb_docx,
    truncated,
)

TEXT = "Officials said the agreements would be respected by both sides.\nTalks go on in July."


def _upload(client, name, data, **extra):
    return client.post("/sources/add/", {"file": SimpleUploadedFile(name, data), **extra})


def _job(response):
    assert response.status_code == 302, response.content[:400]
    return IntakeJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_it_sends_anonymous_visitors_to_log_in_and_refuses_readers(client, reader):
    job = IntakeJob.objects.create(pasted=TEXT)
    for path in ("/sources/add/", f"/sources/add/{job.pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(reader)
    assert client.get("/sources/add/").status_code == 403
    assert _upload(client, "a.txt", TEXT.encode()).status_code == 403
    assert client.get(f"/sources/add/{job.pk}/").status_code == 403
    assert client.post(f"/sources/add/{job.pk}/retry/").status_code == 403
    assert IntakeJob.objects.count() == 1


def test_it_shows_readers_no_add_control_and_editors_one(client, reader, editor):
    client.force_login(reader)
    assert "/sources/add/" not in client.get("/sources/").content.decode()
    client.force_login(editor)
    assert 'href="/sources/add/"' in client.get("/sources/").content.decode()


def test_it_refuses_a_post_without_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert _upload(client, "a.txt", TEXT.encode()).status_code == 403
    assert not IntakeJob.objects.exists()


def test_it_reads_a_file_prefills_its_metadata_and_saves_it_as_a_source(editor_client, editor):
    page = make_html(
        title="Base talks continue",
        meta={"author": "A. Writer", "og:site_name": "The Paper", "article:published_time": "2024-03-05T10:00:00Z"},
        canonical="https://example.org/talks",
    ).encode()
    job = _job(_upload(editor_client, "talks.html", page))
    assert job.state == "ready" and job.kind == "html"
    assert job.original.name == f"originals/{hashlib.sha256(page).hexdigest()}.html"
    html = editor_client.get(f"/sources/add/{job.pk}/").content.decode()
    assert 'value="Base talks continue"' in html and 'value="A. Writer"' in html and 'value="The Paper"' in html
    assert 'value="2024-03-05"' in html and 'value="https://example.org/talks"' in html
    assert '<option value="en" selected>' in html
    assert "every 1s" not in html  # ready: nothing left to poll for
    response = editor_client.post(
        f"/sources/add/{job.pk}/",
        {
            "title": "Talks, edited",
            "author": "A. Writer",
            "publisher": "The Paper",
            "published": "2024-03-05",
            "as_of": "2024-03",
            "kind": "news",
            "language": "en",
            "url": "https://example.org/talks",
            "notes": "",
            "key": "",
        },
    )
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sources/{source.pk}/"
    assert (source.title, source.key, source.as_of_value, source.kind) == (
        "Talks, edited",
        "talks-edited",
        "2024-03",
        "news",
    )
    assert source.history.get().history_user == editor
    original = SourceOriginal.objects.get(source=source)
    assert (original.filename, original.sha256, original.size) == (
        "talks.html",
        hashlib.sha256(page).hexdigest(),
        len(page),
    )
    job.refresh_from_db()
    assert (job.state, job.source) == ("saved", source)
    html = editor_client.get(f"/sources/add/{job.pk}/").content.decode()
    assert f'Saved as <a href="/sources/{source.pk}/">#{source.pk} “Talks, edited”</a>' in html
    # Saving the same job again (a second tab, a double click) makes nothing new.
    again = editor_client.post(f"/sources/add/{job.pk}/", {"title": "Twice", "kind": "news", "language": "en"})
    assert again.status_code == 409 and "already stored as #" in again.content.decode()
    assert Source.objects.count() == 1


def test_it_refuses_bad_metadata_naming_the_field_and_saves_nothing(editor_client):
    job = _job(_upload(editor_client, "a.txt", TEXT.encode()))
    response = editor_client.post(
        f"/sources/add/{job.pk}/", {"title": "T", "kind": "news", "language": "Russian", "as_of": "autumn"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Select a valid choice. Russian is not one of the available choices." in html
    assert "&#x27;autumn&#x27; is not a date; use YYYY, YYYY-MM or YYYY-MM-DD" in html
    assert not Source.objects.exists()


def test_it_takes_pasted_text_and_labels_it(editor_client):
    job = _job(editor_client.post("/sources/add/", {"text": TEXT}))
    assert (job.state, job.kind, job.original.name) == ("ready", "paste", "")
    assert job.segments[0]["label"] == "pasted text"
    assert editor_client.post("/sources/add/", {}).status_code == 422


def test_it_labels_each_page_in_the_preview_and_on_the_source_page(editor_client, client):
    pdf = make_pdf(["The first page of the report.", "The second page of the report."], {"title": "Report"})
    job = _job(_upload(editor_client, "report.pdf", pdf))
    html = editor_client.get(f"/sources/add/{job.pk}/").content.decode()
    assert 'data-label="page 1"' in html and 'data-label="page 2"' in html
    editor_client.post(f"/sources/add/{job.pk}/", {"title": "Report", "kind": "official", "language": "en"})
    source = Source.objects.get()
    page = client.get(f"/sources/{source.pk}/").content.decode()
    second = source.text.index("The second page")
    assert f'data-label="page 2" title="page 2"></span>{source.text[second : second + 15]}' in page
    assert f'SHA-256 <code class="sha256">{hashlib.sha256(pdf).hexdigest()}</code>' in page
    download = client.get(f"/sources/{source.pk}/original/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_it_answers_404_for_a_source_without_an_original(db, client):
    source = Source.objects.create(key="pasted", title="Pasted", text=TEXT)
    assert client.get(f"/sources/{source.pk}/original/").status_code == 404


@pytest.mark.parametrize(
    "name, data, code, words",
    [
        ("locked.pdf", make_encrypted_pdf(), "encrypted", "password"),
        ("broken.pdf", truncated(make_pdf(["Some text here."] * 3)), "corrupt", ""),
        ("picture.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "unsupported-type", ""),
        ("report.docx", make_pdf(["A PDF named as a Word file."]), "wrong-extension", ""),
        ("bomb.docx", make_zip_bomb_docx(megabytes=30), "bomb", ""),
    ],
)
def test_it_names_each_failure_and_leaves_nothing_half_made(editor_client, name, data, code, words):
    job = _job(_upload(editor_client, name, data))
    assert (job.state, job.error_code) == ("failed", code)
    assert words in job.error_message
    html = editor_client.get(f"/sources/add/{job.pk}/").content.decode()
    assert job.error_message.replace("“", "&ldquo;")[:20] in html or job.error_message[:20] in html
    assert "Try another file" in html and "every 1s" not in html
    assert not Source.objects.exists() and not SourceOriginal.objects.exists()
    # The failed upload's stored copy is deleted, not left unreferenced.
    assert job.original.name == ""
    assert not default_storage.exists(f"originals/{hashlib.sha256(data).hexdigest()}{name[name.rindex('.') :]}")


def test_it_refuses_an_upload_over_the_limit_from_its_length_before_reading_it(editor_client, settings):
    settings.FACTCHECK_INTAKE_MAX_BYTES = 1000
    response = _upload(editor_client, "big.txt", b"word " * 40_000)
    assert response.status_code == 413
    assert "the limit is 1,000 bytes" in response.content.decode()
    assert not IntakeJob.objects.exists()
    # Under the envelope's slack but over the limit: the file's own size refuses it.
    response = _upload(editor_client, "big.txt", b"word " * 300)
    assert response.status_code == 413
    assert "big.txt is 1,500 bytes; the limit is 1,000 bytes." in response.content.decode()
    assert not IntakeJob.objects.exists()


def test_it_polls_while_reading_and_serves_the_state_alone_to_htmx(editor_client):
    job = IntakeJob.objects.create(
        pasted=TEXT, state="extracting", stage="OCR page 2 of 5", progress_done=1, progress_total=5
    )
    from django.utils import timezone

    IntakeJob.objects.filter(pk=job.pk).update(heartbeat=timezone.now(), started_at=timezone.now())
    response = editor_client.get(f"/sources/add/{job.pk}/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="intake-job"')
    assert 'hx-trigger="every 1s"' in html and "OCR page 2 of 5" in html and 'max="5" value="1"' in html
    assert "<html" not in html


def test_it_reads_the_job_page_in_a_constant_number_of_queries(editor_client, django_assert_num_queries):
    # session, the user with their permissions (one query): the form itself reads nothing
    with django_assert_num_queries(2):
        editor_client.get("/sources/add/")
    job = _job(_upload(editor_client, "a.txt", TEXT.encode()))
    # session, the user with their permissions, the job with its linked sources
    with django_assert_num_queries(3):
        editor_client.get(f"/sources/add/{job.pk}/", headers={"HX-Request": "true"})


def test_it_marks_a_single_ocr_page_but_not_a_single_plain_part(db, client):
    scanned = Source.objects.create(key="scan", title="Scan", text=TEXT)
    SourceOriginal.objects.create(source=scanned, segments=[{"start": 0, "end": len(TEXT), "label": "page 1 (OCR)"}])
    pasted = Source.objects.create(key="pasted", title="Pasted", text=TEXT + " Again.")
    SourceOriginal.objects.create(source=pasted, segments=[{"start": 0, "end": len(TEXT) + 7, "label": "pasted text"}])
    assert 'data-label="page 1 (OCR)"' in client.get(f"/sources/{scanned.pk}/").content.decode()
    html = client.get(f"/sources/{pasted.pk}/").content.decode()
    assert "segment-mark" not in html and "Original" not in html  # no file: nothing to download

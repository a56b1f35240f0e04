"""Every payload of tests/xss_payloads.py, brought in as a document's text, metadata and file name, comes back inert.

The intake pages echo what a document says about itself (its title, author,
publisher, page labels) and the name it was uploaded under: all of it is the
uploader's, none of it may run. Checked as tests/integration/test_xss.py checks
the reader pages (``Tally``: read off the HTML as a browser's parser would).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from factcheck.models import IntakeJob, Source
from tests.intake_docs import make_html
from tests.integration.test_xss import Tally, shown_as_text
from tests.xss_payloads import PAYLOADS

# A whole-site sweep: make test and CI run it, make test-fast leaves it out (docs/development.md).
pytestmark = pytest.mark.sweep


@pytest.mark.django_db
def test_it_keeps_payloads_in_documents_and_file_names_inert_from_upload_to_source_page(client, editor):
    client.force_login(editor)
    tally, dropped = Tally(), []
    for n, payload in enumerate(PAYLOADS):
        page = make_html(
            title=f"{payload} {n}",
            meta={"author": payload, "og:site_name": payload},
            paragraphs=[f"Paragraph {n} opens. {payload} It closes at Tartus.", f"Second paragraph {n}."],
        )
        upload = SimpleUploadedFile(f"{payload[:40]}-{n}.html", page.encode())
        response = client.post("/sources/add/", {"file": upload})
        if response.status_code != 302:
            tally.check(response, payload)
            continue
        job = IntakeJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
        for headers in ({}, {"HX-Request": "true"}):
            tally.check(client.get(f"/sources/add/{job.pk}/", headers=headers), payload)
        if job.state != "ready":
            continue
        saved = client.post(
            f"/sources/add/{job.pk}/",
            {
                "title": job.metadata["title"][:300] or f"Untitled {n}",
                "kind": "news",
                "language": "en",
                "author": job.metadata["author"][:200],
                "publisher": job.metadata["publisher"][:200],
            },
        )
        tally.check(saved, payload)
        source = Source.objects.filter(intake_job=job).first()
        if source is None:
            continue
        shown = client.get(f"/sources/{source.pk}/")
        tally.check(shown, payload)
        if payload.strip() and not shown_as_text(shown.content.decode(), source.title):
            dropped.append((payload, "title"))
    # A pasted text is echoed in the preview.
    for payload in PAYLOADS:
        response = client.post("/sources/add/", {"text": f"Pasted. {payload} End."})
        if response.status_code == 302:
            tally.check(client.get(response["Location"]), payload)
    tally.assert_clean("intake pages")
    assert dropped == []
    assert Source.objects.count() > len(PAYLOADS) // 2  # most payloads really went all the way through

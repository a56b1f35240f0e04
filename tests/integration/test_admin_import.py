"""The admin's corpus import: its limits, text files, and editors' work (L7, M3, M4)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.http.multipartparser import MultiPartParser
from django.urls import reverse

from factcheck import corpus
from factcheck.admin import corpus_views
from factcheck.models import Annotation, Assertion, Resolution
from tests.admin_forms import upload
from tests.conftest import SAMPLE_TEXT, make_assertion, row_counts
from tests.corpus_docs import claim_record, corpus_doc, quote_record
from tests.editing import note_by, resolve

URL = "/admin/factcheck/claim/import/"


def _refused(client, name, content, status):
    """The problems shown for an upload refused with ``status``, once it is clear the upload wrote nothing."""
    before = row_counts()
    response = client.post(URL, {"file": upload(name, content)})
    assert response.status_code == status
    assert row_counts() == before
    return response.context["problems"]


def test_it_is_the_url_of_the_import_page():
    assert reverse("admin:factcheck_corpus_import") == URL


def test_it_states_the_limit_it_enforces(staff_client):
    html = staff_client.get(URL).content.decode()
    assert "at most 8 MB and 3,000 records" in html
    assert "manage.py import_corpus FILE" in html
    assert "50 MB" not in html


def test_it_refuses_an_upload_over_the_size_limit_without_parsing_it(staff_client, monkeypatch):
    monkeypatch.setattr(corpus_views, "MAX_IMPORT_BYTES", 1000)

    def parse(self):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    [problem] = _refused(staff_client, "big.json", "x" * 100_000, 413)
    assert problem.startswith("The upload is ")
    assert problem.endswith(
        "the limit is 1,000 bytes for the file: import larger files on the server with manage.py import_corpus FILE."
    )


def test_it_refuses_an_upload_with_more_records_than_one_request_can_import(staff_client, monkeypatch):
    monkeypatch.setattr(corpus_views, "MAX_IMPORT_RECORDS", 3)
    doc = {
        "format": corpus.FORMAT,
        "topics": [{"slug": f"t{n}", "title": f"T{n}?"} for n in range(2)],
        "claims": [{"key": f"c{n}", "topic": "t0", "text": f"Claim {n}.", "assertions": []} for n in range(2)],
    }
    assert _refused(staff_client, "c.json", json.dumps(doc), 413) == [
        "c.json: 4 records (sources, topics, claims and assertions); the limit here is 3: "
        "import larger files on the server with manage.py import_corpus FILE."
    ]
    doc["claims"].pop()
    assert staff_client.post(URL, {"file": upload("c.json", json.dumps(doc))}).status_code == 302


def test_it_refuses_a_text_file_in_an_upload(staff_client):
    doc = {"format": corpus.FORMAT, "sources": [{"key": "s", "title": "S", "text_file": "/proc/self/environ"}]}
    assert _refused(staff_client, "c.json", json.dumps(doc), 400) == [
        "c.json: sources[0] (key 's'): field 'text_file' cannot be used in an uploaded file; "
        "put the text in field 'text'"
    ]


# Editors' work --------------------------------------------------------------

DOC = corpus_doc(
    claim_record("tartus", "Russia keeps Tartus.", quote_record("wire", "Russia keeps its naval base at Tartus.")),
    sources=[{"key": "wire", "title": "Wire", "text": SAMPLE_TEXT}],
    topic=("bases", "Bases?"),
)


@pytest.fixture
def editors_work(db, editor):
    corpus.import_corpus(json.loads(json.dumps(DOC)), label="corpus.json")
    imported = Assertion.objects.select_related("claim", "source").get()
    claim = imported.claim
    added = make_assertion(claim, imported.source, "disputes", "The Kremlin denied that any extradition was requested.")
    note = note_by(editor, claim, "Denied, per the Kremlin.", added)
    resolution = resolve(editor, claim, "mixed", "Both.", [added, imported])
    return added, note, resolution


def _post_doc(client, **fields):
    return client.post(URL, {"file": upload("corpus.json", json.dumps(DOC)), **fields})


def test_it_lists_editors_work_a_check_would_touch(staff_client, editors_work):
    added, note, resolution = editors_work
    before = row_counts()
    response = _post_doc(staff_client, dry_run="on")
    assert response.status_code == 200
    items = response.context["result"].editorial
    assert len(items) == 3
    assert items[0].startswith(f"assertion #{added.pk} of claim 'tartus' by source 'wire'")
    assert items[1].startswith(f"note #{note.pk} by editor on assertion #{added.pk}")
    assert items[2] == (
        f"decision on claim 'tartus' (resolution #{resolution.pk}, verdict “Mixed”, version 1): "
        f"new version, prevailing assertion #{added.pk} removed"
    )
    html = response.content.decode()
    assert "It would delete or change 3 items of" in html and f"note #{note.pk} by editor" in html
    assert row_counts() == before


def test_it_refuses_to_replace_editors_work_unless_the_box_is_ticked(staff_client, editors_work):
    added, note, resolution = editors_work
    before = row_counts()
    response = _post_doc(staff_client)
    assert response.status_code == 409
    assert len(response.context["editorial_refused"]) == 3
    assert "would delete or change 3 items" in response.content.decode()
    assert row_counts() == before

    response = _post_doc(staff_client, replace_editorial="on")
    assert response.status_code == 302
    assert not Assertion.objects.filter(pk=added.pk).exists()
    note = Annotation.objects.get(pk=note.pk)
    assert note.is_deleted and note.history.first().history_user.username == "staff"
    resolution = Resolution.objects.get(pk=resolution.pk)
    assert resolution.version == 2 and resolution.prevailing.count() == 1
    page = staff_client.get(URL).content.decode()
    assert "Editors' work the import replaced, recorded in history" in page
    assert f"note #{note.pk} by editor on assertion #{added.pk}" in page


def test_it_lets_only_who_may_change_notes_and_decisions_replace_them(client, editors_work):
    user = get_user_model().objects.create_user("importer", password="importer-password-123", is_staff=True)
    codenames = [f"{a}_{m}" for m in ("source", "topic", "claim", "assertion") for a in ("add", "change", "view")]
    user.user_permissions.set(Permission.objects.filter(codename__in=[*codenames, "delete_assertion"]))
    client.force_login(user)
    before = row_counts()
    assert _post_doc(client, replace_editorial="on").status_code == 403
    assert row_counts() == before

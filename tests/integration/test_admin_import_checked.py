"""Admin import straight after “Check only”: the checked file is kept server-side, bounded, and verified."""

import json

from django.urls import reverse

from factcheck import corpus
from factcheck.admin import corpus_views
from factcheck.models import Topic
from tests.admin_forms import upload

URL = reverse("admin:factcheck_corpus_import")
DATA = {"format": corpus.FORMAT, "sources": [], "topics": [{"slug": "bases", "title": "Bases?"}], "claims": []}


def _check(client, data=DATA):
    return client.post(URL, {"file": upload("c.json", json.dumps(data)), "dry_run": "on"})


def test_it_imports_the_checked_file_without_a_second_upload(staff_client, db):
    response = _check(staff_client)
    digest = response.context["checked"]["digest"]
    assert f'name="checked" value="{digest}"' in response.content.decode()
    assert "Import “c.json” now" in response.content.decode()
    assert not Topic.objects.exists()
    response = staff_client.post(URL, {"checked": digest})
    assert response.status_code == 302
    assert Topic.objects.get().slug == "bases"
    page = staff_client.get(URL).content.decode()
    assert "Imported c.json: 1 topic created." in page
    # Kept for one import only.
    assert staff_client.post(URL, {"checked": digest}).status_code == 400


def test_it_imports_only_the_file_it_checked_last(staff_client, db):
    first = _check(staff_client).context["checked"]["digest"]
    _check(staff_client, {**DATA, "topics": [{"slug": "trade", "title": "Trade?"}]})
    response = staff_client.post(URL, {"checked": first})
    assert response.status_code == 400
    assert "choose it again" in response.content.decode()
    assert not Topic.objects.exists()


def test_it_does_not_keep_a_file_too_large_for_the_session(staff_client, db, monkeypatch):
    monkeypatch.setattr(corpus_views, "MAX_CHECKED_BYTES", 10)
    response = _check(staff_client)
    assert response.status_code == 200 and "checked" not in response.context
    assert "choose it again below" in response.content.decode()
    assert corpus_views.CHECKED_SESSION_KEY not in staff_client.session

"""Fragments every user sees alike, cached for logged-in editors under the page cache's versions.

Committed writes (``transaction=True``): inside a test's transaction nothing
is cached. Whether a fragment was rendered is counted by wrapping the reads
it makes; nothing here is timed.
"""

import pytest
from django.conf import settings
from django.test import Client

from factcheck import services
from factcheck.models import Claim, Source, Speaker
from factcheck.views import browse
from tests.conftest import make_assertion, make_conflict_claim, make_source, make_topic

committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def counted(monkeypatch):
    """How many times the topic and source pages' reads ran."""
    calls = {"topic": 0, "source": 0}
    topic_grid, track_record = browse.topic_grid, browse.track_record

    def counting_grid(topic, **kwargs):
        calls["topic"] += 1
        return topic_grid(topic, **kwargs)

    def counting_track(source, **kwargs):
        calls["source"] += 1
        return track_record(source, **kwargs)

    monkeypatch.setattr(browse, "topic_grid", counting_grid)
    monkeypatch.setattr(browse, "track_record", counting_track)
    return calls


def _corpus():
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    claim = make_conflict_claim(a, b, topic=make_topic(title="Bases"))
    return claim, a, b


def _editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@committed
def test_an_editors_topic_and_source_pages_come_from_the_fragment_cache(editor, second_editor, counted):
    claim, a, _b = _corpus()
    client = _editor_client(editor)
    urls = [f"/topics/{claim.topic.slug}/", f"/sources/{a.pk}/"]
    for url in urls:
        client.get(url)
    assert counted == {"topic": 1, "source": 1}

    for who in (client, _editor_client(second_editor)):
        for url in urls:
            # Without a CSRF cookie a session gets no copy of its own: the page is rendered, from the fragments.
            who.cookies.pop(settings.CSRF_COOKIE_NAME, None)
            page = who.get(url)
            assert page["X-Page-Cache"] == "bypass"
            assert "editor" in page.content.decode() and "X-CSRFToken" in page.content.decode()
    assert counted == {"topic": 1, "source": 1}  # the grid and the source's text were not built again


@committed
def test_an_edit_shows_at_once_in_an_editors_cached_fragments(editor, counted):
    claim, a, _b = _corpus()
    client = _editor_client(editor)
    urls = [f"/topics/{claim.topic.slug}/", f"/sources/{a.pk}/", f"/claims/{claim.pk}/"]
    for url in urls:
        client.get(url)

    Claim.objects.filter(pk=claim.pk).update(text="Syria refused to let Russia keep its bases.")
    Source.objects.filter(pk=a.pk).update(title="Alpha, retitled")

    for url in urls:
        body = client.get(url).content.decode()
        assert "Alpha, retitled" in body, url
        if "/claims/" not in url:
            assert "Syria refused" in body, url
    assert counted == {"topic": 2, "source": 2}


@committed
def test_an_anonymous_page_built_from_a_cached_fragment_still_follows_an_edit(editor, client):
    claim, _a, _b = _corpus()
    url = f"/topics/{claim.topic.slug}/"
    _editor_client(editor).get(url)  # stores the fragment
    assert client.get(url)["X-Page-Cache"] == "miss"  # the page, from the fragment
    assert client.get(url)["X-Page-Cache"] == "hit"

    Claim.objects.filter(pk=claim.pk).update(text="Syria refused to let Russia keep its bases.")

    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Syria refused" in page.content.decode()


@committed
def test_a_source_page_shows_a_retitled_peer(client):
    _claim, a, b = _corpus()
    url = f"/sources/{a.pk}/"
    assert "Beta" in client.get(url).content.decode()

    Source.objects.filter(pk=b.pk).update(title="Gamma")

    assert "Gamma" in client.get(url).content.decode()


@committed
def test_a_source_page_follows_its_origins_read_as_rows(client, editor):
    _claim, a, _b = _corpus()
    insider = services.speaker_create(name="The Insider", kind="outlet", user=editor)
    copy = make_source(title="Copy")  # quoted nowhere: the page shows it only as an origin's
    services.derivation_add(source=a, origin_speaker=insider, user=editor)
    services.derivation_add(source=copy, origin_source=a, relation="republishes", user=editor)
    url = f"/sources/{a.pk}/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    Speaker.objects.filter(pk=insider.pk).update(name="The Outsider")
    assert "The Outsider</a>" in client.get(url).content.decode()
    Source.objects.filter(pk=copy.pk).update(title="Second copy")
    assert "Second copy</a> republishes this source" in client.get(url).content.decode()


@committed
def test_an_editors_claim_page_reuses_the_shared_history_and_shows_a_new_note_in_it(editor, monkeypatch):
    from factcheck.selectors import claims as selectors

    built = []
    newest_history_keys = selectors.newest_history_keys
    monkeypatch.setattr(
        selectors, "newest_history_keys", lambda pk, **kw: built.append(pk) or newest_history_keys(pk, **kw)
    )
    claim, _a, _b = _corpus()
    client = _editor_client(editor)
    url = f"/claims/{claim.pk}/"
    client.get(url)
    client.get(url)
    assert built == [claim.pk]  # the second request took the history from the fragment cache

    assert client.post(f"{url}annotations/", {"body": "Checked with the port authority."}).status_code == 302
    page = client.get(url).content.decode()

    assert built == [claim.pk, claim.pk]
    assert 'class="history-entry history-annotation history-created"' in page


@committed
def test_staff_who_can_revert_get_their_own_history_with_its_buttons(editor, staff):
    claim, _a, _b = _corpus()
    claim.text = "Syria refused to let Russia keep its bases."
    claim.save()  # a change staff may revert
    _editor_client(editor).get(f"/claims/{claim.pk}/")  # stores the shared history
    client = Client()
    client.force_login(staff)

    page = client.get(f"/claims/{claim.pk}/").content.decode()

    assert "revert-form" in page
    assert "revert-form" not in _editor_client(editor).get(f"/claims/{claim.pk}/").content.decode()


@committed
def test_an_editors_claim_page_checks_all_its_cached_fragments_in_one_query(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = make_source(title="Gamma", text="Russia keeps its naval base at Tartus, a minister said.")
    claim, _a, _b = _corpus()
    make_assertion(claim, c, "supports", "Russia keeps its naval base at Tartus")
    client = _editor_client(editor)
    url = f"/claims/{claim.pk}/"
    client.get(url)
    # Without its CSRF cookie the session gets no copy of its own: the page is rendered from the fragments.
    del client.cookies[settings.CSRF_COOKIE_NAME]

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200

    version_reads = [q["sql"] for q in captured.captured_queries if "factcheck_cache_tag" in q["sql"]]
    assert len(version_reads) == 1  # three cards and the history, read together


@committed
def test_a_history_found_stale_with_the_cards_is_not_checked_again(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    claim, _a, _b = _corpus()
    client = _editor_client(editor)
    url = f"/claims/{claim.pk}/"
    client.get(url)
    assert client.post(f"{url}annotations/", {"body": "Checked with the port authority."}).status_code == 302
    del client.cookies[settings.CSRF_COOKIE_NAME]  # no copy of its own: rendered from the fragments

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()

    assert "Checked with the port authority." in page
    version_reads = [q["sql"] for q in captured.captured_queries if "FROM factcheck_cache_tag" in q["sql"]]
    # The cards and the stale history read together, then the new history's versions as it is stored.
    assert len(version_reads) == 2

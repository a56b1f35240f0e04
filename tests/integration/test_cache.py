"""The readers' page cache: pages keyed by a corpus version that every write bumps, from any process.

Most tests here commit their writes (``transaction=True``), as production does:
inside a test's transaction the cache stands aside, because data read there
may never be committed.
"""

import contextlib
import json

import pytest
from django.apps import apps
from django.db import OperationalError, connection, connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from factcheck import cache, cache_tags
from factcheck.derived import CACHE_TAGGED
from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Topic
from tests import servers
from tests.conftest import make_conflict_claim, make_topic
from tools.appserver import AppServer
from tools.scratchdb import scratch_database

committed = pytest.mark.django_db(transaction=True)


def _triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fcct_%%'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE 'fcct_%%'"
            )
        found = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    return found


@committed
def test_it_bumps_the_version_on_every_kind_of_write(editor):
    claim = make_conflict_claim()
    assertion = claim.assertions.first()
    writes = {
        "save": lambda: Claim.objects.get(pk=claim.pk).save(),
        "create": lambda: make_topic(),
        "QuerySet.update (no signals)": lambda: Claim.objects.filter(pk=claim.pk).update(text="Changed quietly"),
        "raw SQL": lambda: connection.cursor().execute(
            f"UPDATE {Topic._meta.db_table} SET title = 'Raw' WHERE id = %s", [claim.topic_id]
        ),
        "annotation": lambda: Annotation.objects.create(claim=claim, author=editor, body="A note"),
        "resolution": lambda: Resolution.objects.create(
            claim=claim, verdict="mixed", rationale="Both", decided_by=editor
        ),
        "many-to-many": lambda: Resolution.objects.get(claim=claim).prevailing.add(assertion),
        "bulk_create": lambda: Topic.objects.bulk_create([Topic(slug="bulk-1", title="Bulk?")]),
        "delete": lambda: Annotation.objects.all().delete(),
        "source text": lambda: Source.objects.filter(pk=assertion.source_id).update(notes="Checked"),
    }
    for name, write in writes.items():
        before = cache.corpus_version()
        write()
        assert cache.corpus_version() > before, f"{name} did not bump the corpus version"


@pytest.mark.django_db
def test_it_puts_triggers_on_every_table_of_the_app():
    per_table = 3 if connection.vendor == "sqlite" else 2  # SQLite: insert/update/delete; PostgreSQL: row + truncate
    found = _triggers()
    for model in (Source, Topic, Claim, Assertion, Annotation, Resolution, Resolution.prevailing.through):
        assert len(found.get(model._meta.db_table, ())) == per_table, model._meta.db_table
    existing = set(connection.introspection.table_names())
    app_tables = {
        m._meta.db_table
        for m in apps.get_app_config("factcheck").get_models(include_auto_created=True)
        if m._meta.db_table in existing and CACHE_TAGGED[m._meta.db_table] is not None
    }
    assert app_tables <= set(found), f"tables without triggers: {sorted(app_tables - set(found))}"


@committed
def test_it_recreates_triggers_a_table_remake_dropped():
    cache_tags.drop_triggers()
    assert _triggers() == {}
    assert Claim._meta.db_table in cache.ensure_corpus_version()
    before = cache.corpus_version()
    make_topic()
    assert cache.corpus_version() > before


@committed
def test_it_serves_a_cached_page_until_an_edit_then_the_new_page(client):
    claim = make_conflict_claim()
    url = f"/claims/{claim.pk}/"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content

    Claim.objects.filter(pk=claim.pk).update(text="Syria refused to let Russia keep its bases.")
    edited = client.get(url)
    assert edited["X-Page-Cache"] == "miss"
    assert "Syria refused to let Russia keep its bases." in edited.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"


@committed
def test_it_shows_an_edit_on_every_cached_page_that_shows_the_claim(client):
    claim = make_conflict_claim()
    urls = [
        "/",
        f"/topics/{claim.topic.slug}/",
        "/claims/",
        f"/claims/{claim.pk}/",
        "/api/claims/",
        f"/api/claims/{claim.pk}/",
    ]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    claim.text = "An edited claim, saved through the model."
    claim.save()
    for url in urls:
        if url == "/":
            continue  # home shows topics, not claim texts
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "An edited claim, saved through the model." in response.content.decode(), url


@committed
def test_a_cache_hit_costs_one_query(client, django_assert_num_queries):
    make_conflict_claim()
    client.get("/claims/")
    with django_assert_num_queries(1):  # SELECT the versions of the page's tags; the page comes from the cache
        assert client.get("/claims/")["X-Page-Cache"] == "hit"


@committed
def test_it_renders_pages_fresh_for_logged_in_users(client, editor):
    claim = make_conflict_claim()
    client.get(f"/claims/{claim.pk}/")
    client.force_login(editor)
    response = client.get(f"/claims/{claim.pk}/")
    assert response["X-Page-Cache"] == "bypass"
    assert "editor" in response.content.decode()


@committed
def test_readers_pages_carry_no_csrf_token_and_set_no_cookie(client):
    claim = make_conflict_claim()
    response = client.get(f"/claims/{claim.pk}/")
    assert response["X-Page-Cache"] == "miss"
    assert "X-CSRFToken" not in response.content.decode()
    assert not response.cookies


@committed
def test_it_never_stores_a_response_that_used_the_csrf_token_or_set_a_cookie():
    factory = RequestFactory()

    @cache.cached_page
    def with_token(request):
        return HttpResponse(f"token {get_token(request)}")

    @cache.cached_page
    def with_cookie(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    first, second = with_token(factory.get("/t/")), with_token(factory.get("/t/"))
    assert first["X-Page-Cache"] == second["X-Page-Cache"] == "bypass"
    assert first.content != second.content  # each request its own token
    assert with_cookie(factory.get("/c/"))["X-Page-Cache"] == "bypass"
    assert with_cookie(factory.get("/c/"))["X-Page-Cache"] == "bypass"


@committed
def test_it_does_not_cache_errors(client):
    assert client.get("/claims/999999/").status_code == 404
    response = client.get("/claims/999999/")
    assert response.status_code == 404
    assert response.get("X-Page-Cache") != "hit"


@committed
def test_it_keeps_the_htmx_partial_and_the_full_page_apart(client):
    make_conflict_claim()
    partial = client.get("/claims/", headers={"HX-Request": "true"})
    full = client.get("/claims/")
    assert "<html" not in partial.content.decode()
    assert "<html" in full.content.decode()
    assert "<html" not in client.get("/claims/", headers={"HX-Request": "true"}).content.decode()


@committed
def test_it_keeps_absolute_urls_of_different_hosts_apart(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "factcheck.example.org"]
    make_conflict_claim()
    here = json.loads(client.get("/api/claims/").content)
    there = json.loads(client.get("/api/claims/", headers={"Host": "factcheck.example.org"}).content)
    assert here["results"][0]["url"].startswith("http://testserver/")
    assert there["results"][0]["url"].startswith("http://factcheck.example.org/")


@pytest.mark.django_db
def test_it_stands_aside_inside_a_transaction(client):
    make_conflict_claim()
    client.get("/claims/")
    assert client.get("/claims/")["X-Page-Cache"] == "bypass"


@committed
def test_it_can_be_turned_off(client, settings):
    settings.FACTCHECK_PAGE_CACHE = False
    make_conflict_claim()
    client.get("/claims/")
    assert client.get("/claims/")["X-Page-Cache"] == "bypass"


@committed
def test_it_caches_nothing_while_the_version_row_is_missing(client):
    make_conflict_claim()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {cache.TABLE}")
    client.get("/claims/")
    assert "X-Page-Cache" not in client.get("/claims/")
    cache.ensure_corpus_version()
    client.get("/claims/")
    assert client.get("/claims/")["X-Page-Cache"] == "hit"


@committed
def test_the_version_query_doubles_as_the_connection_health_check(monkeypatch):
    """A cached page costs one query: the version read is also CONN_HEALTH_CHECKS' liveness test."""
    seen = []
    real = cache_tags.read

    def dies_once(conn, tags):
        seen.append(conn.connection)
        if len(seen) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(conn, tags)

    wrapper = connections["default"]
    closed = []
    real_close = wrapper.close
    monkeypatch.setattr(cache_tags, "read", dies_once)
    monkeypatch.setattr(wrapper, "close", lambda: closed.append(True) or real_close())
    wrapper.ensure_connection()
    wrapper.health_check_done = False  # as at the start of a request
    assert cache.corpus_version() is not None
    assert len(seen) == 2 and closed == [True]  # the dead connection was dropped, the query tried again
    assert wrapper.health_check_done  # Django's own SELECT 1 is not run as well

    # Once the connection has been checked in this request, a failure is a failure.
    seen.clear()
    with pytest.raises(OperationalError):
        cache.corpus_version()
    assert len(seen) == 1 and closed == [True]


def _edit_elsewhere(database_url, claim_id, text, how):
    """Edit a claim from a separate process, as another app server or a shell would."""
    if how == "update":
        code = f"from factcheck.models import Claim; Claim.objects.filter(pk={claim_id}).update(text={text!r})"
    else:
        code = f"from factcheck.models import Claim; c = Claim.objects.get(pk={claim_id}); c.text = {text!r}; c.save()"
    servers.manage(database_url, "shell", "-c", code)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_it_shows_an_edit_made_in_another_process_on_the_next_request_to_every_worker(backend, tmp_path, request):
    if backend == "postgres":
        scratch = scratch_database(request.getfixturevalue("postgres_server"), prefix="factcheck_t")
    else:
        scratch = contextlib.nullcontext(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    with scratch as url:
        servers.manage(url, "migrate", "--noinput", "-v", "0")
        servers.tool(url, "bench_data", "--claims", "30", "-v", "0")
        # Two app servers, each with its own in-process page cache.
        with AppServer(url) as a, AppServer(url) as b:
            claim = json.loads(a.get("/api/claims/").body)["results"][0]
            paths = [f"/claims/{claim['id']}/", "/claims/", f"/api/claims/{claim['id']}/"]
            for server in (a, b):
                for path in paths:
                    server.get(path)
                    hit = server.get(path)
                    assert hit.headers["X-Page-Cache"] == "hit", (server.port, path)
                    assert claim["text"] in hit.text

            for round_, how in enumerate(["update", "save"]):
                text = f"Edited in another process, round {round_} by {how}."
                _edit_elsewhere(url, claim["id"], text, how)
                for server in (b, a):
                    for path in paths:
                        fresh = server.get(path)
                        assert fresh.status == 200
                        assert fresh.headers["X-Page-Cache"] == "miss", (how, server.port, path)
                        assert text in fresh.text, (how, server.port, path)

"""PostgreSQL in production: settings from DATABASE_URL, the corpus-version trigger, bench_data.

These run against a PostgreSQL server whatever database the rest of the suite
uses (tests/servers.py finds or starts one); without PostgreSQL installed
they skip locally and fail under CI.
"""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection

from tests import servers
from tools.appserver import AppServer, app_env
from tools.scratchdb import is_postgres, scratch_database

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_db(postgres_server):
    """A scratch database on the server, migrated, with a small bench_data corpus."""
    with scratch_database(postgres_server, prefix="factcheck_t") as url:
        servers.manage(url, "migrate", "--noinput", "-v", "0")
        servers.tool(url, "bench_data", "--claims", "120", "-v", "0")
        yield url


def _connect(url):
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    kwargs = {"dbname": params["NAME"]}
    for key, param in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")):
        if params.get(param):
            kwargs[key] = params[param]
    return psycopg.connect(**kwargs)


def _version(url, tag="*"):
    """The version of ``tag`` (``*``: the corpus version, moved by every write); None if never bumped."""
    with _connect(url) as conn:
        row = conn.execute("SELECT version FROM factcheck_cache_tag WHERE tag = %s", [tag]).fetchone()
        return row[0] if row else None


def test_it_runs_the_suite_on_the_database_url_it_was_given():
    # Guards the second CI run: a settings slip would otherwise run it on SQLite again, unnoticed.
    expected = "postgresql" if is_postgres(os.environ.get("DATABASE_URL")) else "sqlite"
    assert connection.vendor == expected


def test_it_reads_postgres_settings_from_database_url():
    code = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default']))"
    env = app_env("postgres://news:secret@db.example.org:6432/factcheck", DJANGO_SETTINGS_MODULE="factcheck.settings")
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    db = json.loads(out.stdout)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example.org", 6432, "factcheck", "news")
    # Persistent connections, checked before reuse: no connect per request.
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True


def test_it_builds_a_bench_corpus_whose_quotes_verify(corpus_db):
    assert "All" in servers.manage(corpus_db, "verify_quotes")
    # bench_data writes its own ids; the sequences must have moved past them.
    out = servers.manage(
        corpus_db,
        "shell",
        "-c",
        "from factcheck.models import Topic, Claim; t = Topic.objects.create(slug='after-bench', title='After?'); "
        "c = Claim.objects.create(topic=t, text='A new claim'); print(c.pk > 120)",
    )
    assert out.strip().endswith("True")


def test_it_bumps_the_version_once_at_commit_and_not_before(corpus_db):
    before = _version(corpus_db)
    with _connect(corpus_db) as writer:
        writer.execute("UPDATE factcheck_claim SET text = text || '.' WHERE id IN (1, 2, 3)")
        writer.execute("UPDATE factcheck_topic SET title = title || '?' WHERE id = 1")
        # Readers must not see a version whose data they cannot see yet.
        assert _version(corpus_db) == before
        writer.commit()
    assert _version(corpus_db) == before + 1


def test_it_gives_every_tag_a_write_touched_the_transactions_one_new_version(corpus_db):
    with _connect(corpus_db) as conn:
        topic_id = conn.execute("SELECT topic_id FROM factcheck_claim WHERE id = 4").fetchone()[0]
        new_topic = conn.execute("SELECT id FROM factcheck_topic WHERE id <> %s LIMIT 1", [topic_id]).fetchone()[0]
    with _connect(corpus_db) as writer:
        writer.execute("UPDATE factcheck_claim SET topic_id = %s WHERE id = 4", [new_topic])
        writer.execute("UPDATE factcheck_source SET notes = 'Checked' WHERE id = 2")
        writer.commit()
    version = _version(corpus_db)
    touched = ["factcheck_claim", "factcheck_claim:4", f"factcheck_topic:{topic_id}", f"factcheck_topic:{new_topic}"]
    assert [_version(corpus_db, tag) for tag in [*touched, "factcheck_source:2"]] == [version] * 5
    assert _version(corpus_db, "factcheck_claim:5") != version


def test_it_rolls_the_bump_back_with_the_transaction(corpus_db):
    before = _version(corpus_db)
    with _connect(corpus_db) as writer:
        writer.execute("DELETE FROM factcheck_annotation WHERE id = 1")
        writer.rollback()
    assert _version(corpus_db) == before


def test_two_editors_never_wait_on_each_other_for_the_version_row(corpus_db):
    """The bump locks the version row only at COMMIT: an open transaction holds no lock on it."""
    before = _version(corpus_db)
    with _connect(corpus_db) as first, _connect(corpus_db) as second:
        first.execute("UPDATE factcheck_claim SET text = text || ' (1)' WHERE id = 10")
        second.execute("SET lock_timeout = '5s'")
        done = threading.Event()

        def commit_second():
            second.execute("UPDATE factcheck_claim SET text = text || ' (2)' WHERE id = 11")
            second.commit()
            done.set()

        thread = threading.Thread(target=commit_second)
        thread.start()
        thread.join(10)
        assert done.is_set(), "the second editor's commit waited on the first editor's open transaction"
        first.commit()
    assert _version(corpus_db) == before + 2


COUNTS = "SELECT claim_count, conflict_count, agreement_count, resolved_count FROM factcheck_topic WHERE id = %s"
COUNTED = (
    "SELECT count(*), count(*) FILTER (WHERE status = 'conflict'), count(*) FILTER (WHERE status = 'agreement'),"
    " count(*) FILTER (WHERE status = 'resolved') FROM factcheck_claim WHERE topic_id = %s"
)


def test_bench_data_leaves_every_topic_counted(corpus_db):
    with _connect(corpus_db) as conn:
        topics = [row[0] for row in conn.execute("SELECT id FROM factcheck_topic")]
        assert topics
        for topic in topics:
            assert conn.execute(COUNTS, [topic]).fetchone() == conn.execute(COUNTED, [topic]).fetchone()
        total = conn.execute("SELECT sum(claim_count) FROM factcheck_topic").fetchone()[0]
        assert total == conn.execute("SELECT count(*) FROM factcheck_claim").fetchone()[0] >= 120


INSERT_CLAIM = (
    "INSERT INTO factcheck_claim (topic_id, key, text, kind, status, source_count, origin_count, version,"
    " created_at, updated_at)"
    " VALUES (%s, %s, 'Concurrent claim', 'event', %s, 0, 0, 1, now(), now())"
)


def _second_writer_waits_for_the_first(url, first_claim, second_claim):
    """Insert ``first_claim`` and, from another connection, ``second_claim``; True if the second waited on a lock.

    Each is ``(topic id, key, status)``. The first holds its transaction open
    until PostgreSQL itself reports the second as waiting on a lock (or 10 s
    pass), then commits; the second commits as soon as it may.
    """
    with _connect(url) as first, _connect(url) as second, _connect(url) as watcher:
        watcher.autocommit = True  # pg_stat_activity is read afresh in each statement
        first.execute(INSERT_CLAIM, first_claim)
        thread = threading.Thread(target=lambda: (second.execute(INSERT_CLAIM, second_claim), second.commit()))
        thread.start()
        waited = False
        for _ in range(200):
            row = watcher.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [second.info.backend_pid]
            ).fetchone()
            if row and row[0] == "Lock":
                waited = True
                break
            threading.Event().wait(0.05)
        first.commit()
        thread.join(10)
        assert not thread.is_alive(), "the second writer never finished"
    return waited


def test_two_writers_adding_claims_to_one_topic_lose_no_count(corpus_db):
    """The second writer's trigger waits for the first's lock on the topic row, then adds to what it committed.

    A trigger that recounted from its own snapshot would miss the first
    writer's claim; adding one to the latest row cannot.
    """
    with _connect(corpus_db) as conn:
        topic = conn.execute("SELECT id FROM factcheck_topic ORDER BY id LIMIT 1").fetchone()[0]
        before = conn.execute(COUNTS, [topic]).fetchone()

    waited = _second_writer_waits_for_the_first(
        corpus_db, [topic, "concurrent-1", "conflict"], [topic, "concurrent-2", "single"]
    )

    assert waited, "the second writer should wait for the first writer's topic row"
    with _connect(corpus_db) as conn:
        after = conn.execute(COUNTS, [topic]).fetchone()
        assert after == (before[0] + 2, before[1] + 1, before[2], before[3])
        assert after == conn.execute(COUNTED, [topic]).fetchone()


TOTALS = "SELECT name, n FROM factcheck_totals WHERE n <> 0"
COUNTED_TOTALS = (
    "SELECT 'claims', count(*) FROM factcheck_claim UNION ALL SELECT 'topics', count(*) FROM factcheck_topic"
    " UNION ALL SELECT 'claims:' || status, count(*) FROM factcheck_claim GROUP BY status"
)


def test_two_writers_adding_claims_to_different_topics_lose_no_total(corpus_db):
    """Both writers' triggers take the ``claims`` totals row first: the second waits for the first's commit."""
    with _connect(corpus_db) as conn:
        one, other = [row[0] for row in conn.execute("SELECT id FROM factcheck_topic ORDER BY id DESC LIMIT 2")]
        before = dict(conn.execute(TOTALS).fetchall())

    waited = _second_writer_waits_for_the_first(corpus_db, [one, "totals-1", "conflict"], [other, "totals-2", "single"])

    assert waited, "the second writer should wait for the first writer's totals row"
    with _connect(corpus_db) as conn:
        after = dict(conn.execute(TOTALS).fetchall())
        assert after["claims"] == before["claims"] + 2
        assert after["claims:conflict"] == before.get("claims:conflict", 0) + 1
        assert after["claims:single"] == before.get("claims:single", 0) + 1
        assert after == {name: n for name, n in conn.execute(COUNTED_TOTALS).fetchall() if n}


def test_it_serves_and_caches_pages_from_postgres(corpus_db):
    with AppServer(corpus_db) as server:
        claim = json.loads(server.get("/api/claims/").body)["results"][0]
        assert server.get(f"/claims/{claim['id']}/").headers["X-Page-Cache"] == "miss"
        hit = server.get(f"/claims/{claim['id']}/")
        assert hit.status == 200 and hit.headers["X-Page-Cache"] == "hit"
        assert server.get("/").status == 200


def test_a_cached_page_survives_a_dropped_connection_with_one_query(corpus_db):
    # The version query stands in for CONN_HEALTH_CHECKS' SELECT 1: when PostgreSQL drops
    # the connection (a restart, an idle timeout), the next request must reconnect, not fail.
    code = """
import psycopg
from django.db import connection
from factcheck import cache
before = cache.corpus_version()
wanted = ("host", "port", "user", "password", "dbname")
params = {k: v for k, v in connection.get_connection_params().items() if k in wanted}
with psycopg.connect(**params, autocommit=True) as other:
    other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
connection.health_check_done = False  # a new request
print("version after reconnect:", cache.corpus_version() == before)
"""
    out = servers.manage(corpus_db, "shell", "-c", code)
    assert "version after reconnect: True" in out

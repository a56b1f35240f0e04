"""Many editors saving at once, from several processes, against one database file (or server).

Each worker process reads a note or a resolution, then saves it with the version
it read (tests/concurrency_worker.py). Hot targets are shared by every worker,
cold ones belong to one worker. Afterwards:
- no save failed for any reason but a stale version (no "database is locked");
- on every target the successful saves form one unbroken chain of versions,
  each based on the one before: no two saves from the same version both won,
  so no update was lost, and the final text is the last successful save's;
- every successful save has exactly one history row, and history has nothing else;
- every stale save was refused because someone else's save had moved the version on;
- cold targets, which nobody else touches, never conflict.
Runs on a temporary SQLite file (WAL), and on a temporary PostgreSQL database when
DATABASE_URL points at PostgreSQL.
"""

import json
import os
import subprocess
import sys
from collections import defaultdict

import pytest
from django.conf import settings

from tools.scratchdb import scratch_database

WORKERS = 6
OPS = 30

pytestmark = pytest.mark.slow


def _run(url, *args, check=True):
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.run(
        [sys.executable, "-m", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert out.returncode == 0, out.stderr[-3000:]
    return out


@pytest.fixture
def database_url():
    """A fresh, migrated database of the kind the suite runs on, outside the test transaction."""
    with scratch_database(os.environ.get("DATABASE_URL", ""), prefix="factcheck_conc") as url:
        _run(url, "django", "migrate", "--noinput")
        yield url


def test_it_loses_no_edit_when_many_editors_save_at_once(database_url, tmp_path):
    targets = json.loads(_run(database_url, "tests.concurrency_worker", "setup", "--workers", str(WORKERS)).stdout)
    go = tmp_path / "go"
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "DATABASE_URL": database_url}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.concurrency_worker",
                "work",
                "--worker",
                str(i),
                "--ops",
                str(OPS),
                "--go",
                str(go),
                "--barrier",
                str(barrier),
                "--workers",
                str(WORKERS),
                "--targets",
                json.dumps(targets),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(WORKERS)
    ]
    go.touch()
    records = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        records += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    state = json.loads(_run(database_url, "tests.concurrency_worker", "dump").stdout)

    assert len(records) == WORKERS * OPS
    errors = [r for r in records if r["result"] == "error"]
    assert errors == [], errors[:5]

    by_target = defaultdict(list)
    for r in records:
        by_target[(r["kind"], r["pk"])].append(r)
    lost = 0
    for (kind, pk), recs in by_target.items():
        final = state[kind].get(str(pk))
        oks = sorted((r for r in recs if r["result"] == "ok"), key=lambda r: r["version"])
        assert oks, f"no save on {kind} {pk} succeeded"
        # One unbroken chain: each success is based on the version just before it.
        start = 1 if kind == "note" else 0
        assert [r["based_on"] for r in oks] == list(range(start, start + len(oks))), (kind, pk)
        assert [r["version"] for r in oks] == list(range(start + 1, start + 1 + len(oks))), (kind, pk)
        if (final["version"], final["text"]) != (oks[-1]["version"], oks[-1]["text"]):
            lost += 1
        # Exactly one history row per success, and no history row without one.
        changes = [(v, t) for v, t, kind_of_row in final["history"] if v > start]
        assert sorted(changes) == sorted((r["version"], r["text"]) for r in oks), (kind, pk)
        for r in recs:
            if r["result"] == "stale":
                assert r["current"] is None or r["current"] > r["based_on"], r
        if kind == "resolution":
            assert final["claim_status"] == "resolved"
    assert lost == 0

    ok = sum(r["result"] == "ok" for r in records)
    stale = sum(r["result"] == "stale" for r in records)
    cold = {("note", pk) for pk in targets["cold_notes"]} | {("resolution", pk) for pk in targets["cold_claims"]}
    assert all(r["result"] == "ok" for r in records if (r["kind"], r["pk"]) in cold)
    # Every worker's first save came after all had read the same version (the barrier): one won.
    first = [r for r in records if r["op"] == 0]
    assert len({r["based_on"] for r in first}) == 1, first
    assert sorted(r["result"] for r in first) == ["ok"] + ["stale"] * (WORKERS - 1), first
    assert stale > 0, "the hot targets never collided: the test did not test anything"
    vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
    print(
        f"\nconcurrency [{vendor}]: {WORKERS} processes, {len(records)} saves: {ok} applied, {stale} refused "
        f"as stale (409), {len(errors)} errors, {lost} lost updates, {len(by_target)} targets"
    )

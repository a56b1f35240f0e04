"""A reduced, bounded run of `python -m tools.loadtest`: gunicorn on loopback, readers and editors, a worker killed.

No timing is asserted (the figures come from `make loadtest`); what must hold is
that nothing answered 5xx, gunicorn replaced the killed worker and kept serving,
and the database came out whole: every claim's status re-derives to what is
stored, no orphan or half-written rows, every acknowledged write present.
Runs on a scratch SQLite file, or a scratch database on the PostgreSQL server
of DATABASE_URL.
"""

import os

import pytest

from tools import loadtest
from tools.appserver import AppServer
from tools.scratchdb import scratch_database

pytestmark = pytest.mark.slow


def test_it_serves_mixed_load_and_survives_a_killed_worker_without_damage():
    with scratch_database(os.environ.get("DATABASE_URL", ""), prefix="factcheck_load") as url:
        targets = loadtest.prepare(url, editors=2)
        with AppServer(url, workers=2) as server:
            run = loadtest.run_load(
                server, targets, users=6, editors=2, max_requests=240, max_seconds=45, kills=1, seed=7
            )
            respawned = server.wait_for_workers()
            after = loadtest.request("GET", server.port, "/healthz").status
            assert loadtest.request("GET", server.port, "/claims/").status == 200
        integrity = loadtest.check_integrity(url, run)
    figures = loadtest.summary(run)
    print(f"\nload [{integrity['vendor']}]: {figures}\nintegrity: {integrity}")

    assert figures["5xx"] == 0
    assert figures["login_failures"] == []
    assert figures["other_4xx"] == 0
    # Only the request in flight on the killed worker may be cut; a client bug would show here as more.
    assert figures["connection_errors"] <= len(run.kills)
    assert len(run.kills) == 1
    assert respawned and after == 200
    assert figures["writes"]["requests"] > 0 and integrity["acknowledged_notes"] > 0
    assert integrity["problems"] == []
    assert integrity["lost_writes"] == 0

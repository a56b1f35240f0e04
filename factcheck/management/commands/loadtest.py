import json
import os

from django.core.management.base import BaseCommand, CommandError

from factcheck import loadtest


class Command(BaseCommand):
    help = (
        "Serve a scratch copy of the seed corpus with gunicorn on 127.0.0.1 and drive it with readers and "
        "editors (bounded by --requests and --seconds), optionally SIGKILLing workers mid-writes; print "
        "throughput, p50/p95/p99, errors, and an integrity check of the database afterwards. Uses a temporary "
        "SQLite file, or a temporary database on the PostgreSQL server of DATABASE_URL; never the app's data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=16, help="Concurrent virtual users (default 16).")
        parser.add_argument("--editors", type=int, default=4, help="How many of them log in and write (default 4).")
        parser.add_argument("--requests", type=int, default=3000, help="Request budget (default 3000).")
        parser.add_argument("--seconds", type=float, default=60, help="Time budget in seconds (default 60).")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3).")
        parser.add_argument("--kill", type=int, default=2, help="Workers to SIGKILL during the run (default 2).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, **o):
        if o["users"] < 1 or o["requests"] < 1 or o["seconds"] <= 0 or o["workers"] < 1:
            raise CommandError("--users, --requests, --seconds and --workers must be positive.")
        base = os.environ.get("DATABASE_URL", "")
        try:
            with loadtest.scratch_database(base) as url:
                targets = loadtest.prepare(url, o["editors"])
                with loadtest.Server(url, workers=o["workers"]) as server:
                    run = loadtest.run_load(
                        server, targets, users=o["users"], editors=o["editors"], max_requests=o["requests"],
                        max_seconds=o["seconds"], kills=o["kill"], seed=o["seed"],
                    )
                    respawned = server.wait_for_workers()
                    health = loadtest.request("GET", server.port, "/healthz").status
                integrity = loadtest.check_integrity(url, run)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        figures = loadtest.summary(run)
        figures.update(
            database="postgresql" if base.startswith("postgres") else "sqlite",
            users=o["users"], editors=o["editors"], workers=o["workers"],
            workers_respawned=respawned, healthz_after=health, integrity=integrity,
        )
        if o["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
        else:
            self._print(figures)
        ok = (figures["5xx"] == 0 and respawned and health == 200 and not integrity["problems"]
              and not figures["login_failures"])
        self.stdout.write(
            f"loadtest [{figures['database']}]: {figures['requests']} requests by {o['users']} users in "
            f"{figures['seconds']} s, {figures['5xx']} 5xx, p50/p95/p99 {figures['all']['p50_ms']}/"
            f"{figures['all']['p95_ms']}/{figures['all']['p99_ms']} ms, {len(figures['kills'])} workers killed, "
            f"integrity {'ok' if not integrity['problems'] else 'FAILED'}."
        )
        if not ok:
            raise CommandError("the load test failed: see above.")

    def _print(self, f):
        w = self.stdout.write
        w(f"database {f['database']}, gunicorn workers {f['workers']}, users {f['users']} ({f['editors']} editors)")
        w(f"requests {f['requests']} in {f['seconds']} s = {f['throughput_rps']} req/s; statuses {f['statuses']}")
        if f["login_failures"]:
            w(f"editors who could not log in: {f['login_failures']}")
        w(f"5xx {f['5xx']}, 409 conflicts {f['conflicts_409']}, other 4xx {f['other_4xx']}, "
          f"connections cut (killed workers) {f['connection_errors']}")
        for kind in ("all", "reads", "writes"):
            b = f[kind]
            w(f"  {kind:6} {b['requests']:6} requests  p50 {b['p50_ms']} ms  p95 {b['p95_ms']} ms  p99 {b['p99_ms']} ms")
        w(f"workers killed: {[k['pid'] for k in f['kills']]} at {[k['at'] for k in f['kills']]} s; "
          f"all replaced: {f['workers_respawned']}; /healthz after: {f['healthz_after']}")
        i = f["integrity"]
        w(f"integrity: {i['claims_checked']} claims' status re-derived, {i['notes']} notes "
          f"({i['acknowledged_notes']} acknowledged), lost writes {i['lost_writes']}, "
          f"cut-off creates that landed whole {i['cut_off_creates_that_landed']}, problems {i['problems'] or 'none'}")

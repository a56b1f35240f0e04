"""A bounded load and fault test against gunicorn, on a scratch database.

    python -m tools.loadtest [--users N] [--requests N] [--seconds S] [--kill N] ...   # make loadtest

``make loadtest`` and ``tests/integration/test_load.py`` use it:

1. a scratch database (``tools/scratchdb.py``) — a temporary SQLite file, or a
   temporary database on the PostgreSQL server of DATABASE_URL — migrated, with
   the seed corpus and a few editor accounts; the configured database is never touched;
2. gunicorn serving the app from it on 127.0.0.1, on a free port (``tools/appserver.py``);
3. virtual users on loopback threads: readers browse pages and the API, editors
   log in and write notes, edit them and resolve claims, each write carrying the
   version it last saw; the run stops at a request budget or a time budget,
   whichever comes first;
4. optionally, SIGKILL of a gunicorn worker now and then in the middle of the
   writes: gunicorn must replace it and keep serving;
5. an integrity check of the database afterwards (``tools/load_checks.py``):
   SQLite's integrity and foreign-key checks, every claim's derived status and
   source count equal to what its assertions and resolution give, no orphan
   rows, every note with its rendered HTML and its history, and every write the
   server acknowledged present (a write cut off by a kill may or may not have
   landed, never half).

Only loopback addresses are used. Standard library only on the client side:
this process never loads Django; its steps inside Django run in subprocesses.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tools.appserver import HOST, ROOT, AppServer, app_env
from tools.load_checks import EDITOR_PASSWORD
from tools.scratchdb import is_postgres, scratch_database


def _python(database_url, *args, timeout=900):
    out = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=app_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def prepare(database_url, editors):
    """Migrate, load the seed corpus, create ``editors`` accounts; returns what the users will visit."""
    _python(database_url, "manage.py", "migrate", "--noinput")
    _python(database_url, "manage.py", "setup_demo", "--no-accounts")
    return json.loads(_python(database_url, "-m", "tools.load_checks", "targets", str(editors)))


# The client


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    cookies: list = field(default_factory=list)  # every Set-Cookie header


def request(method, port, path, *, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        raw = conn.getresponse()
        pairs = raw.getheaders()
        cookies = [v for k, v in pairs if k.lower() == "set-cookie"]
        return Response(raw.status, {k.lower(): v for k, v in pairs}, raw.read(), cookies)
    finally:
        conn.close()


class Browser:
    """One virtual user: a cookie jar and a CSRF token, one connection per request."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _remember(self, response):
        for header in response.cookies:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path, headers=None):
        response = request("GET", self.port, path, headers={"Cookie": self._cookie_header(), **(headers or {})})
        self._remember(response)
        return response

    def post(self, path, data, json_answer=True):
        headers = {
            "Cookie": self._cookie_header(),
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        if json_answer:
            headers["Accept"] = "application/json"
        response = request("POST", self.port, path, body=urlencode(data, doseq=True), headers=headers)
        self._remember(response)
        return response

    def login(self, username, password):
        self.get("/accounts/login/")
        token = self.cookies.get("csrftoken", "")
        response = self.post(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
            json_answer=False,
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not log in: HTTP {response.status}")


@dataclass
class Sample:
    kind: str  # "read" or "write"
    path: str
    status: int  # 0: the connection failed (a killed worker)
    latency: float
    error: str = ""
    at: float = 0.0


@dataclass
class Run:
    samples: list = field(default_factory=list)
    acknowledged: dict = field(default_factory=dict)  # note id -> body the server confirmed last
    uncertain: dict = field(default_factory=dict)  # note id -> bodies sent without an answer
    created_uncertain: list = field(default_factory=list)  # bodies of creates that got no answer
    kills: list = field(default_factory=list)
    login_failures: list = field(default_factory=list)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, predicate):
        return sum(1 for s in self.samples if predicate(s))


def _read_paths(targets):
    claims, topics, sources = targets["claims"], targets["topics"], targets["sources"]
    return [
        lambda r: "/",
        lambda r: f"/topics/{r.choice(topics)}/",
        lambda r: "/claims/",
        lambda r: "/claims/?status=conflict",
        lambda r: f"/claims/{r.choice(claims)}/",
        lambda r: f"/claims/{r.choice(claims)}/",
        lambda r: f"/sources/{r.choice(sources)}/",
        lambda r: "/search/?" + urlencode({"q": r.choice(["Tartus", "Hmeimim", "extradition", "bases agreement"])}),
        lambda r: "/api/claims/",
        lambda r: f"/api/claims/{r.choice(claims)}/",
        lambda r: (
            "/api/evidence/?" + urlencode({"q": r.choice(["Russia keeps its bases", "Assad extradition"]), "limit": 5})
        ),
    ]


class _User(threading.Thread):
    def __init__(self, n, port, targets, run, budget, deadline, editor=None, seed=0):
        super().__init__(daemon=True)
        self.n, self.port, self.targets, self.run_, self.budget = n, port, targets, run, budget
        self.deadline, self.editor = deadline, editor
        self.rng = random.Random(seed * 7919 + n)
        self.browser = Browser(port)
        self.my_notes = {}  # id -> version
        self.resolution_versions = {}
        self.reads = _read_paths(targets)
        self.ops = 0
        self.ready = threading.Event()

    def _login(self):
        error = None
        for _attempt in range(3):  # a connection cut by a killed worker is retried, like a person would
            try:
                self.browser.login(self.editor, EDITOR_PASSWORD)
                return
            except (OSError, http.client.HTTPException) as exc:
                error = exc
            except RuntimeError as exc:
                error = exc
                break
        with self.run_.lock:
            self.run_.login_failures.append(f"{self.editor}: {error}")

    def run(self):
        try:
            if self.editor:
                self._login()
        finally:
            self.ready.set()
        if self.editor and not self.browser.cookies.get("sessionid"):
            return
        while time.monotonic() < self.deadline and self.budget.take():
            if self.editor and self.rng.random() < 0.35:
                self._write()
            else:
                self._timed("read", lambda: self.browser.get(self.rng.choice(self.reads)(self.rng)))
            self.ops += 1

    def _timed(self, kind, call, path=""):
        start = time.perf_counter()
        error = ""
        try:
            response = call()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            response, status, error = None, 0, f"{type(exc).__name__}: {exc}"
        with self.run_.lock:
            self.run_.samples.append(Sample(kind, path, status, time.perf_counter() - start, error, start))
        return response

    def _write(self):
        roll = self.rng.random()
        claims = self.targets["claims"]
        if roll < 0.45 or not self.my_notes:
            claim = self.rng.choice(claims)
            body = f"Load note by {self.editor}, op {self.ops}: *checked* against the sources."
            path = f"/claims/{claim}/annotations/"
            response = self._timed("write", lambda: self.browser.post(path, {"body": body}), path)
            if response is None:
                with self.run_.lock:
                    self.run_.created_uncertain.append(body)
            elif response.status == 201:
                note = json.loads(response.body)
                self.my_notes[note["id"]] = note["version"]
                with self.run_.lock:
                    self.run_.acknowledged[note["id"]] = body
        elif roll < 0.7:
            pk = self.rng.choice(sorted(self.my_notes))
            body = f"Edited by {self.editor}, op {self.ops}."
            path = f"/annotations/{pk}/edit/"
            data = {"body": body, "version": self.my_notes[pk]}
            response = self._timed("write", lambda: self.browser.post(path, data), path)
            with self.run_.lock:
                if response is None:
                    self.run_.uncertain.setdefault(pk, []).append(body)
                elif response.status == 200:
                    self.my_notes[pk] = json.loads(response.body)["version"]
                    self.run_.acknowledged[pk] = body
        else:
            # A few hot claims, so editors do collide and get the 409 with the current version.
            pk = self.rng.choice(self.targets["conflicts"][:4] or claims[:4])
            path = f"/claims/{pk}/resolve/"
            data = {
                "verdict": self.rng.choice(["true", "mostly-true", "mixed", "false", "unproven"]),
                "rationale": f"Decided by {self.editor}, op {self.ops}.",
                # A decided verdict with no prevailing source needs its reason (issue 17).
                "no_prevailing_reason": "No source is right on its own.",
                "version": self.resolution_versions.get(pk, 0),
            }
            response = self._timed("write", lambda: self.browser.post(path, data), path)
            if response is not None and response.status in (200, 409):
                answer = json.loads(response.body)
                current = answer.get("current", answer) if response.status == 409 else answer
                self.resolution_versions[pk] = current["version"] if current else 0


class _Budget:
    def __init__(self, n):
        self.left = n
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def run_load(server, targets, *, users, editors, max_requests, max_seconds, kills=0, seed=1):
    """Drive ``server`` until ``max_requests`` or ``max_seconds``; SIGKILL ``kills`` workers on the way."""
    run = Run()
    budget = _Budget(max_requests)
    start = time.monotonic()
    deadline = start + max_seconds
    names = targets["editors"]
    threads = [
        _User(
            i,
            server.port,
            targets,
            run,
            budget,
            deadline,
            editor=names[i] if i < min(editors, len(names)) else None,
            seed=seed,
        )
        for i in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:  # kill only once everyone is logged in and working
        t.ready.wait(timeout=max_seconds)
    rng = random.Random(seed)
    for k in range(kills):
        # Spread the kills over the run, after the editors have started writing.
        target = start + max_seconds * (k + 1) / (kills + 2)
        while time.monotonic() < target and any(t.is_alive() for t in threads):
            time.sleep(0.05)
            if budget.left < max_requests * (kills - k) / (kills + 2):
                break
        if not any(t.is_alive() for t in threads):
            break
        pid = server.kill_a_worker(rng)
        if pid:
            run.kills.append({"pid": pid, "at": round(time.monotonic() - start, 2)})
    for t in threads:
        t.join(timeout=max_seconds + 120)
    run.elapsed = time.monotonic() - start
    return run


# Integrity


def check_integrity(database_url, run):
    records = {
        "acknowledged": {str(k): v for k, v in run.acknowledged.items()},
        "uncertain": {str(k): v for k, v in run.uncertain.items()},
        "created_uncertain": run.created_uncertain,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(records, f)
    try:
        return json.loads(_python(database_url, "-m", "tools.load_checks", "integrity", f.name))
    finally:
        os.unlink(f.name)


# Figures


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(run):
    def block(samples):
        ms = [s.latency * 1000 for s in samples if s.status]
        return {
            "requests": len(samples),
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p95_ms": round(percentile(ms, 95), 1) if ms else None,
            "p99_ms": round(percentile(ms, 99), 1) if ms else None,
        }

    statuses = {}
    for s in run.samples:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    return {
        "requests": len(run.samples),
        "seconds": round(run.elapsed, 1),
        "throughput_rps": round(len(run.samples) / run.elapsed, 1) if run.elapsed else 0,
        "5xx": run.count(lambda s: s.status >= 500),
        "connection_errors": run.count(lambda s: s.status == 0),
        "conflicts_409": run.count(lambda s: s.status == 409),
        "other_4xx": run.count(lambda s: 400 <= s.status < 500 and s.status != 409),
        "statuses": dict(sorted(statuses.items())),
        "all": block(run.samples),
        "reads": block([s for s in run.samples if s.kind == "read"]),
        "writes": block([s for s in run.samples if s.kind == "write"]),
        "kills": run.kills,
        "login_failures": run.login_failures,
        "connection_error_kinds": sorted({s.error.split(":")[0] for s in run.samples if s.status == 0}),
    }


def _print(f):
    print(f"database {f['database']}, gunicorn workers {f['workers']}, users {f['users']} ({f['editors']} editors)")
    print(f"requests {f['requests']} in {f['seconds']} s = {f['throughput_rps']} req/s; statuses {f['statuses']}")
    if f["login_failures"]:
        print(f"editors who could not log in: {f['login_failures']}")
    print(
        f"5xx {f['5xx']}, 409 conflicts {f['conflicts_409']}, other 4xx {f['other_4xx']}, "
        f"connections cut (killed workers) {f['connection_errors']}"
    )
    for kind in ("all", "reads", "writes"):
        b = f[kind]
        print(
            f"  {kind:6} {b['requests']:6} requests  p50 {b['p50_ms']} ms  p95 {b['p95_ms']} ms  p99 {b['p99_ms']} ms"
        )
    print(
        f"workers killed: {[k['pid'] for k in f['kills']]} at {[k['at'] for k in f['kills']]} s; "
        f"all replaced: {f['workers_respawned']}; /healthz after: {f['healthz_after']}"
    )
    i = f["integrity"]
    print(
        f"integrity: {i['claims_checked']} claims' status re-derived, {i['notes']} notes "
        f"({i['acknowledged_notes']} acknowledged), lost writes {i['lost_writes']}, "
        f"cut-off creates that landed whole {i['cut_off_creates_that_landed']}, problems {i['problems'] or 'none'}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.loadtest",
        description=(
            "Serve a scratch copy of the seed corpus with gunicorn on 127.0.0.1 and drive it with readers and "
            "editors (bounded by --requests and --seconds), optionally SIGKILLing workers mid-writes; print "
            "throughput, p50/p95/p99, errors, and an integrity check of the database afterwards. Uses a temporary "
            "SQLite file, or a temporary database on the PostgreSQL server of DATABASE_URL; never the app's data."
        ),
    )
    parser.add_argument("--users", type=int, default=16, help="Concurrent virtual users (default 16).")
    parser.add_argument("--editors", type=int, default=4, help="How many of them log in and write (default 4).")
    parser.add_argument("--requests", type=int, default=3000, help="Request budget (default 3000).")
    parser.add_argument("--seconds", type=float, default=60, help="Time budget in seconds (default 60).")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3).")
    parser.add_argument("--kill", type=int, default=2, help="Workers to SIGKILL during the run (default 2).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    o = parser.parse_args(argv)
    if o.users < 1 or o.requests < 1 or o.seconds <= 0 or o.workers < 1:
        parser.error("--users, --requests, --seconds and --workers must be positive.")
    base = os.environ.get("DATABASE_URL", "")
    try:
        with scratch_database(base, prefix="factcheck_load") as url:
            targets = prepare(url, o.editors)
            with AppServer(url, workers=o.workers) as server:
                run = run_load(
                    server,
                    targets,
                    users=o.users,
                    editors=o.editors,
                    max_requests=o.requests,
                    max_seconds=o.seconds,
                    kills=o.kill,
                    seed=o.seed,
                )
                respawned = server.wait_for_workers()
                health = request("GET", server.port, "/healthz").status
            integrity = check_integrity(url, run)
    except RuntimeError as exc:
        sys.exit(f"loadtest: {exc}")
    figures = summary(run)
    figures.update(
        database="postgresql" if is_postgres(base) else "sqlite",
        users=o.users,
        editors=o.editors,
        workers=o.workers,
        workers_respawned=respawned,
        healthz_after=health,
        integrity=integrity,
    )
    if o.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures)
    ok = (
        figures["5xx"] == 0
        and respawned
        and health == 200
        and not integrity["problems"]
        and not figures["login_failures"]
    )
    print(
        f"loadtest [{figures['database']}]: {figures['requests']} requests by {o.users} users in "
        f"{figures['seconds']} s, {figures['5xx']} 5xx, p50/p95/p99 {figures['all']['p50_ms']}/"
        f"{figures['all']['p95_ms']}/{figures['all']['p99_ms']} ms, {len(figures['kills'])} workers killed, "
        f"integrity {'ok' if not integrity['problems'] else 'FAILED'}."
    )
    if not ok:
        sys.exit("loadtest: the load test failed: see above.")


if __name__ == "__main__":
    main()

"""A bounded load and fault test against gunicorn, on a scratch database.

``manage.py loadtest`` (and ``make loadtest``) and ``tests/test_load.py`` use it:

1. a scratch database — a temporary SQLite file, or a temporary database on the
   PostgreSQL server of DATABASE_URL — migrated, with the seed corpus and a few
   editor accounts; the configured database is never touched;
2. gunicorn serving the app from it on 127.0.0.1, on a free port;
3. virtual users on loopback threads: readers browse pages and the API, editors
   log in and write notes, edit them and resolve claims, each write carrying the
   version it last saw; the run stops at a request budget or a time budget,
   whichever comes first;
4. optionally, SIGKILL of a gunicorn worker now and then in the middle of the
   writes: gunicorn must replace it and keep serving;
5. an integrity check of the database afterwards: SQLite's integrity and
   foreign-key checks, every claim's derived status and source count equal to
   what its assertions and resolution give, no orphan rows, every note with
   its rendered HTML and its history, and every write the server acknowledged
   present (a write cut off by a kill may or may not have landed, never half).

Only loopback addresses are used. Standard library only on the client side.
"""

import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
EDITOR_PASSWORD = "load-test-passphrase-42"


# Scratch database


def _is_postgres(url):
    return url.startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def scratch_database(base_url=""):
    """A DATABASE_URL for a new, empty database; dropped or deleted afterwards."""
    if _is_postgres(base_url):
        import dj_database_url
        import psycopg

        params = dj_database_url.parse(base_url)
        name = f"factcheck_load_{uuid.uuid4().hex[:8]}"
        admin = {"dbname": "postgres", "autocommit": True}
        for key, param in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")):
            if params.get(param):
                admin[key] = params[param]
        with psycopg.connect(**admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
        finally:
            with psycopg.connect(**admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        directory = tempfile.mkdtemp(prefix="factcheck-load-")
        try:
            yield f"sqlite:///{directory}/load.sqlite3"
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def _env(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_DEBUG": "0",
    }


def _python(database_url, *args, timeout=900):
    out = subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=_env(database_url), capture_output=True, text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def prepare(database_url, editors):
    """Migrate, load the seed corpus, create ``editors`` accounts; returns what the users will visit."""
    _python(database_url, "manage.py", "migrate", "--noinput")
    _python(database_url, "manage.py", "setup_demo", "--no-accounts")
    return json.loads(_python(database_url, "-m", "factcheck.loadtest", "targets", str(editors)))


def _targets(editors):
    from django.contrib.auth import get_user_model

    from factcheck.models import Claim, Source, Topic
    from factcheck.roles import ensure_editor_group

    group = ensure_editor_group()
    names = []
    for i in range(editors):
        user = get_user_model().objects.create_user(f"load-editor-{i}", password=EDITOR_PASSWORD)
        user.groups.add(group)
        names.append(user.username)
    return {
        "editors": names,
        "claims": list(Claim.objects.values_list("id", flat=True)),
        "conflicts": list(Claim.objects.in_conflict().values_list("id", flat=True)),
        "topics": list(Topic.objects.values_list("slug", flat=True)),
        "sources": list(Source.objects.values_list("id", flat=True)),
    }


# The server


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 with the project's gunicorn.conf.py, bound to a free port."""

    def __init__(self, database_url, workers=2):
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.process = None
        self.log = tempfile.NamedTemporaryFile(prefix="factcheck-load-gunicorn-", suffix=".log", delete=False)

    def __enter__(self):
        env = {
            **_env(self.database_url),
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": "1",
        }
        args = [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers)]
        if (BASE_DIR / "gunicorn.conf.py").exists():
            args += ["-c", str(BASE_DIR / "gunicorn.conf.py")]
        args.append("factcheck.wsgi:application")
        self.process = subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request("GET", self.port, "/healthz", timeout=5).status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer /healthz within 120 s:\n{self.log_tail()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)

    def log_tail(self, n=3000):
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-n:]

    def worker_pids(self):
        """The master's live children, read from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid and fields[0] != "Z":
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def kill_a_worker(self, rng):
        pids = self.worker_pids()
        if not pids:
            return None
        pid = rng.choice(pids)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return pid

    def wait_for_workers(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.worker_pids()) == self.workers:
                return True
            time.sleep(0.1)
        return False


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
            "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token},
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
        lambda r: "/api/evidence/?" + urlencode({"q": r.choice(["Russia keeps its bases", "Assad extradition"]),
                                                 "limit": 5}),
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
        _User(i, server.port, targets, run, budget, deadline, editor=names[i] if i < min(editors, len(names)) else None,
              seed=seed)
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


def _integrity(records):
    """Runs inside a Django process configured for the scratch database; returns a report dict."""
    from django.db import connection

    from factcheck.models import Annotation, Claim, Resolution

    problems = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            result = cursor.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                problems.append(f"PRAGMA integrity_check: {result[:5]}")
            fk = cursor.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"PRAGMA foreign_key_check: {fk[:5]}")
    claims = Claim.objects.prefetch_related("assertions__source")
    checked = 0
    for claim in claims:
        assertions = list(claim.assertions.all())
        expected = claim.compute_status(assertions)
        sources = len({a.source_id for a in assertions})
        if (claim.status, claim.source_count) != (expected, sources):
            problems.append(f"claim {claim.pk}: stored {claim.status}/{claim.source_count}, derived {expected}/{sources}")
        checked += 1
    claim_ids = set(Claim.objects.values_list("id", flat=True))
    orphans = Annotation.objects.exclude(claim_id__in=claim_ids).count()
    orphans += Resolution.objects.exclude(claim_id__in=claim_ids).count()
    through = Resolution.prevailing.through.objects.select_related("assertion", "resolution")
    orphans += sum(1 for row in through if row.assertion.claim_id != row.resolution.claim_id)
    if orphans:
        problems.append(f"{orphans} orphan rows")
    notes = {n.pk: n for n in Annotation.objects.all()}
    unrendered = [pk for pk, n in notes.items() if n.body and not n.body_html]
    if unrendered:
        problems.append(f"notes without rendered HTML: {unrendered[:10]}")
    historyless = [pk for pk, n in notes.items() if not n.history.filter(history_type="+").exists()]
    if historyless:
        problems.append(f"notes without a creation history row: {historyless[:10]}")
    for model in (Annotation, Resolution):
        for obj in model.objects.all():
            rows = obj.history.count()
            if rows < obj.version:  # one row per save; a save bumps the version
                problems.append(f"{model.__name__} {obj.pk}: version {obj.version} but {rows} history rows")
    lost = []
    for pk, body in records["acknowledged"].items():
        note = notes.get(int(pk))
        allowed = {body, *records["uncertain"].get(pk, [])}
        if note is None or note.body not in allowed:
            lost.append(int(pk))
    if lost:
        problems.append(f"acknowledged writes missing: notes {lost[:10]}")
    acknowledged_ids = {int(pk) for pk in records["acknowledged"]}
    unacknowledged = [n for pk, n in notes.items() if pk not in acknowledged_ids and n.body.startswith("Load note by")]
    cut = records["created_uncertain"]
    if len(unacknowledged) > len(cut):
        problems.append(f"{len(unacknowledged)} notes nobody was told about, but only {len(cut)} creates were cut off")
    return {
        "vendor": connection.vendor,
        "claims_checked": checked,
        "notes": len(notes),
        "acknowledged_notes": len(records["acknowledged"]),
        "lost_writes": len(lost),
        "cut_off_creates_that_landed": len(unacknowledged),
        "problems": problems,
    }


def check_integrity(database_url, run):
    records = {
        "acknowledged": {str(k): v for k, v in run.acknowledged.items()},
        "uncertain": {str(k): v for k, v in run.uncertain.items()},
        "created_uncertain": run.created_uncertain,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(records, f)
    try:
        return json.loads(_python(database_url, "-m", "factcheck.loadtest", "integrity", f.name))
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


def main(argv):
    """Helpers run in a subprocess against the scratch database (DATABASE_URL)."""
    import django

    django.setup()
    if argv[0] == "targets":
        print(json.dumps(_targets(int(argv[1]))))
    elif argv[0] == "integrity":
        print(json.dumps(_integrity(json.loads(Path(argv[1]).read_text()))))


if __name__ == "__main__":
    main(sys.argv[1:])

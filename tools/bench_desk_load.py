"""The desk at work, for `make bench`: readers while editors write, and editors reading.

Two scenarios, measured like every other page (slices alternating with the
reference view, server CPU from /proc, ``tools/bench.py``'s ``measure``):

- **readers while an editor writes**: anonymous readers load claim pages,
  topic pages, home and the claim list while a writer thread adds notes
  through the pages (a logged-in editor's POST to ``/claims/<id>/annotations/``
  with its CSRF token) at ``--notes-per-second`` (2 by default), to the same
  claims the readers read. The CPU per request includes the writer's.
- **a logged-in editor reading**: claim, topic and source pages with an
  editor's session cookie.

``bench-editor``, an editor with a fresh password each run, is created with
``manage.py shell``: ``bench_data``'s ``bench-admin`` is a superuser, who sees
more than an editor.
"""

import http.cookiejar
import random
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from tools import loadgen
from tools.appserver import HOST

EDITOR = "bench-editor"

CREATE_EDITOR = """
from django.contrib.auth import get_user_model
from factcheck.roles import ensure_editor_group
user, _ = get_user_model().objects.get_or_create(username={name!r})
user.set_password({password!r})
user.save()
user.groups.add(ensure_editor_group())
"""


def ensure_editor(manage, env):
    """Create (or reset) the benchmark's editor; returns its password."""
    password = secrets.token_urlsafe(18)
    manage(env, "shell", "-c", CREATE_EDITOR.format(name=EDITOR, password=password))
    return password


class Session:
    """One logged-in browser: a cookie jar, its CSRF token, no redirects followed."""

    def __init__(self, port, username, password):
        self.base = f"http://{HOST}:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        form = self._open("/accounts/login/")[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        status, _ = self._open(
            "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        if status != 302 or "sessionid" not in self.cookies():
            raise SystemExit(f"bench: could not log in as {username} (status {status})")

    def cookies(self):
        return {c.name: c.value for c in self.jar}

    def _open(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            f"{self.base}{path}", data=body, headers={"Referer": f"{self.base}{path}", **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, path, data):
        return self._open(path, data, {"X-CSRFToken": self.cookies().get("csrftoken", "")})[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class NoteWriter(threading.Thread):
    """Adds a note every 1/rate seconds to one of ``claims``, through the page, until stopped."""

    def __init__(self, session, claims, rate):
        super().__init__(daemon=True)
        self.session, self.claims, self.interval = session, claims, 1 / rate
        self.stop = threading.Event()
        self.written = self.failed = 0
        self.started_at = self.stopped_at = None
        self.rng = random.Random(5)

    def run(self):
        self.started_at = next_at = time.monotonic()
        while not self.stop.is_set():
            claim = self.rng.choice(self.claims)
            body = f"Checked again at {time.strftime('%H:%M:%S')}: the *record* stands ({self.written})."
            status = self.session.post(f"/claims/{claim}/annotations/", {"body": body})
            if status == 302:
                self.written += 1
            else:
                self.failed += 1
            next_at += self.interval
            self.stop.wait(max(0.0, next_at - time.monotonic()))
        self.stopped_at = time.monotonic()

    def summary(self):
        seconds = (self.stopped_at or time.monotonic()) - (self.started_at or time.monotonic())
        rate = self.written / seconds if seconds else 0.0
        return f"{self.written} notes written in {seconds:.0f} s ({rate:.2f}/s), {self.failed} failed"


def reader_pages(sample):
    claims, topics = sample["claims"], sample["topics"]
    return [
        ("readers while writing: claim page", [f"/claims/{c}/" for c in claims]),
        ("readers while writing: topic page", [f"/topics/{t}/" for t in topics]),
        ("readers while writing: home", ["/"]),
        ("readers while writing: claim list", ["/claims/"]),
    ]


def editor_pages(sample, cookies):
    claims, topics, sources = sample["claims"], sample["topics"], sample["sources"]
    return [
        ("editor reading: claim page", [f"/claims/{c}/" for c in claims], cookies),
        ("editor reading: topic page", [f"/topics/{t}/" for t in topics], cookies),
        ("editor reading: source page", [f"/sources/{s}/" for s in sources], cookies),
    ]


def store_in_every_worker(port, urls, workers, tries=20):
    """Request each URL until every worker has answered it once, and so stored it.

    Each worker keeps its own page cache, and which worker accepts a request is
    the kernel's choice: a pass over the URLs can store each page in one worker
    only, whose first render in the other then lands in the measurement.
    Requests go ``workers`` at a time, so that a busy worker leaves the next to
    another. Returns how many URLs some worker never answered within ``tries``.
    """
    missing = 0
    for url in urls:
        answered = set()
        for _ in range(tries):
            result = loadgen.run(
                HOST, port, [url], concurrency=workers, max_requests=workers, max_seconds=30.0,
                watch_headers=("X-Bench-Worker",),
            )  # fmt: skip
            answered |= set(result.headers.get("X-Bench-Worker", {})) - {""}
            if len(answered) >= workers:
                break
        else:
            missing += 1
    return missing


def run(server, sample, args, measure, server_pids, editor_password):
    """Both scenarios on ``server``: ``(rows of the readers, rows of the editor, the writer's summary)``."""
    pages = reader_pages(sample)
    for _name, urls in pages:
        # Stored before the writer starts, as measure() stores every other page: its one warm pass
        # under the writer would otherwise be every page's first render, and on a loaded machine
        # a p50 over SLOW turns the page's measurement into four requests dominated by the writer.
        if missing := store_in_every_worker(server.port, urls, args.workers):
            print(f"warning: {missing} of {len(urls)} reader URLs were not stored in every worker before the writer")
    writer = NoteWriter(Session(server.port, EDITOR, editor_password), sample["claims"], args.notes_per_second)
    writer.start()
    try:
        readers = measure(server, pages, args, None, server_pids, warm_passes=1)
    finally:
        writer.stop.set()
        writer.join()
    editor = Session(server.port, EDITOR, editor_password)
    pages = editor_pages(sample, editor.cookies())
    for _name, urls, cookies in pages:
        # measure() warms pages by their X-Page-Cache header, and an editor's first request
        # of a page may bypass the cache (no CSRF cookie yet): load each URL a few times per
        # worker first, which stores the fragments and the editor's own copies.
        loadgen.run(
            HOST, server.port, urls, concurrency=args.workers, max_requests=3 * args.workers * len(urls),
            max_seconds=60.0, cookies=cookies,
        )  # fmt: skip
    editors = measure(server, pages, args, None, server_pids, warm_passes=0)
    return readers, editors, writer.summary()


# Targets from issue 19, at 100,000 claims, ratios in one run.
READERS_MIN_RATIO = 0.5
READERS_MAX_P99_OVER_REF = 2.0
EDITOR_MIN_RATIO = 0.25


def targets(readers, editors):
    """One line: the desk's targets met, or which were missed and by how much."""
    misses = []
    for row in readers:
        if row.page is None:
            continue
        if row.ratio < READERS_MIN_RATIO:
            misses.append(f"{row.name}: {row.ratio:.2f}× the reference, under {READERS_MIN_RATIO}×")
        if row.page.p99 > READERS_MAX_P99_OVER_REF * row.ref.p99:
            misses.append(
                f"{row.name}: p99 {row.page.p99 * 1000:.1f} ms, over {READERS_MAX_P99_OVER_REF:g}× the reference's "
                f"{row.ref.p99 * 1000:.1f} ms"
            )
    for row in editors:
        if row.page is not None and row.ratio < EDITOR_MIN_RATIO:
            misses.append(f"{row.name}: {row.ratio:.2f}× the reference, under {EDITOR_MIN_RATIO}×")
    for row in readers + editors:
        if row.page is not None and row.page.errors:
            misses.append(f"{row.name}: {row.page.errors} errors (first: {row.page.first_error})")
    return "desk targets: " + ("all met" if not misses else "MISSED — " + "; ".join(misses))

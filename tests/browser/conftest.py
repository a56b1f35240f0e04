"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Speed comes from sharing: one Chromium for the whole session, and one live
server whose database holds the seed corpus, loaded once for this package and
committed (no per-test transaction, so the server's threads see it). Tests
that write call ``reset_corpus`` when they are done, which puts the database
back to the pristine corpus, so every test starts from the same state
whatever ran before it.

pytest-django's ``live_server`` fixture is not used as is: asking for it makes
each test ``transactional_db``, which empties the database after every test
and would mean loading the corpus again for each one. The server here is the
same Django ``LiveServerThread`` that fixture starts, started once for the
package, with static files served by WhiteNoise as in production.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings

from tests.browser import axe_report

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no internet: without these Chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED_CORPUS = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "docs" / "screenshots"

# The cast, as in tests/conftest.py, but committed once for the whole package.
PASSWORDS = {
    "editor": "editor-password-123",
    "editor2": "editor-password-456",
    "reader": "reader-password-123",
    "staff": "staff-password-123",
}


def require_browser():
    """Skip when Chromium or Playwright is missing; fail instead in CI (CI is set)."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -r requirements.txt)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must provide them", pytrace=False)
        pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item):
    # Before any fixture starts a server or loads the corpus.
    if BROWSER_DIR in Path(item.path).parents:
        require_browser()


# --- the database and the server ---------------------------------------------------------------


def load_corpus():
    from factcheck.corpus import import_corpus, read_corpus_file
    from factcheck.roles import ensure_editor_group

    data, base_dir = read_corpus_file(SEED_CORPUS)
    import_corpus(data, base_dir=base_dir, label="seed corpus")
    User = get_user_model()
    editors = ensure_editor_group()
    for username, password in PASSWORDS.items():
        if username == "staff":
            User.objects.create_superuser(username, password=password)
            continue
        user = User.objects.create_user(username, password=password)
        if username.startswith("editor"):
            user.groups.add(editors)


class Database:
    """Puts the shared test database back to a known state between tests.

    Two states are kept: the one the rest of the suite left (content types,
    permissions, rows that data migrations seeded) and that one with the corpus
    and the cast loaded. On SQLite a state is a copy made with SQLite's backup
    API, restored in milliseconds, search indexes and all. Elsewhere it is
    serialised as Django does for ``serialized_rollback`` and restored by
    flushing every table and loading it back. Caches are emptied with every
    restore: cached pages are keyed by a corpus version that the restore
    rewinds.
    """

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.baseline = self._snapshot()
        self.seeded = None

    @property
    def _is_sqlite(self):
        return self.connection.vendor == "sqlite"

    def _snapshot(self):
        if self._is_sqlite:
            import sqlite3

            self.connection.ensure_connection()
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            self.connection.connection.backup(copy)
            return copy
        return self.connection.creation.serialize_db_to_string()

    def _restore(self, snapshot):
        import sqlite3
        import time

        from django.core.cache import caches

        if self._is_sqlite:
            self.connection.ensure_connection()
            # A request the server is still finishing holds the database for a moment.
            for attempt in range(100):
                try:
                    snapshot.backup(self.connection.connection)
                    break
                except sqlite3.OperationalError as exc:
                    if "in use" not in str(exc) or attempt == 99:
                        raise
                    time.sleep(0.05)
        else:
            from django.apps import apps
            from django.core.management.color import no_style

            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            self.connection.creation.deserialize_db_from_string(snapshot)
            # The rows came back with their ids; move each sequence past them.
            statements = self.connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
            with self.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        for cache in caches.all():
            cache.clear()

    def load(self):
        """The corpus and the cast, loaded once; later calls only restore that state."""
        if self.seeded is None:
            self._restore(self.baseline)
            load_corpus()
            self.seeded = self._snapshot()
        else:
            self._restore(self.seeded)

    def restore(self):
        self._restore(self.baseline)


@dataclass
class Site:
    url: str
    passwords: dict = field(default_factory=lambda: dict(PASSWORDS))


# The database as configured, read before pytest-django points it at a test database.
CONFIGURED_DATABASE = settings.DATABASES["default"]["NAME"]


@pytest.fixture(scope="package")
def database(django_db_setup, django_db_blocker):
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        created = None
        if connection.settings_dict["NAME"] == CONFIGURED_DATABASE:
            # Only browser tests were collected, and none of them asks for ``db``, so
            # pytest-django made no test database: make one rather than touch the real one.
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        assert connection.settings_dict["NAME"] != CONFIGURED_DATABASE
        database = Database()
        database.load()
        yield database
        # Leave the database as the rest of the suite expects it.
        database.restore()
        if created:
            teardown_databases(created, verbosity=0)


def _served_by_the_app(app):
    # Static files go through WhiteNoise, as in production, not Django's test handler:
    # the pages name the hashed files collectstatic wrote (``make test`` runs it).
    return app


@pytest.fixture(scope="package")
def site(database, django_db_blocker):
    """The live server, its database holding the corpus and the cast."""
    from django.db import connections
    from django.test.testcases import LiveServerThread

    host = os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost")
    # An in-memory SQLite test database exists only in this connection: lend it to the server.
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    with django_db_blocker.unblock(), override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host]):
        server = LiveServerThread(host, static_handler=_served_by_the_app, connections_override=shared)
        server.daemon = True
        for connection in shared.values():
            connection.inc_thread_sharing()
        server.start()
        server.is_ready.wait()
        try:
            if server.error:
                raise server.error
            yield Site(f"http://{server.host}:{server.port}")
        finally:
            server.terminate()
            for connection in shared.values():
                connection.dec_thread_sharing()


@pytest.fixture(scope="package")
def urls(site, django_db_blocker):
    """One URL of each page type, picked from whatever corpus is loaded."""
    from django.db.models import Count

    from factcheck.models import Claim, Source, Speaker, Status

    with django_db_blocker.unblock():
        conflicts = Claim.objects.filter(status=Status.CONFLICT).select_related("topic").order_by("id")
        claim = conflicts.first()
        # The two disagreements the seed corpus must show clearly (ARCHITECTURE.md).
        extradition = conflicts.filter(text__icontains="extradite").first()
        bases = conflicts.filter(text__icontains="bases").first()
        source = Source.objects.annotate(n=Count("assertions")).order_by("-n", "id").first()
        other = Source.objects.exclude(pk=source.pk).order_by("id").first()
        # The speaker reported most often (a corpus in format 1 has none: then the list stands in).
        speaker = Speaker.objects.annotate(n=Count("assertions")).order_by("-n", "id").first()
        return {
            "speaker-list": "/speakers/",
            "speaker": speaker.get_absolute_url() if speaker else "/speakers/",
            "attribution": f"/assertions/{claim.assertions.order_by('id').first().pk}/attribution/",
            "extradition-claim": extradition.get_absolute_url(),
            "bases-claim": bases.get_absolute_url(),
            "compare": f"/compare/?a={source.pk}&b={other.pk}",
            "compare-empty": "/compare/",
            "history": f"/claims/{claim.pk}/history/",
            "review": "/review/",
            "home": "/",
            "topic": claim.topic.get_absolute_url(),
            "claim": claim.get_absolute_url(),
            "claim-list": "/claims/",
            "claim-list-filtered": f"/claims/?status=conflict&topic={claim.topic.slug}",
            "source-list": "/sources/",
            "source": source.get_absolute_url(),
            "search": "/search/?q=Tartus",
            "search-empty": "/search/",
            "login": "/accounts/login/",
            "not-found": "/claims/999999999/",
            "bad-request": "/claims/?page=abc",
        }


@pytest.fixture
def reset_corpus(site, database, django_db_blocker):
    """For tests that write: after the test, the database is the pristine corpus again."""
    yield
    # No page may still be talking to the server while its database is swapped.
    close_pages()
    with django_db_blocker.unblock():
        database.load()


@pytest.fixture
def orm(site, django_db_blocker):
    """Database access from the test itself, e.g. to pick a claim or check a write landed."""
    with django_db_blocker.unblock():
        yield


# --- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def chromium():
    """One Chromium for the package.

    Playwright's sync API runs an event loop in this thread, and Django refuses
    ORM calls from a thread with a running loop unless told it is safe; that
    allowance holds only while the browser runs, so it reaches no other test.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Runs before any page script: every way a script could show itself sets the trap.
XSS_TRAP = """
window.__xss = false;
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) { window.__xss = true; return original.apply(this, args); };
}
"""


class Watch:
    """What a page did that it should not: dialogs, uncaught errors, console errors, failed loads."""

    def __init__(self, page):
        self.dialogs, self.page_errors, self.console_errors, self.failed_requests = [], [], [], []
        self.expected_dialogs = []
        self.allowed_statuses = set()
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._on_console)
        page.on("requestfailed", self._on_request_failed)

    def expect_dialog(self, starting_with):
        """The next dialog starting with this text is the page's own (an htmx confirm): accept it."""
        self.expected_dialogs.append(starting_with)

    def _on_dialog(self, dialog):
        for expected in self.expected_dialogs:
            if dialog.message.startswith(expected):
                self.expected_dialogs.remove(expected)
                dialog.accept()
                return
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_request_failed(self, request):
        # htmx cancels a request that a newer one replaces; that is not a failure.
        if request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def allow_status(self, *statuses):
        """Responses with these statuses are the page's protocol here (409 for a stale edit), not failures."""
        self.allowed_statuses.update(statuses)

    def _on_console(self, msg):
        if msg.type != "error":
            return
        # htmx logs a request it cancelled (hx-sync: a newer one replaced it) as an error;
        # real failures log htmx:responseError, htmx:sendError or htmx:swapError and still count.
        if msg.text.startswith(("htmx:sendAbort", "htmx:afterRequest")):
            return
        status = re.search(r"status of (\d{3})", msg.text)
        if status and int(status.group(1)) in self.allowed_statuses:
            return
        # A page the test asked for on purpose answering 4xx logs "Failed to load resource"
        # for the document itself; failures of anything it loads still count.
        if msg.text.startswith("Failed to load resource") and msg.location.get("url", "") in self.documents:
            return
        self.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    documents = ()

    def problems(self):
        return {
            name: value
            for name, value in (
                ("dialogs", self.dialogs),
                ("page errors", self.page_errors),
                ("console errors", self.console_errors),
                ("failed requests", self.failed_requests),
            )
            if value
        }


_open_contexts = []


def close_pages():
    """Close every browser context a test opened (their watches keep what they saw)."""
    while _open_contexts:
        _open_contexts.pop().close()


@pytest.fixture
def new_page(chromium, site, request):
    """Open a page in a fresh context: ``new_page(viewport=..., color_scheme=..., java_script_enabled=...)``.

    Every page is watched; a test that passes must also leave no dialog, script
    error, console error or failed request behind.
    """
    watches = []

    def open_page(width=1280, height=900, **options):
        options.setdefault("color_scheme", "light")
        options.setdefault("reduced_motion", "reduce")
        context = chromium.new_context(
            base_url=site.url, viewport={"width": width, "height": height}, locale="en-GB", **options
        )
        context.set_default_timeout(10_000)
        context.add_init_script(XSS_TRAP)
        page = context.new_page()
        watch = Watch(page)
        documents = set()
        watch.documents = documents
        page.on("response", lambda r: documents.add(r.url) if r.request.resource_type == "document" else None)
        page.watch = watch
        _open_contexts.append(context)
        watches.append(watch)
        return page

    yield open_page
    close_pages()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed:
        problems = {k: v for w in watches for k, v in w.problems().items()}
        assert not problems, f"the page misbehaved: {problems}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures see whether the test itself passed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_in(page, username, password=None):
    """Log in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or PASSWORDS[username])
    submit(page, page.get_by_role("button", name="Log in"))


def submit(page, button):
    """Click a button that posts the page's form, and wait for the page it leads to.

    ``wait_for_load_state`` straight after the click can return at once, while
    the page being left still counts as loaded; the test's next ``goto`` then
    interrupts the post's navigation. Waiting on the navigation itself cannot.
    """
    with page.expect_navigation():
        button.click()


# What htmx marks while it works: a request in flight, a swap, content swapped in but not yet settled.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def htmx_settled(page):
    """Wait until htmx has answered the page's requests and wired what it swapped in.

    htmx puts new content in the page at once but processes its hx- attributes
    only when it settles, 20 ms later: a keystroke there is lost (a finder that
    never asks), a click posts the whole page instead. And an answer can take
    longer than the next click: a form submitted before it lands sends what it
    had. Call this once the swapped-in content is seen, or after an action
    that started a request (htmx marks the element before sending).
    """
    from playwright.sync_api import expect

    expect(page.locator(HTMX_BUSY)).to_have_count(0)


def load_language_model():
    """Load the language detector now: this process's live server shares it.

    Reading a document detects its language, and the first detection in a
    process loads py3langid's model: seconds, ten and more on a busy machine,
    which would otherwise count against the click that uploads the first
    document (and its 10 s timeout).
    """
    from factcheck.language_codes import detect_language

    detect_language("Russia keeps its naval base at Tartus.")


def choose_verdict(page, radio):
    """Tick a verdict on the resolve form, then wait for its side's statements to be ticked.

    The verdict asks the server for the pre-ticked statements (htmx); a Resolve
    clicked before they land posts none, and a true or false verdict with none
    prevailing is refused (422).
    """
    htmx_settled(page)  # the form was just swapped in: its verdict must be wired before it is changed
    with page.expect_response(lambda r: r.request.method == "GET" and "/resolve/" in r.url):
        radio.check()
    htmx_settled(page)


# --- accessibility and screenshots ---------------------------------------------------------------


def axe_violations(page, label):
    """Run axe-core (bundled by axe-playwright-python, no network) and return the violations.

    Every result is also kept, by page label, for var/axe-results.json and the run's summary
    (tests/browser/axe_report.py).
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]}).response
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [", ".join(map(str, n["target"])) for n in v["nodes"]][:5],
        }
        for v in results["violations"]
    ]
    axe_report.record(
        label, {"url": page.url, "by_impact": axe_report.count_by_impact(violations), "violations": violations}
    )
    return violations


def screenshot(page, name, max_height=None):
    """Save docs/screenshots/<name>.png, but only when FACTCHECK_SCREENSHOTS=1.

    CI runs without it, so a test run never dirties the working tree. With
    ``max_height`` the page is taken from the top down to that many pixels
    (to keep each file under 300 KB); without it, the top of the viewport as
    it is, scrolled wherever the test left it.
    """
    if os.environ.get("FACTCHECK_SCREENSHOTS") != "1":
        return None
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.evaluate("document.fonts.ready.then(() => true)")
    options = {"path": str(path), "animations": "disabled", "caret": "hide"}
    width = page.viewport_size["width"]
    if max_height:
        height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
        options.update(full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    else:
        options["clip"] = {"x": 0, "y": 0, "width": width, "height": min(page.viewport_size["height"], 700)}
    page.screenshot(**options)
    return path

"""A fixed cast (anonymous, reader, editor, staff) and small factories.

Factories build rows through the models' own paths (``locate``, ``save``) so
that derived state (offsets, claim status, history) is what production sees.
"""

import contextlib
import itertools

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from factcheck import dates
from factcheck.models import Assertion, Claim, Source, Speaker, Topic
from factcheck.roles import ensure_editor_group, ensure_publisher_group
from tests.browser import axe_report

_seq = itertools.count(1)

SAMPLE_TEXT = (
    "Russia keeps its naval base at Tartus. "
    "Officials said the “agreements will be respected” by both sides. "
    "The Kremlin denied that any extradition was requested. "
    "Talks about the bases are active as of July 2025."
)


def make_source(text=SAMPLE_TEXT, **fields):
    n = next(_seq)
    fields.setdefault("key", f"source-{n}")
    fields.setdefault("title", f"Source {n}")
    if text == SAMPLE_TEXT:
        text = f"{SAMPLE_TEXT} (Copy {n}.)"
    return Source.objects.create(text=text, **fields)


def row_counts():
    """Rows in every table of the app, history tables included: what a refused write must leave as it was."""
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("factcheck").get_models()}


def make_topic(**fields):
    n = next(_seq)
    fields.setdefault("slug", f"topic-{n}")
    fields.setdefault("title", f"Topic {n}?")
    return Topic.objects.create(**fields)


def make_claim(topic=None, text=None, assertions=(), kind="event"):
    """``assertions`` are ``(source, stance, quote)`` or ``(source, stance, quote, as_of)`` tuples,
    or dicts of ``make_assertion``'s arguments (``speaker``, ``period_end`` ...)."""
    n = next(_seq)
    claim = Claim.objects.create(
        topic=topic or make_topic(), text=text or f"Claim number {n}.", key=f"claim-{n}", kind=kind
    )
    for spec in assertions:
        if isinstance(spec, dict):
            make_assertion(claim, **spec)
        else:
            make_assertion(claim, *spec)
    claim.refresh_from_db()
    return claim


def make_quoted_source(claim_text="Russia <keeps> its “naval base” at Tartus & more."):
    """A source quoted by two claims, with a speaker, a period and markup to escape everywhere: ``(source, speaker)``.

    Every branch the source page's highlights and passage index take: a
    reported speaker, an open and a closed period, a quote shared by two
    claims, and names and claim text that need escaping.
    """
    source = make_source()
    speaker = make_speaker('The "Kremlin" <press office> & co')
    make_claim(
        text=claim_text,
        assertions=[
            {
                "source": source,
                "stance": "supports",
                "quote": "Russia keeps its naval base at Tartus.",
                "as_of": "2025-07",
            },
            {
                "source": source,
                "stance": "disputes",
                "quote": "Talks about the bases are active as of July 2025.",
                "speaker": speaker,
                "as_of": "1955",
                "period_end": "1958",
            },
        ],
    )
    make_claim(
        text="A <b>short</b> claim.", assertions=[(source, "qualifies", "Russia keeps its naval base at Tartus.")]
    )
    return source, speaker


def make_speaker(name, kind="person", **fields):
    fields.setdefault("slug", f"speaker-{next(_seq)}")
    return Speaker.objects.create(name=name, kind=kind, **fields)


def make_awkward_cast():
    """``(topic, source, arabic_source, speaker)``: names that need escaping, and a source written right to left.

    For the pages built in Python rather than by a template, compared with the template's rendering.
    """
    return (
        make_topic(),
        make_source(title='The "Times" <of> Tartus & co'),
        make_source(title="قناة", language="ar", text="روسيا تحتفظ بقاعدتها البحرية في طرطوس. وقالت موسكو ذلك."),
        make_speaker('The "Kremlin" <press office> & co'),
    )


def make_assertion(claim, source, stance, quote, as_of=None, occurrence=None, *, speaker=None, period_end=None):
    """``as_of`` and ``period_end``: the period spoken about, as ``"YYYY[-MM[-DD]]"``."""
    assertion = Assertion(claim=claim, source=source, stance=stance, quote=quote, speaker=speaker)
    if as_of:
        assertion.as_of, assertion.as_of_precision = dates.parse_partial_date(as_of)
    if period_end:
        assertion.period_end, assertion.period_end_precision = dates.parse_partial_date(period_end)
    assertion.locate(occurrence)
    assertion.save()
    return assertion


def pytest_configure(config):
    # Only in the process that starts the run: pytest-xdist's workers have ``workerinput``.
    if not hasattr(config, "workerinput"):
        axe_report.start_run()


def pytest_collection_modifyitems(config, items):
    """Leave out the tests of the other database's own SQL: ``postgres_sql`` on SQLite, ``sqlite_sql`` on PostgreSQL.

    That SQL has no reading on the database the suite runs on, so nothing is
    missing to skip for: CI runs the suite on both (DATABASE_URL=postgres://…).
    """
    from django.db import connection

    other = "sqlite_sql" if connection.vendor == "postgresql" else "postgres_sql"
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker(other) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


_axe_results = {}


def pytest_sessionfinish(session):
    # Every worker has finished by now; the terminal summary below comes after.
    if not hasattr(session.config, "workerinput"):
        _axe_results.update(axe_report.finish_run())


def pytest_terminal_summary(terminalreporter):
    if _axe_results:
        terminalreporter.section("axe-core")
        for line in axe_report.summary_lines(_axe_results):
            terminalreporter.write_line(line)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope``, as ``make test`` runs it, in pytest-django's order (tests/scheduling.py)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from tests.scheduling import InOrderScheduling

    return InOrderScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """One cheap hasher for the whole run, the live servers' threads included.

    Every user the suite creates gets a password, and every login checks one:
    PBKDF2's deliberate cost buys a test nothing. Passwords are still hashed,
    checked and rotated through the same code; only the work factor differs.
    Processes the suite starts (gunicorn, manage.py) keep the real settings.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded originals (intake) go to a directory of the run's own, never to var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("reader", password="reader-password-123")


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editor", password="editor-password-123")
    user.groups.add(ensure_editor_group())
    return user


@pytest.fixture
def second_editor(db):
    user = get_user_model().objects.create_user("editor2", password="editor-password-456")
    user.groups.add(ensure_editor_group())
    return user


@pytest.fixture
def publisher(db):
    """An editor who may also approve another editor's decision for publication."""
    user = get_user_model().objects.create_user("publisher", password="publisher-password-789", email="pub@example.org")
    user.groups.add(ensure_editor_group(), ensure_publisher_group())
    return user


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("staff", password="staff-password-123")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def make_conflict_claim(alpha=None, beta=None, *, topic=None, text="Syria agreed to let Russia keep its bases."):
    """A claim that ``alpha`` supports and ``beta`` disputes (new sources "Alpha" and "Beta" unless given)."""
    alpha = alpha or make_source(title="Alpha")
    beta = beta or make_source(title="Beta")
    return make_claim(
        topic=topic,
        text=text,
        assertions=[
            (alpha, "supports", "Russia keeps its naval base at Tartus."),
            (beta, "disputes", "Talks about the bases are active as of July 2025."),
        ],
    )


@pytest.fixture
def conflict_claim(db):
    """Two sources on opposite sides of one claim."""
    return make_conflict_claim()


@contextlib.contextmanager
def rows_for_the_module(django_db_blocker):
    """Rows a module-scoped fixture writes inside this block serve all the module's tests, then go.

    The block is one transaction, rolled back when the fixture ends. Each test's own
    transaction (pytest-django's ``db``) nests in it as a savepoint, so a test still
    sees the rows as written and leaves nothing behind for the next. Not for
    ``transaction=True`` tests, which would flush the rows away.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server URL, whatever database the suite itself runs on (see tests/servers.py).

    Skips when PostgreSQL is not installed; under CI that is a failure instead.
    """
    from tests.servers import postgres_server_url

    with postgres_server_url() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url():
    """A Redis server's URL (see tests/servers.py); skips without one, except under CI."""
    from tests.servers import redis_server_url

    with redis_server_url() as url:
        yield url

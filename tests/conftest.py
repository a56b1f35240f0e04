"""A fixed cast (anonymous, reader, editor, staff) and small factories.

Factories build rows through the models' own paths (``locate``, ``save``) so
that derived state (offsets, claim status, history) is what production sees.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model

from factcheck import dates
from factcheck.models import Assertion, Claim, Source, Topic
from factcheck.roles import ensure_editor_group

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


def make_topic(**fields):
    n = next(_seq)
    fields.setdefault("slug", f"topic-{n}")
    fields.setdefault("title", f"Topic {n}?")
    return Topic.objects.create(**fields)


def make_claim(topic=None, text=None, assertions=()):
    """``assertions`` are ``(source, stance, quote)`` or ``(source, stance, quote, as_of)`` tuples."""
    n = next(_seq)
    claim = Claim.objects.create(topic=topic or make_topic(), text=text or f"Claim number {n}.", key=f"claim-{n}")
    for spec in assertions:
        make_assertion(claim, *spec)
    claim.refresh_from_db()
    return claim


def make_assertion(claim, source, stance, quote, as_of=None, occurrence=None):
    assertion = Assertion(claim=claim, source=source, stance=stance, quote=quote)
    if as_of:
        assertion.as_of, assertion.as_of_precision = dates.parse_partial_date(as_of)
    assertion.locate(occurrence)
    assertion.save()
    return assertion


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
def staff(db):
    return get_user_model().objects.create_superuser("staff", password="staff-password-123")


@pytest.fixture
def conflict_claim(db):
    """Two sources on opposite sides of one claim."""
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    return make_claim(
        text="Syria agreed to let Russia keep its bases.",
        assertions=[(a, "supports", "Russia keeps its naval base at Tartus."), (b, "disputes", "Talks about the bases are active as of July 2025.")],
    )


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server URL, whatever database the suite itself runs on (see tests/servers.py).

    Skips when PostgreSQL is not installed; under CI that is a failure instead.
    """
    from tests.servers import postgres_server_url

    with postgres_server_url() as url:
        yield url

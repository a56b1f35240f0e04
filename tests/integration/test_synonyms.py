"""Synonym groups: editorial vocabulary in the database, seeded with the groups the code had, used at once."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import evidence
from factcheck.models import SynonymGroup
from tests.conftest import make_source

seed_groups = importlib.import_module("factcheck.migrations.0007_synonym_groups").seed_groups


@pytest.fixture
def seeded(db):
    """The groups migration 0007 seeds.

    A ``transaction=True`` test run earlier on this worker (in any module)
    flushes the migration's rows; then they are seeded again by the
    migration's own function, which seeds an empty table only.
    """
    if not SynonymGroup.objects.exists():
        seed_groups(django_apps, SimpleNamespace(connection=connection))


def test_it_seeds_the_groups_the_code_had_in_its_order(seeded):
    groups = list(SynonymGroup.objects.values_list("words", flat=True))
    assert len(groups) == 68
    assert groups[0] == "agreement accord treaty pact deal"
    assert groups[-1] == "israel jerusalem"
    # A word in two groups counts with the first: "decline" means "reject", not "shrink".
    assert groups.index("reject refuse decline") < groups.index("shrink decline decrease reduce")
    assert "russia moscow kremlin" in groups


def test_every_seeded_group_is_one_an_editor_could_have_entered(seeded):
    for group in SynonymGroup.objects.all():
        words = group.words
        group.full_clean()
        assert group.words == words


def test_a_group_an_editor_adds_is_used_by_the_next_query(db):
    source = make_source(title="Harvest", text="The ministry bought barley from Ukraine.")
    assert evidence.find_evidence("cereal") == []
    SynonymGroup.objects.create(words="cereal barley")
    found = evidence.find_evidence("cereal")
    assert [(e.source_id, e.text) for e in found] == [(source.pk, "The ministry bought barley from Ukraine.")]


def test_a_deleted_group_no_longer_makes_words_the_same(seeded):
    source = make_source(title="Denial", text="The Kremlin denied the report.")
    assert [e.source_id for e in evidence.find_evidence("Russia")] == [source.pk]
    SynonymGroup.objects.filter(words="russia moscow kremlin").delete()
    assert evidence.find_evidence("Russia") == []


@pytest.mark.parametrize(
    "words, message",
    [
        ("review re-examine", "“re-examine” is not one word"),
        ("step over", "“over” is a word the finder ignores"),
        ("deal Deal", "at least two different words"),
        ("", "This field cannot be blank."),
    ],
)
def test_it_refuses_a_group_the_finder_cannot_use(db, words, message):
    with pytest.raises(ValidationError) as raised:
        SynonymGroup(words=words).full_clean()
    assert any(message in m for m in raised.value.message_dict["words"])


def test_it_keeps_a_group_as_the_finder_reads_it(db):
    group = SynonymGroup(words="  Grain   CEREAL grain ")
    group.full_clean()
    assert group.words == "grain cereal"


def test_staff_add_groups_in_the_admin_and_are_told_what_is_wrong(client, staff, db):
    client.force_login(staff)
    url = reverse("admin:factcheck_synonymgroup_add")
    before = SynonymGroup.objects.count()
    response = client.post(url, {"words": "over under"})
    assert response.status_code == 200  # the form again, with the reason
    assert "is a word the finder ignores" in response.content.decode()
    assert SynonymGroup.objects.count() == before
    response = client.post(url, {"words": "Cereal barley"})
    assert response.status_code == 302
    assert SynonymGroup.objects.order_by("-id").first().words == "cereal barley"


def test_only_staff_allowed_to_change_groups_may_add_one(client, editor, db):
    url = reverse("admin:factcheck_synonymgroup_add")
    assert client.post(url, {"words": "cereal barley"}).status_code == 302  # anonymous: to the admin's login
    client.force_login(editor)  # not staff
    assert client.post(url, {"words": "cereal barley"}).status_code == 302
    clerk = get_user_model().objects.create_user("clerk", password="clerk-password-123", is_staff=True)
    client.force_login(clerk)  # staff without the permission
    assert client.post(url, {"words": "cereal barley"}).status_code == 403
    assert not SynonymGroup.objects.filter(words="cereal barley").exists()


@pytest.mark.django_db(transaction=True)
def test_its_cached_vocabulary_follows_an_edit_in_the_admin(client, staff):
    """Outside a transaction, as in production, the vocabulary is cached under the corpus version."""
    caches["default"].clear()
    group = SynonymGroup.objects.create(words="cereal barley")
    source = make_source(title="Harvest", text="The ministry bought barley from Ukraine.")
    assert [e.source_id for e in evidence.find_evidence("cereal")] == [source.pk]
    with CaptureQueriesContext(connection) as queries:
        assert [e.source_id for e in evidence.find_evidence("cereal")] == [source.pk]
    # The corpus version, then the candidate sentences: the vocabulary and the
    # statistics come from the cache.
    assert len(queries) == 2, [q["sql"] for q in queries.captured_queries]
    assert not any("synonymgroup" in q["sql"] or "namealias" in q["sql"] for q in queries.captured_queries)

    client.force_login(staff)
    response = client.post(reverse("admin:factcheck_synonymgroup_change", args=[group.pk]), {"words": "cereal oats"})
    assert response.status_code == 302
    assert evidence.find_evidence("cereal") == []


def test_it_builds_the_vocabulary_again_only_when_its_rows_change(db):
    first = evidence.load_vocabulary(None)
    assert evidence.load_vocabulary(None) is first  # the same rows: the tables already built
    SynonymGroup.objects.create(words="zqfoo zqbar")
    aliases, synonyms = evidence.load_vocabulary(None)
    assert synonyms is not first[1]
    assert synonyms.of["zqfoo"] == synonyms.of["zqbar"]

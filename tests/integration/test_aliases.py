"""Name aliases: seeded from the corpus, editable in the admin, one name to search and the evidence finder."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck import evidence
from factcheck.models import NameAlias
from factcheck.search import AliasTable, parse_query, search
from tests.conftest import make_source


@pytest.mark.parametrize(
    "canonical, variants",
    [
        ("Hmeimim", {"Khmeimim"}),
        ("Tartus", {"Tartous"}),
        ("al-Shaibani", {"al-Shibani", "Al-Schaibani", "Shaibani", "Shibani", "Schaibani"}),
        ("al-Sharaa", {"al Sharaa", "Ahmed al-Sharaa", "Ahmad al-Sharaa", "Sharaa"}),
        ("Assad", {"al-Assad", "Asad"}),
    ],
)
def test_it_seeds_the_spellings_found_in_the_seed_texts(db, canonical, variants):
    assert set(NameAlias.objects.filter(canonical=canonical).values_list("variant", flat=True)) >= variants


def test_each_spelling_finds_every_other(db):
    texts = {
        "Al-Schaibani": "Syrian official Al-Schaibani has stated that reviewing these agreements is necessary.",
        "al-Shibani": "Foreign Minister Asaad al-Shibani met Sergey Lavrov in Moscow.",
        "Shaibani": "Foreign Minister Shaibani insisted that the accords were suspended.",
    }
    sources = {name: make_source(title=name, text=text) for name, text in texts.items()}
    for query in ("al-Shaibani", "Al-Schaibani", "Shibani", "al Shibani"):
        found = {h.id for h in search(query).kinds["sources"].hits}
        assert found == {s.pk for s in sources.values()}, query


def test_a_name_of_several_words_is_matched_as_a_whole(db):
    aliases = AliasTable.load()
    query = parse_query("Ahmed al-Sharaa met Putin", aliases)
    # One group for the name, with the shortest spelling that covers the others.
    assert query.groups[0].alternatives == [("Sharaa",)]
    assert [g.label for g in query.groups] == ["ahmed al sharaa", "met", "putin"]


def test_the_evidence_finder_treats_aliases_as_one_name(db):
    source = make_source(title="Coast", text="Alawite families fled to the Khmeimim Air Base. Wheat prices rose.")
    found = evidence.find_evidence("refugees at Hmeimim", limit=1)
    assert found[0].source_id == source.pk and found[0].text.startswith("Alawite families fled")


def test_an_alias_added_in_the_admin_is_used_at_once(client, staff, db):
    source = make_source(title="Spelling", text="The port of Tartoos is busy.")
    assert search("Tartus").kinds["sources"].total == 0
    client.force_login(staff)
    response = client.post(reverse("admin:factcheck_namealias_add"), {"canonical": "Tartus", "variant": "Tartoos"})
    assert response.status_code == 302
    assert [h.id for h in search("Tartus").kinds["sources"].hits] == [source.pk]
    assert [e.source_id for e in evidence.find_evidence("Tartus port", limit=1)] == [source.pk]


def test_the_admin_lists_aliases_for_staff_only(client, staff, editor, db):
    url = reverse("admin:factcheck_namealias_changelist")
    client.force_login(editor)
    assert client.get(url).status_code == 302  # not staff: the admin's own login
    client.force_login(staff)
    response = client.get(url, {"q": "Khmeimim"})
    assert response.status_code == 200 and "Khmeimim" in response.content.decode()


def test_an_alias_needs_letters(db):
    with pytest.raises(ValidationError) as exc:
        NameAlias(canonical="Hmeimim", variant=" -- ").full_clean()
    assert "variant" in exc.value.message_dict


def test_it_builds_the_table_again_only_when_the_spellings_change(db):
    table = AliasTable.load()
    assert AliasTable.load() is table
    NameAlias.objects.filter(canonical="Tartus", variant="Tartous").delete()
    changed = AliasTable.load()
    assert changed is not table
    assert parse_query("Tartous", changed).groups[0].alternatives == [("Tartous",)]
    assert ("Tartous",) in parse_query("Tartus", table).groups[0].alternatives

"""PostgreSQL's side of search: the app's connections, and the candidates' query on either path."""

import json
import subprocess
import sys
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection

from factcheck import derived
from factcheck.models import Annotation, Assertion, Claim
from factcheck.search import index_table, parse_query, search, tsquery_sql
from factcheck.search.aliases import AliasTable
from factcheck.search.postgres import STATUS_KINDS
from factcheck.search_index import VECTOR_STATISTICS, ensure_search_schema
from tests.conftest import make_assertion, make_claim, make_source
from tools.appserver import app_env


@pytest.mark.slow  # a Python process reads the settings
def test_it_turns_jit_off_for_the_apps_postgresql_connections(db):
    env = app_env("postgres://factcheck@db.invalid:5432/factcheck", DJANGO_SECRET_KEY="settings-only")
    code = "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(s.DATABASES))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout)["default"]["OPTIONS"]["options"] == "-c jit=off"
    if connection.vendor == "postgresql":  # and the server takes it: the suite's own connection
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"


def _found(status, kind):
    return [h.id for h in search("Hmeimim", kinds=[kind], status=status).kinds[kind].hits]


def _index_statuses(kind, ids):
    """The status each index row of ``kind`` keeps (PostgreSQL), ``{id: status}``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, status FROM {index_table(kind)} WHERE id = ANY(%s)", [list(ids)])
        return dict(cursor.fetchall())


def test_a_status_filter_follows_the_claims_status_as_it_changes(db, editor):
    source = make_source(text="The airbase at Hmeimim was extended in 2017, officials said.")
    claim = make_claim(text="Russia extended the Hmeimim airbase.")
    quote = make_assertion(claim, source, "supports", "The airbase at Hmeimim was extended in 2017")
    note = Annotation.objects.create(claim=claim, author=editor, body="Hmeimim: checked against the lease.")
    claim.refresh_from_db()
    assert claim.status == "single"
    assert (_found("single", "claims"), _found("single", "quotes"), _found("single", "notes")) == (
        [claim.pk],
        [quote.pk],
        [note.pk],
    )
    # However the status changes (here as a bulk update would): every claim-bound kind follows it at once.
    Claim.objects.filter(pk=claim.pk).update(status="conflict")
    for kind, pk in (("claims", claim.pk), ("quotes", quote.pk), ("notes", note.pk)):
        assert _found("single", kind) == [] and _found("conflict", kind) == [pk]
    if connection.vendor == "postgresql":
        assert _index_statuses("quotes", [quote.pk]) == {quote.pk: "conflict"}


def test_a_quote_moved_to_another_claim_is_found_under_that_claims_status(db, editor):
    source = make_source(text="The airbase at Hmeimim was extended in 2017, officials said.")
    first = make_claim(text="Russia extended the Hmeimim airbase.")
    quote = make_assertion(first, source, "supports", "The airbase at Hmeimim was extended in 2017")
    second = make_claim(text="Nothing changed at the base.")
    Claim.objects.filter(pk=second.pk).update(status="resolved")
    Assertion.objects.filter(pk=quote.pk).update(claim=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status != second.status  # the move re-derived both: the quote now counts for the second
    assert _found(second.status, "quotes") == [quote.pk]
    assert _found(first.status, "quotes") == []


def test_it_keeps_the_index_rows_statuses_when_the_index_is_rebuilt(db, editor):
    claim = make_claim(text="Russia extended the Hmeimim airbase.")
    Claim.objects.filter(pk=claim.pk).update(status="qualified")
    ensure_search_schema(force_rebuild=True)
    assert _found("qualified", "claims") == [claim.pk]
    if connection.vendor == "postgresql":
        assert _index_statuses("claims", [claim.pk]) == {claim.pk: "qualified"}


@pytest.mark.postgres_sql  # SQLite's index keeps no status
def test_its_migration_brings_an_older_index_up_to_date(db, editor):
    claim = make_claim(text="Russia extended the Hmeimim airbase.")
    Claim.objects.filter(pk=claim.pk).update(status="qualified")
    with connection.cursor() as cursor:  # the index as 0022 left it: no status, no trigger keeping it
        for kind in STATUS_KINDS:
            cursor.execute(f"DROP TRIGGER {index_table(kind)}_status ON factcheck_claim")
            cursor.execute(f"ALTER TABLE {index_table(kind)} DROP COLUMN status")
    import_module("factcheck.migrations.0024_search_status").keep_claim_status(None, connection.schema_editor())
    assert _found("qualified", "claims") == [claim.pk]
    assert derived.problems() == []


def _long_source(title="A long report"):
    filler = " ".join(f"Paragraph {n} describes the grain corridor and the talks in Geneva." for n in range(300))
    tail = "Officials said the lease of the Hmeimim airbase was extended in 2017. The talks went on."
    return make_source(text=f"{filler}\n\n{tail}", title=title)


def test_it_cuts_a_sources_snippet_around_the_match_far_into_a_long_text(db):
    source = _long_source()
    [hit] = search("Hmeimim", kinds=["sources"]).kinds["sources"].hits
    assert hit.id == source.pk
    assert "<mark>Hmeimim</mark>" in hit.snippet
    assert "Paragraph 3 " not in hit.snippet


@pytest.mark.postgres_sql  # the window comes from the passages' offsets; SQLite's snippet() reads FTS5's own copy
def test_it_headlines_the_whole_text_when_the_sources_passages_are_out_of_date(db):
    from factcheck.models import Passage

    source = _long_source()
    # Cut from an older text: offsets that would give the wrong words if they were used.
    Passage.objects.filter(source=source).update(digest="0" * 64, start=0, end=9)
    [hit] = search("Hmeimim", kinds=["sources"]).kinds["sources"].hits
    assert "<mark>Hmeimim</mark>" in hit.snippet
    assert "airbase" in str(hit.snippet)


@pytest.mark.postgres_sql
def test_it_cuts_the_snippet_from_the_first_sentence_holding_any_of_the_words(db):
    source = _long_source()
    [hit] = search("Hmeimim Geneva", kinds=["sources"]).kinds["sources"].hits
    assert hit.id == source.pk
    assert str(hit.snippet).startswith("Paragraph 0 describes")
    assert "<mark>Geneva</mark>" in hit.snippet


@pytest.mark.postgres_sql
def test_it_shows_the_texts_opening_when_only_the_title_matches(db):
    source = _long_source(title="The Dossier")
    [hit] = search("dossier", kinds=["sources"]).kinds["sources"].hits
    assert hit.id == source.pk
    assert "<mark>Dossier</mark>" in hit.title
    assert str(hit.snippet).startswith("Paragraph 0 describes")


def _matching(tsquery, params):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT numnode({tsquery})", params)
        nodes = cursor.fetchone()[0]
        cursor.execute(f"SELECT id FROM {index_table('claims')} m WHERE m.vec @@ {tsquery} ORDER BY id", params)
        return nodes, [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres_sql  # factcheck_tsquery_any (migration 0026) is PostgreSQL's
@pytest.mark.parametrize("words", ["debt", "Tartus", "sanctions relief"])
def test_it_matches_with_a_simpler_query_that_finds_the_same_rows(db, words):
    texts = ["The debt was paid.", "Debts to Moscow and sanctions.", "Relief, not sanctions relief.", "A debtor."]
    texts += ["The port of Tartus.", "Порт Тартус открыт.", "В Тартусе тихо.", "Nothing to see."]
    for text in texts:
        make_claim(text=text)
    query = parse_query(words, AliasTable.load())
    full_nodes, full_rows = _matching(*tsquery_sql(query))
    simple_nodes, simple_rows = _matching(*tsquery_sql(query, simplified=True))
    assert full_rows
    assert simple_rows == full_rows
    assert simple_nodes < full_nodes


def _source_vectors(ids):
    """``({id: (vector as text, stored size)}, rows in the index's TOAST table)`` of the sources' index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, vec::text, pg_column_size(vec) FROM {index_table('sources')} WHERE id = ANY(%s)", [list(ids)]
        )
        vectors = {pk: (text, size) for pk, text, size in cursor.fetchall()}
        cursor.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = %s", [index_table("sources")]
        )
        cursor.execute(f"SELECT count(*) FROM {cursor.fetchone()[0]}")
        return vectors, cursor.fetchone()[0]


def _sources_with_long_vectors():
    # Hundreds of distinct words, each with its position: vectors of 3–6 KB, over TOAST's 2 KB threshold.
    return [
        make_source(text="The port of Tartus. " + " ".join(f"term{n}q" for n in range(450)), title="Terms"),
        make_source(text="Tartus, Tartus and the port of Tartus. " + " ".join(f"w{n}" for n in range(300))),
    ]


@pytest.mark.postgres_sql  # the index rows' layout is PostgreSQL's
def test_it_keeps_a_sources_vector_in_its_index_row(db):
    ids = [s.pk for s in _sources_with_long_vectors()]
    vectors, toasted = _source_vectors(ids)
    assert min(size for _, size in vectors.values()) > 2100  # PostgreSQL would move such a value out of the row
    assert toasted == 0
    assert sorted(h.id for h in search("Tartus", kinds=["sources"]).kinds["sources"].hits) == sorted(ids)


@pytest.mark.postgres_sql  # the index rows' layout is PostgreSQL's
def test_its_migration_moves_the_sources_vectors_into_their_rows_unchanged(db):
    ids = [s.pk for s in _sources_with_long_vectors()]
    ranked = [(h.id, h.score) for h in search("Tartus", kinds=["sources"]).kinds["sources"].hits]
    with connection.cursor() as cursor:  # the rows as 0026 left them: vectors over 2 KB out of line
        cursor.execute(f"ALTER TABLE {index_table('sources')} RESET (toast_tuple_target)")
        cursor.execute(f"UPDATE {index_table('sources')} SET vec = vec || ''::tsvector")
    before, toasted = _source_vectors(ids)
    assert toasted > 0
    import_module("factcheck.migrations.0027_search_index_layout").inline(None, connection.schema_editor())
    after, toasted = _source_vectors(ids)
    assert toasted == 0
    assert {pk: text for pk, (text, _) in after.items()} == {pk: text for pk, (text, _) in before.items()}
    assert [(h.id, h.score) for h in search("Tartus", kinds=["sources"]).kinds["sources"].hits] == ranked


def _notes_statistics():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'vec'",
            [index_table("notes")],
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres_sql  # the planner's statistics are PostgreSQL's
@pytest.mark.parametrize("upkeep", ["migration", "rebuild"])
def test_it_samples_the_notes_vectors_beyond_the_default(db, upkeep):
    with connection.cursor() as cursor:  # as 0026 left it
        cursor.execute(f"ALTER TABLE {index_table('notes')} ALTER COLUMN vec SET STATISTICS -1")
    if upkeep == "migration":
        import_module("factcheck.migrations.0027_search_index_layout").inline(None, connection.schema_editor())
    else:
        ensure_search_schema(force_rebuild=True)
    assert _notes_statistics() == VECTOR_STATISTICS["notes"]


@pytest.mark.postgres_sql  # factcheck_tsquery_any is PostgreSQL's
def test_its_tsquery_simplification_in_plpgsql_gives_what_the_sql_function_gave(db):
    as_sql = import_module("factcheck.migrations.0026_search_tsquery_any").CREATE
    as_sql = as_sql.replace("FUNCTION factcheck_tsquery_any(", "FUNCTION pg_temp.tsquery_any_as_sql(")
    queries = ["Tartus", "sanctions relief", '"grain corridor" wheat', "hand over", "Moscow's debt", "al-Assad"]
    queries += ["Хмеймим база", "طرطوس", "Damas", "Russia's wheat"]
    aliases = AliasTable.load()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
            " WHERE p.proname = 'factcheck_tsquery_any'"
        )
        assert cursor.fetchone()[0] == "plpgsql"
        cursor.execute(as_sql)
        for words in queries:
            query = parse_query(words, aliases)
            for any_word in (False, True):
                sql, params = tsquery_sql(query, any_word, simplified=True)
                cursor.execute(
                    f"SELECT {sql}::text, {sql.replace('factcheck_tsquery_any(', 'pg_temp.tsquery_any_as_sql(')}::text",
                    params * 2,
                )
                plpgsql, as_before = cursor.fetchone()
                assert plpgsql == as_before, words


def _sources_found(status):
    return sorted(h.id for h in search("Hmeimim", kinds=["sources"], status=status).kinds["sources"].hits)


def test_a_sources_status_filter_follows_its_quotes_claims(db):
    first = make_source(text="The airbase at Hmeimim was extended in 2017, officials said.")
    second = make_source(text="Hmeimim: the airbase was extended, the ministry said in 2017.")
    claim = make_claim(text="Russia extended the Hmeimim airbase.")
    quote = make_assertion(claim, first, "supports", "The airbase at Hmeimim was extended in 2017")
    claim.refresh_from_db()
    assert (_sources_found(claim.status), _sources_found("conflict")) == ([first.pk], [])
    Claim.objects.filter(pk=claim.pk).update(status="conflict")  # as a bulk update would
    assert (_sources_found("conflict"), _sources_found(claim.status)) == ([first.pk], [])
    Assertion.objects.filter(pk=quote.pk).update(source=second)  # the quote moved to another source
    claim.refresh_from_db()  # the move re-derived its status
    assert _sources_found(claim.status) == [second.pk]
    Assertion.objects.filter(pk=quote.pk).delete()
    assert _sources_found(claim.status) == []


def _quotes_sources():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, source_id FROM {index_table('quotes')}")
        return dict(cursor.fetchall())


@pytest.mark.postgres_sql  # SQLite's index keeps no source
def test_its_migration_gives_an_older_quotes_index_their_sources(db):
    source = make_source(text="The airbase at Hmeimim was extended in 2017, officials said.")
    claim = make_claim(text="Russia extended the Hmeimim airbase.")
    quote = make_assertion(claim, source, "supports", "The airbase at Hmeimim was extended in 2017")
    Claim.objects.filter(pk=claim.pk).update(status="conflict")
    with connection.cursor() as cursor:  # the index as 0026 left it: no source, a trigger not keeping one
        cursor.execute(f"ALTER TABLE {index_table('quotes')} DROP COLUMN source_id")
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {index_table('quotes')}_sync AFTER INSERT OR UPDATE OF quote OR DELETE"
            f" ON factcheck_assertion FOR EACH ROW EXECUTE FUNCTION {index_table('quotes')}_truncate()"
        )
    import_module("factcheck.migrations.0027_search_index_layout").inline(None, connection.schema_editor())
    assert _quotes_sources() == {quote.pk: source.pk}
    assert _sources_found("conflict") == [source.pk]
    other = make_source(text="Hmeimim again.")
    Assertion.objects.filter(pk=quote.pk).update(source=other)  # the trigger keeps it again
    assert _quotes_sources() == {quote.pk: other.pk}
    claim.refresh_from_db()
    assert _sources_found(claim.status) == [other.pk]
    assert derived.problems() == []
    ensure_search_schema(force_rebuild=True)
    assert _quotes_sources() == {quote.pk: other.pk}

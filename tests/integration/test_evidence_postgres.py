"""The evidence finder's candidate query on PostgreSQL: the simplified match and the plan the engine picks.

The query's SQL runs only on PostgreSQL; the suite's run with
DATABASE_URL=postgres://… (as CI does) covers it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import evidence
from factcheck.evidence import postgres
from factcheck.models import Passage
from tests.conftest import make_source

on_postgres = pytest.mark.postgres_sql

TEXTS = [
    "Russia will hand back the port of Tartus. The Tartous base is busy.",
    "Officials handed over the papers. Nobody handed anything back.",
    "В Тартусе стоит база. Тартус — порт.",
    "The hand of the minister was seen in Damascus. Wheat reached Latakia.",
    "Extradition was refused. They would not surrender him or hand him over.",
]


def _ids(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.id FROM factcheck_fts_passages m WHERE m.vec @@ {sql} ORDER BY m.id", params)
        return [row[0] for row in cursor.fetchall()]


def _operands(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sql})::text", params)
        text = cursor.fetchone()[0]
    return set(text.split(" | ")) if text else set()


@on_postgres
@pytest.mark.parametrize(
    "phrases, prefixes",
    [
        (["hand back", "hand over", "handed over", "surrender", "extradition"], []),
        (["Tartus", "tartus", "Tartous", "тартус"], ["тартус", "тарт"]),
        (["handed back", "hand"], ["hand"]),
        (["the", "of"], []),  # stop words only: no operand, nothing matches
        (["wheat"], []),
    ],
)
def test_it_matches_exactly_the_passages_the_full_query_does(db, phrases, prefixes):
    for text in TEXTS:
        make_source(text=text)
    parts, params = postgres.tsqueries(phrases, prefixes)
    full = _ids(f"({' || '.join(parts)})", params)
    assert _ids(postgres.simplified(parts), params) == full
    if phrases != ["the", "of"]:
        assert full  # the case tests something


@on_postgres
def test_it_drops_repeated_and_implied_operands(db):
    parts, params = postgres.tsqueries(["hand back", "hand over", "Tartous", "tartous", "тартус"], ["тарт"])
    # English drops "over": "hand" alone implies both phrases; the prefix implies the word it starts.
    assert _operands(postgres.simplified(parts), params) == {"'hand'", "'tartous'", "'тарт':*"}
    parts, params = postgres.tsqueries(["handed back"], [])
    # Nothing implies a phrase's other reading, nor "handed <-> back" as written.
    assert _operands(postgres.simplified(parts), params) == {"'hand' <-> 'back'", "'handed' <-> 'back'"}


@on_postgres
@pytest.mark.parametrize("budget", [2, 5, 2000])
def test_it_finds_the_same_candidates_walking_or_through_the_index(db, monkeypatch, budget):
    for n in range(6):
        make_source(text=f"Tartus report {n}. The port of Tartus is busy. Wheat reached Tartus by sea {n} times.")
    make_source(text="Nothing about the port here.")
    engine = evidence._Engine(connection)
    qterms = evidence._query_terms("Tartus", evidence.Analyzer(None))
    found = {}
    for walk in (True, False):
        monkeypatch.setattr(postgres, "walks", lambda *args, walk=walk: walk)
        found[walk] = engine.candidates(qterms, (), 300, budget=budget)
    assert found[True] == found[False]
    ids = sorted(row[0] for row in found[True])
    matching = sorted(Passage.objects.filter(text__icontains="tartus").values_list("pk", flat=True))
    # The newest ``budget`` matching passages, however they were found.
    assert ids == matching[-budget:]


@on_postgres
def test_it_keeps_excluded_sources_out_on_either_plan(db, monkeypatch):
    kept = make_source(text="Tartus is a port. Tartus again.")
    excluded = make_source(text="Tartus in the other source.")
    engine = evidence._Engine(connection)
    qterms = evidence._query_terms("Tartus", evidence.Analyzer(None))
    for walk in (True, False):
        monkeypatch.setattr(postgres, "walks", lambda *args, walk=walk: walk)
        assert {row[1] for row in engine.candidates(qterms, (excluded.pk,), 300)} == {kept.pk}


def test_it_fetches_few_matches_through_the_index_and_walks_for_common_words():
    rows, budget = 300_000, 2_000
    # Within the budget every match is wanted: walking would read the whole table.
    assert not postgres.walks(budget, rows, budget, 2)
    assert not postgres.walks(10, rows, budget, 40)
    # A word in a fifth of the passages: its newest matches come within a few thousand rows.
    assert postgres.walks(rows // 5, rows, budget, 2)
    assert postgres.walks(rows // 5, rows, budget, 40)


@on_postgres
@pytest.mark.parametrize("cut, queries", [("nothing", 1), ("all but the budget", 1), ("all but one", 2)])
def test_it_ranks_the_newest_matches_whatever_the_floor(db, monkeypatch, cut, queries):
    for n in range(6):
        make_source(text=f"Tartus report {n}. The port of Tartus is busy. Wheat reached Tartus by sea {n} times.")
    make_source(text="Nothing about the port here.")
    engine = evidence._Engine(connection)
    qterms = evidence._query_terms("Tartus", evidence.Analyzer(None))
    matching = sorted(Passage.objects.filter(text__icontains="tartus").values_list("pk", flat=True))
    budget = 5
    monkeypatch.setattr(postgres, "walks", lambda *args: False)
    monkeypatch.setattr(postgres, "floor", lambda *args: None)
    expected = engine.candidates(qterms, (), 300, budget=budget)
    floor = {"nothing": 0, "all but the budget": matching[-budget], "all but one": matching[-1]}[cut]
    monkeypatch.setattr(postgres, "floor", lambda *args: floor)
    with CaptureQueriesContext(connection) as captured:
        assert engine.candidates(qterms, (), 300, budget=budget) == expected
    # Too few matches above the floor: asked again without it.
    assert len(captured) == queries
    assert sorted(row[0] for row in expected) == matching[-budget:]


def test_it_sets_the_floor_where_the_budget_twice_over_should_lie():
    rows, budget = 300_000, 2_000
    # 30,000 matches among 300,000 passages: 4,000 of them in the newest 40,000.
    assert postgres.floor(30_000, rows, rows, budget) == rows - 40_000
    # Few matches, or no passages: every match is read.
    assert postgres.floor(2 * budget, rows, rows, budget) is None
    assert postgres.floor(30_000, rows, None, budget) is None


@on_postgres
def test_it_fetches_through_the_index_when_the_engine_says_so(db, monkeypatch):
    # Index rows enough for the planner's choice to be the benchmark's: a match in every tenth.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO factcheck_fts_passages (id, vec) SELECT g, to_tsvector('simple', CASE WHEN g % 10 = 0"
            " THEN 'the port of tartus' ELSE 'wheat reached latakia' END) FROM generate_series(1000000, 1100000) g"
        )
        cursor.execute("ANALYZE factcheck_fts_passages")
    engine = evidence._Engine(connection)
    qterms = evidence._query_terms("Tartus", evidence.Analyzer(None))
    monkeypatch.setattr(postgres, "walks", lambda *args: False)
    monkeypatch.setattr(postgres, "floor", lambda *args: 1_060_000)
    with CaptureQueriesContext(connection) as captured:
        engine.candidates(qterms, (), 300, budget=2000)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {captured[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Not the primary key over the floor's range, every row in it tested (40,000 here).
    assert "Bitmap Index Scan on factcheck_fts_passages_vec" in plan
    assert "factcheck_fts_passages_pkey" not in plan

"""The speakers beside search's overview: listed_speakers' first few, from SQL compiled once."""

import pytest

from factcheck.selectors.speakers import listed_speakers, speakers_found
from tests.conftest import make_claim, make_source, make_speaker

pytestmark = pytest.mark.django_db

BASES = "Russia keeps its naval base at Tartus."


@pytest.fixture
def speakers(db):
    source = make_source(title="Alpha")
    kremlin = make_speaker("the Kremlin", kind="government", aliases="Kremlin press office\nPeskov")
    make_speaker("Percent 100% sure", slug="percent")
    make_speaker("Under_score", slug="under-score")
    make_speaker("Back\\slash", slug="back-slash")
    for n in range(6):
        make_speaker(f"Press speaker {n}")
    make_claim(assertions=[{"source": source, "stance": "supports", "quote": BASES, "speaker": kremlin}])
    make_claim(assertions=[{"source": source, "stance": "disputes", "quote": BASES, "speaker": kremlin}])


@pytest.mark.parametrize("q", ["press", "PRESS", "peskov", "kremlin", "%", "100%", "_", "r_s", "\\", "k\\s", "nobody"])
def test_it_finds_what_the_speaker_list_finds_first(speakers, q):
    expected = [(s.pk, s.name, s.statement_count) for s in listed_speakers(q)[:5]]
    assert [(s.pk, s.name, s.statement_count) for s in speakers_found(q, 5)] == expected


def test_it_takes_like_wildcards_literally(speakers):
    assert [s.name for s in speakers_found("100%", 5)] == ["Percent 100% sure"]
    assert [s.name for s in speakers_found("_", 5)] == ["Under_score"]
    assert [s.name for s in speakers_found("\\", 5)] == ["Back\\slash"]
    assert len(speakers_found("press", 5)) == 5  # six press speakers and the Kremlin's alias: the limit holds


def test_it_counts_each_speakers_statements(speakers):
    (kremlin,) = speakers_found("peskov", 5)
    assert kremlin.statement_count == 2 and kremlin.get_kind_display() == "Government"

"""Corpus format 2: speakers, source origins, claim kinds, statement dates and periods; format 1 still imports."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from factcheck import corpus
from factcheck.models import Assertion, Claim, SourceDerivation, Speaker
from tests.conftest import row_counts
from tests.corpus_docs import claim_record, corpus_doc, quote_record

TRT = (
    "Kremlin spokesman Dmitry Peskov said that no extradition had been requested. "
    "Bombs fell on Idlib in late 2024, residents said."
)
ZEIT = "Die Zeit reported that Moscow was asked to hand Assad over. Talks ran from 1955 to 1958."


def _doc2():
    return {
        "format": corpus.FORMAT,
        "speakers": [
            {
                "slug": "kremlin",
                "name": "The Kremlin",
                "kind": "government",
                "aliases": ["Kremlin", "Russian presidency"],
                "description": "Russia's presidential administration.",
            },
            {"slug": "die-zeit", "name": "Die Zeit", "kind": "outlet", "aliases": [], "description": ""},
        ],
        "sources": [
            {
                "key": "trt",
                "title": "TRT World",
                "published": "2025-10-16",
                "kind": "news",
                "derived_from": [{"source": "zeit", "relation": "republishes", "note": "“as Die Zeit reported”"}],
                "text": TRT,
            },
            {
                "key": "zeit",
                "title": "Weekly digest",
                "kind": "news",
                "derived_from": [{"speaker": "die-zeit", "relation": "translates", "note": ""}],
                "text": ZEIT,
            },
        ],
        "topics": [{"slug": "assad", "title": "Was Assad's extradition requested?"}],
        "claims": [
            {
                "key": "extradition-asked",
                "topic": "assad",
                "text": "Syria asked Russia to extradite Assad.",
                "kind": "event",
                "assertions": [
                    {
                        "source": "trt",
                        "stance": "disputes",
                        "quote": "Kremlin spokesman Dmitry Peskov said that no extradition had been requested.",
                        "speaker": "kremlin",
                        "stated_on": "2025-10-15",
                        "period": {"from": "2025-10", "to": None},
                    },
                    {
                        "source": "zeit",
                        "stance": "supports",
                        "quote": "Die Zeit reported that Moscow was asked to hand Assad over.",
                        "speaker": "die-zeit",
                        "stated_on": None,
                        "period": None,
                    },
                ],
            },
            {
                "key": "talks-1955",
                "topic": "assad",
                "text": "Talks ran for years.",
                "kind": "state",
                "assertions": [
                    {
                        "source": "zeit",
                        "stance": "supports",
                        "quote": "Talks ran from 1955 to 1958.",
                        "speaker": None,
                        "stated_on": "2025",
                        "period": {"from": "1955", "to": "1958"},
                    },
                    {
                        "source": "trt",
                        "stance": "qualifies",
                        "quote": "Bombs fell on Idlib in late 2024, residents said.",
                        "speaker": None,
                        "stated_on": None,
                        "period": {"from": "2024-10", "to": "2024-12"},
                    },
                ],
            },
        ],
    }


def _write(tmp_path, doc, name="corpus.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def _refused(path):
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_corpus", path, stdout=io.StringIO(), stderr=io.StringIO())
    assert row_counts() == before, "a refused import wrote something"
    return str(caught.value).splitlines()[1:]


def test_it_imports_speakers_origins_kinds_and_periods(db):
    result = corpus.import_corpus(_doc2())

    assert (result.created["speakers"], result.created["derivations"]) == (2, 2)
    kremlin = Speaker.objects.get(slug="kremlin")
    assert (kremlin.name, kremlin.kind, kremlin.alias_list) == (
        "The Kremlin",
        "government",
        ["Kremlin", "Russian presidency"],
    )
    denial = Assertion.objects.get(claim__key="extradition-asked", source__key="trt")
    assert denial.speaker == kremlin
    assert (denial.stated_on.isoformat(), denial.stated_on_precision) == ("2025-10-15", "day")
    assert (denial.as_of.isoformat(), denial.as_of_precision, denial.period_end) == ("2025-10-01", "month", None)
    talks = Assertion.objects.get(claim__key="talks-1955", source__key="zeit")
    assert (talks.speaker, talks.as_of_value, talks.period_end.isoformat(), talks.period_end_precision) == (
        None,
        "1955",
        "1958-01-01",
        "year",
    )
    assert Claim.objects.get(key="talks-1955").kind == "state"
    trt_origin = SourceDerivation.objects.get(source__key="trt")
    assert (trt_origin.origin_source.key, trt_origin.relation) == ("zeit", "republishes")
    zeit_origin = SourceDerivation.objects.get(source__key="zeit")
    assert (zeit_origin.origin_speaker.slug, zeit_origin.relation) == ("die-zeit", "translates")


# Outside a test transaction: PostgreSQL refuses flush's TRUNCATE inside one.
@pytest.mark.django_db(transaction=True)
def test_it_round_trips_format_2_through_export_into_an_empty_database(tmp_path):
    corpus.import_corpus(_doc2())
    first = corpus.export_corpus()
    assert first["speakers"] == sorted(_doc2()["speakers"], key=lambda s: s["slug"])
    assert [c["kind"] for c in first["claims"]] == ["event", "state"]
    exported = {a["quote"]: a for c in first["claims"] for a in c["assertions"]}
    for claim in _doc2()["claims"]:
        for a in claim["assertions"]:
            assert {k: exported[a["quote"]][k] for k in ("speaker", "stated_on", "period")} == {
                k: a[k] for k in ("speaker", "stated_on", "period")
            }
    assert [s["derived_from"] for s in first["sources"]] == [
        [{"source": "zeit", "relation": "republishes", "note": "“as Die Zeit reported”"}],
        [{"speaker": "die-zeit", "relation": "translates", "note": ""}],
    ]
    path = _write(tmp_path, first)

    call_command("flush", interactive=False, verbosity=0)
    call_command("import_corpus", path, stdout=io.StringIO())

    assert corpus.export_corpus() == first
    # The same file again changes nothing.
    again = corpus.import_corpus(json.loads(Path(path).read_text(encoding="utf-8")))
    assert not again.changed


def test_it_replaces_a_sources_origins_and_an_assertions_speaker_with_what_the_file_says(db):
    corpus.import_corpus(_doc2())
    doc = _doc2()
    doc["sources"][0]["derived_from"] = []
    doc["claims"][0]["assertions"][0]["speaker"] = None
    doc["claims"][0]["kind"] = "state"

    result = corpus.import_corpus(doc)

    assert result.deleted_derivations == 1 and "1 derivation removed" in result.summary()
    assert not SourceDerivation.objects.filter(source__key="trt").exists()
    denial = Assertion.objects.get(claim__key="extradition-asked", source__key="trt")
    assert denial.speaker is None and denial.version == 2
    assert denial.history.latest("history_date").history_change_reason == "imported from corpus"
    assert Claim.objects.get(key="extradition-asked").kind == "state"


def test_it_recounts_independent_origins_when_only_a_sources_origins_change(db):
    corpus.import_corpus(_doc2())
    # Both own-voice statements lead back to Die Zeit: trt republishes zeit, which translates Die Zeit.
    assert Claim.objects.get(key="talks-1955").origin_count == 1
    doc = _doc2()
    doc["sources"][0]["derived_from"] = []

    corpus.import_corpus(doc)

    assert Claim.objects.get(key="talks-1955").origin_count == 2


def test_it_refuses_a_loop_of_origins(db, tmp_path):
    doc = _doc2()
    doc["sources"][1]["derived_from"] = [{"source": "trt", "relation": "cites", "note": ""}]
    path = _write(tmp_path, doc)
    assert _refused(path) == [
        f"{path}: sources[0] (key 'trt'): field 'derived_from': a loop of origins (trt → zeit → trt) "
        "leaves none of them an origin"
    ]


# Outside a test transaction: PostgreSQL refuses flush's TRUNCATE inside one.
@pytest.mark.django_db(transaction=True)
def test_it_exports_one_topic_with_the_origins_and_speakers_it_needs(tmp_path):
    corpus.import_corpus(_doc2())
    doc = _doc2()
    doc["topics"].append({"slug": "other", "title": "Other?"})
    doc["claims"] = [
        {
            "key": "only-trt",
            "topic": "other",
            "text": "Bombs fell.",
            "kind": "event",
            "assertions": [{"source": "trt", "stance": "supports", "quote": "Bombs fell on Idlib in late 2024"}],
        }
    ]
    corpus.import_corpus(doc)
    path = tmp_path / "other.json"
    call_command("export_corpus", "--topic", "other", "-o", str(path), stderr=io.StringIO())
    exported = json.loads(path.read_text(encoding="utf-8"))

    # trt is cited; zeit is its origin, and die-zeit zeit's: without them the file would not import alone.
    assert [s["key"] for s in exported["sources"]] == ["trt", "zeit"]
    assert [s["slug"] for s in exported["speakers"]] == ["die-zeit"]
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_corpus", str(path), stdout=io.StringIO())
    assert SourceDerivation.objects.count() == 2


def test_it_imports_format_1_with_as_of_as_the_start_of_the_period(db):
    doc = corpus_doc(
        claim_record("talks", "Talks ran.", quote_record("zeit", "Talks ran", as_of="1955")),
        claim_record("asked", "Asked.", quote_record("zeit", "Moscow was asked")),
        sources=[{"key": "zeit", "title": "Weekly digest", "as_of": "2025-10", "text": ZEIT}],
        format=corpus.FORMAT_1,
    )
    corpus.import_corpus(doc)

    talks = Assertion.objects.get(claim__key="talks")
    assert (talks.as_of_value, talks.period_end, talks.speaker, talks.stated_on) == ("1955", None, None, None)
    assert Claim.objects.get(key="talks").kind == "event"
    # No as_of: undated, not the document's date.
    assert Assertion.objects.get(claim__key="asked").as_of is None


def test_it_leaves_format_2_fields_alone_when_a_format_1_file_is_imported_again(db):
    corpus.import_corpus(_doc2())
    doc = _doc2()
    doc["format"] = corpus.FORMAT_1
    del doc["speakers"]
    for s in doc["sources"]:
        del s["derived_from"]
    for c in doc["claims"]:
        del c["kind"]
        for a in c["assertions"]:
            period = a.pop("period")
            del a["speaker"], a["stated_on"]
            if period:
                a["as_of"] = period["from"]

    result = corpus.import_corpus(doc)

    assert not result.changed
    assert Assertion.objects.get(claim__key="extradition-asked", source__key="trt").speaker.slug == "kremlin"
    assert SourceDerivation.objects.count() == 2
    assert Claim.objects.get(key="talks-1955").kind == "state"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["claims"][0]["assertions"][0].update(speaker="putin"),
            "claims[0] (key 'extradition-asked') assertions[0]: field 'speaker': unknown speaker 'putin'; "
            "list it under 'speakers' or add it first",
        ),
        (
            lambda d: d["claims"][1]["assertions"][0].update(period={"from": "1958", "to": "1955"}),
            "claims[1] (key 'talks-1955') assertions[0]: field 'period.to': '1955' is before the period's start '1958'",
        ),
        (
            lambda d: d["claims"][1]["assertions"][0].update(period={"from": "1955-13"}),
            "claims[1] (key 'talks-1955') assertions[0]: field 'period.from': '1955-13' is not a valid date: "
            "month must be in 1..12",
        ),
        (
            lambda d: d["claims"][1]["assertions"][0].update(period={"to": "1958"}),
            "claims[1] (key 'talks-1955') assertions[0]: field 'period.from' is required when 'period.to' is given",
        ),
        (
            lambda d: d["claims"][1]["assertions"][0].update(period="1955"),
            "claims[1] (key 'talks-1955') assertions[0]: field 'period' must be null or an object with 'from' and 'to'",
        ),
        (
            lambda d: d["claims"][0]["assertions"][1].update(as_of="2025"),
            "claims[0] (key 'extradition-asked') assertions[1]: unknown field(s) 'as_of' "
            "(format 2 gives the period as 'period': {'from', 'to'})",
        ),
        (
            lambda d: d["sources"][0]["derived_from"].append({"source": "nyt"}),
            "sources[0] (key 'trt'): field 'derived_from[1].source': unknown source 'nyt'",
        ),
        (
            lambda d: d["sources"][0]["derived_from"].append({"source": "trt"}),
            "sources[0] (key 'trt'): field 'derived_from[1].source': a source cannot derive from itself",
        ),
        (
            lambda d: d["sources"][1]["derived_from"][0].update(relation="copies"),
            "sources[1] (key 'zeit'): field 'derived_from[0].relation': 'copies' is not one of "
            "cites, republishes, translates",
        ),
        (
            lambda d: d["claims"][1].update(kind="trend"),
            "claims[1] (key 'talks-1955'): field 'kind': 'trend' is not one of event, state",
        ),
        (
            lambda d: d["speakers"][0].update(kind="deity"),
            "speakers[0] (slug 'kremlin'): field 'kind': 'deity' is not one of "
            "person, government, organisation, outlet",
        ),
    ],
)
def test_it_refuses_bad_format_2_input_naming_the_record_and_field_and_writes_nothing(db, tmp_path, change, message):
    doc = _doc2()
    change(doc)
    path = _write(tmp_path, doc)
    assert _refused(path) == [f"{path}: {message}"]


def test_it_round_trips_speakers_and_periods_through_csv_and_still_reads_the_old_columns(db, tmp_path):
    corpus.import_corpus(_doc2())
    first = corpus.export_corpus()
    path = tmp_path / "claims.csv"
    call_command("export_corpus", "-o", str(path), stderr=io.StringIO())
    text = path.read_text(encoding="utf-8")
    assert (
        "talks-1955,assad,Talks ran for years.,state,zeit,supports,Talks ran from 1955 to 1958.,,,2025,1955,1958"
        in text
    )
    assert ",kremlin,2025-10-15,2025-10," in text

    for claim in Claim.objects.all():
        claim.delete()
    call_command("import_corpus", str(path), stdout=io.StringIO())
    assert corpus.export_corpus() == first

    old = tmp_path / "old.csv"
    old.write_text(
        "claim_key,topic,claim_text,source,stance,quote,occurrence,as_of\n"
        "old,assad,Old claim.,zeit,supports,Talks ran from 1955,,1955\n",
        encoding="utf-8",
    )
    call_command("import_corpus", str(old), stdout=io.StringIO())
    assert Assertion.objects.get(claim__key="old").as_of_value == "1955"


def test_it_refuses_a_csv_naming_an_unknown_speaker_by_line_and_column(db, tmp_path):
    corpus.import_corpus(_doc2())
    path = tmp_path / "bad.csv"
    path.write_text(
        ",".join(corpus.CSV_COLUMNS) + "\nnew,assad,New.,event,zeit,supports,Talks ran,,putin,,1955,1954\n",
        encoding="utf-8",
    )
    assert _refused(str(path)) == [
        f"{path}: line 2: field 'speaker': unknown speaker 'putin'; list it under 'speakers' or add it first",
        f"{path}: line 2: field 'period_to': '1954' is before the period's start '1955'",
    ]


def test_an_import_refreshes_each_claims_status_once_at_the_end(db, monkeypatch):
    from factcheck.models import upkeep

    refreshed = []
    real = upkeep._refresh
    monkeypatch.setattr(upkeep, "_refresh", lambda ids, using: (refreshed.append(set(ids)), real(ids, using)))

    corpus.import_corpus(_doc2())

    assert refreshed == [set(Claim.objects.values_list("pk", flat=True))]
    assert Claim.objects.get(key="talks-1955").origin_count == 1

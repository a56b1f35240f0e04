"""The CSV format: claims with their assertions, one row per assertion."""

import csv
import io

from factcheck import dates
from factcheck.corpus.common import FORMAT, FORMAT_1, CorpusError, occurrence_of
from factcheck.corpus.exporting import assertions_by_claim, selected_claims
from factcheck.field_names import ASSERTION_AS_QUOTED

CSV_COLUMNS = ("claim_key", "topic", "claim_text", "claim_kind", *ASSERTION_AS_QUOTED, "period_from", "period_to")
# The columns before format 2; such a file still imports, its as_of the start of each period.
CSV_COLUMNS_1 = ("claim_key", "topic", "claim_text", "source", "stance", "quote", "occurrence", "as_of")
# Per claim, repeated on each of its rows: (column, field of the claim).
_CLAIM_CELLS = (("topic", "topic"), ("claim_text", "text"), ("claim_kind", "kind"))

# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"); tab and carriage return lead some of them to it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """The cell as written to CSV: a leading apostrophe keeps a spreadsheet from running it.

    A cell that already starts with an apostrophe followed by a formula
    character or another apostrophe gets one more, so that ``unescape_cell``
    tells the two apart and every value comes back exactly; an apostrophe
    before anything else (“'Tis”) is left alone.
    """
    value = str(value)
    if value.startswith(_FORMULA_START) or (value[:1] == "'" and value[1:2].startswith((*_FORMULA_START, "'"))):
        return "'" + value
    return value


def unescape_cell(value):
    """The value ``escape_cell`` wrote, from the cell as read."""
    if value[:1] == "'" and value[1:2] and value[1:2].startswith((*_FORMULA_START, "'")):
        return value[1:]
    return value


class CsvCorpus(dict):
    """Claims read from CSV, shaped like the JSON document.

    ``lines`` maps ``(claim index,)`` and ``(claim index, assertion index)``
    to the CSV line each came from, so problems name lines, not JSON paths;
    ``problems`` holds what was wrong with the rows themselves.
    """

    def __init__(self, claims, lines, problems, fmt=FORMAT):
        super().__init__(format=fmt, sources=[], topics=[], claims=claims)
        self.lines = lines
        self.problems = problems


def parse_csv(text, label):
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CorpusError([f"{label}: line 1: malformed CSV ({exc})"]) from None
    if not header:
        raise CorpusError([f"{label}: line 1: expected a header row naming the columns {', '.join(CSV_COLUMNS)}"])
    header = [name.strip() for name in header]
    old = "as_of" in header and "period_from" not in header
    columns = CSV_COLUMNS_1 if old else CSV_COLUMNS
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns]
    repeated = sorted({h for h in header if header.count(h) > 1})
    problems = [
        f"{label}: line 1: {what} column(s) {', '.join(map(repr, names))}"
        for what, names in (("missing", missing), ("unknown", unknown), ("repeated", repeated))
        if names
    ]
    if problems:
        raise CorpusError([*problems, f"{label}: line 1: the header must name the columns {', '.join(columns)}"])
    index = {name: header.index(name) for name in columns}
    claim_cells = [(c, f) for c, f in _CLAIM_CELLS if c in index]
    assertion_cells = [c for c in columns if c not in ("claim_key", *(c for c, _ in _CLAIM_CELLS))]

    claims, lines, by_key = [], {}, {}
    while True:
        # A quoted cell may span lines: a row starts on the line after the last one read.
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"{label}: line {line}: malformed CSV ({exc}); rows after it were not read")
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{label}: line {line}: {len(row)} cells, but the header has {len(header)} columns")
            continue
        cell = {name: unescape_cell(row[i]) for name, i in index.items()}
        key = cell["claim_key"].strip()
        if key in by_key:
            i = by_key[key]
            claim = claims[i]
            for column, name in claim_cells:
                if cell[column].strip() != claim[name].strip():
                    problems.append(
                        f"{label}: line {line} (claim {key!r}): field '{column}' differs from line {lines[(i,)]}, "
                        "where the same claim begins"
                    )
        else:
            i = len(claims)
            claim = {"key": key, "topic": cell["topic"].strip(), "text": cell["claim_text"], "assertions": []}
            if not old:
                claim["kind"] = cell["claim_kind"].strip()
            claims.append(claim)
            lines[(i,)] = line
            if key:
                by_key[key] = i
        # A row with no assertion cells stands for a claim no source speaks to yet.
        if not any(cell[c].strip() for c in assertion_cells):
            continue
        assertion = {"source": cell["source"].strip(), "stance": cell["stance"].strip(), "quote": cell["quote"]}
        if old:
            assertion["as_of"] = cell["as_of"].strip()
        else:
            assertion["speaker"] = cell["speaker"].strip()
            assertion["stated_on"] = cell["stated_on"].strip()
            period = {"from": cell["period_from"].strip(), "to": cell["period_to"].strip()}
            assertion["period"] = period if any(period.values()) else None
        occurrence = cell["occurrence"].strip()
        if occurrence:
            if occurrence.isdecimal():
                assertion["occurrence"] = int(occurrence)
            else:
                problems.append(f"{label}: line {line}: field 'occurrence': {occurrence!r} is not a whole number")
        lines[(i, len(claim["assertions"]))] = line
        claim["assertions"].append(assertion)
    return CsvCorpus(claims, lines, problems, FORMAT_1 if old else FORMAT)


def export_csv(stream, *, topics=None, claims=None, progress=None):
    """Write claims and their assertions as CSV to ``stream``; returns the number of rows.

    Offsets are not columns: ``occurrence`` (filled only for a repeated
    quote) locates the passage again on import, so a round trip reproduces
    them exactly.
    """
    claim_qs = selected_claims(topics, claims)
    by_claim = assertions_by_claim(claim_qs)
    claim_list = list(claim_qs)
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for n, c in enumerate(claim_list, 1):
        base = [c.key, c.topic.slug, c.text, c.kind]
        for a in by_claim.get(c.pk, []) or [None]:
            if a is None:
                row = [*base] + [""] * (len(CSV_COLUMNS) - len(base))
            else:
                row = [
                    *base,
                    a.source.key,
                    a.stance,
                    a.quote,
                    occurrence_of(a) or "",
                    a.speaker.slug if a.speaker else "",
                    dates.serialize_partial_date(a.stated_on, a.stated_on_precision) or "",
                    a.as_of_value or "",
                    dates.serialize_partial_date(a.period_end, a.period_end_precision) or "",
                ]
            writer.writerow([escape_cell(cell) for cell in row])
            rows += 1
        if progress:
            progress("exporting claims", n, len(claim_list))
    return rows

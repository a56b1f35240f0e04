"""The corpus exchange formats.

JSON (``factcheck-corpus/1``): one document holding sources, topics, claims
and their assertions, keyed by stable keys (source ``key``, topic ``slug``,
claim ``key``) so that importing the same file twice changes nothing.

CSV: claims with their assertions, one row per assertion (columns
``CSV_COLUMNS``), for editing in a spreadsheet; the sources and topics it
names must already exist.

Import validates the whole document before writing anything; every problem
is reported with the file, the record (a JSON path, or a CSV line) and the
field it concerns, and nothing is written unless there are none.
"""

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef

from factcheck import dates, quotes
from factcheck.models import Assertion, Claim, Source, Stance, Topic, text_digest

FORMAT = "factcheck-corpus/1"
CSV_COLUMNS = ("claim_key", "topic", "claim_text", "source", "stance", "quote", "occurrence", "as_of")
KINDS = ("sources", "topics", "claims", "assertions")

SOURCE_FIELDS = ("title", "publisher", "author", "url", "published", "as_of", "kind", "language", "notes")
# Fields each record may carry; anything else is a typo that would silently
# drop data, so it is refused. "comment" is free text for the file's editors.
_ALLOWED = {
    "document": {"format", "sources", "topics", "claims", "comment"},
    "source": {"key", *SOURCE_FIELDS, "text", "text_file", "comment"},
    "topic": {"slug", "title", "description", "comment"},
    "claim": {"key", "topic", "text", "assertions", "comment"},
    "assertion": {"source", "stance", "quote", "occurrence", "start", "end", "as_of", "comment"},
}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")
_URL = URLValidator()


class CorpusError(Exception):
    """Raised with every problem found; ``problems`` is a list of strings."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    created: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unchanged: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    deleted_assertions: int = 0
    # One line per created, changed or removed record, for people to read.
    changes: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self):
        return bool(any(self.created.values()) or any(self.updated.values()) or self.deleted_assertions)

    def summary(self):
        parts = [f"{n} {kind} created" for kind, n in self.created.items() if n]
        parts += [f"{n} {kind} updated" for kind, n in self.updated.items() if n]
        if self.deleted_assertions:
            parts.append(f"{self.deleted_assertions} assertions removed")
        unchanged = ", ".join(f"{n} {kind}" for kind, n in self.unchanged.items() if n)
        text = ", ".join(parts) or "nothing changed"
        return f"{text} ({unchanged} already up to date)" if unchanged else text


# Reading files ---------------------------------------------------------------


def decode_utf8(raw, label):
    """``raw`` as text; a byte that is not UTF-8 is reported with its place."""
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = bom + exc.start
        line = raw.count(b"\n", 0, pos) + 1
        column = pos - (raw.rfind(b"\n", 0, pos) + 1) + 1
        raise CorpusError(
            [
                f"{label}: not UTF-8 text: byte {raw[pos]:#04x} at offset {pos} (line {line}, column {column}) "
                "is not valid UTF-8; save the file as UTF-8"
            ]
        ) from None


def guess_format(name, text):
    suffix = Path(str(name)).suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    return "json" if text.lstrip()[:1] in ("{", "[") else "csv"


def parse_corpus(raw, *, label, fmt=None):
    """Bytes of a JSON or CSV corpus file → the corpus document, not yet validated."""
    text = decode_utf8(raw, label)
    fmt = fmt or guess_format(label, text)
    if fmt == "csv":
        return parse_csv(text, label)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError([f"{label}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"]) from None


def read_corpus_file(path, fmt=None):
    """Parse a corpus file; text_file references are resolved beside it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    return parse_corpus(raw, label=str(path), fmt=fmt), path.parent


class CsvCorpus(dict):
    """Claims read from CSV, shaped like the JSON document.

    ``lines`` maps ``(claim index,)`` and ``(claim index, assertion index)``
    to the CSV line each came from, so problems name lines, not JSON paths;
    ``problems`` holds what was wrong with the rows themselves.
    """

    def __init__(self, claims, lines, problems):
        super().__init__(format=FORMAT, sources=[], topics=[], claims=claims)
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
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    repeated = sorted({h for h in header if header.count(h) > 1})
    problems = []
    if missing:
        problems.append(f"{label}: line 1: missing column(s) {', '.join(map(repr, missing))}")
    if unknown:
        problems.append(f"{label}: line 1: unknown column(s) {', '.join(map(repr, unknown))}")
    if repeated:
        problems.append(f"{label}: line 1: repeated column(s) {', '.join(map(repr, repeated))}")
    if problems:
        raise CorpusError([*problems, f"{label}: line 1: the header must name the columns {', '.join(CSV_COLUMNS)}"])
    index = {name: header.index(name) for name in CSV_COLUMNS}

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
        cell = {name: row[i] for name, i in index.items()}
        key = cell["claim_key"].strip()
        if key in by_key:
            i = by_key[key]
            claim = claims[i]
            for column, name in (("topic", "topic"), ("claim_text", "text")):
                if cell[column].strip() != claim[name].strip():
                    problems.append(
                        f"{label}: line {line} (claim {key!r}): field '{column}' differs from line {lines[(i,)]}, "
                        "where the same claim begins"
                    )
        else:
            i = len(claims)
            claim = {"key": key, "topic": cell["topic"].strip(), "text": cell["claim_text"], "assertions": []}
            claims.append(claim)
            lines[(i,)] = line
            if key:
                by_key[key] = i
        # A row with no assertion cells stands for a claim no source speaks to yet.
        if not any(cell[c].strip() for c in ("source", "stance", "quote", "occurrence", "as_of")):
            continue
        assertion = {
            "source": cell["source"].strip(),
            "stance": cell["stance"].strip(),
            "quote": cell["quote"],
            "as_of": cell["as_of"].strip(),
        }
        occurrence = cell["occurrence"].strip()
        if occurrence:
            if occurrence.isdecimal():
                assertion["occurrence"] = int(occurrence)
            else:
                problems.append(f"{label}: line {line}: field 'occurrence': {occurrence!r} is not a whole number")
        lines[(i, len(claim["assertions"]))] = line
        claim["assertions"].append(assertion)
    return CsvCorpus(claims, lines, problems)


# Validation ------------------------------------------------------------------


class _Validator:
    def __init__(self, label, problems=()):
        self.label = label
        self.problems = list(problems)

    def fail(self, where, message):
        self.problems.append(f"{self.label}: {where}: {message}")

    def text(self, where, record, name, required=False, max_length=None, shown=None):
        shown = shown or name
        value = record.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(where, f"field '{shown}' must be a string, got {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.fail(where, f"field '{shown}' is required")
        if max_length and len(value) > max_length:
            self.fail(where, f"field '{shown}' is longer than {max_length} characters")
        return value

    def key(self, where, record, name, shown=None):
        value = self.text(where, record, name, required=True, max_length=100, shown=shown).strip()
        if value and not _SLUG.match(value):
            self.fail(
                where, f"field '{shown or name}': {value!r} may only hold letters, digits, hyphens and underscores"
            )
        return value

    def partial_date(self, where, record, name):
        value = record.get(name)
        if value in (None, ""):
            return None, dates.DAY
        if not isinstance(value, str):
            self.fail(where, f"field '{name}' must be a date string, got {type(value).__name__}")
            return None, dates.DAY
        try:
            return dates.parse_partial_date(value)
        except ValueError as exc:
            self.fail(where, f"field '{name}': {exc}")
            return None, dates.DAY

    def known_fields(self, where, record, kind):
        unknown = sorted(set(record) - _ALLOWED[kind])
        if unknown:
            self.fail(where, f"unknown field(s) {', '.join(map(repr, unknown))}")


def _records(v, data, name):
    value = data.get(name, [])
    if not isinstance(value, list):
        v.fail(name, "must be a list")
        return []
    good = []
    for i, record in enumerate(value):
        if isinstance(record, dict):
            good.append((i, record))
        else:
            v.fail(f"{name}[{i}]", "must be an object")
    return good


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _plan(data, base_dir, label, progress=None):
    """Validate ``data`` and return plain dicts ready to write, or raise CorpusError."""
    if not isinstance(data, dict):
        raise CorpusError([f"{label}: the top level must be a JSON object"])
    lines = getattr(data, "lines", None)
    v = _Validator(label, getattr(data, "problems", ()))
    if data.get("format") != FORMAT:
        v.fail("format", f"expected {FORMAT!r}, got {data.get('format')!r}")
    v.known_fields("top level", data, "document")

    sources, source_where = _plan_sources(v, data, base_dir)

    topics = {}
    for i, rec in _records(v, data, "topics"):
        slug = v.key(f"topics[{i}]", rec, "slug")
        where = f"topics[{i}] (slug {slug!r})"
        v.known_fields(where, rec, "topic")
        if slug in topics:
            v.fail(where, f"duplicate topic slug {slug!r}")
            continue
        topics[slug] = {
            "title": v.text(where, rec, "title", required=True, max_length=_max_length(Topic, "title")),
            "description": v.text(where, rec, "description"),
        }

    existing_sources = {s.key: s for s in Source.objects.all()}
    existing_topics = set(Topic.objects.values_list("slug", flat=True))
    # CSV names the claim's own columns differently from the JSON fields.
    shown = {"key": "claim_key", "text": "claim_text"} if lines else {}
    claims = {}
    records = _records(v, data, "claims")
    for n, (i, rec) in enumerate(records, 1):
        key = v.key(f"claims[{i}]", rec, "key", shown=shown.get("key"))
        where = f"line {lines[(i,)]} (claim {key!r})" if lines else f"claims[{i}] (key {key!r})"
        v.known_fields(where, rec, "claim")
        if key in claims:
            v.fail(where, f"duplicate claim key {key!r}")
            continue
        topic = v.text(where, rec, "topic", required=True).strip()
        if topic and topic not in topics and topic not in existing_topics:
            v.fail(where, f"field 'topic': unknown topic {topic!r}")
        text = v.text(where, rec, "text", required=True, shown=shown.get("text"))
        claim = {"topic": topic, "text": text, "assertions": []}
        assertions = rec.get("assertions", [])
        if not isinstance(assertions, list):
            v.fail(where, "field 'assertions' must be a list")
            assertions = []
        passages = {}
        for j, arec in enumerate(assertions):
            awhere = f"line {lines[(i, j)]}" if lines else f"{where} assertions[{j}]"
            if not isinstance(arec, dict):
                v.fail(awhere, "must be an object")
                continue
            item = _plan_assertion(v, awhere, arec, sources, existing_sources)
            if "start" in item:
                passage = (item["source"], item["start"], item["end"])
                if passage in passages:
                    v.fail(awhere, f"the same passage of source {item['source']!r} as {passages[passage]}")
                passages.setdefault(passage, awhere)
            claim["assertions"].append(item)
        claims[key] = claim
        if progress:
            progress("checking claims", n, len(records))

    _check_changed_texts(v, sources, source_where, existing_sources, claims)
    if v.problems:
        raise CorpusError(v.problems)
    return sources, topics, claims


def _plan_sources(v, data, base_dir):
    sources, source_where = {}, {}
    seen_digests = {}
    stored_digests = dict(Source.objects.values_list("text_sha256", "key"))
    for i, rec in _records(v, data, "sources"):
        key = v.key(f"sources[{i}]", rec, "key")
        where = f"sources[{i}] (key {key!r})"
        v.known_fields(where, rec, "source")
        if key in sources:
            # Reported once; checking the rest against the first keeps other messages about real problems.
            v.fail(where, f"duplicate source key {key!r}")
            continue
        item = {
            name: v.text(where, rec, name, max_length=_max_length(Source, name))
            for name in ("title", "publisher", "author", "url")
        }
        item["notes"] = v.text(where, rec, "notes")
        item["language"] = v.text(where, rec, "language", max_length=_max_length(Source, "language")) or "en"
        if not item["title"].strip():
            v.fail(where, "field 'title' is required")
        if item["url"]:
            try:
                _URL(item["url"])
            except ValidationError:
                v.fail(where, f"field 'url': {item['url'][:100]!r} is not a valid URL")
        kind = rec.get("kind") or Source.Kind.OTHER
        if kind not in Source.Kind.values:
            v.fail(where, f"field 'kind': {kind!r} is not one of {', '.join(Source.Kind.values)}")
        item["kind"] = kind
        published, precision = v.partial_date(where, rec, "published")
        if published and precision != dates.DAY:
            v.fail(where, "field 'published' needs a full date (YYYY-MM-DD)")
        item["published"] = published
        item["as_of"], item["as_of_precision"] = v.partial_date(where, rec, "as_of")
        item["text"] = _source_text(v, where, rec, base_dir)
        digest = text_digest(item["text"])
        if item["text"] and digest in seen_digests:
            v.fail(where, f"same text as source {seen_digests[digest]!r}")
        elif item["text"] and stored_digests.get(digest, key) != key:
            v.fail(where, f"same text as the stored source {stored_digests[digest]!r}")
        seen_digests[digest] = key
        sources[key] = item
        source_where[key] = where
    return sources, source_where


def _source_text(v, where, rec, base_dir):
    if "text" in rec:
        return v.text(where, rec, "text", required=True)
    if "text_file" in rec:
        if base_dir is None:
            v.fail(where, "field 'text_file' cannot be used in an uploaded file; put the text in field 'text'")
            return ""
        path = (base_dir / str(rec["text_file"])).resolve()
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            v.fail(where, f"field 'text_file': cannot read {rec['text_file']!r} as UTF-8 ({exc})")
            return ""
    v.fail(where, "field 'text' (or 'text_file') is required")
    return ""


def _plan_assertion(v, where, rec, sources, existing_sources):
    v.known_fields(where, rec, "assertion")
    source_key = v.text(where, rec, "source", required=True).strip()
    stance = rec.get("stance")
    if stance not in Stance.values:
        v.fail(where, f"field 'stance': {stance!r} is not one of {', '.join(Stance.values)}")
    quote = v.text(where, rec, "quote", required=True)
    as_of, precision = v.partial_date(where, rec, "as_of")
    item = {"source": source_key, "stance": stance, "quote": quote, "as_of": as_of, "as_of_precision": precision}
    if source_key in sources:
        text, title = sources[source_key]["text"], sources[source_key]["title"]
    elif source_key in existing_sources:
        text, title = existing_sources[source_key].text, existing_sources[source_key].title
    else:
        if source_key:
            v.fail(where, f"field 'source': unknown source {source_key!r}")
        return item
    if not quote.strip() or not text:
        return item
    start, end = rec.get("start"), rec.get("end")
    if start is not None or end is not None:
        if not (_is_int(start) and _is_int(end)):
            v.fail(where, "fields 'start' and 'end' must both be integers")
        elif not quotes.matches_at(text, quote, start, end):
            v.fail(where, f"field 'quote' is not at {start}–{end} in “{title}”")
        else:
            item["start"], item["end"] = start, end
        return item
    found = quotes.find_occurrences(text, quote)
    occurrence = rec.get("occurrence")
    if not found:
        nearest = quotes.nearest_passage(text, quote)
        v.fail(where, f"field 'quote' does not occur in “{title}”; nearest passage: “{nearest}”")
    elif occurrence is None and len(found) > 1:
        v.fail(where, f"field 'quote' occurs {len(found)} times in “{title}”; add 'occurrence' (1–{len(found)})")
    elif occurrence is not None and (not _is_int(occurrence) or not 1 <= occurrence <= len(found)):
        v.fail(where, f"field 'occurrence' must be a whole number from 1 to {len(found)}, got {occurrence!r}")
    else:
        chosen = found[(occurrence or 1) - 1]
        item["start"], item["end"] = chosen.start, chosen.end
    return item


def quotes_after_text_change(source, new_text):
    """Where each quote citing ``source`` sits in ``new_text``.

    Returns ``(moves, problems)``: ``moves`` lists ``(assertion, start, end)``
    for quotes that moved and can be found again without doubt (the only
    occurrence, or the same occurrence of as many as before); ``problems``
    describes each quote the new text loses or makes ambiguous.
    """
    moves, problems = [], []
    for a in source.assertions.select_related("claim").order_by("start", "id"):
        if quotes.matches_at(new_text, a.quote, a.start, a.end):
            continue
        found = quotes.find_occurrences(new_text, a.quote)
        before = quotes.find_occurrences(source.text, a.quote)
        where = f"claim {a.claim.key!r}, quote “{a.quote[:80]}”"
        if not found:
            problems.append(
                f"{where}: no longer in the text; nearest passage “{quotes.nearest_passage(new_text, a.quote)}”"
            )
        elif len(found) == 1:
            moves.append((a, found[0].start, found[0].end))
        elif len(found) == len(before) and (n := occurrence_of(a)):
            moves.append((a, found[n - 1].start, found[n - 1].end))
        else:
            problems.append(f"{where}: now occurs {len(found)} times (was {len(before)}); cannot tell which is meant")
    return moves, problems


def _check_changed_texts(v, sources, source_where, existing_sources, claims):
    """A new text for a stored source must still hold every quote the file leaves in place."""
    changed = [
        key
        for key, item in sources.items()
        if key in existing_sources and item["text"] and existing_sources[key].text != item["text"]
    ]
    if not changed:
        return
    kept = (
        Assertion.objects.filter(source__key__in=changed)
        .exclude(claim__key__in=list(claims))
        .select_related("claim", "source")
        .order_by("source__key", "claim__key", "start")
    )
    for a in kept:
        if not quotes.matches_at(sources[a.source.key]["text"], a.quote, a.start, a.end):
            v.fail(
                source_where[a.source.key],
                f"field 'text': the new text no longer holds the quote of stored claim {a.claim.key!r} "
                f"at {a.start}–{a.end} (“{a.quote[:80]}”); include that claim in the file with the quote's new place",
            )


# Writing ---------------------------------------------------------------------


def _assign(obj, values):
    """Set the attributes that differ; return their names."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def import_corpus(data, *, base_dir=Path("."), label="corpus", progress=None, dry_run=False):
    """Validate then write ``data`` in one transaction. Returns an ImportResult.

    ``base_dir`` resolves ``text_file`` references; ``None`` (an upload)
    refuses them. ``progress(stage, done, total)`` is called as claims are
    checked and written. With ``dry_run`` everything is written and then
    rolled back, so the summary says exactly what an import would change.
    """
    base_dir = Path(base_dir) if base_dir is not None else None
    result = ImportResult(dry_run=dry_run)
    reason = f"imported from {Path(label).name}"[:100]
    # Planning inside the transaction: on SQLite (IMMEDIATE) no writer can
    # change what was checked before it is written.
    with transaction.atomic():
        sources, topics, claims = _plan(data, base_dir, label, progress)
        source_objs = {}
        for key, values in sources.items():
            obj = Source.objects.filter(key=key).first()
            if obj is None:
                obj = Source(key=key, **values)
                _save_full(obj, label, f"source {key!r}", reason)
                _count(result, "created", "sources", f"source {key!r}")
            elif changed := _assign(obj, values):
                _save_full(obj, label, f"source {key!r}", reason)
                _count(result, "updated", "sources", f"source {key!r}", changed)
            else:
                result.unchanged["sources"] += 1
            source_objs[key] = obj
        topic_objs = {
            t.slug: t for t in Topic.objects.filter(slug__in={c["topic"] for c in claims.values()} | set(topics))
        }
        for slug, values in topics.items():
            obj = topic_objs.get(slug)
            if obj is None:
                obj = Topic(slug=slug, **values)
                obj._change_reason = reason
                obj.save()
                _count(result, "created", "topics", f"topic {slug!r}")
            elif changed := _assign(obj, values):
                obj._change_reason = reason
                obj.save()
                _count(result, "updated", "topics", f"topic {slug!r}", changed)
            else:
                result.unchanged["topics"] += 1
            topic_objs[slug] = obj
        for n, (key, values) in enumerate(claims.items(), 1):
            _import_claim(key, values, topic_objs, source_objs, result, reason)
            if progress:
                progress("writing claims", n, len(claims))
        if dry_run:
            transaction.set_rollback(True)
    return result


def _count(result, action, kind, what, fields=()):
    getattr(result, action)[kind] += 1
    detail = f" ({', '.join(fields)})" if fields else ""
    result.changes.append(f"{action} {what}{detail}")


def _save_full(obj, label, what, reason):
    try:
        obj.full_clean(exclude=["text_sha256"])
    except ValidationError as exc:
        details = "; ".join(f"field '{f}': {' '.join(m)}" for f, m in exc.message_dict.items())
        raise CorpusError([f"{label}: {what}: {details}"]) from None
    obj._change_reason = reason
    obj.save()


def _import_claim(key, values, topic_objs, source_objs, result, reason):
    claim = Claim.objects.filter(key=key).first()
    fields = {"topic": topic_objs[values["topic"]], "text": values["text"]}
    if claim is None:
        claim = Claim(key=key, **fields)
        claim._change_reason = reason
        claim.save()
        _count(result, "created", "claims", f"claim {key!r}")
    elif changed := _assign(claim, fields):
        # A newer version makes editors' forms based on the old text stale.
        claim.version += 1
        claim._change_reason = reason
        claim.save()
        _count(result, "updated", "claims", f"claim {key!r}", changed)
    else:
        result.unchanged["claims"] += 1
    existing = {(a.source.key, a.start, a.end): a for a in claim.assertions.select_related("source")}
    wanted = set()
    for item in values["assertions"]:
        source = source_objs.get(item["source"]) or Source.objects.get(key=item["source"])
        ident = (source.key, item["start"], item["end"])
        wanted.add(ident)
        fields = {
            "stance": item["stance"],
            "quote": item["quote"],
            "as_of": item["as_of"],
            "as_of_precision": item["as_of_precision"],
        }
        what = f"assertion of claim {key!r} by source {source.key!r} at {item['start']}–{item['end']}"
        assertion = existing.get(ident)
        if assertion is None:
            assertion = Assertion(claim=claim, source=source, start=item["start"], end=item["end"], **fields)
            assertion._change_reason = reason
            assertion.save()
            _count(result, "created", "assertions", what)
        elif changed := _assign(assertion, fields):
            assertion.version += 1
            assertion._change_reason = reason
            assertion.save()
            _count(result, "updated", "assertions", what, changed)
        else:
            result.unchanged["assertions"] += 1
    for ident, assertion in existing.items():
        if ident not in wanted:
            assertion._change_reason = reason
            assertion.delete()
            result.deleted_assertions += 1
            result.changes.append(f"removed assertion of claim {key!r} by source {ident[0]!r} at {ident[1]}–{ident[2]}")


# Export ----------------------------------------------------------------------


def _selected_claims(topics, claims):
    qs = Claim.objects.select_related("topic").order_by("topic__slug", "key")
    if topics is not None:
        qs = qs.filter(topic__in=topics)
    if claims is not None:
        qs = qs.filter(pk__in=[c.pk for c in claims])
    return qs


def _assertions_by_claim(claim_qs):
    assertions = (
        Assertion.objects.filter(claim__in=claim_qs).select_related("source").order_by("claim_id", "start", "end", "id")
    )
    by_claim = {}
    for a in assertions:
        by_claim.setdefault(a.claim_id, []).append(a)
    return by_claim


def export_corpus(*, topics=None, claims=None, progress=None):
    """The corpus as a ``factcheck-corpus/1`` dict.

    With ``topics`` or ``claims``, only those claims, their topics and the
    sources they cite: a file that imports on its own into an empty database.
    """
    claim_qs = _selected_claims(topics, claims)
    topic_qs = Topic.objects.order_by("slug")
    source_qs = Source.objects.order_by("key")
    if topics is not None:
        topic_qs = topic_qs.filter(pk__in=[t.pk for t in topics])
    elif claims is not None:
        topic_qs = topic_qs.filter(Exists(claim_qs.filter(topic=OuterRef("pk"))))
    if topics is not None or claims is not None:
        source_qs = source_qs.filter(Exists(Assertion.objects.filter(source=OuterRef("pk"), claim__in=claim_qs)))
    by_claim = _assertions_by_claim(claim_qs)
    claim_list = list(claim_qs)
    exported = []
    for n, c in enumerate(claim_list, 1):
        exported.append(
            {
                "key": c.key,
                "topic": c.topic.slug,
                "text": c.text,
                "assertions": [
                    {
                        "source": a.source.key,
                        "stance": a.stance,
                        "quote": a.quote,
                        "start": a.start,
                        "end": a.end,
                        "as_of": a.as_of_value,
                    }
                    for a in by_claim.get(c.pk, [])
                ],
            }
        )
        if progress:
            progress("exporting claims", n, len(claim_list))
    return {
        "format": FORMAT,
        "sources": [
            {
                "key": s.key,
                "title": s.title,
                "publisher": s.publisher,
                "author": s.author,
                "url": s.url,
                "published": s.published.isoformat() if s.published else None,
                "as_of": s.as_of_value,
                "kind": s.kind,
                "language": s.language,
                "notes": s.notes,
                "text": s.text,
            }
            for s in source_qs
        ],
        "topics": [{"slug": t.slug, "title": t.title, "description": t.description} for t in topic_qs],
        "claims": exported,
    }


def occurrence_of(assertion):
    """Which occurrence of its quote the assertion points at, when the quote is repeated."""
    found = quotes.find_occurrences(assertion.source.text, assertion.quote)
    if len(found) < 2:
        return None
    for n, occurrence in enumerate(found, 1):
        if (occurrence.start, occurrence.end) == (assertion.start, assertion.end):
            return n
    return None


def export_csv(stream, *, topics=None, claims=None, progress=None):
    """Write claims and their assertions as CSV to ``stream``; returns the number of rows.

    Offsets are not columns: ``occurrence`` (filled only for a repeated
    quote) locates the passage again on import, so a round trip reproduces
    them exactly.
    """
    claim_qs = _selected_claims(topics, claims)
    by_claim = _assertions_by_claim(claim_qs)
    claim_list = list(claim_qs)
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for n, c in enumerate(claim_list, 1):
        base = [c.key, c.topic.slug, c.text]
        for a in by_claim.get(c.pk, []) or [None]:
            if a is None:
                writer.writerow([*base, "", "", "", "", ""])
            else:
                occurrence = occurrence_of(a)
                writer.writerow([*base, a.source.key, a.stance, a.quote, occurrence or "", a.as_of_value or ""])
            rows += 1
        if progress:
            progress("exporting claims", n, len(claim_list))
    return rows

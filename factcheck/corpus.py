"""The corpus exchange format: one JSON document holding sources, topics,
claims and their assertions, keyed by stable keys (source ``key``, topic
``slug``, claim ``key``) so that importing the same file twice changes nothing.

Import validates the whole document before writing anything; every problem
is reported with the file, the record and the field it concerns.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck import dates, quotes
from factcheck.models import Assertion, Claim, Source, Stance, Topic, text_digest

FORMAT = "factcheck-corpus/1"

SOURCE_FIELDS = ("title", "publisher", "author", "url", "published", "as_of", "kind", "language", "notes")


class CorpusError(Exception):
    """Raised with every problem found; ``problems`` is a list of strings."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    created: dict = field(default_factory=lambda: {"sources": 0, "topics": 0, "claims": 0, "assertions": 0})
    updated: dict = field(default_factory=lambda: {"sources": 0, "topics": 0, "claims": 0, "assertions": 0})
    deleted_assertions: int = 0

    @property
    def changed(self):
        return any(self.created.values()) or any(self.updated.values()) or self.deleted_assertions

    def summary(self):
        parts = [f"{n} {kind} created" for kind, n in self.created.items() if n]
        parts += [f"{n} {kind} updated" for kind, n in self.updated.items() if n]
        if self.deleted_assertions:
            parts.append(f"{self.deleted_assertions} assertions removed")
        return ", ".join(parts) or "nothing changed"


def read_corpus_file(path):
    """Parse a corpus file; text_file references are resolved beside it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError([f"{path}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError([f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"]) from None
    return data, path.parent


class _Validator:
    def __init__(self, label):
        self.label = label
        self.problems = []

    def fail(self, where, message):
        self.problems.append(f"{self.label}: {where}: {message}")

    def text(self, where, record, name, required=False, max_length=None):
        value = record.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(where, f"field '{name}' must be a string, got {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.fail(where, f"field '{name}' is required")
        if max_length and len(value) > max_length:
            self.fail(where, f"field '{name}' is longer than {max_length} characters")
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


def _plan(data, base_dir, label):
    """Validate ``data`` and return plain dicts ready to write, or raise CorpusError."""
    v = _Validator(label)
    if not isinstance(data, dict):
        raise CorpusError([f"{label}: the top level must be a JSON object"])
    if data.get("format") != FORMAT:
        v.fail("format", f"expected {FORMAT!r}, got {data.get('format')!r}")

    sources = {}
    seen_digests = {}
    stored_digests = dict(Source.objects.values_list("text_sha256", "key"))
    for i, rec in _records(v, data, "sources"):
        key = v.text(f"sources[{i}]", rec, "key", required=True, max_length=100)
        where = f"sources[{i}] (key {key!r})"
        if key in sources:
            v.fail(where, f"duplicate source key {key!r}")
        item = {name: v.text(where, rec, name) for name in ("title", "publisher", "author", "url", "notes")}
        item["language"] = v.text(where, rec, "language") or "en"
        if not item["title"].strip():
            v.fail(where, "field 'title' is required")
        kind = rec.get("kind") or Source.Kind.OTHER
        if kind not in Source.Kind.values:
            v.fail(where, f"field 'kind': {kind!r} is not one of {', '.join(Source.Kind.values)}")
        item["kind"] = kind
        published, precision = v.partial_date(where, rec, "published")
        if published and precision != dates.DAY:
            v.fail(where, "field 'published' needs a full date (YYYY-MM-DD)")
        item["published"] = published
        item["as_of"], item["as_of_precision"] = v.partial_date(where, rec, "as_of")
        if "text" in rec:
            item["text"] = v.text(where, rec, "text", required=True)
        elif "text_file" in rec:
            path = (base_dir / str(rec["text_file"])).resolve()
            try:
                item["text"] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                v.fail(where, f"field 'text_file': cannot read {rec['text_file']!r} as UTF-8 ({exc})")
                item["text"] = ""
        else:
            v.fail(where, "field 'text' (or 'text_file') is required")
            item["text"] = ""
        digest = text_digest(item["text"])
        if item["text"] and digest in seen_digests:
            v.fail(where, f"same text as source {seen_digests[digest]!r}")
        elif item["text"] and stored_digests.get(digest, key) != key:
            v.fail(where, f"same text as the stored source {stored_digests[digest]!r}")
        seen_digests[digest] = key
        sources[key] = item

    topics = {}
    for i, rec in _records(v, data, "topics"):
        slug = v.text(f"topics[{i}]", rec, "slug", required=True, max_length=100)
        where = f"topics[{i}] (slug {slug!r})"
        if slug in topics:
            v.fail(where, f"duplicate topic slug {slug!r}")
        topics[slug] = {
            "title": v.text(where, rec, "title", required=True, max_length=300),
            "description": v.text(where, rec, "description"),
        }

    existing_sources = {s.key: s for s in Source.objects.all()}
    existing_topics = set(Topic.objects.values_list("slug", flat=True))
    claims = {}
    for i, rec in _records(v, data, "claims"):
        key = v.text(f"claims[{i}]", rec, "key", required=True, max_length=100)
        where = f"claims[{i}] (key {key!r})"
        if key in claims:
            v.fail(where, f"duplicate claim key {key!r}")
        topic = v.text(where, rec, "topic", required=True)
        if topic and topic not in topics and topic not in existing_topics:
            v.fail(where, f"field 'topic': unknown topic {topic!r}")
        claim = {"topic": topic, "text": v.text(where, rec, "text", required=True), "assertions": []}
        assertions = rec.get("assertions", [])
        if not isinstance(assertions, list):
            v.fail(where, "field 'assertions' must be a list")
            assertions = []
        for j, arec in enumerate(assertions):
            awhere = f"{where} assertions[{j}]"
            if not isinstance(arec, dict):
                v.fail(awhere, "must be an object")
                continue
            claim["assertions"].append(_plan_assertion(v, awhere, arec, sources, existing_sources))
        claims[key] = claim

    if v.problems:
        raise CorpusError(v.problems)
    return sources, topics, claims


def _plan_assertion(v, where, rec, sources, existing_sources):
    source_key = v.text(where, rec, "source", required=True)
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
        if not (isinstance(start, int) and isinstance(end, int)):
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
    elif occurrence is not None and (not isinstance(occurrence, int) or not 1 <= occurrence <= len(found)):
        v.fail(where, f"field 'occurrence' must be an integer from 1 to {len(found)}")
    else:
        chosen = found[(occurrence or 1) - 1]
        item["start"], item["end"] = chosen.start, chosen.end
    return item


def _assign(obj, values):
    """Set changed attributes; return True when anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def import_corpus(data, *, base_dir=Path("."), label="corpus", progress=None):
    """Validate then write ``data`` in one transaction. Returns an ImportResult."""
    sources, topics, claims = _plan(data, Path(base_dir), label)
    result = ImportResult()
    with transaction.atomic():
        source_objs = {}
        for key, values in sources.items():
            obj = Source.objects.filter(key=key).first()
            if obj is None:
                obj = Source(key=key, **values)
                _save_full(obj, label, f"source {key!r}")
                result.created["sources"] += 1
            elif _assign(obj, values):
                _save_full(obj, label, f"source {key!r}")
                result.updated["sources"] += 1
            source_objs[key] = obj
        topic_objs = {t.slug: t for t in Topic.objects.filter(slug__in=[c["topic"] for c in claims.values()])}
        for slug, values in topics.items():
            obj = topic_objs.get(slug) or Topic.objects.filter(slug=slug).first()
            if obj is None:
                obj = Topic.objects.create(slug=slug, **values)
                result.created["topics"] += 1
            elif _assign(obj, values):
                obj.save()
                result.updated["topics"] += 1
            topic_objs[slug] = obj
        for n, (key, values) in enumerate(claims.items(), 1):
            _import_claim(key, values, topic_objs, source_objs, result)
            if progress:
                progress(n, len(claims))
    return result


def _save_full(obj, label, what):
    try:
        obj.full_clean(exclude=["text_sha256"])
    except ValidationError as exc:
        details = "; ".join(f"field '{f}': {' '.join(m)}" for f, m in exc.message_dict.items())
        raise CorpusError([f"{label}: {what}: {details}"]) from None
    obj.save()


def _import_claim(key, values, topic_objs, source_objs, result):
    claim = Claim.objects.filter(key=key).first()
    fields = {"topic": topic_objs[values["topic"]], "text": values["text"]}
    if claim is None:
        claim = Claim.objects.create(key=key, **fields)
        result.created["claims"] += 1
    elif _assign(claim, fields):
        claim.save()
        result.updated["claims"] += 1
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
        assertion = existing.get(ident)
        if assertion is None:
            Assertion.objects.create(claim=claim, source=source, start=item["start"], end=item["end"], **fields)
            result.created["assertions"] += 1
        elif _assign(assertion, fields):
            assertion.save()
            result.updated["assertions"] += 1
    for ident, assertion in existing.items():
        if ident not in wanted:
            assertion.delete()
            result.deleted_assertions += 1


def export_corpus(*, topics=None):
    """The corpus (or the given topics and the sources they cite) as a dict."""
    claims = Claim.objects.select_related("topic").order_by("topic__slug", "key")
    topic_qs = Topic.objects.order_by("slug")
    if topics is not None:
        claims = claims.filter(topic__in=topics)
        topic_qs = topic_qs.filter(pk__in=[t.pk for t in topics])
    assertions = Assertion.objects.filter(claim__in=claims).select_related("source").order_by("claim_id", "start", "id")
    by_claim = {}
    for a in assertions:
        by_claim.setdefault(a.claim_id, []).append(a)
    source_qs = Source.objects.order_by("key")
    if topics is not None:
        source_qs = source_qs.filter(assertions__claim__topic__in=topics).distinct()
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
        "claims": [
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
            for c in claims
        ],
    }

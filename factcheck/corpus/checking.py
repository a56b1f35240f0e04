"""Validation: a whole document checked against itself and the database before anything is written."""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from factcheck import dates, quotes
from factcheck.corpus import format2
from factcheck.corpus.common import FORMAT, FORMAT_1, FORMATS, CorpusError, occurrence_of
from factcheck.corpus.origins import find_loop
from factcheck.corpus.reading import read_text_beside
from factcheck.corpus.validator import Validator, list_records, unique_records
from factcheck.language_codes import validate_language_code
from factcheck.models import Assertion, Source, SourceDerivation, Speaker, Stance, Topic, text_digest

_URL = URLValidator()


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def plan(data, base_dir, label, progress=None):
    """Validate ``data`` and return plain dicts ready to write, or raise CorpusError."""
    if not isinstance(data, dict):
        raise CorpusError([f"{label}: the top level must be a JSON object"])
    lines = getattr(data, "lines", None)
    version = 1 if data.get("format") == FORMAT_1 else 2
    v = Validator(label, getattr(data, "problems", ()), version)
    v.csv = bool(lines)
    if data.get("format") not in FORMATS:
        v.fail("format", f"expected {FORMAT!r} (or the older {FORMAT_1!r}), got {data.get('format')!r}")
    v.known_fields("top level", data, "document")

    speakers = format2.plan_speakers(v, data) if version == 2 else {}
    speaker_slugs = set(speakers) | set(Speaker.objects.values_list("slug", flat=True))
    sources, source_where = _plan_sources(v, data, base_dir, speaker_slugs)

    topics = {}
    for slug, where, rec in unique_records(v, data, "topics", "topic", "slug"):
        topics[slug] = {
            "title": v.text(where, rec, "title", required=True, max_length=_max_length(Topic, "title")),
            "description": v.text(where, rec, "description"),
        }

    existing_sources = {s.key: s for s in Source.objects.all()}
    existing_topics = set(Topic.objects.values_list("slug", flat=True))
    # CSV names the claim's own columns differently from the JSON fields.
    shown = {"key": "claim_key", "text": "claim_text", "kind": "claim_kind"} if lines else {}
    claims = {}
    records = list_records(v, data, "claims")
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
        if version == 2:
            claim["kind"] = format2.plan_kind(v, where, rec, shown.get("kind", "kind"))
            if "translations" in rec:
                claim["translations"] = format2.plan_claim_translations(v, where, rec.get("translations"))
        passages = {}
        for j, arec in enumerate(v.list_field(where, rec.get("assertions", []), "assertions")):
            awhere = f"line {lines[(i, j)]}" if lines else f"{where} assertions[{j}]"
            if not isinstance(arec, dict):
                v.fail(awhere, "must be an object")
                continue
            item = _plan_assertion(v, awhere, arec, sources, existing_sources, speaker_slugs)
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
    return Plan(version, speakers, sources, topics, claims)


class Plan(NamedTuple):
    """What a valid document asks to write. ``version``: 1 leaves format 2's fields as they are."""

    version: int
    speakers: dict
    sources: dict
    topics: dict
    claims: dict


def _plan_sources(v, data, base_dir, speaker_slugs):
    # An origin may be any source of the file, listed before or after the one deriving from it, or a stored one.
    listed = data.get("sources") if isinstance(data.get("sources"), list) else []
    source_keys = {rec.get("key") for rec in listed if isinstance(rec, dict)}
    source_keys |= set(Source.objects.values_list("key", flat=True))
    sources, source_where = {}, {}
    seen_digests = {}
    stored_digests = dict(Source.objects.values_list("text_sha256", "key"))
    for key, where, rec in unique_records(v, data, "sources", "source", "key"):
        item = {
            name: v.text(where, rec, name, max_length=_max_length(Source, name))
            for name in ("title", "publisher", "author", "url")
        }
        item["notes"] = v.text(where, rec, "notes")
        item["language"] = v.text(where, rec, "language", max_length=_max_length(Source, "language")) or "en"
        try:
            validate_language_code(item["language"])
        except ValidationError as exc:
            v.fail(where, f"field 'language': {exc.messages[0]}")
        if not item["title"].strip():
            v.fail(where, "field 'title' is required")
        if item["url"]:
            try:
                _URL(item["url"])
            except ValidationError:
                v.fail(where, f"field 'url': {item['url'][:100]!r} is not a valid URL")
        item["kind"] = v.choice(where, rec.get("kind") or Source.Kind.OTHER, Source.Kind.values, "kind")
        published, precision = v.partial_date(where, rec, "published")
        if published and precision != dates.DAY:
            v.fail(where, "field 'published' needs a full date (YYYY-MM-DD)")
        item["published"] = published
        item["as_of"], item["as_of_precision"] = v.partial_date(where, rec, "as_of")
        item["text"] = _source_text(v, where, rec, base_dir)
        if v.version == 2:
            item["derived_from"] = format2.plan_derivations(
                v, where, rec, key=key, source_keys=source_keys, speaker_slugs=speaker_slugs
            )
        digest = text_digest(item["text"])
        if item["text"] and digest in seen_digests:
            v.fail(where, f"same text as source {seen_digests[digest]!r}")
        elif item["text"] and stored_digests.get(digest, key) != key:
            v.fail(where, f"same text as the stored source {stored_digests[digest]!r}")
        seen_digests[digest] = key
        sources[key] = item
        source_where[key] = where
    if v.version == 2:
        _check_loops(v, sources, source_where)
    return sources, source_where


def _check_loops(v, sources, source_where):
    """Each source must lead back to an origin: a loop of derivations (a cites b, b cites a) leaves none."""
    edges = {}
    for origin_source, key in SourceDerivation.objects.filter(origin_source__isnull=False).values_list(
        "origin_source__key", "source__key"
    ):
        if key not in sources:
            edges.setdefault(key, []).append(origin_source)
    for key, item in sources.items():
        # A source naming itself is reported on its own.
        edges[key] = [d["source"] for d in item.get("derived_from", []) if d.get("source", key) != key]
    if loop := find_loop(edges):
        first = next(k for k in loop if k in sources)
        v.fail(
            source_where[first],
            f"field 'derived_from': a loop of origins ({' → '.join(loop)}) leaves none of them an origin",
        )


def _source_text(v, where, rec, base_dir):
    if "text" in rec:
        return v.text(where, rec, "text", required=True)
    if "text_file" in rec:
        if base_dir is None:
            v.fail(where, "field 'text_file' cannot be used in an uploaded file; put the text in field 'text'")
            return ""
        try:
            return read_text_beside(base_dir, rec["text_file"])
        except ValueError as exc:
            v.fail(where, f"field 'text_file': {exc}")
            return ""
    v.fail(where, "field 'text' (or 'text_file') is required")
    return ""


def _plan_assertion(v, where, rec, sources, existing_sources, speaker_slugs):
    v.known_fields(where, rec, "assertion")
    source_key = v.text(where, rec, "source", required=True).strip()
    stance = v.choice(where, rec.get("stance"), Stance.values, "stance")
    quote = v.text(where, rec, "quote", required=True)
    item = {"source": source_key, "stance": stance, "quote": quote}
    if v.version == 1:
        # Format 1's one date is the period the statement speaks about.
        item["as_of"], item["as_of_precision"] = v.partial_date(where, rec, "as_of")
    else:
        item.update(format2.plan_assertion_fields(v, where, rec, speaker_slugs=speaker_slugs, csv=v.csv))
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

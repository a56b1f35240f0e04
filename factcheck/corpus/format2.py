"""What format 2 adds to validation: speakers, source origins, claim kinds, statement and period dates.

Each function checks its part of the document with the shared ``Validator`` (validator.py)
(so a problem names the record and the field) and returns plain values
ready to write; references (a speaker's slug, an origin's source key) may
point at records of the same file or at stored ones.
"""

from django.core.exceptions import ValidationError

from factcheck import dates
from factcheck.corpus.validator import unique_records
from factcheck.language_codes import validate_language_code
from factcheck.models import ClaimKind, SourceDerivation, Speaker

RELATIONS = SourceDerivation.Relation.values
SPEAKER_KINDS = Speaker.Kind.values


def plan_speakers(v, data):
    """``{slug: fields}`` for the document's ``speakers``."""
    speakers = {}
    for slug, where, rec in unique_records(v, data, "speakers", "speaker", "slug"):
        name = v.text(where, rec, "name", required=True, max_length=Speaker._meta.get_field("name").max_length)
        kind = v.choice(where, rec.get("kind") or Speaker.Kind.PERSON, SPEAKER_KINDS, "kind")
        aliases = rec.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and "\n" not in a for a in aliases):
            v.fail(where, "field 'aliases' must be a list of names, each a string on one line")
            aliases = []
        speakers[slug] = {
            "name": name,
            "kind": kind,
            "aliases": "\n".join(a.strip() for a in aliases if a.strip()),
            "description": v.text(where, rec, "description"),
        }
    return speakers


def plan_derivations(v, where, rec, *, key, source_keys, speaker_slugs):
    """The source's ``derived_from`` list as ``[{"source"|"speaker": key, "relation", "note"}]``."""
    planned, seen = [], set()
    for i, item in enumerate(v.list_field(where, rec.get("derived_from") or [], "derived_from")):
        field = f"derived_from[{i}]"
        if not isinstance(item, dict):
            v.fail(where, f"field '{field}' must be an object")
            continue
        unknown = sorted(set(item) - {"source", "speaker", "relation", "note"})
        if unknown:
            v.fail(where, f"field '{field}': unknown field(s) {', '.join(map(repr, unknown))}")
        origin_key, origin_slug = item.get("source"), item.get("speaker")
        if (origin_key is None) == (origin_slug is None):
            v.fail(
                where, f"field '{field}': give the origin as 'source' (a source key) or 'speaker' (an outlet's slug)"
            )
            continue
        if origin_key is not None:
            ident = ("source", origin_key)
            if origin_key == key:
                v.fail(where, f"field '{field}.source': a source cannot derive from itself")
            elif origin_key not in source_keys:
                v.fail(where, f"field '{field}.source': unknown source {origin_key!r}")
        else:
            ident = ("speaker", origin_slug)
            if origin_slug not in speaker_slugs:
                v.fail(where, f"field '{field}.speaker': unknown speaker {origin_slug!r}")
        if ident in seen:
            v.fail(where, f"field '{field}': {ident[0]} {ident[1]!r} is named twice")
        seen.add(ident)
        relation = v.choice(
            where, item.get("relation") or SourceDerivation.Relation.CITES, RELATIONS, f"{field}.relation"
        )
        note = item.get("note") or ""
        if not isinstance(note, str) or len(note) > SourceDerivation._meta.get_field("note").max_length:
            v.fail(where, f"field '{field}.note' must be a string of at most 300 characters")
            note = ""
        planned.append({ident[0]: ident[1], "relation": relation, "note": note})
    return planned


def plan_kind(v, where, rec, shown="kind"):
    return v.choice(where, rec.get("kind") or ClaimKind.EVENT, ClaimKind.values, shown)


def plan_assertion_fields(v, where, rec, *, speaker_slugs, csv=False):
    """Speaker, statement date and period of one assertion, as model fields (``speaker`` still a slug)."""
    names = {"from": "period_from", "to": "period_to"} if csv else {"from": "period.from", "to": "period.to"}
    speaker = rec.get("speaker") or None
    if speaker is not None and not isinstance(speaker, str):
        v.fail(where, f"field 'speaker' must be a speaker's slug, got {type(speaker).__name__}")
        speaker = None
    elif speaker is not None and speaker not in speaker_slugs:
        v.fail(where, f"field 'speaker': unknown speaker {speaker!r}; list it under 'speakers' or add it first")
    stated_on, stated_precision = v.date(where, rec.get("stated_on"), "stated_on")
    period = rec.get("period")
    start = end = None
    start_precision = end_precision = dates.DAY
    if period not in (None, {}):
        if not isinstance(period, dict) or set(period) - {"from", "to"}:
            v.fail(where, "field 'period' must be null or an object with 'from' and 'to'")
        else:
            start, start_precision = v.date(where, period.get("from"), names["from"])
            end, end_precision = v.date(where, period.get("to"), names["to"])
            if end is not None and start is None and period.get("from") in (None, ""):
                v.fail(where, f"field '{names['from']}' is required when '{names['to']}' is given")
            elif start is not None and end is not None:
                if dates.period_end(end, end_precision) < start:
                    v.fail(
                        where,
                        f"field '{names['to']}': {period['to']!r} is before the period's start {period['from']!r}",
                    )
                elif (end, end_precision) == (start, start_precision):
                    # One date given twice: store it once, so that export writes what it means.
                    end, end_precision = None, dates.DAY
    return {
        **({} if csv else _plan_languages(v, where, rec)),
        "speaker": speaker,
        "stated_on": stated_on,
        "stated_on_precision": stated_precision,
        "as_of": start,
        "as_of_precision": start_precision,
        "period_end": end,
        "period_end_precision": end_precision,
    }


def period_value(assertion):
    """An assertion's period as format 2 writes it: ``{"from", "to"}`` or None (undated)."""
    start = dates.serialize_partial_date(assertion.as_of, assertion.as_of_precision)
    if start is None:
        return None
    return {"from": start, "to": dates.serialize_partial_date(assertion.period_end, assertion.period_end_precision)}


def _code(v, where, value, shown, required=False):
    """An ISO 639-1 code, or "" (failing naming ``shown`` when it is not one, or missing but required)."""
    if value in (None, ""):
        if required:
            v.fail(where, f"field '{shown}' is required")
        return ""
    if not isinstance(value, str):
        v.fail(where, f"field '{shown}' must be a string, got {type(value).__name__}")
        return ""
    try:
        validate_language_code(value)
    except ValidationError as exc:
        v.fail(where, f"field '{shown}': {exc.messages[0]}")
    return value


def _plan_languages(v, where, rec):
    """The quote's ``language`` and its ``translation`` ({text, language, translator} or null) as model fields.

    Only what the record names: a file written before translations existed
    leaves an editor's translation as it is (null removes it).
    """
    planned = {}
    if "language" in rec:
        planned["language"] = _code(v, where, rec.get("language"), "language")
    if "translation" not in rec:
        return planned
    translation = rec.get("translation")
    planned.update(translation="", translation_language="", translator="")
    if translation in (None, {}):
        return planned
    if not isinstance(translation, dict) or set(translation) - {"text", "language", "translator"}:
        v.fail(where, "field 'translation' must be null or an object with 'text', 'language' and 'translator'")
        return planned
    text, translator = translation.get("text"), translation.get("translator")
    if not isinstance(text, str) or not text.strip():
        v.fail(where, "field 'translation.text' is required (a translation's words)")
    elif not isinstance(translator, str) or not translator.strip():
        v.fail(where, "field 'translation.translator' is required (who translated it)")
    else:
        planned.update(
            translation=text.strip(),
            translation_language=_code(v, where, translation.get("language"), "translation.language", required=True),
            translator=translator.strip()[:200],
        )
    return planned


def plan_claim_translations(v, where, records):
    """A claim's ``translations`` ([{language, text}], one per language) as ``{language: text}``."""
    if not isinstance(records, list):
        v.fail(where, "field 'translations' must be a list of {language, text}")
        return {}
    planned = {}
    for k, rec in enumerate(records):
        shown = f"translations[{k}]"
        if not isinstance(rec, dict) or set(rec) - {"language", "text"}:
            v.fail(where, f"field '{shown}' must be an object with 'language' and 'text'")
            continue
        code = _code(v, where, rec.get("language"), f"{shown}.language", required=True)
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            v.fail(where, f"field '{shown}.text' is required")
        elif code in planned:
            v.fail(where, f"field '{shown}.language': {code!r} is given twice; one wording per language")
        elif code:
            planned[code] = text.strip()
    return planned


def language_fields(assertion):
    """The quote's own language and its translation as format 2 writes them; nothing when it has neither."""
    fields = {}
    if assertion.language:
        fields["language"] = assertion.language
    if assertion.translation:
        fields["translation"] = {
            "text": assertion.translation,
            "language": assertion.translation_language,
            "translator": assertion.translator,
        }
    return fields

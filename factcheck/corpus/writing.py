"""Writing a validated document: one transaction, history for every change."""

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck.corpus.checking import plan
from factcheck.corpus.common import IMPORT_REASON_PREFIX, KINDS, CorpusError, EditorialWork
from factcheck.corpus.editorial import Editorial, review_claim
from factcheck.corpus.origins import write_derivations
from factcheck.models import Assertion, Claim, ClaimTranslation, Source, Speaker, Topic, upkeep


@dataclass
class ImportResult:
    created: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unchanged: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    deleted_assertions: int = 0
    deleted_derivations: int = 0
    # One line per created, changed or removed record, for people to read.
    changes: list = field(default_factory=list)
    # One line per note, decision or editor's assertion the import deletes or changes.
    editorial: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self):
        return bool(
            any(self.created.values())
            or any(self.updated.values())
            or self.deleted_assertions
            or self.deleted_derivations
        )

    def summary(self):
        parts = [f"{n} {kind} created" for kind, n in self.created.items() if n]
        parts += [f"{n} {kind} updated" for kind, n in self.updated.items() if n]
        if self.deleted_assertions:
            parts.append(f"{self.deleted_assertions} assertions removed")
        if self.deleted_derivations:
            parts.append(f"{self.deleted_derivations} derivations removed")
        unchanged = ", ".join(f"{n} {kind}" for kind, n in self.unchanged.items() if n)
        text = ", ".join(parts) or "nothing changed"
        return _one_not_many(f"{text} ({unchanged} already up to date)" if unchanged else text)


def _one_not_many(summary):
    """“1 claim created”, not “1 claims created”: every kind counted above is a plain -s plural."""
    return re.sub(r"(?<![\d,.])\b1 (\w+?)s\b", r"1 \1", summary)


def _assign(obj, values):
    """Set the attributes that differ; return their names."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def import_corpus(
    data, *, base_dir=Path("."), label="corpus", progress=None, dry_run=False, replace_editorial=False, user=None
):
    """Validate then write ``data`` in one transaction. Returns an ImportResult.

    ``base_dir`` resolves ``text_file`` references; ``None`` (an upload)
    refuses them. ``progress(stage, done, total)`` is called as claims are
    checked and written. With ``dry_run`` everything is written and then
    rolled back, so the summary says exactly what an import would change.

    Editors' work the import would delete or change (see
    ``corpus.editorial``) is listed in ``result.editorial``; unless
    ``replace_editorial``, a real import then raises ``EditorialWork`` and
    writes nothing. With it, those changes are recorded in history as made
    by ``user`` (``None`` from the command line).
    """
    base_dir = Path(base_dir) if base_dir is not None else None
    result = ImportResult(dry_run=dry_run)
    name = Path(label).name
    reason = f"{IMPORT_REASON_PREFIX}{name}"[:100]
    editorial = Editorial(replace=replace_editorial, user=user, reason=f"corpus import {name}", items=result.editorial)
    # Planning inside the transaction: on SQLite (IMMEDIATE) no writer can
    # change what was checked before it is written. Each claim whose
    # assertions, kind or sources' origins the file changes has its status
    # refreshed once, at the end, rather than once per row written.
    with transaction.atomic(), upkeep.deferred():
        planned = plan(data, base_dir, label, progress)
        sources, topics, claims = planned.sources, planned.topics, planned.claims
        speaker_objs = {s.slug: s for s in Speaker.objects.all()}
        for slug, values in planned.speakers.items():
            what = f"speaker {slug!r}"
            speaker_objs[slug] = _upsert(
                result,
                "speakers",
                what,
                speaker_objs.get(slug),
                values,
                create=partial(Speaker, slug=slug),
                save=partial(_save_full, label=label, what=what, reason=reason),
            )
        source_objs = {}
        derived = {}
        for key, values in sources.items():
            what = f"source {key!r}"
            if "derived_from" in values:
                derived[key] = values.pop("derived_from")
            source_objs[key] = _upsert(
                result,
                "sources",
                what,
                Source.objects.filter(key=key).first(),
                values,
                create=partial(Source, key=key),
                save=partial(_save_full, label=label, what=what, reason=reason),
            )
        # Once every source of the file exists: an origin may be listed after the source citing it.
        write_derivations(derived, source_objs, speaker_objs, result=result, count=_count, reason=reason)
        topic_objs = {
            t.slug: t for t in Topic.objects.filter(slug__in={c["topic"] for c in claims.values()} | set(topics))
        }
        for slug, values in topics.items():
            topic_objs[slug] = _upsert(
                result,
                "topics",
                f"topic {slug!r}",
                topic_objs.get(slug),
                values,
                create=partial(Topic, slug=slug),
                save=partial(_save_with_reason, reason=reason),
            )
        for n, (key, values) in enumerate(claims.items(), 1):
            _import_claim(key, values, topic_objs, source_objs, speaker_objs, result, reason, editorial)
            if progress:
                progress("writing claims", n, len(claims))
        if result.editorial and not replace_editorial and not dry_run:
            raise EditorialWork(result.editorial)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _count(result, action, kind, what, fields=()):
    getattr(result, action)[kind] += 1
    detail = f" ({', '.join(fields)})" if fields else ""
    result.changes.append(f"{action} {what}{detail}")


def _upsert(result, kind, what, obj, values, *, create, save):
    """Create ``create(**values)`` when ``obj`` is None, else set what differs; save and count either way."""
    if obj is None:
        obj = create(**values)
        save(obj)
        _count(result, "created", kind, what)
    elif changed := _assign(obj, values):
        save(obj)
        _count(result, "updated", kind, what, changed)
    else:
        result.unchanged[kind] += 1
    return obj


def _save_with_reason(obj, reason):
    obj._change_reason = reason
    obj.save()


def _save_full(obj, label, what, reason):
    try:
        obj.full_clean(exclude=["text_sha256"] if isinstance(obj, Source) else None)
    except ValidationError as exc:
        details = "; ".join(f"field '{f}': {' '.join(m)}" for f, m in exc.message_dict.items())
        raise CorpusError([f"{label}: {what}: {details}"]) from None
    _save_with_reason(obj, reason)


_ASSERTION_FIELDS = (
    "stance",
    "quote",
    "stated_on",
    "stated_on_precision",
    "as_of",
    "as_of_precision",
    "period_end",
    "period_end_precision",
    "language",
    "translation",
    "translation_language",
    "translator",
)


def _import_claim(key, values, topic_objs, source_objs, speaker_objs, result, reason, editorial):
    claim = Claim.objects.filter(key=key).first()
    fields = {"topic": topic_objs[values["topic"]], "text": values["text"]}
    if "kind" in values:
        fields["kind"] = values["kind"]
    text_changed = False
    claim_counted = True  # as created or updated
    if claim is None:
        claim = Claim(key=key, **fields)
        _save_with_reason(claim, reason)
        _count(result, "created", "claims", f"claim {key!r}")
    elif changed := _assign(claim, fields):
        text_changed = "text" in changed
        # A newer version makes editors' forms based on the old text stale.
        claim.version += 1
        _save_with_reason(claim, reason)
        _count(result, "updated", "claims", f"claim {key!r}", changed)
    else:
        result.unchanged["claims"] += 1
        claim_counted = False
    existing = {(a.source.key, a.start, a.end): a for a in claim.assertions.select_related("source")}
    wanted, created, updated = set(), [], []
    for item in values["assertions"]:
        source = source_objs.get(item["source"]) or Source.objects.get(key=item["source"])
        ident = (source.key, item["start"], item["end"])
        wanted.add(ident)
        # Format 1 names only the period's start; what it does not name stays as it is.
        fields = {name: item[name] for name in _ASSERTION_FIELDS if name in item}
        if "speaker" in item:
            # By id: comparing the related objects would fetch each assertion's speaker.
            fields["speaker_id"] = speaker_objs[item["speaker"]].pk if item["speaker"] else None
        assertion = existing.get(ident)
        if assertion is None:
            created.append(Assertion(claim=claim, source=source, start=item["start"], end=item["end"], **fields))
        elif changed := _assign(assertion, fields):
            updated.append((assertion, changed))
        else:
            result.unchanged["assertions"] += 1
    removed = [a for ident, a in existing.items() if ident not in wanted]
    # Before any of it is written: notes and decisions still point at what is removed.
    review_claim(editorial, claim=claim, key=key, updated=updated, removed=removed, text_changed=text_changed)

    def what(a):
        return f"assertion of claim {key!r} by source {a.source.key!r} at {a.start}–{a.end}"

    for assertion in created:
        _save_with_reason(assertion, reason)
        _count(result, "created", "assertions", what(assertion))
    for assertion, changed in updated:
        assertion.version += 1
        _save_with_reason(assertion, reason)
        _count(result, "updated", "assertions", what(assertion), changed)
    for assertion in removed:
        assertion._change_reason = reason
        assertion.delete()
        result.deleted_assertions += 1
        result.changes.append(f"removed {what(assertion)}")
    if "translations" in values:
        changes = _import_claim_translations(claim, key, values["translations"], reason)
        result.changes.extend(changes)
        if changes and not claim_counted:
            # The claim's own fields were as the file has them: its wordings are what changed.
            result.unchanged["claims"] -= 1
            result.updated["claims"] += 1


def _import_claim_translations(claim, key, wanted, reason):
    """The claim's wordings as the file lists them (``{language: text}``); returns a line per change."""
    existing = {t.language: t for t in claim.translations.all()}
    changes = []
    for language, text in wanted.items():
        row = existing.get(language)
        if row is None:
            _save_with_reason(ClaimTranslation(claim=claim, language=language, text=text), reason)
            changes.append(f"created the {language} wording of claim {key!r}")
        elif row.text != text:
            row.text = text
            _save_with_reason(row, reason)
            changes.append(f"updated the {language} wording of claim {key!r}")
    for language, row in existing.items():
        if language not in wanted:
            row._change_reason = reason
            row.delete()
            changes.append(f"removed the {language} wording of claim {key!r}")
    return changes

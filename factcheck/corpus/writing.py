"""Writing a validated document: one transaction, history for every change."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck.corpus.checking import plan
from factcheck.corpus.common import KINDS, CorpusError
from factcheck.models import Assertion, Claim, Source, Topic


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
        sources, topics, claims = plan(data, base_dir, label, progress)
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

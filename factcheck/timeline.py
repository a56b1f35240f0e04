"""A claim's history as a timeline: who changed what, when, and from what to what.

Built from django-simple-history's rows for the claim, its assertions, its
notes and its resolution. Each row is compared with the row before it for the
same object (``diff_against``); the names behind ids (users, topics, sources)
are looked up once for the whole timeline, so the number of queries does not
depend on how long the history is.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.text import Truncator

from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Stance, Topic, Verdict

KINDS = {"claim": Claim, "assertion": Assertion, "annotation": Annotation, "resolution": Resolution}

# Not worth a line in the timeline: internal keys, and the decider of a
# resolution, who is the author of the entry anyway.
_HIDDEN = {"key", "decided_by"}
_USER_FIELDS = {"assigned_to", "author", "decided_by"}
_LABELS = {
    "text": "Text", "topic": "Topic", "assigned_to": "Assigned to", "stance": "Stance", "quote": "Quote",
    "source": "Source", "as_of": "As of", "as_of_precision": "As-of precision", "claim": "Claim",
    "body": "Note", "assertion": "On", "author": "Author", "verdict": "Verdict", "rationale": "Rationale",
    "prevailing": "Prevailing sources", "is_deleted": "Deleted", "is_open": "Reopened",
}


WITHHELD = "(text withheld: the note was deleted)"


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Entry:
    kind: str
    record: object
    action: str
    description: str
    summary: str = ""
    changes: list = field(default_factory=list)
    anchor: str = ""
    revertible: bool = False
    object_version: int | None = None

    @property
    def who(self):
        return self.record.history_user

    @property
    def when(self):
        return self.record.history_date

    @property
    def reason(self):
        return self.record.history_change_reason

    @property
    def history_id(self):
        return self.record.history_id


def _history_rows(claim_id):
    """Every history row of the claim and of what hangs on it, oldest first: four queries."""
    order = ("history_date", "history_id")
    return {
        "claim": list(Claim.history.filter(id=claim_id).select_related("history_user").order_by(*order)),
        "assertion": list(Assertion.history.filter(claim_id=claim_id).select_related("history_user").order_by(*order)),
        "annotation": list(
            Annotation.history.filter(claim_id=claim_id).select_related("history_user").order_by(*order)
        ),
        "resolution": list(
            Resolution.history.filter(claim_id=claim_id).select_related("history_user").order_by(*order)
        ),
    }


def _prevailing_snapshots(resolution_rows):
    """``{history_id: {assertion_id, ...}}`` for the resolution rows: one query, if any."""
    if not resolution_rows:
        return {}
    snapshot = Resolution.history.model.prevailing.model
    found = {row.history_id: set() for row in resolution_rows}
    pairs = snapshot.objects.filter(history_id__in=found).values_list("history_id", "assertion_id")
    for history_id, assertion_id in pairs:
        found[history_id].add(assertion_id)
    return found


class _Names:
    """Names for the ids a timeline mentions, fetched in one query per kind."""

    def __init__(self, user_ids, topic_ids, source_ids, known_sources):
        User = get_user_model()
        source_ids = set(source_ids) - set(known_sources)
        self.users = (
            {u.pk: u.get_username() for u in User.objects.filter(pk__in=user_ids).only("id", "username")}
            if user_ids else {}
        )
        if missing := set(user_ids) - set(self.users):
            # Accounts deleted since: history keeps their ids, DeletedUser their names.
            from factcheck.models import DeletedUser

            self.users.update((d.pk, str(d)) for d in DeletedUser.objects.filter(pk__in=missing))
        self.topics = dict(Topic.objects.filter(pk__in=topic_ids).values_list("id", "title")) if topic_ids else {}
        self.sources = dict(known_sources)
        if source_ids:
            self.sources.update(Source.objects.filter(pk__in=source_ids).values_list("id", "title"))

    def user(self, pk):
        return "nobody" if pk is None else self.users.get(pk, f"user #{pk}")

    def topic(self, pk):
        return self.topics.get(pk, f"topic #{pk}")

    def source(self, pk):
        return self.sources.get(pk, f"source #{pk}")


def _short(value, length=160):
    return Truncator(value or "").chars(length) or "(empty)"


class _Builder:
    def __init__(self, claim_id, rows, snapshots, can_revert, known_sources):
        self.claim_id = claim_id
        self.known_sources = known_sources
        self.rows = rows
        self.snapshots = snapshots
        self.can_revert = can_revert
        # The latest row of each assertion says which source it quotes.
        self.assertion_source = {row.id: row.source_id for row in rows["assertion"]}
        self.assertion_stance = {row.id: row.stance for row in rows["assertion"]}

    def pairs(self):
        """``(kind, row, previous row of the same object or None, latest row of that object)``."""
        for kind, rows in self.rows.items():
            by_object = {}
            for row in rows:
                by_object.setdefault(row.id, []).append(row)
            for history in by_object.values():
                latest = history[-1]
                for i, row in enumerate(history):
                    yield kind, row, history[i - 1] if i else None, latest

    def diffs(self, kind, row, previous):
        if previous is None or row.history_type != "~":
            return []
        delta = row.diff_against(previous, excluded_fields=["prevailing", *_HIDDEN])
        changes = [(c.field, c.old, c.new) for c in delta.changes]
        if kind == "resolution":
            old, new = self.snapshots.get(previous.history_id, set()), self.snapshots.get(row.history_id, set())
            if old != new:
                changes.append(("prevailing", old, new))
        return changes

    def needed_names(self, raw):
        users, topics, sources = set(), set(), set(self.assertion_source.values())
        for kind, row, _previous, changes in raw:
            if kind == "annotation":
                users.add(row.author_id)
            for name, old, new in changes:
                if name in _USER_FIELDS:
                    users.update(v for v in (old, new) if v is not None)
                elif name == "topic":
                    topics.update((old, new))
                elif name == "source":
                    sources.update((old, new))
        return users, topics, sources

    def build(self):
        raw = []
        latest_of = {}
        for kind, row, previous, latest in self.pairs():
            raw.append((kind, row, previous, self.diffs(kind, row, previous)))
            latest_of[(kind, row.id)] = latest
        names = _Names(*self.needed_names(raw), self.known_sources)
        entries = []
        for kind, row, previous, changes in raw:
            latest = latest_of[(kind, row.id)]
            exists = latest.history_type != "-"
            action = self.action(kind, row, changes)
            entry = Entry(
                kind=kind,
                record=row,
                action=action,
                description=self.describe_entry(kind, row, action, names),
                summary=self.summary(kind, row, action, names),
                changes=[self.describe(kind, name, old, new, names) for name, old, new in changes
                         if name not in ("is_deleted", "is_open")],
                anchor=self.anchor(kind, row),
                revertible=self.can_revert and exists and row.history_type == "~" and previous is not None,
                object_version=latest.version if exists else None,
            )
            if kind == "annotation" and latest.is_deleted and not self.can_revert:
                self.withhold_text(entry)
            entries.append(entry)
        entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
        return entries

    @staticmethod
    def withhold_text(entry):
        """A deleted note's words stay in history for staff, not on the public page."""
        if entry.summary:
            entry.summary = WITHHELD
        for change in entry.changes:
            if change.field == "body":
                change.old = change.new = WITHHELD

    def action(self, kind, row, changes):
        """A short key for the kind of change: created, changed, deleted, restored, reopened…"""
        if row.history_type == "+":
            return "created"
        if row.history_type == "-":
            return "removed"
        flags = {name: new for name, _old, new in changes if name in ("is_deleted", "is_open")}
        if "is_deleted" in flags:
            return "deleted" if flags["is_deleted"] else "restored"
        if "is_open" in flags:
            return "reopened" if flags["is_open"] else "resolved-again"
        return "changed"

    def describe_entry(self, kind, row, action, names):
        """What happened, as the words after the user's name."""
        if kind == "claim":
            return {"created": "added the claim", "removed": "deleted the claim"}.get(action, "edited the claim")
        if kind == "assertion":
            quote = f"the {Stance(row.stance).label.lower()} quote from {names.source(row.source_id)}"
            return {"created": f"attached {quote}", "removed": f"removed {quote}"}.get(action, f"edited {quote}")
        if kind == "annotation":
            where = f" on {names.source(self.assertion_source.get(row.assertion_id))}" if row.assertion_id else ""
            author = names.user(row.author_id)
            whose = "" if row.history_user_id == row.author_id else f" by {author}"
            verb = {"created": "wrote", "removed": "removed", "deleted": "deleted", "restored": "restored"}.get(
                action, "edited"
            )
            return f"{verb} a note{whose}{where}"
        verdict = Verdict(row.verdict).label if row.verdict in Verdict.values else row.verdict
        return {
            "created": f"resolved the claim: {verdict}",
            "removed": "deleted the resolution",
            "reopened": "reopened the claim",
            "resolved-again": f"resolved the claim again: {verdict}",
        }.get(action, "revised the resolution")

    def summary(self, kind, row, action, names):
        """For a creation, what was created."""
        if action != "created":
            return ""
        if kind == "claim":
            return _short(row.text)
        if kind == "assertion":
            return f"“{_short(row.quote)}”"
        if kind == "annotation":
            return _short(row.body)
        prevailing = self.value(kind, "prevailing", self.snapshots.get(row.history_id, set()), names)
        return f"Prevailing: {prevailing}. {_short(row.rationale)}"

    def anchor(self, kind, row):
        if kind == "assertion":
            return f"#assertion-{row.id}"
        if kind == "annotation":
            return f"#note-{row.id}"
        if kind == "resolution":
            return "#resolution"
        return f"#claim-{row.id}"

    def describe(self, kind, name, old, new, names):
        return Change(name, _LABELS.get(name, name.replace("_", " ").capitalize()),
                      self.value(kind, name, old, names), self.value(kind, name, new, names))

    def value(self, kind, name, value, names):
        if name in _USER_FIELDS:
            return names.user(value)
        if name == "topic":
            return names.topic(value)
        if name == "source":
            return names.source(value)
        if name == "claim":
            return f"claim #{value}"
        if name == "assertion":
            return names.source(self.assertion_source.get(value)) if value else "the claim"
        if name == "verdict":
            return Verdict(value).label if value in Verdict.values else str(value)
        if name == "stance":
            return Stance(value).label if value in Stance.values else str(value)
        if name == "prevailing":
            titles = sorted(names.source(self.assertion_source.get(a)) for a in value)
            return ", ".join(titles) or "none"
        if value is None or value == "":
            return "(empty)"
        return _short(str(value))


def claim_timeline(claim, *, can_revert=False, known_sources=None):
    """Every recorded change to the claim and what hangs on it, newest first.

    Four to eight queries however long the history: four for the rows, one
    for the resolutions' prevailing sets (if any), and one each for the user,
    topic and source names it needs. ``known_sources`` (``{id: title}``, say
    from the page's own assertions) spares looking those titles up again.
    """
    rows = _history_rows(claim.pk)
    snapshots = _prevailing_snapshots(rows["resolution"])
    return _Builder(claim.pk, rows, snapshots, can_revert, known_sources or {}).build()


def deletion_marks(notes):
    """``{note_id: (user, date)}`` saying who deleted each deleted note, and when: one query, if any."""
    deleted = [n.pk for n in notes if n.is_deleted]
    if not deleted:
        return {}
    rows = (
        Annotation.history.filter(id__in=deleted)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    marks = {}
    was_deleted = {}
    for row in rows:
        if row.is_deleted and not was_deleted.get(row.id, False):
            marks[row.id] = (row.history_user, row.history_date)
        was_deleted[row.id] = row.is_deleted
    return marks

"""A claim's history, told: each change as an entry saying who did what, and what changed from what to what.

``history.claim_timeline`` reads a page of history rows; ``EntryBuilder``
turns them into ``Entry`` objects, looking up once per page the names behind
the ids they mention (users, topics, sources).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery

from factcheck import compiled_queries, markdown
from factcheck.models import Assertion, Source, Stance, Topic, Verdict
from factcheck.quotes import clip_words

# Not worth a line in the timeline: internal keys, and the decider of a
# resolution, who is the author of the entry anyway.
_HIDDEN = {"key", "decided_by", "published_by", "published_at", "parent", "is_internal"}
_USER_FIELDS = {"assigned_to", "author", "decided_by", "published_by"}
# Flags that name the action rather than appear as a change of their own.
_FLAGS = ("is_deleted", "is_open", "is_published")
_LABELS = {
    "text": "Text",
    "topic": "Topic",
    "assigned_to": "Assigned to",
    "stance": "Stance",
    "quote": "Quote",
    "source": "Source",
    "as_of": "As of",
    "as_of_precision": "As-of precision",
    "claim": "Claim",
    "body": "Note",
    "assertion": "On",
    "author": "Author",
    "verdict": "Verdict",
    "rationale": "Rationale",
    "prevailing": "Prevailing sources",
    "is_deleted": "Deleted",
    "is_open": "Reopened",
    "sent_back_comment": "Sent back because",
}


WITHHELD = "(text withheld: the note was deleted)"


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str
    # A note's text, rendered as on the claim page (never raw Markdown).
    old_html: str = ""
    new_html: str = ""


@dataclass
class Entry:
    kind: str
    record: object
    action: str
    description: str
    summary: str = ""
    summary_html: str = ""
    changes: list = field(default_factory=list)
    anchor: str = ""
    revertible: bool = False
    object_version: int | None = None

    # What the history record says, under the names the templates read.
    who = property(lambda self: self.record.history_user)
    when = property(lambda self: self.record.history_date)
    reason = property(lambda self: self.record.history_change_reason)
    history_id = property(lambda self: self.record.history_id)


def _assertion_sources(assertion_ids):
    """``{assertion_id: source_id}`` from each assertion's latest history row, gone or not: one query."""
    if not assertion_ids:
        return {}
    latest = (
        Assertion.history.filter(id=OuterRef("id")).order_by("-history_date", "-history_id").values("history_id")[:1]
    )
    rows = Assertion.history.filter(id__in=assertion_ids, history_id=Subquery(latest))
    return dict(rows.values_list("id", "source_id"))


class _Names:
    """Names for the ids a timeline mentions, fetched in one query per kind."""

    def __init__(self, user_ids, topic_ids, source_ids, known_sources):
        User = get_user_model()
        source_ids = set(source_ids) - set(known_sources)
        self.users = (
            {
                u.pk: u.get_username()
                for u in compiled_queries.fetch_by_ids(
                    "timeline users", lambda ids: User.objects.filter(pk__in=ids).only("id", "username"), user_ids
                )
            }
            if user_ids
            else {}
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
    return clip_words(value or "", length) or "(empty)"


class EntryBuilder:
    """Entries from a page of history rows, each with the row before it (see ``history._page_rows``)."""

    def __init__(self, rows, snapshots, *, can_revert, show_deleted, known_sources, known_assertions):
        self.rows = rows
        self.snapshots = snapshots
        self.can_revert = can_revert
        self.show_deleted = show_deleted
        self.known_sources = known_sources
        # Which source each assertion quotes, for notes on an assertion and prevailing sets.
        self.assertion_source = dict(known_assertions)

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
        users, topics, sources, assertions = set(), set(), set(), set()
        for kind, row, _previous, changes in raw:
            if kind == "annotation":
                users.add(row.author_id)
                if row.assertion_id:
                    assertions.add(row.assertion_id)
            elif kind == "assertion":
                sources.add(row.source_id)
            elif kind == "resolution":
                assertions.update(self.snapshots.get(row.history_id, ()))
            for name, old, new in changes:
                if name in _USER_FIELDS:
                    users.update(v for v in (old, new) if v is not None)
                elif name == "topic":
                    topics.update((old, new))
                elif name == "source":
                    sources.update((old, new))
                elif name == "assertion":
                    assertions.update(v for v in (old, new) if v)
                elif name == "prevailing":
                    assertions.update(old | new)
        self.assertion_source.update(_assertion_sources(assertions - set(self.assertion_source)))
        sources.update(self.assertion_source[a] for a in assertions if a in self.assertion_source)
        return users, topics, sources

    def build(self, keys):
        raw = []
        for kind, history_id, _when, _object_id in keys:
            row = self.rows[kind][history_id]
            previous = row.previous
            raw.append((kind, row, previous, self.diffs(kind, row, previous)))
        names = _Names(*self.needed_names(raw), self.known_sources)
        entries = []
        for kind, row, previous, changes in raw:
            exists = row.current_version is not None
            action = self.action(kind, row, changes)
            entry = Entry(
                kind=kind,
                record=row,
                action=action,
                description=self.describe_entry(kind, row, action, names),
                summary=self.summary(kind, row, action, names),
                summary_html=markdown.note_html(row.body) if kind == "annotation" and action == "created" else "",
                changes=[
                    self.describe(kind, name, old, new, names) for name, old, new in changes if name not in _FLAGS
                ],
                anchor=self.anchor(kind, row),
                revertible=self.can_revert and exists and row.history_type == "~" and previous is not None,
                object_version=row.current_version,
            )
            # Gone from its table (admin delete) or tombstoned: either way deleted.
            if kind == "annotation" and row.current_deleted is not False and not self.show_deleted:
                self.withhold_text(entry)
            entries.append(entry)
        return entries

    @staticmethod
    def withhold_text(entry):
        """A deleted note's words stay in history for staff, not on the public page."""
        if entry.summary:
            entry.summary = WITHHELD
        entry.summary_html = ""
        for change in entry.changes:
            if change.field == "body":
                change.old = change.new = WITHHELD
                change.old_html = change.new_html = ""

    def action(self, kind, row, changes):
        """A short key for the kind of change: created, changed, deleted, restored, reopened…"""
        if row.history_type == "+":
            return "created"
        if row.history_type == "-":
            return "removed"
        flags = {name: new for name, _old, new in changes if name in _FLAGS}
        if flags.get("is_published") and not flags.get("is_open"):
            return "approved"
        if any(name == "sent_back_comment" and new for name, _old, new in changes):
            return "sent-back"
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
            "approved": f"approved the decision for publication: {verdict}",
            "sent-back": "sent the draft decision back",
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
        change = Change(name, field_label(name), self.value(kind, name, old, names), self.value(kind, name, new, names))
        if kind == "annotation" and name == "body":
            change.old_html, change.new_html = markdown.note_html(old), markdown.note_html(new)
        return change

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


def field_label(name):
    return _LABELS.get(name, name.replace("_", " ").capitalize())


def user_label(pk):
    """How the timeline names user ``pk``, account deleted or not."""
    return _Names({pk}, (), (), {}).user(pk)

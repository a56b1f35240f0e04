"""What an import would do to editors' work, named item by item.

A corpus file holds sources, topics, claims and assertions; editors add to
what it imported — notes, decisions (resolutions), assertions found with the
evidence finder — and edit it. Re-importing gives each claim in the file
exactly the assertions the file lists, so it can delete or change that work.
Before writing a claim, the import asks ``review_claim`` what it would touch:

- an assertion an editor added or edited (any history row not written by an
  import) that the file removes or changes;
- every note on an assertion the file removes (the delete would cascade);
- the claim's resolution, when one of its prevailing assertions is removed
  or changed, or the claim's text changes (its published review would).

Without ``replace`` the items are only listed (the import then refuses, or
a dry run shows them). With it, each is changed through the services in
``factcheck.services`` (``services.imports``) and so recorded in history.
"""

from dataclasses import dataclass, field

from factcheck import services
from factcheck.corpus.common import IMPORT_REASON_PREFIX
from factcheck.models import Annotation, Assertion, Resolution


@dataclass
class Editorial:
    """The import's settings for editors' work, and what it found."""

    replace: bool = False
    user: object = None
    # The history reason of the import's changes to editors' work.
    reason: str = "corpus import"
    items: list = field(default_factory=list)


def editors_assertions(ids):
    """Those of ``ids`` that an editor added or edited: a history row not written by an import.

    An assertion with no history at all was loaded behind the app's back;
    nobody can say it is the import's own, so it counts as editors' work.
    """
    only_imported = {}
    for pk, reason in Assertion.history.filter(id__in=ids).values_list("id", "history_change_reason"):
        only_imported[pk] = only_imported.get(pk, True) and (reason or "").startswith(IMPORT_REASON_PREFIX)
    return {pk for pk in ids if not only_imported.get(pk, False)}


def _clip(text, n=60):
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _assertion_name(a, key):
    return f"assertion #{a.pk} of claim {key!r} by source {a.source.key!r} at {a.start}–{a.end}"


def review_claim(editorial, *, claim, key, updated, removed, text_changed):
    """List (and with ``editorial.replace`` record) what importing this claim does to editors' work.

    ``updated`` is ``[(assertion, changed field names)]``, ``removed`` the
    assertions the file no longer lists; called before either is written.
    """
    if not (updated or removed or text_changed):
        return
    removed_ids = {a.pk for a in removed}
    editors = editors_assertions([a.pk for a, _ in updated] + list(removed_ids))
    resolution = Resolution.objects.filter(claim_id=claim.pk).first()
    prevailing = set(resolution.prevailing.values_list("pk", flat=True)) if resolution else set()
    notes = list(Annotation.objects.filter(assertion_id__in=removed_ids).select_related("author").order_by("id"))

    # Each line says what the import does when told to replace editors' work.
    items = []
    for a, fields in updated:
        if a.pk in editors:
            items.append(f"{_assertion_name(a, key)}, added or edited by an editor: changed ({', '.join(fields)})")
    for a in removed:
        if a.pk in editors:
            items.append(
                f"{_assertion_name(a, key)} (“{_clip(a.quote)}”), added or edited by an editor: "
                "removed (not in the file)"
            )
    for note in notes:
        state = "deleted note" if note.is_deleted else "note"
        items.append(
            f"{state} #{note.pk} by {note.author.get_username()} on assertion #{note.assertion_id} of claim {key!r} "
            f"(“{_clip(note.body)}”): its assertion is removed; the note is deleted (kept in history)"
        )
    why = [f"prevailing assertion #{pk} removed" for pk in sorted(prevailing & removed_ids)]
    why += [f"prevailing assertion #{a.pk} changed ({', '.join(f)})" for a, f in updated if a.pk in prevailing]
    if resolution is not None and text_changed:
        why.append("the claim's text changed")
    if why:
        items.append(
            f"decision on claim {key!r} (resolution #{resolution.pk}, "
            f"verdict “{resolution.get_verdict_display()}”, version {resolution.version}): "
            f"new version, {'; '.join(why)}"
        )
    editorial.items.extend(items)
    if not (editorial.replace and items):
        return
    for note in notes:
        services.annotation_retire(
            annotation=note,
            user=editorial.user,
            reason=f"{editorial.reason}: assertion #{note.assertion_id} removed",
        )
    if why:
        services.resolution_record_change(
            resolution=resolution,
            user=editorial.user,
            reason=f"{editorial.reason}: {'; '.join(why)}",
            prevailing=prevailing - removed_ids,
        )

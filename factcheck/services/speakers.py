"""Speakers and the origins a source derives from, as editors, the admin and the import write them.

A speaker has no ``version`` column: an edit based on what the editor saw
passes ``seen``, the ``speaker_fingerprint`` of the speaker as the form
showed it, and a speaker changed since is refused with ``StaleSpeaker`` (a
``StaleEdit``). Changing a source's origins changes who counts as an
independent voice on every claim it or a source derived from it speaks to:
the derivation's save signal (models/speakers.py) recomputes those claims'
status and origin count in the same transaction.
"""

import hashlib
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from factcheck.models import Source, SourceDerivation, Speaker
from factcheck.services.base import StaleEdit, delete_as, save_as

MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2_000
MAX_ALIASES = 50
MAX_NOTE_LENGTH = 300


class StaleSpeaker(StaleEdit):
    """The speaker changed (or was deleted) after the editor's form was built from it."""

    def __init__(self, current: Speaker | None) -> None:
        self.current = current  # type: ignore[assignment]
        self.submitted_version = 0
        self.what = "speaker"
        now = "changed" if current is not None else "deleted"
        Exception.__init__(
            self, f"This speaker was {now} by someone else while you were editing it. Nothing was saved."
        )


def speaker_fingerprint(speaker: Speaker) -> str:
    """What an editor saw of ``speaker``: changes when any field an editor can edit changes."""
    seen = "\x1f".join([speaker.slug, speaker.name, speaker.kind, speaker.aliases, speaker.description])
    return hashlib.sha256(seen.encode("utf-8")).hexdigest()[:16]


def speaker_create(
    *,
    name: str,
    user: AbstractBaseUser | None,
    kind: str = Speaker.Kind.PERSON,
    aliases: str | Iterable[str] = "",
    description: str = "",
    slug: str = "",
) -> Speaker:
    """A new speaker; ``slug`` is made from the name (unique) when not given.

    Raises ``ValidationError`` keyed by field: a blank or overlong name, an
    unknown kind, a slug already taken.
    """
    speaker = Speaker()
    _apply(speaker, name=name, kind=kind, aliases=aliases, description=description, slug=slug)
    with transaction.atomic():
        if not speaker.slug:
            speaker.slug = _free_slug(speaker.name)
        elif Speaker.objects.filter(slug=speaker.slug).exists():
            raise ValidationError(
                {"slug": _("The slug “%(slug)s” is taken by another speaker.") % {"slug": speaker.slug}}
            )
        try:
            with transaction.atomic():
                save_as(speaker, user)
        except IntegrityError:
            raise ValidationError(
                {"slug": _("The slug “%(slug)s” is taken by another speaker.") % {"slug": speaker.slug}}
            ) from None
    return speaker


def speaker_update(
    *,
    speaker: Speaker,
    user: AbstractBaseUser | None,
    seen: str | None = None,
    name: str | None = None,
    kind: str | None = None,
    aliases: str | Iterable[str] | None = None,
    description: str | None = None,
    slug: str | None = None,
) -> Speaker:
    """Change the fields given (None leaves one as it is) on top of what the editor ``seen``."""
    with transaction.atomic():
        current = Speaker.objects.select_for_update().filter(pk=speaker.pk).first()
        if current is None or (seen is not None and speaker_fingerprint(current) != seen):
            raise StaleSpeaker(current)
        _apply(
            current,
            name=current.name if name is None else name,
            kind=current.kind if kind is None else kind,
            aliases=current.aliases if aliases is None else aliases,
            description=current.description if description is None else description,
            slug=current.slug if slug is None else slug,
        )
        if Speaker.objects.filter(slug=current.slug).exclude(pk=current.pk).exists():
            raise ValidationError(
                {"slug": _("The slug “%(slug)s” is taken by another speaker.") % {"slug": current.slug}}
            )
        save_as(current, user)
    return current


def speaker_delete(*, speaker: Speaker, user: AbstractBaseUser | None) -> None:
    """Delete a speaker nobody is recorded saying anything (``ValidationError`` otherwise)."""
    with transaction.atomic():
        said = speaker.assertions.count()
        origin_of = speaker.derived_sources.count()
        if said or origin_of:
            raise ValidationError(
                f"“{speaker.name}” is the speaker of {said} statement(s) and the origin of {origin_of} source(s); "
                "reattribute those first."
            )
        delete_as(speaker, user)


def derivation_add(
    *,
    source: Source,
    user: AbstractBaseUser | None,
    origin_source: Source | None = None,
    origin_speaker: Speaker | None = None,
    relation: str = SourceDerivation.Relation.CITES,
    note: str = "",
) -> SourceDerivation:
    """Record that ``source`` cites, republishes or translates a stored source or an outlet.

    Refused (``ValidationError``): neither or both origins, an unknown
    relation, the source itself, a link already recorded, or a loop (the
    origin already derives from ``source``).
    """
    if (origin_source is None) == (origin_speaker is None):
        raise ValidationError(
            {"origin": "Give the origin as a stored source or as an outlet, not both and not neither."}
        )
    note = _checked_relation_and_note(relation, note)
    with transaction.atomic():
        if origin_source is not None:
            if origin_source.pk == source.pk:
                raise ValidationError({"origin": "A source cannot derive from itself."})
            if origin_source.pk in derived_from(source.pk):
                raise ValidationError(
                    {
                        "origin": f"“{origin_source}” already derives from “{source}”: "
                        "a loop would leave neither an origin."
                    }
                )
        existing = SourceDerivation.objects.filter(source=source)
        if existing.filter(origin_source=origin_source, origin_speaker=origin_speaker).exists():
            raise ValidationError(
                {"origin": f"“{source}” is already recorded as deriving from “{origin_source or origin_speaker}”."}
            )
        derivation = SourceDerivation(
            source=source, origin_source=origin_source, origin_speaker=origin_speaker, relation=relation, note=note
        )
        save_as(derivation, user)
    return derivation


def derivation_update(
    *, derivation: SourceDerivation, user: AbstractBaseUser | None, relation: str, note: str = ""
) -> SourceDerivation:
    """Change how a source derives from its origin (the relation, the note); the origin stays.

    The relation decides whether the source speaks with its origin's voice
    (republishing and translating do, citing does not): the save signal
    recomputes the claims it touches.
    """
    note = _checked_relation_and_note(relation, note)
    with transaction.atomic():
        current = SourceDerivation.objects.select_for_update().get(pk=derivation.pk)
        current.relation, current.note = relation, note
        save_as(current, user)
    return current


def derivation_remove(*, derivation: SourceDerivation, user: AbstractBaseUser | None) -> None:
    with transaction.atomic():
        delete_as(derivation, user)


def _apply(
    speaker: Speaker, *, name: str, kind: str, aliases: str | Iterable[str], description: str, slug: str
) -> None:
    """Check and set the editable fields; ``ValidationError`` naming every bad one."""
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "Give the speaker's name."
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = f"At most {MAX_NAME_LENGTH} characters; this has {len(name)}."
    if kind not in Speaker.Kind.values:
        errors["kind"] = f"“{kind}” is not a kind of speaker; choose one of {', '.join(Speaker.Kind.values)}."
    lines = aliases.splitlines() if isinstance(aliases, str) else list(aliases)
    # One alias per line, each trimmed, none repeated and none the name itself.
    alias_list: list[str] = []
    for line in lines:
        alias = " ".join(str(line).split())
        if alias and alias.casefold() != name.casefold() and alias.casefold() not in {a.casefold() for a in alias_list}:
            alias_list.append(alias)
    if len(alias_list) > MAX_ALIASES:
        errors["aliases"] = f"At most {MAX_ALIASES} aliases; this has {len(alias_list)}."
    elif any(len(a) > MAX_NAME_LENGTH for a in alias_list):
        errors["aliases"] = f"Each alias is at most {MAX_NAME_LENGTH} characters."
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        errors["description"] = f"At most {MAX_DESCRIPTION_LENGTH:,} characters; this has {len(description):,}."
    slug = (slug or "").strip()
    if slug and (slug != slugify(slug) or len(slug) > 100):
        errors["slug"] = "A slug is lowercase letters, digits and hyphens, at most 100 characters."
    if errors:
        raise ValidationError(errors)
    speaker.name, speaker.kind, speaker.description, speaker.slug = name, kind, description, slug
    speaker.aliases = "\n".join(alias_list)


def _free_slug(name: str) -> str:
    base = slugify(name)[:90].strip("-") or "speaker"
    taken = set(Speaker.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _checked_relation_and_note(relation: str, note: str | None) -> str:
    """The note, trimmed; ``ValidationError`` for an unknown relation or a note too long."""
    if relation not in SourceDerivation.Relation.values:
        choices = ", ".join(SourceDerivation.Relation.values)
        raise ValidationError({"relation": f"“{relation}” is not a relation; choose one of {choices}."})
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError({"note": f"At most {MAX_NOTE_LENGTH} characters; this has {len(note)}."})
    return note


def derived_from(source_id: int) -> set[int]:
    """``source_id`` and every source deriving from it by any relation, directly or through others.

    What ``derivation_add`` refuses as an origin (a loop), and what the admin's origins inline checks.
    """
    found, frontier = {source_id}, {source_id}
    while frontier:
        frontier = (
            set(SourceDerivation.objects.filter(origin_source_id__in=frontier).values_list("source_id", flat=True))
            - found
        )
        found |= frontier
    return found

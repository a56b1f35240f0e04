"""Decisions on a claim: who reviews it, and the resolution (verdict, rationale, what prevails)."""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factcheck import markdown
from factcheck.models import Assertion, Claim, Event, Resolution, Stance, Verdict
from factcheck.services.base import MAX_HISTORY_REASON_LENGTH, check_version, clean_text, save_as
from factcheck.services.notify import notify, publishers, queue_webhooks, short

MAX_RATIONALE_LENGTH = 20_000
MAX_REASON_LENGTH = 2_000

# The side a verdict takes: its statements are the ones that prevail, unless an editor says otherwise.
VERDICT_SIDES: Mapping[str, str] = {
    Verdict.TRUE: Stance.SUPPORTS,
    Verdict.MOSTLY_TRUE: Stance.SUPPORTS,
    Verdict.FALSE: Stance.DISPUTES,
    Verdict.MOSTLY_FALSE: Stance.DISPUTES,
}


def needs_prevailing(verdict: str) -> bool:
    """A true or false verdict (mostly or not) names what prevails, or says why nothing does."""
    return verdict in VERDICT_SIDES


def prevailing_for(assertions: Iterable[Assertion], verdict: str) -> list[int]:
    """The ids to pre-tick as prevailing for ``verdict``: the side it takes; none for mixed and the rest."""
    side = VERDICT_SIDES.get(verdict)
    return sorted(a.pk for a in assertions if side is not None and a.stance == side)


def prevailing_by_verdict(assertions: Iterable[Assertion]) -> dict[str, list[int]]:
    """``{verdict: ids to pre-tick}`` for every verdict, from assertions already fetched (no query)."""
    assertions = list(assertions)
    return {verdict: prevailing_for(assertions, verdict) for verdict in Verdict.values}


def initial_prevailing(claim: Claim, verdict: str) -> list[int]:
    """What the resolve form pre-ticks for ``verdict`` on ``claim``: one query."""
    if not needs_prevailing(verdict):
        return []
    return prevailing_for(claim.assertions.only("id", "stance"), verdict)


def _prevailing_ids(claim: Claim, prevailing: Iterable[Assertion | int | str]) -> set[int]:
    ids = {a.pk if isinstance(a, Assertion) else int(a) for a in prevailing}
    found = set(Assertion.objects.filter(claim=claim, pk__in=ids).values_list("pk", flat=True))
    if ids - found:
        missing = ", ".join(str(i) for i in sorted(ids - found))
        raise ValidationError({"prevailing": _("Assertion %(pk)s does not belong to this claim.") % {"pk": missing}})
    return found


def _snapshot_prevailing(resolution: Resolution) -> None:
    """Give the creation's history row its prevailing assertions.

    simple-history writes a row on ``save()`` and another on every m2m change;
    one decision should be one row. On revision the m2m is set (with history
    off) before the saving, so the one row sees it. A new resolution needs its
    row to exist before the m2m can be set, so its history row is written by
    ``save()`` and the m2m snapshot added to that row here, as simple-history
    itself does for the rows it writes.
    """
    record = resolution.history.order_by("-history_date", "-history_id").first()
    snapshot = type(record).prevailing.model
    rows = Resolution.prevailing.through.objects.filter(resolution=resolution)
    snapshot.objects.bulk_create(
        snapshot(history=record, id=row.pk, resolution_id=row.resolution_id, assertion_id=row.assertion_id)
        for row in rows
    )


def set_prevailing_quietly(resolution: Resolution, ids: Iterable[int]) -> None:
    """Set the prevailing assertions without a history row of their own: the ``save()`` that follows writes it."""
    # django-simple-history's switch, read off the instance; no stubs declare it.
    resolution.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        resolution.prevailing.set(ids)
    finally:
        del resolution.skip_history_when_saving  # type: ignore[attr-defined]


def resolution_save(
    *,
    claim: Claim,
    user: User,
    verdict: str,
    rationale: str,
    prevailing: Iterable[Assertion | int | str],
    version: int,
    no_prevailing_reason: str = "",
    publish: bool | None = None,
) -> Resolution:
    """Resolve the claim, or revise (or re-close) its resolution.

    The decision is a draft until another editor approves it
    (``resolution_approve``); ``publish`` makes it public at once: the
    desk's ``FACTCHECK_ONE_STEP_PUBLISHING`` when ``None``, and ``True`` for
    decisions imported as already published. A revision of a published
    decision is a draft again: the public sees "under review" meanwhile.

    ``version`` is the resolution's version the editor saw, 0 when the claim
    had none: two editors resolving the same claim at once cannot both win.
    ``no_prevailing_reason`` is kept only when nothing prevails. The resolve
    form requires it for a true or false verdict with nothing prevailing;
    this function does not, so that imports of older decisions still load.
    """
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"“{verdict}” is not a verdict; choose one of {', '.join(Verdict.values)}."})
    rationale = clean_text(rationale, "rationale", MAX_RATIONALE_LENGTH)
    prevailing = list(prevailing)
    reason = "" if prevailing else (no_prevailing_reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {
                "no_prevailing_reason": _("At most %(max)s characters; this has %(has)s.")
                % {"max": f"{MAX_REASON_LENGTH:,}", "has": f"{len(reason):,}"}
            }
        )
    rationale_html = markdown.render(rationale)
    if publish is None:
        publish = settings.FACTCHECK_ONE_STEP_PUBLISHING
    with transaction.atomic():
        # Lock the claim first: it serialises the first resolution of a claim,
        # when there is no resolution row yet to lock.
        Claim.objects.select_for_update().filter(pk=claim.pk).first()
        current = Resolution.objects.select_for_update().filter(claim_id=claim.pk).first()
        if current is None and version == 0:
            ids = _prevailing_ids(claim, prevailing)
            resolution = Resolution(
                claim_id=claim.pk,
                verdict=verdict,
                rationale=rationale,
                rationale_html=rationale_html,
                no_prevailing_reason=reason,
                decided_by=user,
            )
            _set_published(resolution, user if publish else None)
            save_as(resolution, user)
            set_prevailing_quietly(resolution, ids)
            _snapshot_prevailing(resolution)
            _notify_draft(resolution, claim, user)
            return resolution
        current = check_version(current, version, "resolution")
        ids = _prevailing_ids(claim, prevailing)
        current.verdict, current.rationale, current.rationale_html = verdict, rationale, rationale_html
        current.no_prevailing_reason = reason
        current.decided_by = user
        current.is_open = False
        current.version += 1
        _set_published(current, user if publish else None)
        set_prevailing_quietly(current, ids)
        save_as(current, user)
        _notify_draft(current, claim, user)
    return current


def _set_published(resolution: Resolution, by: AbstractBaseUser | None) -> None:
    resolution.is_published = by is not None
    resolution.published_by = by  # type: ignore[assignment]
    resolution.published_at = timezone.now() if by is not None else None
    resolution.sent_back_comment = ""


def _notify_draft(resolution: Resolution, claim: Claim, user: AbstractBaseUser) -> None:
    if resolution.is_published:
        return
    notify(
        recipients=publishers(exclude=user),
        event=Event.AWAITING_APPROVAL,
        claim=claim,
        actor=user,
        text=f"{user.get_username()} decided “{short(claim.text)}”: {resolution.get_verdict_display()}, "
        "awaiting your approval",
        url=f"{claim.get_absolute_url()}#resolution",
    )


def _draft_for_review(claim: Claim, user: AbstractBaseUser, version: int) -> Resolution:
    current = check_version(
        Resolution.objects.select_for_update().filter(claim_id=claim.pk).first(), version, "resolution"
    )
    if not current.is_draft:
        raise ValidationError({"resolution": _("This decision is not a draft awaiting approval.")})
    if current.decided_by_id == user.pk:
        raise ValidationError({"resolution": _("A different editor approves a decision: you made this one.")})
    return current


def resolution_approve(*, claim: Claim, user: AbstractBaseUser, version: int) -> Resolution:
    """A second editor approves the draft: the verdict and its ClaimReview go public."""
    with transaction.atomic():
        current = _draft_for_review(claim, user, version)
        _set_published(current, user)
        _save_review(
            current,
            claim=claim,
            user=user,
            reason="approved for publication",
            event=Event.APPROVED,
            text=f"{user.get_username()} approved your decision on “{short(claim.text)}”: "
            f"{current.get_verdict_display()}",
        )
        queue_webhooks(
            claim=claim,
            event=Event.APPROVED,
            text=f"Decision published on “{short(claim.text)}”: {current.get_verdict_display()}",
        )
    return current


def resolution_send_back(*, claim: Claim, user: AbstractBaseUser, version: int, comment: str) -> Resolution:
    """The second editor sends the draft back, saying why; it stays a draft, unpublished."""
    comment = clean_text(comment, "comment", MAX_REASON_LENGTH)
    with transaction.atomic():
        current = _draft_for_review(claim, user, version)
        current.sent_back_comment = comment
        _save_review(
            current,
            claim=claim,
            user=user,
            reason="sent back",
            event=Event.SENT_BACK,
            text=f"{user.get_username()} sent back your decision on “{short(claim.text)}”",
        )
    return current


def _save_review(
    resolution: Resolution, *, claim: Claim, user: AbstractBaseUser, reason: str, event: str, text: str
) -> None:
    """Save the second editor's review of the draft, and tell the editor who decided it what became of it."""
    resolution.version += 1
    save_as(resolution, user, reason=reason)
    notify(
        recipients=[resolution.decided_by],
        event=event,
        claim=claim,
        actor=user,
        text=text,
        url=f"{claim.get_absolute_url()}#resolution",
    )


def resolution_reopen(*, claim: Claim, user: AbstractBaseUser, version: int, reason: str | None = "") -> Resolution:
    """The verdict no longer stands; the claim's status goes back to what its sources say."""
    if reason := (reason or "").strip():
        reason = clean_text(reason, "reason", MAX_HISTORY_REASON_LENGTH)
    with transaction.atomic():
        current = check_version(
            Resolution.objects.select_for_update().filter(claim_id=claim.pk).first(), version, "resolution"
        )
        if current.is_open:
            return current
        current.is_open = True
        current.version += 1
        save_as(current, user, reason=reason or None)
    return current


def claim_assign(*, claim: Claim, assignee: User | None, version: int, by: AbstractBaseUser) -> Claim:
    """Put ``assignee`` (``None``: nobody) in charge of reviewing the claim."""
    with transaction.atomic():
        current = check_version(Claim.objects.select_for_update().filter(pk=claim.pk).first(), version, "claim")
        if current.assigned_to_id == (assignee.pk if assignee else None):
            return current
        current.assigned_to = assignee
        current.version += 1
        save_as(current, by, update_fields=["assigned_to", "version", "updated_at"])
        notify(
            recipients=[assignee],
            event=Event.ASSIGNED,
            claim=current,
            actor=by,
            text=f"{by.get_username()} assigned you “{short(current.text)}”",
        )
    return current

"""Claims and their assertions as the admin's forms write them, version-checked and attributed.

The forms have already done the checking that needs the form (a quote
located in its source, the same passage not cited twice); these functions
write what the form built, under a lock that checks the version again, so
the admin and any other caller share one writer. An assertion added from an
evidence suggestion has its own rules: ``assertions.assertion_create``.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck.models import Assertion, Claim, ClaimKind
from factcheck.services import notify
from factcheck.services.assertions import check_timing
from factcheck.services.base import check_version, delete_as, save_as
from factcheck.services.translations import check_languages


def claim_create(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    with transaction.atomic():
        save_as(claim, user)
    return claim


def claim_update(*, claim: Claim, user: AbstractBaseUser, version: int, changed: bool = True) -> Claim:
    """Save ``claim`` with the changes the caller made to it, on top of ``version``.

    ``changed=False``: the editor saved without changing anything; the save is
    recorded as before, and the version stays.
    """
    with transaction.atomic():
        _save_on_top_of(claim, user=user, version=version, changed=changed, what="claim")
    return claim


def claim_set_kind(*, claim: Claim, kind: str, user: AbstractBaseUser, version: int) -> Claim:
    """Make ``claim`` an event or a state, on top of ``version``; the change is recorded in history.

    The kind decides whether opposed statements may "differ only in time",
    so the status is recomputed: by the claim's save signal
    (models/upkeep.py), the one path every write shares. The same kind again
    saves nothing.
    """
    if kind not in ClaimKind.values:
        raise ValidationError(
            {"kind": f"“{kind}” is not a kind of claim; choose one of {', '.join(ClaimKind.values)}."}
        )
    with transaction.atomic():
        current = check_version(Claim.objects.select_for_update().filter(pk=claim.pk).first(), version, "claim")
        if current.kind != kind:
            current.kind = kind
            current.version = version + 1
            save_as(current, user, update_fields=["kind", "version", "updated_at"])
    return current


def claim_delete(*, claim: Claim, user: AbstractBaseUser) -> None:
    """Delete the claim; its assertions, notes and resolution go with it (their history rows by ``user``)."""
    with transaction.atomic():
        delete_as(claim, user)


def assertion_create_located(
    *, assertion: Assertion, user: AbstractBaseUser, claim_version: int | None = None
) -> Assertion:
    """Save a new assertion whose quote the caller has located (``Assertion.locate``).

    ``claim_version``: the version of the claim the caller based this on (the
    API's clients send it); a claim changed since is ``StaleEdit``, nothing saved.
    """
    check_timing(assertion)
    check_languages(assertion)
    with transaction.atomic():
        if claim_version is not None:
            claim = Claim.objects.select_for_update().filter(pk=assertion.claim_id).first()
            check_version(claim, claim_version, "claim")
        before = notify.status_now(assertion.claim_id)
        save_as(assertion, user)
        notify.evidence_added(claim=assertion.claim, actor=user, status_before=before)
    return assertion


def assertion_update(*, assertion: Assertion, user: AbstractBaseUser, version: int, changed: bool = True) -> Assertion:
    """Save ``assertion`` with the changes the caller made (quote located again), on top of ``version``."""
    check_timing(assertion)
    check_languages(assertion)
    with transaction.atomic():
        _save_on_top_of(assertion, user=user, version=version, changed=changed, what="assertion")
    return assertion


def assertion_delete(*, assertion: Assertion, user: AbstractBaseUser) -> None:
    with transaction.atomic():
        delete_as(assertion, user)


def _save_on_top_of(obj: Claim | Assertion, *, user: AbstractBaseUser, version: int, changed: bool, what: str) -> None:
    """Lock ``obj``'s row, refuse a stale ``version``, save; the version moves only when something changed."""
    current = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).only("version").first()
    check_version(current, version, what)
    obj.version = version + 1 if changed else version
    save_as(obj, user)

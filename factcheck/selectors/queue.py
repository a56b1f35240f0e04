"""The review queue's tabs: which claims each holds, since when each waits, how many, in what order.

Each tab is one lazy queryset with ``waiting_since`` annotated (when the
claim entered the state the tab is about), so a page of any tab is two
queries (count and rows) and the counts of all tabs one query each,
whatever the corpus size.
"""

import datetime as dt

from django.conf import settings
from django.db.models import DateTimeField, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factcheck.models import Assertion, Claim, Status

QUEUE_TABS = [
    ("conflicts", _("Conflicts")),
    ("approval", _("Awaiting approval")),
    ("evidence", _("New evidence")),
    ("single", _("Single source")),
    ("stale", _("Stale")),
    ("mine", _("Mine")),
]
QUEUE_SORTS = [("waiting", _("Longest waiting")), ("topic", _("Topic")), ("sources", _("Most sources"))]

# What "waiting since" means on each tab, for the page's legend.
WAITING_MEANS = {
    "conflicts": _("in conflict since"),
    "approval": _("draft since"),
    "evidence": _("newest evidence added"),
    "single": _("single-source since"),
    "stale": _("newest statement"),
    "mine": _("in its status since"),
}


def _newest_assertion():
    rows = Assertion.objects.filter(claim=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    return Subquery(rows, output_field=DateTimeField())


def tab_claims(tab, *, user, claims=None, now=None):
    """The claims of ``tab`` for ``user`` (lazy), each with ``waiting_since``."""
    now = now or timezone.now()
    claims = Claim.objects.all() if claims is None else claims
    if tab == "conflicts":
        return claims.filter(status=Status.CONFLICT).annotate(waiting_since=F("status_since"))
    if tab == "single":
        return claims.filter(status=Status.SINGLE).annotate(waiting_since=F("status_since"))
    if tab == "approval":
        return claims.filter(resolution__is_published=False, resolution__is_open=False).annotate(
            waiting_since=F("resolution__updated_at")
        )
    if tab == "evidence":
        # Intake's suggestions have not landed: new evidence is a recently added assertion.
        since = now - dt.timedelta(days=settings.FACTCHECK_NEW_EVIDENCE_DAYS)
        recent = Assertion.objects.filter(created_at__gte=since).values("claim_id")
        return claims.filter(pk__in=recent).annotate(waiting_since=_newest_assertion())
    if tab == "stale":
        # The newest statement: when it was made, or the source's date when that is not known.
        # Stored on the claim (Claim.newest_statement, kept with its status) and indexed:
        # aggregating every claim's statements took seconds at 100,000 claims.
        cutoff = (now - dt.timedelta(days=settings.FACTCHECK_STALE_DAYS)).date()
        return (
            claims.filter(newest_statement__lt=cutoff)
            .exclude(status__in=[Status.UNSOURCED])
            .annotate(waiting_since=F("newest_statement"))
        )
    if tab == "mine":
        return claims.filter(assigned_to=user).exclude(status=Status.RESOLVED).annotate(waiting_since=F("status_since"))
    raise ValueError(f"unknown tab {tab!r}")


def sorted_tab(claims, sort):
    waiting = F("waiting_since").asc(nulls_first=True)
    if sort == "topic":
        return claims.order_by("topic__title", waiting, "id")
    if sort == "sources":
        return claims.order_by("-source_count", waiting, "id")
    return claims.order_by(waiting, "id")


def tab_counts(user, claims=None, now=None):
    """``{tab: count}`` for every tab: one COUNT query each."""
    return {tab: tab_claims(tab, user=user, claims=claims, now=now).count() for tab, _label in QUEUE_TABS}


def assigned_filter(claims, *, user, assigned):
    if assigned == "me":
        return claims.filter(assigned_to=user)
    if assigned == "nobody":
        return claims.filter(assigned_to__isnull=True)
    return claims

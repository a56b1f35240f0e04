"""Every page runs the same number of queries on a handful of claims as on 10,000.

Both corpora come from bench_data's generator. On the small one each page
shows as little as there is (the topic, claim and source with the fewest
rows); on the large one, as much (the most claims, assertions, quotes), so an
N+1 query would show as a difference. Pages are rendered fresh: inside the
test's transaction the page cache stands aside (tests/integration/test_cache.py covers
hits, which cost one query).
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factcheck.models import Annotation, Claim, Resolution, Source, Topic
from factcheck.search import KINDS
from tools.bench_data import Plan, build_corpus

# django_db also makes pytest-django set up the test database before the module fixture uses it.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PAGES = [
    "home",
    "topic page",
    "claim list",
    "claim list by status",
    "claim list by source",
    "claim list by topic",
    "claim page",
    "source list",
    "source page",
    "search",
    "/api/claims/",
    "/api/claims/<id>/",
    "/api/sources/",
    "/api/sources/<id>/",
    "/api/evidence/",
    "admin claim list",
]
# Search counts a kind's hits only when its first page is full, which a handful
# of claims never fills: at most one query more per kind, however large the corpus.
BOUNDED_EXTRA = {"search": len(KINDS)}
# Pages whose content must be larger on the large corpus, or the comparison proves nothing.
GROWS = {"home", "topic page", "claim list", "claim list by status", "claim page", "source page", "/api/claims/"}


class _Rollback(Exception):
    pass


def _urls(fewest, staff):
    order = "" if fewest else "-"
    topic = Topic.objects.annotate(n=Count("claims")).filter(n__gt=0).order_by(f"{order}n", "id").first()
    # A claim page shows a decision, notes and history when there are some: the claim
    # compared has all three, edited the usual way (bench_data writes no history).
    claim = Claim.objects.annotate(n=Count("assertions")).filter(n__gt=1).order_by(f"{order}n", "id").first()
    resolution = Resolution.objects.filter(claim=claim).first()
    if resolution is None:
        resolution = Resolution(claim=claim, verdict="mixed", decided_by=staff)
    resolution.rationale = "Both partly, as of the later report."
    resolution.save()
    resolution.prevailing.add(claim.assertions.first())
    Annotation.objects.create(claim=claim, author=staff, body="A note.")
    claim.save()
    source = Source.objects.annotate(n=Count("assertions")).filter(n__gt=0).order_by(f"{order}n", "id").first()
    return {
        "home": "/",
        "topic page": f"/topics/{topic.slug}/",
        "claim list": "/claims/",
        "claim list by status": "/claims/?status=conflict",
        "claim list by source": f"/claims/?source={source.pk}",
        "claim list by topic": f"/claims/?topic={topic.slug}",
        "claim page": f"/claims/{claim.pk}/",
        "source list": "/sources/",
        "source page": f"/sources/{source.pk}/",
        "search": "/search/?q=Tartus",
        "/api/claims/": "/api/claims/",
        "/api/claims/<id>/": f"/api/claims/{claim.pk}/",
        "/api/sources/": "/api/sources/",
        "/api/sources/<id>/": f"/api/sources/{source.pk}/",
        "/api/evidence/": "/api/evidence/?q=Tartus+naval+base&limit=10",
        "admin claim list": "/admin/factcheck/claim/",
    }


def _measure(plan, fewest):
    build_corpus(plan)
    staff = get_user_model().objects.create_superuser("scaling-staff", password="scaling-password-123")
    reader, admin = Client(), Client()
    admin.force_login(staff)
    found = {}
    for page, url in _urls(fewest, staff).items():
        client = admin if page.startswith("admin") else reader
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (page, url, response.status_code)
        found[page] = {
            "url": url,
            "queries": len(queries),
            "bytes": len(response.content),
            "sql": [q["sql"][:160] for q in queries.captured_queries],
        }
    return found


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """Query counts per page on a small and on a 10,000-claim corpus, each rolled back afterwards."""
    results = {}
    with django_db_blocker.unblock():
        for name, plan, fewest in (
            ("small", Plan(claims=8, sources=3, topics=2, seed=3), True),
            ("large", Plan(claims=10_000, seed=4), False),
        ):
            try:
                with transaction.atomic():
                    results[name] = _measure(plan, fewest)
                    raise _Rollback
            except _Rollback:
                pass
    return results


@pytest.mark.parametrize("page", PAGES)
def test_it_runs_as_many_queries_on_10000_claims_as_on_a_few(measured, page):
    small, large = measured["small"][page], measured["large"][page]
    print(f"\n{page}: {small['queries']} queries on {small['url']} (small), {large['queries']} on {large['url']} (10k)")
    extra = BOUNDED_EXTRA.get(page, 0)
    assert small["queries"] <= large["queries"] <= small["queries"] + extra, "\n".join(
        ["small:", *small["sql"], "large:", *large["sql"]]
    )
    if page in GROWS:
        assert large["bytes"] > small["bytes"], "the large corpus should show more on this page"

"""The claim list counts from stored totals where one answers its filter exactly, and the pages stay right."""

import re

import pytest
from django.test import override_settings

from factcheck.models import Claim, Status
from tests.conftest import make_claim, make_source, make_topic

pytestmark = pytest.mark.django_db

TARTUS = "Russia keeps its naval base at Tartus."
TALKS = "Talks about the bases are active as of July 2025."


@pytest.fixture
def claims(db):
    """Two topics; conflicts, single-source and unsourced claims in each, a source quoted by some."""
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    bases, talks = make_topic(slug="bases"), make_topic(slug="talks")
    for topic, conflicts, singles, unsourced in ((bases, 3, 2, 1), (talks, 1, 4, 2)):
        for _ in range(conflicts):
            make_claim(topic=topic, assertions=[(a, "supports", TARTUS), (b, "disputes", TALKS)])
        for _ in range(singles):
            make_claim(topic=topic, assertions=[(b, "supports", TALKS)])
        for _ in range(unsourced):
            make_claim(topic=topic)
    return {"alpha": a}


def _shown(client, params):
    body = client.get("/claims/", params).content.decode()
    total = int(re.search(r'class="result-count">([\d,]+) claims?<', body).group(1).replace(",", ""))
    pages = re.search(r"Page \d+ of (\d+)", body)
    return total, int(pages.group(1)) if pages else 1


@override_settings(FACTCHECK_PAGE_SIZE=2)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": Status.CONFLICT},
        {"status": Status.SINGLE},
        {"status": Status.RESOLVED},
        {"topic": "talks"},
        {"topic": "bases", "status": Status.CONFLICT},
        {"topic": "talks", "status": Status.SINGLE},  # no stored count: counted
        {"q": "number"},
    ],
)
def test_it_shows_the_count_and_pages_of_what_matches(client, claims, params):
    matching = Claim.objects.all()
    if "status" in params:
        matching = matching.filter(status=params["status"])
    if "topic" in params:
        matching = matching.filter(topic__slug=params["topic"])
    if "q" in params:
        matching = matching.filter(text__icontains=params["q"])
    expected = matching.count()
    total, pages = _shown(client, params)
    assert (total, pages) == (expected, max(1, -(-expected // 2)))
    # The last page is there, and one past it is a 404.
    assert client.get("/claims/", {**params, "page": pages}).status_code == 200
    assert client.get("/claims/", {**params, "page": pages + 1}).status_code == 404


def test_it_counts_from_the_stored_totals_without_counting_the_claims(client, claims, django_assert_num_queries):
    # the totals' rows; the page of claims with their topics
    with django_assert_num_queries(2) as captured:
        client.get("/claims/", {"status": Status.CONFLICT})
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    # the topic (its stored counts); the page
    with django_assert_num_queries(2) as captured:
        client.get("/claims/", {"topic": "bases", "status": Status.CONFLICT})
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    # the source; the COUNT of the claims citing it; the page
    with django_assert_num_queries(3):
        client.get("/claims/", {"source": claims["alpha"].pk})


def test_a_claim_that_changes_status_moves_between_the_counts(client, claims):
    before = _shown(client, {"status": Status.UNSOURCED})[0]
    Claim.objects.filter(status=Status.UNSOURCED).first().delete()
    assert _shown(client, {"status": Status.UNSOURCED})[0] == before - 1 == 2

"""A bad period typed in the admin shows on its field, in the claim's inline as on the assertion's own page."""

import pytest
from django.urls import reverse

from tests.admin_forms import claim_form
from tests.conftest import make_claim, make_source, row_counts

pytestmark = pytest.mark.django_db

QUOTE = "Russia keeps its naval base at Tartus."
BACKWARDS = ({"as_of": "2025", "period_end": "2024"}, "period_end", "The period ends (2024) before it starts (2025).")
ENDLESS = ({"period_end": "2024"}, "as_of", "A period with an end needs a start")


def _inline_errors(response):
    return [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms]


@pytest.mark.parametrize(("fields", "field", "message"), [BACKWARDS, ENDLESS])
def test_it_shows_a_bad_period_of_a_new_inline_row_on_its_field(staff_client, fields, field, message):
    claim, source = make_claim(), make_source()
    before = row_counts()

    response = staff_client.post(
        reverse("admin:factcheck_claim_change", args=[claim.pk]),
        claim_form(claim, [{"source": source.pk, "quote": QUOTE, "period_end": "", **fields}]),
    )

    assert response.status_code == 200
    assert _inline_errors(response)[0][field][0].startswith(message)
    assert row_counts() == before


@pytest.mark.parametrize(("fields", "field", "message"), [BACKWARDS, ENDLESS])
def test_it_shows_a_bad_period_of_an_existing_inline_row_on_its_field(staff_client, fields, field, message):
    source = make_source()
    claim = make_claim(assertions=[(source, "supports", QUOTE)])
    assertion = claim.assertions.get()
    row = {"id": assertion.pk, "source": source.pk, "quote": QUOTE, "period_end": "", "base_version": 1, **fields}
    before = row_counts()

    response = staff_client.post(reverse("admin:factcheck_claim_change", args=[claim.pk]), claim_form(claim, [row]))

    assert response.status_code == 200
    assert _inline_errors(response)[0][field][0].startswith(message)
    assert row_counts() == before
    assertion.refresh_from_db()
    assert (assertion.as_of, assertion.period_end, assertion.version) == (None, None, 1)

"""An integer beyond 64 bits is refused like any bad input, never a 500 (L1).

SQLite's driver cannot bind such an integer (``OverflowError``). Forms and
the admin's filters refuse it naming the parameter; under them, the ORM
lookups that Django leaves unguarded (``in``, and any lookup through a
foreign key) treat it as matching no row (factcheck/lookups.py).
"""

import pytest
from django.test import Client

from factcheck.models import Assertion, Claim, Resolution

BEYOND = [str(2**63), str(-(2**63) - 1), "99999999999999999999999"]


@pytest.fixture
def staff_client(staff):
    client = Client(raise_request_exception=True)  # a crash fails the test, whatever the status
    client.force_login(staff)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("value", BEYOND)
def test_it_refuses_a_prevailing_assertion_id_beyond_64_bits_with_422(staff_client, conflict_claim, value):
    data = {"verdict": "mixed", "rationale": "Both.", "version": "0", "prevailing": [value]}
    response = staff_client.post(f"/claims/{conflict_claim.pk}/resolve/", data, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert response.json()["fields"] == {"prevailing": [f"“{value}” is not an assertion id."]}
    assert not Resolution.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", ["topic__id__exact", "source"])
@pytest.mark.parametrize("value", BEYOND)
def test_it_answers_a_claim_list_filter_beyond_64_bits_as_any_bad_filter(
    staff_client, conflict_claim, parameter, value
):
    # The admin's answer to a filter value that is no id: its error page (a redirect to ?e=1), as for "x".
    response = staff_client.get("/admin/factcheck/claim/", {parameter: value})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.django_db
@pytest.mark.parametrize("value", BEYOND)
def test_it_answers_the_assertion_list_source_filter_beyond_64_bits_as_any_bad_filter(staff_client, value):
    response = staff_client.get("/admin/factcheck/assertion/", {"source": value})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.django_db
def test_an_admin_action_on_an_id_beyond_64_bits_selects_nothing(staff_client, conflict_claim):
    # Django's own code: queryset.filter(pk__in=_selected_action).
    data = {"action": "export_csv", "_selected_action": [str(2**64)], "index": "0"}
    response = staff_client.post("/admin/factcheck/claim/", data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert conflict_claim.text not in response.content.decode()


@pytest.mark.django_db
def test_a_user_form_with_a_group_id_beyond_64_bits_is_a_form_error(staff_client, editor):
    # Django's own ModelMultipleChoiceField (groups): pk__in again.
    groups = list(editor.groups.all())
    data = {
        "username": editor.username,
        "groups": [str(2**64)],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "is_active": "on",
    }
    response = staff_client.post(f"/admin/auth/user/{editor.pk}/change/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(editor.groups.all()) == groups


@pytest.mark.django_db
@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**22])
def test_lookups_through_foreign_keys_and_in_match_nothing_beyond_64_bits(conflict_claim, value):
    claim = conflict_claim
    assert list(Claim.objects.filter(topic_id=value)) == []
    assert list(Claim.objects.filter(topic=value)) == []
    assert list(Claim.objects.filter(topic__in=[value])) == []
    assert list(Claim.objects.filter(pk__in=[value, claim.pk])) == [claim]
    assert list(Assertion.objects.filter(source_id__in=[value]).values_list("pk", flat=True)) == []
    assert list(Claim.objects.exclude(topic_id=value)) == [claim]
    assert list(Claim.objects.exclude(pk__in=[value])) == [claim]

"""Evidence suggestions on a claim's page, without a session: what htmx is given (issue 15).

The claim page loads the suggestions into a slot with htmx. An expired session
must send the editor to the login page as a whole page (``HX-Redirect``), as
every other editor's action does, never swap the login page into the slot.
"""

from urllib.parse import quote

from django.urls import reverse

from factcheck.models import Assertion
from tests.editing import HTMX, JSON


def _login_target(next_url):
    return f"{reverse('login')}?next={quote(next_url)}"


def test_it_redirects_an_htmx_request_without_a_session_to_the_login_as_a_whole_page(client, conflict_claim):
    url = reverse("claim-evidence", args=[conflict_claim.pk])
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == _login_target(url)
    assert b"password" not in response.content.lower()  # no login form to swap into the slot


def test_it_brings_an_htmx_poster_without_a_session_back_to_the_claim_page(client, conflict_claim):
    claim_page = f"/claims/{conflict_claim.pk}/"
    source = conflict_claim.assertions.first().source
    data = {"source": source.pk, "start": 0, "end": 10, "stance": "supports"}
    response = client.post(
        reverse("claim-evidence-add", args=[conflict_claim.pk]),
        data,
        headers={**HTMX, "HX-Current-URL": f"http://testserver{claim_page}"},
    )
    assert response.status_code == 200
    # Back to the page the editor was on, as HX-Current-URL names it (as the notes do).
    assert response["HX-Redirect"] == _login_target(f"http://testserver{claim_page}")
    assert Assertion.objects.filter(claim=conflict_claim).count() == 2


def test_it_still_sends_a_browser_without_a_session_to_the_login_page(client, conflict_claim):
    url = reverse("claim-evidence", args=[conflict_claim.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == _login_target(url)


def test_it_answers_a_json_client_without_a_session_with_401(client, conflict_claim):
    response = client.get(reverse("claim-evidence", args=[conflict_claim.pk]), headers=JSON)
    assert response.status_code == 401
    assert response.json()["error"].startswith("Log in first")


def test_it_still_refuses_a_reader_with_403(client, reader, conflict_claim):
    client.force_login(reader)
    response = client.get(reverse("claim-evidence", args=[conflict_claim.pk]), headers=HTMX)
    assert response.status_code == 403

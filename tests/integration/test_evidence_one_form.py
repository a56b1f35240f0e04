"""Evidence suggestions as one form: a passage chosen among them, a match score, added without a reload, dismissed."""

import re

import pytest
from django.urls import reverse

from factcheck.models import Assertion
from tests.conftest import make_claim, make_source, make_topic

TEXT = (
    "Russia keeps its naval base at Tartus.\n\n"
    "Mr. Putin did not agree to extradite Assad. He was granted asylum in Moscow in December 2024."
)
HX = {"HX-Request": "true"}


@pytest.fixture
def claim(db):
    make_source(title="Bases report", text=TEXT)
    attached = make_source(title="Attached", text="Russia refused to extradite Assad to Syria, officials said.")
    return make_claim(
        topic=make_topic(),
        text="Russia refused to extradite Assad.",
        assertions=[(attached, "supports", "Russia refused to extradite Assad to Syria")],
    )


def _offered(client, claim):
    body = client.get(reverse("claim-evidence", args=[claim.pk]), headers=HX).content.decode()
    return body, re.findall(r'name="passage" value="(\d+:\d+:\d+)"', body)


def test_it_offers_one_stance_choice_for_all_the_suggestions_with_a_match_score(client, claim, editor):
    client.force_login(editor)
    body, offered = _offered(client, claim)
    assert len(offered) >= 2
    assert body.count('name="stance"') == 3  # supports, disputes, qualifies: once, not per suggestion
    assert body.count("<form") == 1
    assert "match 100%" in body  # the best; the others against it
    assert body.count("Not relevant") == len(offered)
    assert " required" not in body  # the server names a missing choice, not the browser's popup


def test_it_adds_the_chosen_passage_and_sends_its_card_to_its_column(client, claim, editor):
    client.force_login(editor)
    _, offered = _offered(client, claim)
    source_id, start, end = offered[0].split(":")
    url = reverse("claim-evidence-add", args=[claim.pk])
    response = client.post(url, {"passage": offered[0], "stance": "disputes"}, headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    added = Assertion.objects.get(claim=claim, source_id=source_id)
    assert (added.start, added.end, added.stance) == (int(start), int(end), "disputes")
    assert f'<li id="evidence-{source_id}-{start}" hx-swap-oob="delete"></li>' in body
    assert 'hx-swap-oob="beforeend:#column-disputes"' in body and f'id="assertion-{added.pk}"' in body
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert 'id="column-disputes"' in claim_page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"stance": "supports"}, "Choose a passage first"),
        ({"passage": "PASSAGE"}, "stance: choose whether the passage supports, disputes or qualifies the claim."),
        ({"passage": "1:2", "stance": "supports"}, "Bad parameter — "),
    ],
)
def test_it_names_what_is_missing_beside_the_button_and_adds_nothing(client, claim, editor, data, message):
    client.force_login(editor)
    _, offered = _offered(client, claim)
    if data.get("passage") == "PASSAGE":
        data = {"passage": offered[0]}
    response = client.post(reverse("claim-evidence-add", args=[claim.pk]), data, headers=HX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert claim.assertions.count() == 1


def test_it_leaves_a_dismissed_passage_out_for_the_rest_of_the_session(client, claim, editor):
    client.force_login(editor)
    _, offered = _offered(client, claim)
    url = reverse("claim-evidence-dismiss", args=[claim.pk])
    assert client.post(url, {"dismiss": offered[0]}, headers=HX).status_code == 200
    _, again = _offered(client, claim)
    assert offered[0] not in again and set(again) <= set(offered) | set(again)
    assert client.post(url, {"dismiss": "1:2"}).status_code == 400
    assert client.post(url, {"dismiss": offered[1]}).status_code == 302  # without htmx: back to the list
    assert Assertion.objects.count() == 1  # a judgement of relevance, not an edit

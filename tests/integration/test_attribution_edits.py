"""Editors on the claim page: an assertion's speaker, statement date and period; the claim's kind; a speaker."""

import datetime as dt
import json
import re

import pytest
from django.test import Client

from factcheck import services
from factcheck.models import Assertion, Claim, Speaker
from tests.conftest import make_assertion, make_claim, make_source, row_counts
from tests.editing import HTMX, JSON

DENIAL = "The Kremlin denied that any extradition was requested."


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def denial(db):
    source = make_source(title="Kremlin denies", publisher="TRT World", published=dt.date(2025, 10, 17))
    claim = make_claim(text="Syria asked Russia to extradite Assad.", assertions=[(source, "disputes", DENIAL)])
    return claim.assertions.get()


@pytest.fixture
def kremlin(editor):
    return services.speaker_create(name="The Kremlin", kind="government", aliases="Kremlin", user=editor)


def _form(assertion, **fields):
    return {"speaker": "", "stated_on": "", "period_from": "", "period_to": "", "version": assertion.version, **fields}


def test_it_sends_anonymous_to_login_and_refuses_readers(reader, denial, kremlin):
    before = row_counts()
    urls = [
        (f"/assertions/{denial.pk}/attribution/", _form(denial, speaker="Kremlin")),
        (f"/claims/{denial.claim_id}/kind/", {"kind": "state", "version": denial.claim.version}),
        (
            f"/speakers/{kremlin.slug}/edit/",
            {"name": "X", "kind": "person", "seen": services.speaker_fingerprint(kremlin)},
        ),
    ]
    for url, data in urls:
        anonymous = _client().post(url, data)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
        assert _client(reader).post(url, data).status_code == 403
    assert _client(reader).get(f"/assertions/{denial.pk}/attribution/").status_code == 403
    assert row_counts() == before


def test_it_attributes_a_statement_to_a_speaker_found_by_alias_with_its_period(editor, denial, kremlin):
    response = _client(editor).post(
        f"/assertions/{denial.pk}/attribution/",
        _form(denial, speaker=" kremlin ", stated_on="2025-10-16", period_from="2025-10", period_to="2025-12"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{denial.claim_id}/#assertion-{denial.pk}"
    saved = Assertion.objects.get(pk=denial.pk)
    assert (saved.speaker, saved.stated_on, saved.period_display) == (
        kremlin,
        dt.date(2025, 10, 16),
        "October–December 2025",
    )
    assert saved.history.first().history_user == editor


def test_it_answers_htmx_with_the_card_reading_as_reported_speech(editor, denial, kremlin):
    client = _client(editor)
    form = client.get(f"/assertions/{denial.pk}/attribution/", headers=HTMX)
    assert form.status_code == 200 and b"<html" not in form.content
    assert b'<option value="The Kremlin">' in form.content
    card = client.post(f"/assertions/{denial.pk}/attribution/", _form(denial, speaker="The Kremlin"), headers=HTMX)
    body = card.content.decode()
    assert card.status_code == 200 and "<html" not in body
    assert 'TRT World reports <a href="/speakers/the-kremlin/">The Kremlin</a>:' in body
    assert "17 October 2025 (publication date)" in body and ">undated</dd>" in body
    # The claim's origins, swapped in beside the card: still one source, one voice (now the Kremlin's).
    assert f'id="claim-status-{denial.claim_id}" hx-swap-oob="true"' in body
    assert "1 source, 1 independent origin" in body


def test_it_creates_a_new_speaker_in_place_only_when_told_its_kind(editor, denial):
    client = _client(editor)
    before = row_counts()
    refused = client.post(f"/assertions/{denial.pk}/attribution/", _form(denial, speaker="Dmitry Peskov"), headers=HTMX)
    assert refused.status_code == 422
    assert "No speaker is called “Dmitry Peskov”" in refused.content.decode()
    assert row_counts() == before
    client.post(
        f"/assertions/{denial.pk}/attribution/", _form(denial, speaker="Dmitry Peskov", new_speaker_kind="person")
    )
    peskov = Speaker.objects.get(name="Dmitry Peskov")
    assert (peskov.slug, peskov.kind, Assertion.objects.get(pk=denial.pk).speaker) == (
        "dmitry-peskov",
        "person",
        peskov,
    )


def test_it_refuses_a_period_ending_before_it_starts_naming_the_field(editor, denial):
    before = row_counts()
    response = _client(editor).post(
        f"/assertions/{denial.pk}/attribution/",
        _form(denial, period_from="1958", period_to="1955"),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 422
    assert "before it starts" in json.loads(response.content)["fields"]["period_to"][0]
    bad_date = _client(editor).post(f"/assertions/{denial.pk}/attribution/", _form(denial, stated_on="17/10/2025"))
    assert bad_date.status_code == 422 and "is not a date" in bad_date.content.decode()
    assert row_counts() == before


def test_it_refuses_a_stale_attribution_with_409_and_the_current_state(editor, second_editor, denial, kremlin):
    seen = _form(denial, speaker="The Kremlin")
    assert (
        _client(second_editor)
        .post(f"/assertions/{denial.pk}/attribution/", _form(denial, period_from="2025"))
        .status_code
        == 302
    )
    stale = _client(editor).post(f"/assertions/{denial.pk}/attribution/", seen, headers=HTMX)
    body = stale.content.decode()
    assert stale.status_code == 409
    assert "speaks about 2025" in body and "Said by The Kremlin" in body
    assert Assertion.objects.get(pk=denial.pk).speaker is None
    as_json = _client(editor).post(f"/assertions/{denial.pk}/attribution/", seen, headers=JSON)
    current = json.loads(as_json.content)["current"]
    assert as_json.status_code == 409
    assert (current["id"], current["speaker"], current["period"]) == (denial.pk, None, {"from": "2025", "to": None})


def test_it_sets_the_claims_kind_in_history_and_refuses_a_stale_version(editor, second_editor, conflict_claim):
    version = conflict_claim.version
    response = _client(editor).post(
        f"/claims/{conflict_claim.pk}/kind/", {"kind": "state", "version": version}, headers=HTMX
    )
    assert response.status_code == 200 and 'value="state" checked' in response.content.decode()
    claim = Claim.objects.get(pk=conflict_claim.pk)
    assert claim.kind == "state"
    row = claim.history.first()
    assert (row.kind, row.history_user, row.prev_record.kind) == ("state", editor, "event")
    stale = _client(second_editor).post(f"/claims/{conflict_claim.pk}/kind/", {"kind": "event", "version": version})
    assert stale.status_code == 409 and "The claim is now a state" in stale.content.decode()
    assert "Make it an event anyway" in stale.content.decode()
    assert Claim.objects.get(pk=conflict_claim.pk).kind == "state"
    tampered = _client(editor).post(f"/claims/{conflict_claim.pk}/kind/", {"kind": "rumour", "version": claim.version})
    assert tampered.status_code == 422


def test_it_shows_the_kind_form_and_edit_links_to_editors_only(client, editor, conflict_claim):
    url = f"/claims/{conflict_claim.pk}/"
    public = client.get(url).content.decode()
    assert "/kind/" not in public and "/attribution/" not in public
    edited = _client(editor).get(url).content.decode()
    assert f'action="/claims/{conflict_claim.pk}/kind/"' in edited
    assert "Edit who said it and when" in edited


def test_it_edits_a_speaker_and_refuses_an_edit_based_on_an_older_state(editor, second_editor, kremlin):
    url = f"/speakers/{kremlin.slug}/edit/"
    page = _client(editor).get(url)
    assert page.status_code == 200 and "Kremlin</textarea>" in page.content.decode()
    seen = services.speaker_fingerprint(kremlin)
    data = {"name": "The Kremlin", "kind": "government", "aliases": "Kremlin\nKreml", "seen": seen}
    assert _client(second_editor).post(url, data).status_code == 302
    assert Speaker.objects.get(pk=kremlin.pk).alias_list == ["Kremlin", "Kreml"]
    stale = _client(editor).post(url, {**data, "description": "Russia's presidency."})
    assert stale.status_code == 409
    assert Speaker.objects.get(pk=kremlin.pk).description == ""
    blank = _client(editor).post(
        url, {**data, "name": "  ", "seen": services.speaker_fingerprint(Speaker.objects.get(pk=kremlin.pk))}
    )
    assert blank.status_code == 422 and "Give the speaker" in blank.content.decode()


def test_it_pre_ticks_the_verdicts_side_and_asks_why_none_prevails(editor, conflict_claim):
    client = _client(editor)
    supports = conflict_claim.assertions.get(stance="supports")
    disputes = conflict_claim.assertions.get(stance="disputes")
    url = f"/claims/{conflict_claim.pk}/resolve/"
    page = client.get(url).content.decode()
    assert 'name="no_prevailing_reason"' in page
    assert f'hx-get="{url}"' in page and 'hx-select="#prevailing-choices"' in page
    assert f'href="{url}?verdict=false"' in page  # the same without JavaScript
    swapped = client.get(url, {"verdict": "false"}, headers=HTMX).content.decode()
    ticked = re.findall(r'name="prevailing" value="(\d+)"[^>]*checked', swapped)
    assert ticked == [str(disputes.pk)]
    ticked = re.findall(
        r'name="prevailing" value="(\d+)"[^>]*checked', client.get(url, {"verdict": "true"}).content.decode()
    )
    assert ticked == [str(supports.pk)]
    refused = client.post(url, {"verdict": "true", "rationale": "Settled.", "version": 0})
    assert refused.status_code == 422 and "needs a reason" in refused.content.decode()


def test_it_keeps_the_cards_notes_and_prevailing_badge_when_it_comes_back_in_place(editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    services.annotation_create(claim=conflict_claim, author=editor, body="Checked this one.", assertion=supports)
    services.resolution_save(
        claim=conflict_claim, user=editor, verdict="mixed", rationale="Both.", prevailing=[supports], version=0
    )
    supports.refresh_from_db()
    card = _client(editor).post(
        f"/assertions/{supports.pk}/attribution/", _form(supports, period_from="2025"), headers=HTMX
    )
    body = card.content.decode()
    assert card.status_code == 200
    assert "Checked this one." in body and "Prevails in the editors’ decision" in body
    assert "Add a note on this source" in body


def test_it_swaps_the_new_status_and_version_in_beside_the_kind(editor):
    claim = make_claim(
        assertions=[
            (make_source(), "supports", "Russia keeps its naval base at Tartus.", "2024"),
            (make_source(), "disputes", "Talks about the bases are active as of July 2025.", "2025-07"),
        ]
    )
    assert claim.status == "conflict"  # an event: opposed statements conflict whenever they were made
    response = _client(editor).post(
        f"/claims/{claim.pk}/kind/", {"kind": "state", "version": claim.version}, headers=HTMX
    )
    body = response.content.decode()
    status = re.search(rf'<p class="claim-status" id="claim-status-{claim.pk}" hx-swap-oob="true">.*?</p>', body, re.S)
    assert status and "Changed over time" in status.group(0)
    assert "The sources differ only in time" in body
    assignment = re.search(
        rf'<div class="assignment" id="assignment-{claim.pk}" hx-swap-oob="true">.*?</div>', body, re.S
    )
    assert assignment and f'name="version" value="{claim.version + 1}"' in assignment.group(0)


def test_it_counts_one_speaker_reported_by_two_sources_as_one_voice_on_the_page(editor, denial, kremlin):
    claim = denial.claim
    other = make_assertion(claim, make_source(title="Another outlet"), "disputes", DENIAL)
    client = _client(editor)
    for a in (denial, other):
        a.refresh_from_db()
        body = client.post(
            f"/assertions/{a.pk}/attribution/", _form(a, speaker="Kremlin"), headers=HTMX
        ).content.decode()
    assert "2 sources, 1 independent origin" in body
    assert Claim.objects.get(pk=claim.pk).status == "single"

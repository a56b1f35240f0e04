"""Resolving a discrepancy: verdict, rationale, prevailing sources; revising and reopening."""

import re

import pytest
from django.core.exceptions import ValidationError

from factcheck import services
from factcheck.forms import ResolutionForm
from factcheck.models import Claim, Resolution, Status
from factcheck.services.decisions import initial_prevailing
from tests.conftest import make_claim, make_source
from tests.editing import HTMX, JSON, resolve


def _resolve_data(claim, **overrides):
    data = {"verdict": "mostly-false", "rationale": "Talks were **still open** in July 2025.", "version": 0}
    data.update(overrides)
    return data


def test_it_resolves_a_conflict_and_shows_the_decision_above_the_columns(client, editor, conflict_claim, settings):
    # One-step publishing (a small desk's setting); two-person publishing: test_publishing.py.
    settings.FACTCHECK_ONE_STEP_PUBLISHING = True
    disputes = conflict_claim.assertions.get(stance="disputes")
    client.force_login(editor)
    response = client.post(
        f"/claims/{conflict_claim.pk}/resolve/", _resolve_data(conflict_claim, prevailing=[disputes.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{conflict_claim.pk}/#resolution"
    conflict_claim.refresh_from_db()
    assert conflict_claim.status == Status.RESOLVED
    resolution = conflict_claim.resolution
    assert (resolution.verdict, resolution.decided_by, resolution.version) == ("mostly-false", editor, 1)
    assert list(resolution.prevailing.all()) == [disputes]
    assert resolution.rationale_html == "<p>Talks were <strong>still open</strong> in July 2025.</p>"

    body = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    decision = body.index('id="resolution"')
    assert body.index("<h1") < decision < body.index('class="stance-columns"')
    section = body[decision : body.index('class="stance-columns"')]
    assert 'Editors’ verdict: <span class="verdict verdict-mostly-false">Mostly false</span>' in section
    assert "Talks were <strong>still open</strong> in July 2025." in section
    assert f'<a href="#assertion-{disputes.pk}">' in section
    assert "Decided by editor on" in section
    # The prevailing source is highlighted on its card, the other is not.
    assert f'class="assertion-card stance-border-disputes prevails" id="assertion-{disputes.pk}"' in body
    supports = conflict_claim.assertions.get(stance="supports")
    assert f'class="assertion-card stance-border-supports" id="assertion-{supports.pk}"' in body
    assert body.count("Prevails in the editors’ decision") == 1
    assert "status-resolved" in body


def test_it_shows_the_decision_to_readers_too(client, editor, conflict_claim):
    resolve(editor, conflict_claim, verdict="false", rationale="No agreement was signed.")
    body = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    assert "Editors’ verdict:" in body and "No agreement was signed." in body
    assert "Revise the decision" not in body and "Reopen" not in body


def test_it_serves_the_resolution_form_as_a_page_and_as_a_partial(client, editor, conflict_claim):
    client.force_login(editor)
    page = client.get(f"/claims/{conflict_claim.pk}/resolve/").content.decode()
    assert "<html" in page and 'name="verdict" value="mostly-true"' in page
    assert '<input type="hidden" name="version" value="0">' in page
    for a in conflict_claim.assertions.all():
        assert f'name="prevailing" value="{a.pk}"' in page
    partial = client.get(f"/claims/{conflict_claim.pk}/resolve/", headers=HTMX).content.decode()
    assert partial.lstrip().startswith('<section id="resolution" class="resolution resolution-editing"')
    assert "<html" not in partial


def test_it_offers_the_editor_the_resolve_button_and_readers_nothing(client, editor, conflict_claim):
    assert "Resolve this claim" not in client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    client.force_login(editor)
    body = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    assert f'href="/claims/{conflict_claim.pk}/resolve/" hx-get="/claims/{conflict_claim.pk}/resolve/"' in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"verdict": ""}, "verdict: Choose a verdict."),
        ({"verdict": "pants-on-fire"}, "“pants-on-fire” is not a verdict"),
        ({"rationale": ""}, "rationale: Explain the decision: the rationale cannot be empty."),
        ({"rationale": "r" * 20_001}, "rationale: Ensure this value has at most 20000 characters (it has 20001)."),
        ({"prevailing": ["abc"]}, "“abc” is not an assertion id."),
        ({"version": "x"}, "version: The version must be a whole number"),
        ({"version": ""}, "version: The form did not say which version it was based on"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(client, editor, conflict_claim, overrides, message):
    client.force_login(editor)
    data = _resolve_data(conflict_claim, **overrides)
    response = client.post(f"/claims/{conflict_claim.pk}/resolve/", data, headers=JSON)
    assert response.status_code == 422
    assert message in response.json()["error"]
    page = client.post(f"/claims/{conflict_claim.pk}/resolve/", data)
    assert page.status_code == 422 and "Not saved: see the problems marked below." in page.content.decode()
    assert not Resolution.objects.exists()
    assert Claim.objects.get().status == Status.CONFLICT


def test_it_refuses_a_prevailing_assertion_of_another_claim(client, editor, conflict_claim):
    other = make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])
    foreign = other.assertions.get()
    client.force_login(editor)
    response = client.post(
        f"/claims/{conflict_claim.pk}/resolve/", _resolve_data(conflict_claim, prevailing=[foreign.pk]), headers=JSON
    )
    assert response.status_code == 422
    assert response.json()["fields"]["prevailing"] == [f"Assertion {foreign.pk} is not one of this claim's assertions."]
    assert not Resolution.objects.exists()


def test_it_refuses_a_foreign_prevailing_assertion_in_the_service_too(editor, conflict_claim):
    other = make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])
    with pytest.raises(ValidationError, match="does not belong to this claim"):
        resolve(editor, conflict_claim, prevailing=[other.assertions.get()])
    assert not Resolution.objects.exists()


def test_it_revises_a_resolution_from_the_version_it_showed(client, editor, second_editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    resolve(editor, conflict_claim, verdict="false")
    client.force_login(second_editor)
    form = client.get(f"/claims/{conflict_claim.pk}/resolve/").content.decode()
    assert '<input type="hidden" name="version" value="1">' in form
    assert "Revise the decision" in form
    response = client.post(
        f"/claims/{conflict_claim.pk}/resolve/",
        {"verdict": "mostly-true", "rationale": "Tartus stays, for now.", "prevailing": [supports.pk], "version": 1},
    )
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert (resolution.verdict, resolution.version, resolution.decided_by) == ("mostly-true", 2, second_editor)
    assert list(resolution.prevailing.all()) == [supports]


def test_it_reopens_a_resolution_and_the_status_follows_the_sources_again(client, editor, conflict_claim, settings):
    # One-step publishing (a small desk's setting); two-person publishing: test_publishing.py.
    settings.FACTCHECK_ONE_STEP_PUBLISHING = True
    resolution = resolve(editor, conflict_claim, verdict="false", rationale="Settled.")
    client.force_login(editor)
    response = client.post(f"/claims/{conflict_claim.pk}/reopen/", {"version": 1, "reason": "New reporting"})
    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.is_open and resolution.version == 2
    assert Claim.objects.get().status == Status.CONFLICT
    body = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    section = body[body.index('id="resolution"') : body.index('class="stance-columns"')]
    assert "editor reopened this claim on" in section and "New reporting" in section
    assert "The earlier verdict, “False”, no longer stands" in section
    assert "Prevails in the editors’ decision" not in body
    # Resolving again closes it with a new version.
    again = client.post(
        f"/claims/{conflict_claim.pk}/resolve/", {"verdict": "mixed", "rationale": "Both.", "version": 2}
    )
    assert again.status_code == 302
    assert Claim.objects.get().status == Status.RESOLVED
    assert Resolution.objects.get().version == 3


def test_it_answers_404_when_reopening_a_claim_without_a_resolution(client, editor, conflict_claim):
    client.force_login(editor)
    response = client.post(f"/claims/{conflict_claim.pk}/reopen/", {"version": 1})
    assert response.status_code == 404
    assert f"Claim {conflict_claim.pk} has no resolution to reopen." in response.content.decode()


def test_it_writes_one_history_row_per_save_with_its_prevailing_sources(editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    disputes = conflict_claim.assertions.get(stance="disputes")
    resolve(editor, conflict_claim, verdict="false", prevailing=[disputes])
    resolve(editor, conflict_claim, verdict="true", prevailing=[supports], version=1)
    services.resolution_reopen(claim=conflict_claim, user=editor, version=2)
    rows = list(Resolution.objects.get().history.order_by("history_date"))
    assert [(r.history_type, r.verdict, r.is_open, r.version) for r in rows] == [
        ("+", "false", False, 1),
        ("~", "true", False, 2),
        ("~", "true", True, 3),
    ]
    assert [sorted(p.assertion_id for p in r.prevailing.all()) for r in rows] == [
        [disputes.pk],
        [supports.pk],
        [supports.pk],
    ]
    assert {r.history_user for r in rows} == {editor}


def test_it_answers_json_with_the_resolution(client, editor, conflict_claim, settings):
    # One-step publishing (a small desk's setting); two-person publishing: test_publishing.py.
    settings.FACTCHECK_ONE_STEP_PUBLISHING = True
    disputes = conflict_claim.assertions.get(stance="disputes")
    client.force_login(editor)
    response = client.post(
        f"/claims/{conflict_claim.pk}/resolve/", _resolve_data(conflict_claim, prevailing=[disputes.pk]), headers=JSON
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["verdict"], data["verdict_label"], data["prevailing"], data["version"]) == (
        "mostly-false",
        "Mostly false",
        [disputes.pk],
        1,
    )
    assert client.get(f"/api/claims/{conflict_claim.pk}/").json()["verdict"] == "mostly-false"


def test_it_renders_a_hostile_rationale_inert(client, editor, conflict_claim):
    resolve(
        editor,
        conflict_claim,
        rationale="<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))",
    )
    body = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    section = body[body.index('id="resolution"') : body.index('class="stance-columns"')]
    assert "<script" not in section and "onerror" not in section and "javascript:" not in section


# Issue 14: the verdict pre-ticks its side; true or false with nothing prevailing says why.


def _checked(page):
    return sorted(int(pk) for pk in re.findall(r'name="prevailing" value="(\d+)"[^>]*checked', page))


def test_a_true_verdict_pre_ticks_the_supporting_statements_and_false_the_disputing(client, editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    disputes = conflict_claim.assertions.get(stance="disputes")
    form = ResolutionForm(initial={"verdict": "mostly-true", "version": 0}, claim=conflict_claim)
    assert form.initial["prevailing"] == [supports.pk]
    assert form.prevailing_by_verdict == {
        "true": [supports.pk],
        "mostly-true": [supports.pk],
        "mixed": [],
        "mostly-false": [disputes.pk],
        "false": [disputes.pk],
        "unproven": [],
        "outdated": [],
    }
    assert initial_prevailing(conflict_claim, "false") == [disputes.pk]
    client.force_login(editor)
    url = f"/claims/{conflict_claim.pk}/resolve/"
    assert _checked(client.get(url, {"verdict": "true"}).content.decode()) == [supports.pk]
    assert _checked(client.get(url, {"verdict": "false"}).content.decode()) == [disputes.pk]
    assert _checked(client.get(url, {"verdict": "mixed"}).content.decode()) == []
    assert _checked(client.get(url).content.decode()) == []


def test_saving_true_with_nothing_prevailing_needs_a_reason(client, editor, conflict_claim):
    client.force_login(editor)
    url = f"/claims/{conflict_claim.pk}/resolve/"
    data = {"verdict": "true", "rationale": "Both are right in part.", "version": 0}
    refused = client.post(url, data, headers=JSON)
    assert refused.status_code == 422
    assert refused.json()["fields"]["no_prevailing_reason"] == [
        "A “True” verdict with no statement prevailing needs a reason: "
        "tick the statements that prevail, or say why none does."
    ]
    assert not Resolution.objects.exists()
    # With a reason it saves, and keeps it.
    saved = client.post(url, {**data, "no_prevailing_reason": "No single source prevails."})
    assert saved.status_code == 302
    resolution = Resolution.objects.get()
    assert (resolution.verdict, resolution.no_prevailing_reason) == ("true", "No single source prevails.")
    assert list(resolution.prevailing.all()) == []


def test_a_mixed_verdict_needs_no_reason_and_a_prevailing_set_drops_the_reason(client, editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    client.force_login(editor)
    url = f"/claims/{conflict_claim.pk}/resolve/"
    assert client.post(url, {"verdict": "mixed", "rationale": "Both.", "version": 0}).status_code == 302
    data = {"verdict": "true", "rationale": "Yes.", "prevailing": [supports.pk], "no_prevailing_reason": "Stale."}
    assert client.post(url, {**data, "version": 1}).status_code == 302
    assert Resolution.objects.get().no_prevailing_reason == ""


def test_it_refuses_a_reopening_reason_longer_than_its_history_keeps(client, editor, conflict_claim, settings):
    # The page's field stops at 100 characters; a hand-made post gets a reason, not a silent cut.
    settings.FACTCHECK_ONE_STEP_PUBLISHING = True
    resolve(editor, conflict_claim, verdict="false", rationale="Settled.")
    client.force_login(editor)
    response = client.post(f"/claims/{conflict_claim.pk}/reopen/", {"version": 1, "reason": "x" * 101})
    assert response.status_code == 422
    assert "reason: Ensure this value has at most 100 characters (it has 101)." in response.content.decode()
    assert not Resolution.objects.get().is_open

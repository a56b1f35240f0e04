"""Two-person publishing: a decision is a draft until another editor approves it; reopen and restore confirm."""

import json

from django.test import Client
from django.urls import reverse

from factcheck import services
from factcheck.models import Claim, Event, Notification, Resolution, Status, Verdict
from tests.editing import resolve


def _resolve(client, claim, **data):
    disputes = claim.assertions.get(stance="disputes")
    payload = {"verdict": "mostly-false", "rationale": "Talks, not a deal.", "prevailing": [disputes.pk], "version": 0}
    return client.post(reverse("claim-resolve", args=[claim.pk]), {**payload, **data})


def _claimreview(body):
    return '"@type": "ClaimReview"' in body or '"ClaimReview"' in body


def test_resolving_makes_a_draft_the_public_sees_as_under_review(client, editor, publisher, conflict_claim):
    client.force_login(editor)
    response = _resolve(client, conflict_claim)
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert resolution.is_draft and not resolution.is_published
    assert Claim.objects.get().status == Status.CONFLICT
    desk = client.get(conflict_claim.get_absolute_url()).content.decode()
    assert "Draft decision" in desk and "Mostly false" in desk
    public = Client().get(conflict_claim.get_absolute_url()).content.decode()
    assert "Under review" in public and "Mostly false" not in public and not _claimreview(public)
    assert Client().get(reverse("api-claim", args=[conflict_claim.pk])).json()["verdict"] is None
    assert str(conflict_claim.pk) not in json.dumps(Client().get(reverse("api-claimreview")).json())
    history = Client().get(reverse("claim-history", args=[conflict_claim.pk])).content.decode()
    assert "Mostly false" not in history and "Talks, not a deal" not in history
    # The publishers are asked to approve it.
    [notice] = Notification.objects.all()
    assert (notice.recipient, notice.event) == (publisher, Event.AWAITING_APPROVAL)


def test_another_editor_with_the_permission_approves_and_only_then_it_is_public(
    client, editor, publisher, conflict_claim
):
    client.force_login(editor)
    _resolve(client, conflict_claim)
    version = Resolution.objects.get().version
    # Not the editor who decided it, even with the permission; not an editor without it.
    editor.groups.add(*publisher.groups.all())
    editor = type(editor).objects.get(pk=editor.pk)
    client.force_login(editor)
    response = client.post(reverse("claim-approve", args=[conflict_claim.pk]), {"version": version})
    assert response.status_code == 403 and "you made this one" in response.content.decode()
    approver = Client()
    approver.force_login(publisher)
    response = approver.post(reverse("claim-approve", args=[conflict_claim.pk]), {"version": version})
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert resolution.is_published and resolution.published_by == publisher
    assert Claim.objects.get().status == Status.RESOLVED
    public = Client().get(conflict_claim.get_absolute_url()).content.decode()
    assert "Editors’ verdict" in public and "Mostly false" in public and _claimreview(public)
    assert Client().get(reverse("api-claim", args=[conflict_claim.pk])).json()["verdict"] == "mostly-false"
    history = Client().get(reverse("claim-history", args=[conflict_claim.pk])).content.decode()
    assert "approved the decision for publication: Mostly false" in history
    assert Notification.objects.filter(recipient=editor, event=Event.APPROVED).count() == 1


def test_an_editor_without_the_permission_cannot_approve(client, editor, second_editor, conflict_claim):
    services.resolution_save(
        claim=conflict_claim, user=editor, verdict=Verdict.MIXED, rationale="Both.", prevailing=[], version=0
    )
    client.force_login(second_editor)
    response = client.post(reverse("claim-approve", args=[conflict_claim.pk]), {"version": 1})
    assert response.status_code == 403
    assert not Resolution.objects.get().is_published


def test_sending_back_keeps_it_a_draft_with_the_comment(client, editor, publisher, conflict_claim):
    services.resolution_save(
        claim=conflict_claim, user=editor, verdict=Verdict.MIXED, rationale="Both.", prevailing=[], version=0
    )
    client.force_login(publisher)
    url = reverse("claim-approve", args=[conflict_claim.pk])
    response = client.post(url, {"version": 1, "action": "send-back", "comment": ""})
    assert response.status_code == 422 and "cannot be empty" in response.content.decode()
    response = client.post(url, {"version": 1, "action": "send-back", "comment": "Which July report?"})
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert resolution.is_draft and resolution.sent_back_comment == "Which July report?"
    client.force_login(editor)
    assert "Which July report?" in client.get(conflict_claim.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=editor, event=Event.SENT_BACK).count() == 1
    assert "Which July report?" not in Client().get(conflict_claim.get_absolute_url()).content.decode()
    # A stale approval is a 409, never applied.
    client.force_login(publisher)
    assert client.post(url, {"version": 1}).status_code == 409
    # Revising the draft clears the comment; it is still a draft.
    services.resolution_save(
        claim=conflict_claim, user=editor, verdict=Verdict.MIXED, rationale="Both, sourced.", prevailing=[], version=2
    )
    assert Resolution.objects.get().sent_back_comment == ""


def test_one_step_publishing_publishes_at_once(client, editor, conflict_claim, settings):
    settings.FACTCHECK_ONE_STEP_PUBLISHING = True
    client.force_login(editor)
    _resolve(client, conflict_claim)
    assert Resolution.objects.get().is_published and Claim.objects.get().status == Status.RESOLVED


def test_one_step_publishing_is_off_by_default():
    from factcheck import settings as project_settings

    assert project_settings.FACTCHECK_ONE_STEP_PUBLISHING is False


def test_reopen_confirms_what_will_change_without_javascript(client, editor, conflict_claim):
    resolve(editor, conflict_claim, Verdict.FALSE, "No.")
    client.force_login(editor)
    page = client.get(conflict_claim.get_absolute_url()).content.decode()
    # The claim page's form asks first: htmx with hx-confirm, else a GET of the confirmation page.
    form = page[page.index('class="reopen-form"') - 200 : page.index("Reopen…")]
    assert 'method="get"' in form and "hx-confirm=" in form and "withdrawn from the public page" in form
    confirm = client.get(reverse("claim-reopen", args=[conflict_claim.pk]), {"version": 1, "reason": "New report"})
    body = confirm.content.decode()
    assert confirm.status_code == 200 and "The verdict “False” is withdrawn" in body and 'value="New report"' in body
    assert not Resolution.objects.get().is_open  # asking changed nothing
    response = client.post(reverse("claim-reopen", args=[conflict_claim.pk]), {"version": 1, "reason": "New report"})
    assert response.status_code == 302 and Resolution.objects.get().is_open


def test_restore_confirms_what_will_change_without_javascript(staff_client, editor, conflict_claim):
    note = services.annotation_create(claim=conflict_claim, author=editor, body="First take.")
    services.annotation_update(annotation=note, user=editor, body="Second take.", version=1)
    record = note.history.filter(history_type="~").get()
    url = reverse("history-revert", args=["annotation", record.history_id])
    page = staff_client.get(reverse("claim-history", args=[conflict_claim.pk])).content.decode()
    assert 'hx-confirm="Restore what change' in page and "Second take.” goes back to “First take." in page
    body = staff_client.get(url).content.decode()
    assert "What will change" in body and "<del>Second take.</del>" in body and "<ins>First take.</ins>" in body
    assert note.__class__.objects.get().body == "Second take."
    assert staff_client.post(url, {"version": 2}).status_code == 302
    assert note.__class__.objects.get().body == "First take."

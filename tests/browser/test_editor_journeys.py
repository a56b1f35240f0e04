"""Editors, as a new one would work: log in, annotate, resolve, read the history, take from the queue.

Everything here is done from the pages, with the mouse and the keyboard, never
through the admin or the ORM. Tests that write use ``reset_corpus``.
"""

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import choose_verdict, htmx_settled, log_in, screenshot

SAME_PAGE = "window.__samePage = 'still here'"
STILL_SAME_PAGE = "window.__samePage"


def _same_page(page):
    """True while no navigation has happened since SAME_PAGE was set: htmx swapped, nothing reloaded."""
    return page.evaluate(STILL_SAME_PAGE) == "still here"


def test_it_logs_an_editor_in_and_back_out(page, urls):
    page.goto(urls["claim"])
    page.get_by_role("link", name="Editor log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    form = page.locator("form", has=page.get_by_label("Password"))
    form.get_by_label("Username").fill("editor")
    form.get_by_label("Password").fill("editor-password-123")
    form.get_by_role("button", name="Log in").click()
    # Back on the claim the editor came from, logged in.
    expect(page).to_have_url(re.compile(re.escape(urls["claim"]) + "$"))
    expect(page.locator(".account")).to_contain_text("editor")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Editor log in")).to_be_visible()


def test_it_tells_an_editor_whose_password_is_wrong(page):
    log_in(page, "editor", "wrong-password-000")
    expect(page.get_by_role("alert")).to_contain_text(re.compile("correct username and password", re.I))
    expect(page.get_by_role("link", name="Editor log in")).to_be_visible()


def test_it_shows_a_reader_account_no_editing_controls(page, urls):
    log_in(page, "reader")
    page.goto(urls["extradition-claim"])
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_role("link", name="Resolve this claim")).to_have_count(0)
    page.goto(urls["review"])
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("denied|not allowed|permission", re.I))


def test_it_lets_an_editor_annotate_the_extradition_claim_in_place(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["extradition-claim"])
    page.evaluate(SAME_PAGE)

    notes = page.locator("#annotations")
    notes.get_by_label("Add a note on this claim").fill(
        "**Checked** against the Kremlin's denial; see the [TRT piece](https://www.trtworld.com/)."
    )
    notes.get_by_role("button", name="Add note").click()
    note = page.locator("#annotations .note").first
    expect(note.locator(".note-body strong")).to_have_text("Checked")
    expect(page.locator("#annotations-h")).to_contain_text("(1)")
    expect(note.locator(".note-meta")).to_contain_text("editor")
    assert _same_page(page), "adding a note reloaded the page"

    # Edit it in place.
    htmx_settled(page)
    note.get_by_role("link", name=re.compile("^Edit")).click()
    editing = page.locator("#annotations .note-editing")
    expect(editing).to_be_visible()
    htmx_settled(page)
    editing.get_by_label("Your note").fill("**Checked** twice against the Kremlin's denial.")
    editing.get_by_role("button", name="Save").click()
    note = page.locator("#annotations .note").first
    expect(note.locator(".note-body")).to_contain_text("Checked twice")
    expect(note.locator(".note-meta")).to_contain_text("edited")

    # A note on one source's statement, inside its card.
    card = page.locator(".assertion-card").first
    card.locator("summary", has_text="Add a note on this source").click()
    card.get_by_label(re.compile("^Your note on")).fill("The date here is the source's own.")
    card.get_by_role("button", name="Add note").click()
    expect(card.locator(".note-body")).to_contain_text("the source's own")
    assert _same_page(page)

    # Deleting asks first, then leaves a tombstone.
    page.watch.expect_dialog("Delete this note")
    note.get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator("#annotations .tombstone").first).to_contain_text("deleted by editor")
    assert _same_page(page)
    screenshot(page, "editor-notes", max_height=1400)

    # After a reload everything is still there, and the history names the editor for each change.
    page.reload()
    expect(page.locator("#annotations .tombstone")).to_have_count(1)
    expect(card.locator(".note-body")).to_contain_text("the source's own")
    history = page.locator("#history .history-entry").filter(has_text="editor")
    assert history.count() >= 4, "add, edit, add on a source, delete: each is a history entry"


def test_it_lets_an_editor_resolve_the_bases_conflict_and_see_it_in_the_timeline(
    page, new_page, urls, reset_corpus, settings
):
    # A small desk's one-step publishing; two-person publishing: test_desk_journey.py.
    settings.FACTCHECK_ONE_STEP_PUBLISHING = True
    log_in(page, "editor")
    page.goto(urls["bases-claim"])
    expect(page.locator(".claim-status")).to_contain_text("Conflict")
    page.get_by_role("link", name="Resolve this claim").click()
    form = page.locator(".resolution-form")
    choose_verdict(page, form.get_by_label("Mostly false"))
    form.get_by_label(re.compile("^Rationale")).fill(
        "Talks went on through 2025 and **no formal agreement** was announced."
    )
    prevailing = form.locator(".prevailing-choices label").filter(has_text="disputes").first
    prevailing_source = prevailing.inner_text().split(" — ")[0].strip()
    prevailing.locator("input").check()
    form.get_by_role("button", name="Resolve").click()

    decision = page.locator("#resolution")
    expect(decision.get_by_role("heading", level=2)).to_contain_text("Mostly false")
    expect(decision.locator(".rationale strong")).to_have_text("no formal agreement")
    expect(decision.locator(".prevailing")).to_contain_text(prevailing_source)
    expect(page.locator(".claim-status")).to_contain_text("Resolved")
    # The decision sits above the side-by-side columns.
    assert decision.bounding_box()["y"] < page.locator(".stance-columns").bounding_box()["y"]
    # A resolved claim publishes ClaimReview JSON-LD that parses.
    ld = json.loads(page.locator('script[type="application/ld+json"]').first.text_content())
    assert "Mostly false" in json.dumps(ld)
    screenshot(page, "editor-resolved", max_height=1200)

    # The timeline shows the resolution, by this editor.
    entry = page.locator("#history .history-entry").filter(has_text="editor").first
    expect(entry).to_contain_text(re.compile("resol", re.I))

    # A reader sees the same decision.
    reader = new_page()
    reader.goto(urls["bases-claim"])
    expect(reader.locator("#resolution")).to_contain_text("Mostly false")

    # Revise, then reopen: the claim follows its sources again.
    page.get_by_role("link", name="Revise the decision").click()
    choose_verdict(page, page.locator(".resolution-form").get_by_label("False", exact=True))
    page.locator(".resolution-form").get_by_role("button", name="Save the revision").click()
    expect(page.locator("#resolution")).to_contain_text("revision 2")
    page.get_by_label(re.compile("^Why reopen")).fill("New reporting from Moscow")
    # Reopening asks first, saying what will change.
    page.watch.expect_dialog("Reopen this claim? The verdict “False” is withdrawn")
    page.get_by_role("button", name="Reopen…").click()
    expect(page.locator("#resolution-h")).to_have_text("Reopened")
    expect(page.locator(".claim-status")).to_contain_text("Conflict")
    expect(page.locator("#resolution")).to_contain_text("New reporting from Moscow")


def test_it_refuses_a_second_editors_stale_resolution_and_lets_them_reapply(new_page, urls, reset_corpus):
    first, second = new_page(), new_page()
    log_in(first, "editor")
    log_in(second, "editor2")
    for page in (first, second):
        page.goto(urls["bases-claim"])
        page.get_by_role("link", name="Resolve this claim").click()
        expect(page.locator(".resolution-form")).to_be_visible()

    choose_verdict(first, first.locator(".resolution-form").get_by_label("True", exact=True))
    first.locator(".resolution-form").get_by_label(re.compile("^Rationale")).fill("The bases still operate.")
    first.locator(".resolution-form").get_by_role("button", name="Resolve").click()
    expect(first.locator("#resolution-h")).to_contain_text("True")

    # The second editor saves from the version they loaded, which is now stale.
    form = second.locator(".resolution-form")
    choose_verdict(second, form.get_by_label("False", exact=True))
    form.get_by_label(re.compile("^Rationale")).fill("No agreement was ever signed.")
    form.get_by_role("button", name="Resolve").click()
    expect(second.get_by_role("heading", level=2).first).to_contain_text("Not saved")
    expect(second.get_by_role("alert").first).to_be_visible()
    expect(second.locator(".conflict-current")).to_contain_text("True")
    expect(second.locator(".conflict-current")).to_contain_text("The bases still operate.")
    expect(second.locator(".conflict-mine")).to_contain_text("False")
    expect(second.locator(".conflict-mine")).to_contain_text("No agreement was ever signed.")
    screenshot(second, "editor-conflict", max_height=1100)

    # Nothing was overwritten: the first editor's decision stands until the second re-applies on top.
    first.reload()
    expect(first.locator("#resolution-h")).to_contain_text("True")
    reapply = second.locator(".conflict-reapply")
    reapply.get_by_label("False", exact=True).check()
    if not reapply.get_by_label(re.compile("^Rationale")).input_value():
        reapply.get_by_label(re.compile("^Rationale")).fill("No agreement was ever signed.")
    reapply.get_by_role("button", name=re.compile("Save the revision|Resolve")).click()
    expect(second.locator("#resolution-h")).to_contain_text("False")
    expect(second.locator("#resolution")).to_contain_text("revision 2")


def test_it_answers_a_stale_note_edit_in_place_with_both_versions(new_page, urls, reset_corpus):
    # The same editor in two tabs: one saves, the other was still editing the old text.
    first, second = new_page(), new_page()
    for page in (first, second):
        log_in(page, "editor")
    first.goto(urls["extradition-claim"])
    first.locator("#annotations").get_by_label("Add a note on this claim").fill("Version one.")
    first.locator("#annotations").get_by_role("button", name="Add note").click()
    expect(first.locator("#annotations .note-body")).to_have_text("Version one.")

    second.goto(urls["extradition-claim"])
    second.evaluate(SAME_PAGE)
    second.watch.allow_status(409)
    for page in (first, second):
        page.locator("#annotations .note").first.get_by_role("link", name=re.compile("^Edit")).click()
        expect(page.locator(".note-editing")).to_be_visible()
        htmx_settled(page)
    first.locator(".note-editing").get_by_label("Your note").fill("Version two.")
    first.locator(".note-editing").get_by_role("button", name="Save").click()
    expect(first.locator("#annotations .note-body")).to_have_text("Version two.")

    second.locator(".note-editing").get_by_label("Your note").fill("Version three.")
    second.locator(".note-editing").get_by_role("button", name="Save").click()
    conflict = second.locator("#annotations .conflict")
    expect(conflict).to_contain_text("Not saved")
    expect(conflict.locator(".conflict-current")).to_contain_text("Version two.")
    expect(conflict.locator(".conflict-mine")).to_contain_text("Version three.")
    assert _same_page(second), "the conflict should be answered in place"
    htmx_settled(second)

    conflict.get_by_role("button", name="Save my version").click()
    # While htmx swaps, old and new briefly stand side by side: wait for one note again.
    expect(second.locator("#annotations .note-body")).to_have_count(1)
    expect(second.locator("#annotations .note-body")).to_have_text("Version three.")
    first.reload()
    expect(first.locator("#annotations .note-body")).to_have_text("Version three.")


def test_it_lets_an_editor_take_a_conflict_from_the_review_queue(page, reset_corpus):
    log_in(page, "editor")
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(page.locator(".result-count")).to_contain_text("to review")
    page.evaluate(SAME_PAGE)

    row = page.locator(".review-row").first
    claim_text = row.locator(".claim-text").inner_text()
    row.get_by_role("button", name=re.compile("^Assign to me")).click()
    expect(page.locator(".review-row").first.locator(".assignee")).to_contain_text("Assigned to you")
    assert _same_page(page)

    topic = page.get_by_label("Topic")
    topic.select_option(index=1)
    expect(page).to_have_url(re.compile(r"topic="))
    htmx_settled(page)
    chosen = topic.locator("option:checked").inner_text().rstrip("…")
    rows = page.locator(".review-row")
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".claim-meta")).to_contain_text(chosen[:40])
    assert _same_page(page)
    screenshot(page, "review-queue", max_height=1000)

    page.get_by_label("Topic").select_option("")
    page.get_by_role("link", name=claim_text).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(claim_text)
    expect(page.locator("#resolution .assignee")).to_contain_text("you")


def test_it_lets_an_editor_add_a_suggested_passage_as_an_assertion(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["extradition-claim"])
    before = page.locator(".assertion-card").count()
    evidence = page.locator("#evidence")
    evidence.scroll_into_view_if_needed()  # suggestions load when the section comes into view
    suggestion = evidence.locator(".evidence-suggestion").first
    expect(suggestion).to_be_visible()
    htmx_settled(page)
    suggestion.get_by_label(re.compile("Use this passage")).check()
    evidence.get_by_label("qualifies the claim").check()
    evidence.get_by_role("button", name="Add to claim").click()
    expect(evidence.locator(".evidence-added")).to_contain_text("Added")
    page.reload()
    expect(page.locator(".assertion-card")).to_have_count(before + 1)


def test_it_lets_an_editor_say_who_said_a_statement_and_set_the_claims_kind(page, urls, reset_corpus):
    log_in(page, "editor")
    page.goto(urls["extradition-claim"])
    page.evaluate(SAME_PAGE)

    card_id = page.locator(".assertion-card").first.get_attribute("id")
    card = page.locator(f"#{card_id}")
    card.get_by_role("link", name=re.compile("^Edit who said it and when")).click()
    form = page.locator(f"#{card_id}.attribution-editing")
    expect(form).to_be_visible()
    htmx_settled(page)
    page.watch.allow_status(422)
    form.get_by_label("Speaker", exact=True).fill("Ilya Testov")
    form.get_by_role("button", name="Save").click()
    # A name nobody has: the form comes back in place asking for the new speaker's kind.
    expect(form.get_by_role("alert")).to_contain_text("No speaker is called “Ilya Testov”")
    htmx_settled(page)
    form.get_by_label("New speaker? Their kind").select_option("person")
    form.get_by_label("Speaks about: from").fill("2025-10")
    form.get_by_label("to", exact=True).fill("2025-12")
    form.get_by_role("button", name="Save").click()
    expect(card.locator(".card-voice")).to_contain_text("reports Ilya Testov:")
    expect(card.locator("dd.period")).to_have_text("October–December 2025")
    assert _same_page(page), "attributing a statement reloaded the page"

    kind = page.locator(".claim-kind")
    kind.get_by_label("a state").check()
    kind.get_by_role("button", name=re.compile("^Set kind")).click()
    expect(page.locator(".claim-kind .chip")).to_have_text("State")
    assert _same_page(page)
    # The card's edit link still opens the form in place after the save.
    card.get_by_role("link", name=re.compile("^Edit who said it and when")).click()
    expect(page.locator(f"#{card_id}.attribution-editing")).to_be_visible()

    # The new speaker has a page listing what they said, found by name.
    page.goto("/speakers/?q=testov")
    page.get_by_role("link", name="Ilya Testov").click()
    expect(page.locator(".speaker-statements")).to_contain_text("about October–December 2025")

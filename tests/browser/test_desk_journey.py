"""Two editors at one desk: A mentions B in an internal note; B sees the badge, replies and resolves; A approves.

The public page shows the verdict and its ClaimReview only after the approval.
"""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import choose_verdict, log_in

MARKER = "Internal: check the Izvestia date"


def _public_shows_verdict(reader, url):
    reader.goto(url)
    scripts = reader.locator('script[type="application/ld+json"]')
    return any("ClaimReview" in (scripts.nth(i).text_content() or "") for i in range(scripts.count()))


def test_a_mention_a_reply_a_draft_and_an_approval(new_page, urls, reset_corpus, django_db_blocker):
    with django_db_blocker.unblock():
        from factcheck.roles import ensure_publisher_group

        # Editor A ("editor") is the standards editor who approves.
        get_user_model().objects.get(username="editor").groups.add(ensure_publisher_group())
    a, b, reader = new_page(), new_page(), new_page()
    log_in(a, "editor")
    log_in(b, "editor2")
    # Editors land on the queue after logging in.
    expect(b).to_have_url(re.compile(r"/review/$"))
    b.goto("/")
    expect(b.locator("#inbox-badge .badge-unread")).to_have_count(0)

    # 1. A mentions B in an internal note.
    a.goto(urls["bases-claim"])
    notes = a.locator("#annotations")
    notes.get_by_label("Add a note on this claim").fill(f"@editor2 {MARKER} before we decide.")
    notes.get_by_label("Internal: editors and staff only").last.check()
    notes.get_by_role("button", name="Add note").click()
    note = a.locator("#annotations .note-internal").first
    expect(note.locator("a.mention")).to_have_text("@editor2")
    expect(note.locator(".badge-internal")).to_be_visible()

    # The public never sees it, and sees no verdict.
    reader.goto(urls["bases-claim"])
    expect(reader.locator("body")).not_to_contain_text(MARKER)
    assert not _public_shows_verdict(reader, urls["bases-claim"])

    # 2. B sees the badge (loaded by htmx), opens the inbox, follows the link, replies and resolves.
    b.goto("/")
    expect(b.locator("#inbox-badge .badge-unread")).to_contain_text("1")
    b.get_by_role("link", name=re.compile("^Inbox")).click()
    b.get_by_role("link", name=re.compile("editor mentioned you in an internal note")).click()
    expect(b).to_have_url(re.compile(r"/claims/\d+/#note-\d+$"))
    b.locator("#annotations summary", has_text="Reply").first.click()
    b.get_by_label("Your reply").first.fill("Checked: the Izvestia piece is dated 3 October.")
    b.get_by_role("button", name="Reply").first.click()
    expect(b.locator("#annotations .note-thread .note-reply")).to_contain_text("dated 3 October")

    b.get_by_role("link", name="Resolve this claim").click()
    form = b.locator(".resolution-form")
    choose_verdict(b, form.get_by_label("Mostly false"))
    expect(form.locator("#prevailing-choices input:checked")).not_to_have_count(0)
    form.get_by_label(re.compile("^Rationale")).fill("Talks, not an agreement.")
    form.get_by_role("button", name="Resolve").click()
    expect(b.locator("#resolution-h")).to_contain_text("Draft decision")
    expect(b.locator("#resolution")).to_contain_text("Draft — not public")
    # Only a second editor may approve: B has no button for it.
    expect(b.get_by_role("button", name="Approve and publish")).to_have_count(0)

    # Still nothing public.
    reader.goto(urls["bases-claim"])
    expect(reader.locator("#resolution-h")).to_have_text("Under review")
    expect(reader.locator("#resolution")).not_to_contain_text("Mostly false")
    assert not _public_shows_verdict(reader, urls["bases-claim"])

    # 3. A is told, and approves.
    a.goto("/")
    expect(a.locator("#inbox-badge .badge-unread")).to_be_visible()
    a.goto(urls["bases-claim"])
    a.get_by_role("button", name="Approve and publish").click()
    expect(a.locator("#resolution-h")).to_contain_text("Mostly false")
    expect(a.locator(".claim-status")).to_contain_text("Resolved")

    # 4. Now, and only now, the public page shows the verdict and the ClaimReview.
    reader.goto(urls["bases-claim"])
    expect(reader.locator("#resolution-h")).to_contain_text("Mostly false")
    assert _public_shows_verdict(reader, urls["bases-claim"])
    expect(reader.locator("body")).not_to_contain_text(MARKER)

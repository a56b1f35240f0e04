"""Editors: log in and out from the pages."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_it_logs_an_editor_in_and_back_out(page, urls):
    page.goto(urls["claim"])
    page.get_by_role("link", name="Editor log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    log_in_form = page.locator("form", has=page.get_by_label("Password"))
    log_in_form.get_by_label("Username").fill("editor")
    log_in_form.get_by_label("Password").fill("editor-password-123")
    log_in_form.get_by_role("button", name="Log in").click()
    # Back on the claim the editor came from, logged in.
    expect(page).to_have_url(re.compile(re.escape(urls["claim"]) + "$"))
    expect(page.locator(".account")).to_contain_text("editor")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Editor log in")).to_be_visible()


def test_it_tells_an_editor_whose_password_is_wrong(page):
    log_in(page, "editor", "wrong-password-000")
    expect(page.get_by_role("alert")).to_contain_text(re.compile("correct username and password", re.I))
    expect(page.get_by_role("link", name="Editor log in")).to_be_visible()

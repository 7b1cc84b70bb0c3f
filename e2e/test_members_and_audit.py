"""Members, invitations and the audit log in Chromium: the demo owner invites a member from the settings page,
the invitation email (read from the dev mail catcher's outbox) is opened in another browser and accepted with a
new password, the new member signs in through the sign-in page, and the audit log shows the invitation.
Screenshots of the settings tabs and the account pages in both languages at 1280×720 and 1440×900."""

from __future__ import annotations

import re
import uuid
from html import unescape
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pages.login import LoginPage
from pages.settings import AcceptInvitationPage, AuditTab, MembersTab
from playwright.sync_api import Browser, Page, expect

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
VIEWPORTS = {"1280x720": {"width": 1280, "height": 720}, "1440x900": {"width": 1440, "height": 900}}
PASSWORD = "a long passphrase for the new member"


def invitation_link(api, email: str) -> str:
    """The accept link of the newest invitation mail to `email` the dev mail catcher holds (path and query)."""
    for mail in api.get("/api/outbox?limit=50")["mails"]:
        to = mail["to"] if isinstance(mail["to"], str) else ", ".join(mail["to"])
        if email in to and mail.get("html"):
            href = unescape(re.search(r'href="([^"]+)"', mail["html"]).group(1))
            url = urlparse(href)
            return f"{url.path}?{url.query}"
    raise AssertionError(f"no invitation mail to {email}")


@pytest.fixture
def fresh(browser: Browser, base_url):
    contexts = []

    def open_page(lang: str = "en-US", size: str = "1280x720") -> Page:
        context = browser.new_context(base_url=base_url, viewport=VIEWPORTS[size], locale=lang)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_an_admin_invites_a_member_who_accepts_signs_in_and_the_audit_log_shows_it(page: Page, api, fresh):
    email = f"mia-{uuid.uuid4().hex[:6]}@shop.example"
    members = MembersTab(page)
    page.goto("/")
    members.open_from_user_menu()
    members.invite(email, "marketer")
    expect(page.get_by_test_id("toast")).to_contain_text(email)
    expect(members.invitation(email)).to_contain_text("Marketer")

    link = invitation_link(api, email)
    assert link.startswith("/accept-invitation?token=")
    invitee = fresh()
    invitee.goto(link)
    accept = AcceptInvitationPage(invitee)
    expect(accept.root).to_contain_text("Default workspace")
    expect(invitee.get_by_test_id("accept-email")).to_contain_text(email)
    accept.create_account("Mia Chen", PASSWORD)
    expect(invitee.get_by_test_id("user-name")).to_have_text("Mia Chen")  # signed in, in the app
    invitee.goto(link)  # the link works once
    expect(invitee.get_by_test_id("account-error")).to_be_visible()

    later = fresh()
    later.goto("/")
    LoginPage(later).sign_in(email, PASSWORD)
    expect(later.get_by_test_id("user-name")).to_have_text("Mia Chen")
    expect(later.get_by_test_id("current-workspace")).to_have_text("Default workspace")

    members.open()
    expect(members.member(email)).to_contain_text("Mia Chen")
    expect(members.invitation(email)).to_have_count(0)
    audit = AuditTab(page).open()
    audit.filter_action("member.invited")
    expect(audit.rows("member.invited").filter(has_text=email)).to_have_count(1)
    expect(audit.rows("member.invited").first).to_contain_text("demo@wayfinder.local")


def test_forgot_password_is_reachable_from_the_sign_in_page_and_answers_the_same(fresh):
    page = fresh()
    page.goto("/")
    page.get_by_test_id("login-forgot").click()
    page.get_by_test_id("forgot-email").fill("nobody@shop.example")
    page.get_by_test_id("forgot-submit").click()
    expect(page.get_by_test_id("forgot-sent")).to_contain_text("nobody@shop.example")


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_settings_and_account_page_screenshots(page: Page, api, fresh, language, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[size])
    email = f"lin-{uuid.uuid4().hex[:6]}@shop.example"
    api.post("/api/invitations", {"email": email, "role": "analyst"})
    page.goto("/settings/members")
    page.get_by_test_id("language-switcher").select_option(language)
    expect(page.get_by_test_id("settings-tab-members")).to_have_text("Members" if language == "en" else "成員")
    expect(MembersTab(page).invitation(email)).to_be_visible()
    page.screenshot(path=SHOTS / f"members-{language}-{size}.png")
    page.get_by_test_id("invite-open").click()
    expect(page.get_by_test_id("invite-dialog")).to_be_visible()
    page.screenshot(path=SHOTS / f"invite-{language}-{size}.png", animations="disabled")
    page.get_by_test_id("invite-cancel").click()

    AuditTab(page).open()
    expect(page.get_by_test_id("audit-table")).to_be_visible()
    page.screenshot(path=SHOTS / f"audit-{language}-{size}.png")

    visitor = fresh("zh-TW" if language == "zh-TW" else "en-US", size)
    visitor.goto("/")
    visitor.get_by_test_id("language-switcher").select_option(language)
    visitor.screenshot(path=SHOTS / f"login-forgot-{language}-{size}.png")
    visitor.goto(invitation_link(api, email))
    expect(visitor.get_by_test_id("accept-submit")).to_be_visible()
    visitor.screenshot(path=SHOTS / f"accept-{language}-{size}.png")
    visitor.goto("/forgot-password")
    visitor.screenshot(path=SHOTS / f"forgot-{language}-{size}.png")
    visitor.goto("/reset-password?token=" + "x" * 43)
    expect(visitor.get_by_test_id("account-error")).to_be_visible()
    visitor.screenshot(path=SHOTS / f"reset-invalid-{language}-{size}.png")

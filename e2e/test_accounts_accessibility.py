"""axe-core on the pages of issue 13's accounts work, in both languages: workspace settings (members, the invite
dialog, the audit log), account security, and the pages reached from emails (accept an invitation, forgotten
password, an expired reset link). Serious and critical violations fail."""

from __future__ import annotations

import uuid

import pytest
from a11y import describe, serious_violations
from pages.settings import AuditTab, MembersTab
from playwright.sync_api import Page, expect
from test_members_and_audit import invitation_link


def _context(browser, base_url, storage_state=None):
    """CSP bypassed so axe-core's script can be injected (the app's CSP forbids inline scripts; axe only reads)."""
    return browser.new_context(
        base_url=base_url,
        bypass_csp=True,
        viewport={"width": 1440, "height": 900},
        locale="en-US",
        **({"storage_state": storage_state} if storage_state else {}),
    )


@pytest.fixture
def page(browser, base_url, storage_state):
    context = _context(browser, base_url, storage_state)
    yield context.new_page()
    context.close()


@pytest.fixture
def visitor(browser, base_url):
    context = _context(browser, base_url)
    yield context.new_page()
    context.close()


def _axe(page: Page, where: str) -> None:
    found = serious_violations(page)
    assert not found, f"{where}:\n{describe(found)}"


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_settings_and_account_pages_have_no_serious_accessibility_violations(page: Page, visitor: Page, api, language):
    email = f"ally-{uuid.uuid4().hex[:6]}@shop.example"
    api.post("/api/invitations", {"email": email, "role": "viewer"})
    members = MembersTab(page).open()
    page.get_by_test_id("language-switcher").select_option(language)
    expect(members.invitation(email)).to_be_visible()
    _axe(page, "members")
    page.get_by_test_id("invite-open").click()
    expect(page.get_by_test_id("invite-dialog")).to_be_visible()
    _axe(page, "invite dialog")
    page.get_by_test_id("invite-cancel").click()
    AuditTab(page).open()
    expect(page.get_by_test_id("audit-table")).to_be_visible()
    _axe(page, "audit log")
    page.goto("/account")
    expect(page.get_by_test_id("totp-state")).to_be_visible()
    _axe(page, "account security")

    visitor.goto(invitation_link(api, email))
    visitor.get_by_test_id("language-switcher").select_option(language)
    expect(visitor.get_by_test_id("accept-submit")).to_be_visible()
    _axe(visitor, "accept invitation")
    visitor.goto("/forgot-password")
    expect(visitor.get_by_test_id("forgot-email")).to_be_visible()
    _axe(visitor, "forgot password")
    visitor.goto("/reset-password?token=" + "x" * 43)
    expect(visitor.get_by_test_id("account-error")).to_be_visible()
    _axe(visitor, "reset password (an expired link)")

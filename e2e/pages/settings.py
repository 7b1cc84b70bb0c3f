"""Page objects of the workspace settings area (members, audit log) and of the account pages reached from emails
(accept an invitation, forgotten password). They find and act; the tests assert."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class MembersTab:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_test_id("members-tab")

    def open_from_user_menu(self) -> MembersTab:
        self.page.get_by_test_id("user-menu-button").click()
        self.page.get_by_test_id("workspace-settings").click()
        self.page.get_by_test_id("settings-tab-members").click()
        self.root.wait_for()
        return self

    def open(self) -> MembersTab:
        self.page.goto("/settings/members")
        self.root.wait_for()
        return self

    def invite(self, email: str, role: str) -> None:
        self.page.get_by_test_id("invite-open").click()
        self.page.get_by_test_id("invite-email").fill(email)
        self.page.get_by_test_id("invite-role").select_option(role)
        self.page.get_by_test_id("invite-submit").click()

    def member(self, email: str) -> Locator:
        return self.page.get_by_test_id(f"member-row-{email}")

    def invitation(self, email: str) -> Locator:
        return self.page.get_by_test_id(f"invitation-row-{email}")


class AuditTab:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_test_id("audit-tab")
        self.table = page.get_by_test_id("audit-table")

    def open(self) -> AuditTab:
        self.page.goto("/settings/audit")
        self.root.wait_for()
        return self

    def filter_action(self, action: str) -> None:
        self.page.get_by_test_id("audit-filter-action").select_option(action)

    def rows(self, action: str) -> Locator:
        return self.table.locator(f'tr[data-action="{action}"]')


class AcceptInvitationPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_test_id("accept-page")

    def create_account(self, name: str, password: str) -> None:
        self.page.get_by_test_id("accept-name").fill(name)
        self.page.get_by_test_id("account-password").fill(password)
        self.page.get_by_test_id("account-password-confirm").fill(password)
        self.page.get_by_test_id("accept-submit").click()

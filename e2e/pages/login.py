"""Page object of the sign-in page and the user menu. Page objects find and act; the tests assert."""

from __future__ import annotations

from playwright.sync_api import Page


class LoginPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_test_id("login-page")
        self.error = page.get_by_test_id("login-error")

    def sign_in(self, email: str, password: str) -> None:
        self.page.get_by_test_id("login-email").fill(email)
        self.page.get_by_test_id("login-password").fill(password)
        self.page.get_by_test_id("login-submit").click()


class UserMenu:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.button = page.get_by_test_id("user-menu-button")

    def sign_out(self) -> None:
        self.button.click()
        self.page.get_by_test_id("sign-out").click()

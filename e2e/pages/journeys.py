"""Page object of the journeys list. Page objects find and act; the tests assert."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class JourneysPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> JourneysPage:
        self.page.goto("/")
        self.page.get_by_test_id("journeys-page").wait_for()
        return self

    def row(self, journey_id: int) -> Locator:
        return self.page.get_by_test_id(f"journey-row-{journey_id}")

    def create(self, name: str) -> None:
        self.page.get_by_test_id("new-journey-button").click()
        self.page.get_by_test_id("new-journey-name").fill(name)
        self.page.get_by_test_id("new-journey-create").click()
        self.page.get_by_test_id("editor-page").wait_for()

    def set_language(self, code: str) -> None:
        self.page.get_by_test_id("language-switcher").select_option(code)

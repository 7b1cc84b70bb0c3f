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
        # The editor opens, or the dialog says why not: then fail with what it said, not with a bare time-out.
        editor = self.page.get_by_test_id("editor-page")
        refused = self.page.get_by_test_id("new-journey-dialog").get_by_role("alert")
        editor.or_(refused).first.wait_for()
        if refused.is_visible():
            raise AssertionError(f"creating journey {name!r} was refused: {refused.inner_text()}")

    def filter(self, status: str) -> None:
        """Pick a status tab: all (default, hides archived), published, paused, draft or archived."""
        self.page.get_by_test_id(f"journeys-filter-{status}").click()

    def remove(self, journey_id: int, action: str, confirm: bool = True) -> None:
        """Archive (published/paused) or delete (draft) through the row menu and the confirm dialog."""
        self.page.get_by_test_id(f"journey-menu-{journey_id}").click()
        self.page.get_by_test_id(f"journey-{action}-{journey_id}").click()
        self.page.get_by_test_id("confirm-ok" if confirm else "confirm-cancel").click()
        self.page.get_by_test_id("confirm-dialog").wait_for(state="detached")

    def set_language(self, code: str) -> None:
        self.page.get_by_test_id("language-switcher").select_option(code)

"""Page object of the Messages page: the message log (/messages) and the mail the dev SMTP catcher caught
(/outbox opens on that tab)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class OutboxPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> OutboxPage:
        self.page.goto("/outbox")
        self.page.get_by_test_id("outbox-page").wait_for()
        return self

    def mails(self) -> Locator:
        return self.page.locator("[data-testid^='outbox-mail-']")

    def preview_body(self) -> Locator:
        return self.page.frame_locator("[data-testid='outbox-preview-frame']").locator("body")

    def show_delivery_log(self) -> None:
        self.page.get_by_test_id("outbox-tab-messages").click()
        self.page.get_by_test_id("messages-table").wait_for()

    def message_rows(self) -> Locator:
        return self.page.locator("[data-testid^='message-row-']")

    def open_message(self, row: Locator) -> Locator:
        """Select a row of the log; the detail pane that opens beside it."""
        row.click()
        detail = self.page.get_by_test_id("message-detail")
        detail.wait_for()
        return detail

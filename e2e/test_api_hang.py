"""When the API stops answering (a locked database, a dead web process behind a proxy), every page still shows the
app's header at once and, within 15 s, an error with a Retry button; Retry works once the API answers again.

Every `/api/` request is held open by a route handler that never answers (the real default timeout is used, no
shortened one), then released."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

HEADER_MS = 5_000  # the shell renders without waiting for any API answer
ERROR_MS = 15_000  # the bound for the error with a retry

RETRY = {"en": "Retry", "zh-TW": "重試"}
NAV = {"en": "Journeys", "zh-TW": "旅程"}


class HeldApi:
    """Holds every /api/ request unanswered until released (then lets the held ones through)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.held: list[Route] = []
        page.route("**/api/**", self._hold)

    def _hold(self, route: Route) -> None:
        self.held.append(route)  # never answered until released

    def release(self) -> None:
        self.page.unroute("**/api/**")
        for route in self.held:
            try:
                route.continue_()
            except Exception:  # noqa: BLE001 - the page already gave up on it (aborted at its timeout)
                pass
        self.held.clear()


def _pages(journey_id: int) -> dict[str, tuple[str, str | None, str]]:
    """Page → (path, tab to click, what shows once loaded: a CSS selector)."""
    return {
        "journeys list": ("/", None, "[data-testid=journeys-table]"),
        "editor": (f"/journeys/{journey_id}", None, "[data-testid=canvas]"),
        "outbox": ("/outbox", None, "[data-testid=outbox-empty], [data-testid^=outbox-mail-]"),
        "delivery log": (
            "/outbox",
            "outbox-tab-messages",
            "[data-testid=messages-empty], [data-testid=messages-table]",
        ),  # noqa: E501
    }


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_page_shows_its_shell_at_once_and_an_error_with_retry_when_the_api_hangs(page: Page, api, language):
    """Every page at once, each in its own tab with its own held API, so their 10 s request timeouts run side by
    side (one after another they took 40 s per language)."""
    journey = api.create_journey(f"E2E hung API {language}")
    page.context.add_init_script(f"localStorage.setItem('wayfinder.lang', '{language}')")
    tabs: dict[str, tuple[Page, HeldApi, str]] = {}
    for where, (path, tab, loaded) in _pages(journey["id"]).items():
        tab_page = page if not tabs else page.context.new_page()
        held = HeldApi(tab_page)
        tab_page.goto(path, wait_until="commit")
        if tab:
            tab_page.get_by_test_id(tab).click()
        # The header and navigation (translated: the i18n never waits on the API) show at once …
        expect(tab_page.get_by_test_id("brand"), where).to_be_visible(timeout=HEADER_MS)
        expect(tab_page.get_by_test_id("nav-journeys"), where).to_contain_text(NAV[language], timeout=HEADER_MS)
        tabs[where] = (tab_page, held, loaded)
    for where, (tab_page, held, loaded) in tabs.items():
        # … and the page's error, with a Retry button, within 15 s (of its own start: the tabs started together,
        # a few seconds apart at most, and each is given the full bound from here, which only loosens it by that).
        retry = tab_page.get_by_role("button", name=RETRY[language])
        expect(retry.first, where).to_be_visible(timeout=ERROR_MS)
        expect(tab_page.get_by_role("alert").first, where).to_be_visible()
        held.release()
        retry.first.click()
        expect(tab_page.locator(loaded).first, where).to_be_visible()
        expect(tab_page.get_by_role("button", name=RETRY[language]), where).to_have_count(0)

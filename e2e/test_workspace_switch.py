"""Switching workspaces in Chromium: a member of two brands sees only the current brand's journeys, and the
switch (user menu) changes everything shown — the list, the header — and back again."""

from __future__ import annotations

from pathlib import Path

from auth import signed_in_session
from pages.login import LoginPage
from playwright.sync_api import Browser, expect

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
EMAIL = "two-brands@example.com"
PASSWORD = "member of two brands at once"


def test_switching_workspace_changes_everything_shown(browser: Browser, base_url, cli, make_user):
    make_user(EMAIL, "marketer", PASSWORD)
    cli("create-workspace", "--slug", "second-brand", "--name", "Second Brand", "--language", "en")
    cli("add-member", "--email", EMAIL, "--workspace", "second-brand", "--role", "owner")
    http = signed_in_session(base_url, EMAIL, PASSWORD)
    first = http.post(f"{base_url}/api/journeys", json={"name": "First brand's welcome"}, timeout=30).json()

    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 720}, locale="en-US")
    context.add_init_script("localStorage.setItem('wayfinder.lang', 'en')")
    page = context.new_page()
    try:
        page.goto("/")
        LoginPage(page).sign_in(EMAIL, PASSWORD)
        expect(page.get_by_test_id("current-workspace")).to_have_text("Default workspace")
        expect(page.get_by_text("First brand's welcome")).to_be_visible()

        page.get_by_test_id("user-menu-button").click()
        page.get_by_test_id("workspace-option-second-brand").click()
        expect(page.get_by_test_id("current-workspace")).to_have_text("Second Brand")
        expect(page.get_by_test_id("journeys-page")).to_be_visible()
        expect(page.get_by_text("First brand's welcome")).to_have_count(0)
        # The API answers for the workspace now chosen: the first brand's journey is not found from here.
        assert page.request.get(f"/api/journeys/{first['id']}").status == 404
        page.screenshot(path=SHOTS / "workspace-switched-en-1280x720.png")

        page.get_by_test_id("user-menu-button").click()
        page.get_by_test_id("workspace-option-default").click()
        expect(page.get_by_test_id("current-workspace")).to_have_text("Default workspace")
        expect(page.get_by_text("First brand's welcome")).to_be_visible()
    finally:
        context.close()
        http.delete(f"{base_url}/api/journeys/{first['id']}", timeout=10)

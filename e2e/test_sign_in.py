"""Signing in and out in Chromium: a wrong password then the right one (back on the page the user asked for),
the user menu, sign-out closing the live connection, and screenshots of the sign-in page in both languages.

These tests use fresh browser contexts without the run's storage state, and sign in through the page; signing
out there ends only their own session."""

from __future__ import annotations

from pathlib import Path

import pytest
from auth import DEMO_EMAIL, DEMO_PASSWORD
from pages.editor import EditorPage
from pages.login import LoginPage, UserMenu
from playwright.sync_api import Browser, Page, expect

from wayfinder.demo.seed import abandoned_cart_graph

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"


@pytest.fixture
def fresh_page(browser: Browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def test_a_wrong_then_the_right_password_returns_to_the_page_asked_for(fresh_page: Page):
    page = fresh_page
    page.goto("/outbox")
    login = LoginPage(page)
    expect(login.root).to_be_visible()
    login.sign_in(DEMO_EMAIL, "not the right password")
    expect(login.error).to_be_visible()
    expect(login.error).to_have_attribute("role", "alert")
    login.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    expect(page.get_by_test_id("outbox-page")).to_be_visible()
    assert page.url.endswith("/outbox")
    expect(page.get_by_test_id("user-name")).to_have_text("Demo Owner")
    expect(page.get_by_test_id("current-workspace")).to_have_text("Default workspace")


def test_signing_out_ends_the_live_connection(fresh_page: Page, api):
    page = fresh_page
    journey = api.publish_journey("E2E sign-out", abandoned_cart_graph())
    page.goto(f"/journeys/{journey['id']}")
    with page.expect_websocket(lambda ws: "/socket.io/" in ws.url, timeout=20_000) as opened:
        LoginPage(page).sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    live = opened.value
    EditorPage(page).canvas.wait_for()
    assert not live.is_closed()
    with live.expect_event("close", timeout=20_000):
        UserMenu(page).sign_out()
    expect(LoginPage(page).root).to_be_visible()
    assert page.request.get("/api/journeys").status == 401  # the signed-out browser gets nothing more


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_sign_in_page_screenshots(fresh_page: Page, lang):
    page = fresh_page
    page.goto("/")
    page.get_by_test_id("language-switcher").select_option(lang)
    expect(LoginPage(page).root).to_be_visible()
    expect(page.get_by_test_id("login-submit")).to_have_text("Sign in" if lang == "en" else "登入")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"login-{lang}-1280x720.png"))


def test_the_user_menu_says_who_and_where(page: Page):
    page.goto("/")
    menu = UserMenu(page)
    expect(menu.button).to_contain_text("Demo Owner")
    expect(menu.button).to_contain_text("Default workspace")
    menu.button.click()
    panel = page.get_by_test_id("user-menu")
    expect(panel).to_contain_text(DEMO_EMAIL)
    expect(panel).to_contain_text("Owner")
    expect(page.get_by_test_id("sign-out")).to_be_visible()
    expect(menu.button).to_have_attribute("aria-expanded", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "user-menu-en.png"))
    page.keyboard.press("Escape")  # closes it; signing out here would end the run's shared session
    expect(panel).to_have_count(0)

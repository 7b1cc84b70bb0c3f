"""Two-step sign-in in Chromium: a member turns it on from Account security (scanning is replaced by reading the
key the page shows into pyotp), saves the recovery codes, and the next sign-in asks for a code; a recovery code
lets them in. Screenshots of the page in both languages at 1280×720 and 1440×900."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from urllib.parse import urlparse

import pyotp
import pytest
import requests
from pages.login import LoginPage
from playwright.sync_api import Browser, Page, expect

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
VIEWPORTS = {"1280x720": {"width": 1280, "height": 720}, "1440x900": {"width": 1440, "height": 900}}
PASSWORD = "a long passphrase for two steps"


def new_member(server: str, api) -> str:
    """A marketer made through a real invitation (the link read from the dev outbox), with PASSWORD."""
    email = f"tao-{uuid.uuid4().hex[:6]}@shop.example"
    api.post("/api/invitations", {"email": email, "role": "marketer"})
    mail = next(m for m in api.get("/api/outbox?limit=50")["mails"] if email in str(m["to"]))
    token = urlparse(unescape(re.search(r'href="([^"]+)"', mail["html"]).group(1))).query.split("=", 1)[1]
    accepted = requests.post(
        f"{server}/api/invitations/accept",
        json={"token": token, "password": PASSWORD, "display_name": "Tao"},
        timeout=30,
    )
    accepted.raise_for_status()
    return email


@pytest.fixture
def fresh(browser: Browser, base_url):
    contexts = []

    def open_page(size: str = "1280x720") -> Page:
        context = browser.new_context(base_url=base_url, viewport=VIEWPORTS[size], locale="en-US")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("language", "size"), [("en", "1280x720"), ("zh-TW", "1280x720"), ("en", "1440x900"), ("zh-TW", "1440x900")]
)
def test_turn_on_two_step_sign_in_then_sign_in_with_a_recovery_code(server, api, fresh, language, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    email = new_member(server, api)
    page = fresh(size)
    page.goto("/")
    page.get_by_test_id("language-switcher").select_option(language)
    LoginPage(page).sign_in(email, PASSWORD)
    page.get_by_test_id("user-menu-button").click()
    page.get_by_test_id("account-security").click()
    expect(page.get_by_test_id("totp-state")).to_have_text("Off" if language == "en" else "未開啟")
    page.get_by_test_id("totp-start").click()
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    page.screenshot(path=SHOTS / f"security-setup-{language}-{size}.png")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_test_id("totp-code").fill(pyotp.TOTP(secret).now())
    page.get_by_test_id("totp-confirm").click()
    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)
    page.screenshot(path=SHOTS / f"security-codes-{language}-{size}.png")
    first = codes.first.inner_text()
    page.get_by_test_id("recovery-done").click()
    expect(page.get_by_test_id("totp-state")).to_have_text("On" if language == "en" else "已開啟")

    again = fresh(size)
    again.goto("/")
    again.get_by_test_id("language-switcher").select_option(language)
    login = LoginPage(again)
    login.sign_in(email, PASSWORD)
    expect(again.get_by_test_id("login-code")).to_be_visible()
    again.screenshot(path=SHOTS / f"login-code-{language}-{size}.png")
    app_totp = pyotp.TOTP(secret)
    valid = {app_totp.at(datetime.now(UTC), counter_offset=offset) for offset in (-1, 0, 1)}
    again.get_by_test_id("login-code").fill(next(c for c in ("000000", "111111", "222222", "333333") if c not in valid))
    again.get_by_test_id("login-submit").click()
    expect(login.error).to_be_visible()
    again.get_by_test_id("login-code").fill(first)
    again.get_by_test_id("login-submit").click()
    expect(again.get_by_test_id("user-name")).to_have_text("Tao")

"""API keys in the browser: an owner creates a key (shown once, with a copy button and a warning), an integration
sends an event with it, the owner revokes it and the next call answers 401; screenshots of the page and its
dialogs in both languages at 1280×720 and 1440×900."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"


def shot(page: Page, name: str, full_page: bool = False) -> None:
    """A screenshot with CSS animations finished (a dialog caught mid-fade looks broken)."""
    page.screenshot(path=str(SHOTS / name), full_page=full_page, animations="disabled")


def create_key(page: Page, name: str, scopes: list[str]) -> str:
    page.get_by_test_id("keys-new").click()
    dialog = page.get_by_test_id("key-create-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("key-name").fill(name)
    for scope in ("track", "read", "write"):
        box = dialog.get_by_test_id(f"key-scope-{scope}")
        if box.is_checked() != (scope in scopes):
            box.click()
    dialog.get_by_test_id("key-create-submit").click()
    created = page.get_by_test_id("key-created-dialog")
    expect(created).to_be_visible()
    expect(created.get_by_test_id("key-created-warning")).to_be_visible()
    return created.get_by_test_id("key-created-value").input_value()


def test_create_use_and_revoke_a_key(page: Page):
    stamp = str(int(time.time() * 1000))
    page.goto("/")
    page.goto("/settings/keys")
    expect(page.get_by_test_id("keys-page")).to_be_visible()
    key = create_key(page, f"Shop server {stamp}", ["track"])
    assert key.startswith("wf_live_")
    page.get_by_test_id("key-created-done").click()
    expect(page.get_by_test_id("key-created-dialog")).to_be_hidden()

    row = page.locator("[data-testid^=key-row-]", has_text=f"Shop server {stamp}")
    expect(row).to_have_attribute("data-revoked", "false")
    expect(row).not_to_contain_text(key)  # the list shows only the prefix

    event = {"event_id": f"key-{stamp}", "customer_id": f"key-{stamp}", "name": "order_completed"}
    headers = {"Authorization": f"Bearer {key}"}
    sent = page.request.post("/api/events", data=event, headers=headers)
    assert sent.status == 202, sent.text()
    assert page.request.get("/api/journeys", headers=headers).status == 403  # a track key reads nothing

    row.locator("[data-testid^=key-revoke-]").click()
    page.get_by_test_id("confirm-ok").click()
    expect(row).to_have_attribute("data-revoked", "true")
    refused = page.request.post("/api/events", data={**event, "event_id": f"key-{stamp}-2"}, headers=headers)
    assert refused.status == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_keys_page_screenshots(page: Page, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/settings/keys")
    page.get_by_test_id("language-switcher").select_option(lang)
    expect(page.get_by_test_id("keys-page")).to_be_visible()
    if page.locator("[data-testid^=key-row-]").count() < 2:
        for name, scopes in (("POS 門市系統", ["track"]), ("BI export", ["read"])):
            create_key(page, name, scopes)
            page.get_by_test_id("key-created-done").click()
    expect(page.get_by_test_id("keys-table")).to_be_visible()
    for width, height in ((1280, 720), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"keys-{lang}-{width}x{height}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    create_key(page, "Shopline webhook", ["track", "write"])
    shot(page, f"keys-created-{lang}-1280x720.png")
    page.get_by_test_id("key-created-done").click()
    page.get_by_test_id("keys-new").click()
    page.get_by_test_id("key-name").fill("App backend")
    shot(page, f"keys-create-{lang}-1280x720.png")
    page.get_by_test_id("key-create-cancel").click()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.locator("[data-testid^=key-revoke-]").first.click()
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible()
    shot(page, f"keys-revoke-{lang}-1440x900.png")
    page.get_by_test_id("confirm-cancel").click()


def test_key_dialogs_hold_focus_and_close_as_a_dialog_should(page: Page):
    """components/Modal: focus starts in the dialog, Tab and Shift+Tab stay inside it, Escape and the backdrop close
    it and focus goes back to the button that opened it; the key shown once closes only by its own button."""
    page.goto("/settings/keys")
    opener = page.get_by_test_id("keys-new")
    opener.click()
    dialog = page.get_by_role("dialog", name="New API key")
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.get_by_test_id("key-name")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_test_id("key-create-close")).to_be_focused()  # the head's close button, the first control
    page.keyboard.press("Shift+Tab")  # wraps to the last one (Create is disabled: Cancel)
    expect(dialog.get_by_test_id("key-create-cancel")).to_be_focused()
    page.keyboard.press("Tab")  # and back to the first
    expect(dialog.get_by_test_id("key-create-close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    opener.click()
    page.mouse.click(5, 5)  # the backdrop
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    create_key(page, f"Focus check {int(time.time() * 1000)}", ["track"])
    created = page.get_by_test_id("key-created-dialog")
    expect(created.get_by_test_id("key-created-value")).to_be_focused()
    page.keyboard.press("Escape")
    page.mouse.click(5, 5)
    expect(created).to_be_visible()
    created.get_by_test_id("key-created-done").click()
    expect(created).to_be_hidden()
    expect(opener).to_be_focused()

"""Screenshots of the channels work at 1280×720 in English and Traditional Chinese, for a person to look at: the
palette with the send steps, each new send step's form (SMS with its counter, LINE with a button card, app push,
web push, in-app, webhook), the wait-for-engagement form, the message log with an SMS and a LINE message open, and
Settings → Channels with an account and its form.

They land in e2e/artifacts/screenshots/channels/ (not committed). The assertions check that each screen is the
one meant, in the chosen language, with nothing left untranslated that a marketer reads (no message key)."""

from __future__ import annotations

import re
from pathlib import Path

import channel_messages
import pytest
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

from wayfinder.journeys.builder import GraphBuilder

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots" / "channels"
SIZE = {"width": 1280, "height": 720}
# A message key shown as text ("field.send_sms.text", "log.sms.thread"): a missing translation.
KEY_ROOTS = "field|summary|log|sms|line|push|engagement|settings|channel|gallery"
RAW_KEY = re.compile(rf"\b(?:{KEY_ROOTS})\.[a-z_]+(?:\.\w+)*\b")


def _all_channels_graph() -> dict:
    g = GraphBuilder()
    g.trigger("cart", event="cart_updated", x=0, y=0)
    g.email("reminder", subject="Your {{ event.product }} is waiting", x=0, y=160)
    g.node(
        "engaged",
        "wait_for_engagement",
        {"message_step": "reminder", "engagement": "opened", "timeout_amount": 24, "timeout_unit": "hours"},
        x=0,
        y=320,
    )
    g.node(
        "sms",
        "send_sms",
        {"text": "Hi {{ customer.first_name }}, your {{ event.product }} is still in your cart: shop.example/c"},
        x=300,
        y=480,
    )
    g.node(
        "line",
        "send_line",
        {
            "messages": [
                {
                    "type": "buttons",
                    "title": "Still thinking?",
                    "text": "{{ event.product }} is waiting for you",
                    "image_url": "https://shop.example/serum.jpg",
                    "buttons": [{"label": "Back to cart", "url": "https://shop.example/cart"}],
                }
            ]
        },
        x=0,
        y=480,
    )
    g.node("push", "send_push", {"title": "{{ event.product }} misses you", "body": "Tap to finish your order."})
    g.node(
        "webpush", "send_webpush", {"title": "Your cart", "body": "Finish your order", "url": "https://shop.example"}
    )
    g.node(
        "inapp",
        "send_in_app",
        {
            "title": "Welcome back",
            "body": "Your cart is saved.",
            "button_label": "Open",
            "button_url": "https://shop.example/cart",
        },
    )
    g.node(
        "hook",
        "send_webhook",
        {
            "url": "https://crm.example/hooks/cart",
            "body": '{"customer": {{ customer.external_id | tojson }}}',
            "headers": [{"name": "X-Api-Key", "value": "crm-key"}],
        },
    )
    g.connect("cart", "reminder", handle="next")
    g.connect("reminder", "engaged", handle="next")
    g.connect("engaged", "line", handle="timeout")
    g.connect("line", "sms", handle="unreachable")
    for source, target in (("sms", "push"), ("push", "webpush"), ("webpush", "inapp"), ("inapp", "hook")):
        g.connect(source, target, handle="next")
    return g.build()


def _settled(page: Page) -> None:
    """Once no animation runs (a dialog fading in)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def _panel_end(page: Page) -> None:
    """Scroll the step's settings to their end (the rest of a long form)."""
    page.get_by_test_id("settings-panel").evaluate(
        """panel => { for (const el of [panel, ...panel.querySelectorAll('*')]) {
            if (el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY !== 'visible') {
                el.scrollTop = el.scrollHeight; } } }"""
    )


def _no_raw_keys(page: Page, where: str) -> None:
    text = page.locator("body").inner_text()
    found = sorted(set(RAW_KEY.findall(text)) - {"shop.example"})
    assert not found, f"{where}: untranslated message keys {found}"


@pytest.fixture
def shots(page: Page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(SIZE)
    return page


def _choices_laid_out_whole(page: Page, node_id: str, setting: str, layout: str) -> None:
    """A segmented choice at the panel's width: side by side in one row when the labels fit, else one option per
    line; never one option alone on a second row, never a label cut."""
    EditorPage(page).select(node_id)
    choice = page.get_by_test_id(f"setting-{setting}").locator(".segmented")
    expect(choice).to_have_attribute("data-layout", layout)
    boxes = choice.locator(".segment").evaluate_all(
        """(els) => els.map((el) => {
          const r = el.getBoundingClientRect();
          const label = el.querySelector('span').getBoundingClientRect();
          const inside = label.right <= r.right && label.left >= r.left;
          return [Math.round(r.top), Math.round(r.left), Math.round(r.width), inside];
        })"""
    )
    rows = {top for top, *_ in boxes}
    assert len(rows) in (1, len(boxes)), f"an option alone on a row of its own: {boxes}"
    if len(rows) > 1:
        assert len({(left, width) for _, left, width, _ in boxes}) == 1, f"stacked options of uneven width: {boxes}"
    assert all(inside for *_, inside in boxes), f"a label overflows its option: {boxes}"


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_channel_screens(shots: Page, api, language):
    page = shots
    journey = api.create_journey(f"Cart across channels {language}", _all_channels_graph())
    JourneysPage(page).open().set_language(language)

    editor = EditorPage(page).open(journey["id"])
    palette = page.get_by_test_id("palette")
    page.get_by_test_id("palette-item-send_sms").scroll_into_view_if_needed()
    expect(page.get_by_test_id("palette-item-send_webhook")).to_be_visible()
    page.screenshot(path=SHOTS / f"palette-{language}.png")
    if language == "zh-TW":
        expect(palette).to_contain_text("簡訊")

    for node_id in ("sms", "line", "push", "webpush", "inapp", "hook", "engaged"):
        editor.select(node_id)
        page.screenshot(path=SHOTS / f"form-{node_id}-{language}.png")
        _no_raw_keys(page, f"{node_id} form")
        _panel_end(page)
        page.screenshot(path=SHOTS / f"form-{node_id}-{language}-end.png")
    editor.select("sms")
    expect(page.get_by_test_id("sms-counter")).to_contain_text(re.compile(r"\d"))
    # "clicked a specific link" does not fit beside the others at 1280×720; 「點了特定連結」 does.
    _choices_laid_out_whole(page, "engaged", "engagement", "stacked" if language == "en" else "row")
    page.screenshot(path=SHOTS / f"form-engaged-{language}-choice.png")

    channel_messages.seed(api, f"shot{language.replace('-', '')}")
    page.goto("/messages")
    page.get_by_test_id("messages-table").wait_for()
    for channel in ("sms", "line"):
        page.get_by_test_id("messages-filter-channel").select_option(channel)
        rows = page.locator("[data-testid^='message-row-']").filter(has_text="order messages")
        expect(rows.first).to_be_visible()
        rows.first.click()
        expect(page.get_by_test_id(f"message-preview-{channel}")).to_be_visible()
        page.screenshot(path=SHOTS / f"messages-{channel}-{language}.png")
        page.get_by_test_id(f"message-preview-{channel}").scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / f"messages-{channel}-{language}-preview.png")
        page.get_by_test_id("message-timeline").scroll_into_view_if_needed()  # the facts and the timeline
        page.screenshot(path=SHOTS / f"messages-{channel}-{language}-facts.png")
        _no_raw_keys(page, f"message log, {channel}")

    every8d = {"username": "shop", "password": "secret"}
    name = f"Every8d main {language}"
    with api.channel_account(channel="sms", provider="every8d", name=name, credentials=every8d) as account:
        page.goto("/settings/channels")
        expect(page.get_by_test_id(f"channel-account-{account['id']}")).to_be_visible()
        page.screenshot(path=SHOTS / f"settings-channels-{language}.png")
        _no_raw_keys(page, "channels tab")
        page.get_by_test_id("channel-edit-" + str(account["id"])).click()
        expect(page.get_by_test_id("channel-dialog")).to_be_visible()
        _settled(page)
        page.screenshot(path=SHOTS / f"settings-channel-form-{language}.png")
        _no_raw_keys(page, "channel account form")

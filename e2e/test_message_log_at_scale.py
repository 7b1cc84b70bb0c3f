"""The message log (/messages) holding thousands of messages, at 1280×720: the first page is one page of rows (not
the whole log in the DOM), "Load more" follows the cursor (older rows, none twice), the filters narrow to the right
count, and a message picked deep in the list shows its preview beside the list, in the window, without scrolling
the page.

Five messages go through the real pipeline (channel_messages.seed); 3,000 numbered copies of them are inserted
straight into the dev stack's database."""

from __future__ import annotations

import re

import channel_messages
import pytest
from playwright.sync_api import Page, expect

COPIES = 600  # × 5 channels = 3,000 messages, plus the 5 sent through the pipeline
SKIPPED_EVERY = 100  # every 100th SMS copy is skipped: 6 of them
PER_PAGE = 50  # frontend/src/pages/messageLog.ts
ROWS = "[data-testid^='message-row-']"


@pytest.fixture
def crowded_log(api, instance):
    journey = channel_messages.seed(api, "crowd")
    inserted = channel_messages.copy_messages(instance / "wayfinder.sqlite", journey["id"], COPIES, SKIPPED_EVERY)
    assert inserted == COPIES * len(channel_messages.CHANNELS)
    return journey


def _ids(page: Page) -> list[int]:
    testids = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.testid)")
    return [int(t.removeprefix("message-row-")) for t in testids]


def test_thousands_of_messages_at_1280x720(page: Page, api, crowded_log):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto("/messages")
    rows = page.locator(ROWS)
    expect(rows.first).to_be_visible()

    # One page in the DOM, the newest first (the copies were inserted last), and a way to the older ones.
    expect(rows).to_have_count(PER_PAGE)
    first_page = _ids(page)
    assert first_page == sorted(first_page, reverse=True)
    newest = api.get(f"/api/messages?journey_id={crowded_log['id']}&per_page=1")["messages"][0]
    assert first_page[0] == newest["id"]
    expect(page.get_by_test_id("messages-more")).to_be_visible()

    # "Load more" twice: the next pages through the cursor, older than the last row, none twice.
    for pages in (2, 3):
        page.get_by_test_id("messages-more").click()
        expect(rows).to_have_count(PER_PAGE * pages)
    ids = _ids(page)
    assert ids[:PER_PAGE] == first_page
    assert ids == sorted(set(ids), reverse=True)

    # A message deep in the list (an SMS among rows 100–150): its own preview opens beside the list, in the window.
    deep = page.locator(f"{ROWS}[data-channel='sms']").last
    deep_id = int(deep.get_attribute("data-testid").removeprefix("message-row-"))
    assert ids.index(deep_id) >= 2 * PER_PAGE
    deep.click()
    detail = page.get_by_test_id("message-detail")
    expect(detail).to_have_attribute("data-message-id", str(deep_id))
    text = api.get(f"/api/messages/{deep_id}")["payload"]["text"]
    assert re.search(r" #\d+$", text)
    preview = detail.get_by_test_id("message-preview-sms")
    expect(preview).to_contain_text(text)
    expect(preview).to_be_in_viewport(ratio=0.9)
    expect(deep).to_be_in_viewport()
    # The panes scroll, not the page: the row and its preview were both on screen without moving the window.
    assert page.evaluate("() => document.scrollingElement.scrollHeight <= window.innerHeight")

    # Filters narrow on the server: the journey's skipped SMS are exactly the 6 copies, on one page.
    page.get_by_test_id("messages-filter-journey").select_option(str(crowded_log["id"]))
    page.get_by_test_id("messages-filter-channel").select_option("sms")
    page.get_by_test_id("messages-filter-status").select_option("skipped")
    expect(rows).to_have_count(COPIES // SKIPPED_EVERY)
    expect(page.get_by_test_id("messages-end")).to_contain_text(str(COPIES // SKIPPED_EVERY))
    expect(page.locator(f"{ROWS}:not([data-status='skipped'][data-channel='sms'])")).to_have_count(0)

    # Sent SMS of the journey: 600 − 6 copies and the original, so a first page and more to load.
    page.get_by_test_id("messages-filter-status").select_option("sent")
    expect(rows).to_have_count(PER_PAGE)
    expect(page.locator(f"{ROWS}:not([data-status='sent'][data-channel='sms'])")).to_have_count(0)
    page.get_by_test_id("messages-more").click()
    expect(rows).to_have_count(2 * PER_PAGE)
    expect(page.locator(f"{ROWS}:not([data-status='sent'][data-channel='sms'])")).to_have_count(0)
    sent_sms = api.get(f"/api/messages?journey_id={crowded_log['id']}&channel=sms&status=sent&per_page=100")
    assert _ids(page) == [m["id"] for m in sent_sms["messages"]]

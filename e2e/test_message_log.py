"""The message log (/messages): its channel and status filters, and each channel's message as the customer saw it
(an email in its frame, an SMS bubble, LINE bubbles with a button card, a push notification), with the failed
webhook's reason and the provider account an SMS went through."""

from __future__ import annotations

import re

import channel_messages
import pytest
from playwright.sync_api import Page, expect


@pytest.fixture
def journey(api):
    return channel_messages.seed(api, "log")


def _rows(page: Page, journey: dict):
    return page.locator("[data-testid^='message-row-']").filter(has_text=journey["name"])


def _only(page: Page, journey: dict, channel: str = "", status: str = ""):
    page.get_by_test_id("messages-filter-channel").select_option(channel)
    page.get_by_test_id("messages-filter-status").select_option(status)
    return _rows(page, journey)


def test_filters_and_previews_of_each_channel(page: Page, journey):
    page.goto("/messages")
    page.get_by_test_id("messages-table").wait_for()
    expect(_rows(page, journey)).to_have_count(5)

    sms = _only(page, journey, channel="sms")
    expect(sms).to_have_count(1)
    sms.click()
    detail = page.get_by_test_id("message-detail")
    expect(detail.get_by_test_id("message-preview-sms")).to_contain_text(
        "Hi Mia, your Serum ships today. Track it: shop.example/t"
    )
    expect(detail.get_by_test_id("message-timeline").locator("li[data-kind='sent']")).to_have_count(1)
    # It went through the workspace's Every8d account (the emulator): the log names it, and Every8d's batch id.
    expect(detail.get_by_test_id("message-sent-via")).to_have_text("Every8d log · every8d")
    expect(detail.get_by_test_id("message-provider-ref")).to_have_text(re.compile(r"^[0-9a-f-]{36}$"))

    line = _only(page, journey, channel="line")
    expect(line).to_have_count(1)
    line.click()
    bubbles = page.get_by_test_id("message-preview-line")
    expect(bubbles).to_contain_text("Hi Mia, thanks for your order of Serum!")
    expect(bubbles.locator(".line-bubble-card")).to_contain_text("Rate your Serum")
    expect(bubbles.locator(".line-bubble-button")).to_have_text(["Rate it", "Shop again"])

    push = _only(page, journey, channel="push")
    expect(push).to_have_count(1)
    push.click()
    expect(page.get_by_test_id("message-preview-push")).to_contain_text("Serum is on its way")
    expect(page.get_by_test_id("message-preview-push")).to_contain_text("Tap to follow your parcel.")

    email = _only(page, journey, channel="email")
    expect(email).to_have_count(1)
    email.click()
    frame = page.frame_locator("[data-testid='message-preview-frame']").locator("body")
    expect(frame).to_contain_text("We got it, Mia.")

    failed = _only(page, journey, status="failed")
    expect(failed).to_have_count(1)
    expect(failed).to_have_attribute("data-status", "failed")
    failed.click()
    expect(page.get_by_test_id("message-detail-error")).to_contain_text("loopback")
    expect(page.get_by_test_id("message-timeline").locator("li[data-kind='failed']")).to_have_count(1)

    expect(_only(page, journey, status="sent")).to_have_count(4)
    expect(_only(page, journey, channel="webhook", status="sent")).to_have_count(0)

"""Email authoring: preview as a chosen customer beside the form, personal fields from a menu, a readable
summary on the node, and a test send that arrives in the dev SMTP catcher (the Outbox)."""

from __future__ import annotations

import time

from pages.editor import EditorPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph


def test_preview_as_customer_insert_field_and_send_a_test(page: Page, api):
    stamp = str(int(time.time() * 1000))
    person = f"e2e-lena-{stamp}"
    api.post(
        "/api/customers",
        {"external_id": person, "email": f"{person}@example.com", "attributes": {"first_name": "Lena"}},
    )
    api.post(
        "/api/events",
        {
            "event_id": f"{person}-cart",
            "customer_id": person,
            "name": "cart_updated",
            "properties": {"product": "Lip balm", "total": 450},
        },
    )
    journey = api.create_journey("E2E email authoring", abandoned_cart_graph())
    editor = EditorPage(page).open(journey["id"])

    # A readable summary on the node: named fields, not template code.
    summary = editor.node("reminder").locator(".step-summary")
    expect(summary).to_contain_text("‹First name›")
    expect(summary).not_to_contain_text("{{")

    editor.select("reminder")
    page.get_by_test_id("preview-toggle").click()
    preview = page.get_by_test_id("email-preview")
    expect(preview).to_be_visible()
    expect(page.get_by_test_id("preview-subject")).to_have_text("Mei, you left Hydrating serum behind")

    page.get_by_test_id("preview-customer-search").fill(person)
    expect(page.locator(f"[data-testid=preview-customer] option[value='{person}']")).to_have_count(1)
    page.get_by_test_id("preview-customer").select_option(person)
    expect(page.get_by_test_id("preview-subject")).to_have_text("Lena, you left Lip balm behind")
    expect(page.get_by_test_id("preview-to")).to_have_text(f"{person}@example.com")

    # Personal fields come from a menu, inserted at the caret.
    subject = page.get_by_test_id("setting-subject")
    subject.fill("Hello ")
    subject.press("End")
    page.get_by_test_id("insert-field-subject").select_option("customer.first_name")
    expect(subject).to_have_value("Hello {{ customer.first_name }}")
    expect(page.get_by_test_id("preview-subject")).to_have_text("Hello Lena")

    # Test sends go only to one's own address or the workspace's test recipients (not an open relay).
    to = f"qa-{stamp}@example.com"
    api.http.patch(f"{api.base_url}/api/workspace", json={"test_recipients": [to]}, timeout=10).raise_for_status()
    page.get_by_test_id("test-send-to").fill(to)
    page.get_by_test_id("test-send-button").click()
    expect(page.get_by_test_id("test-send-result")).to_have_attribute("data-ok", "true")

    deadline = time.monotonic() + 15
    while True:
        mails = [
            m
            for m in api.get("/api/outbox?limit=50")["mails"]
            if to in (m["to"] if isinstance(m["to"], str) else " ".join(m["to"]))
        ]
        if mails or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert mails, "the test email did not arrive in the catcher"
    assert mails[0]["subject"] == "[Test] Hello Lena"


def test_a_template_mistake_shows_in_the_preview_in_plain_words(page: Page, api):
    journey = api.create_journey("E2E preview problem", abandoned_cart_graph())
    editor = EditorPage(page).open(journey["id"])
    editor.select("reminder")
    page.get_by_test_id("preview-toggle").click()
    page.get_by_test_id("setting-subject").fill("Hi {{ customer.first_name")
    expect(page.get_by_test_id("preview-error-subject")).to_contain_text("braces")
    expect(page.get_by_test_id("preview-frame")).to_be_attached()  # the body still renders

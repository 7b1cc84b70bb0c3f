"""Build a journey with the mouse, see a cycle flagged on the right steps, fix it, publish, and watch the
live counts move when events arrive over the API, without reloading the page."""

from __future__ import annotations

import re

from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph


def test_build_publish_and_watch_live_counts(page: Page, api):
    journey = api.create_journey("E2E gold carts")
    editor = EditorPage(page).open(journey["id"])
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    trigger = editor.drag_step("event_trigger", 420, 90)
    check = editor.drag_step("condition", 420, 260)
    email = editor.drag_step("send_email", 260, 460)
    done = editor.drag_step("exit", 600, 460)
    for node_id, node_type in ((trigger, "event_trigger"), (check, "condition"), (email, "send_email"), (done, "exit")):
        expect(editor.node(node_id)).to_have_attribute("data-node-type", node_type)

    editor.fill(trigger, event="cart_updated")
    editor.fill(check, kind="attribute")
    editor.fill(check, attribute="tier", op="eq", value="gold")
    editor.fill(
        email, subject="A gift for you, {{ customer.first_name }}", body="<p>Your {{ event.product }} awaits.</p>"
    )
    editor.label(done, "Finished")

    editor.connect(trigger, "next", check)
    editor.connect(check, "yes", email)
    editor.connect(check, "no", done)
    editor.connect(email, "next", check)  # closes a loop: condition → email → condition

    for node_id in (check, email):
        expect(editor.node(node_id)).to_have_attribute("data-invalid", "true")
        expect(editor.node_error(node_id)).to_contain_text(re.compile("loop", re.IGNORECASE))
    for node_id in (trigger, done):
        expect(editor.node(node_id)).to_have_attribute("data-invalid", "false")

    editor.delete_edge(email, check)
    editor.connect(email, "next", done)
    for node_id in (trigger, check, email, done):
        expect(editor.node(node_id)).to_have_attribute("data-invalid", "false")

    editor.save()
    editor.publish()
    expect(editor.status).to_have_attribute("data-status", "published")

    for external_id, tier in (("e2e-amy", "gold"), ("e2e-ben", "silver"), ("e2e-cat", "gold")):
        api.post(
            "/api/customers",
            {
                "external_id": external_id,
                "email": f"{external_id}@example.com",
                "attributes": {"first_name": external_id[4:].title(), "tier": tier},
            },
        )
        api.post(
            "/api/events",
            {
                "event_id": f"cart-{external_id}",
                "customer_id": external_id,
                "name": "cart_updated",
                "properties": {"product": "Serum"},
            },
        )

    expect(editor.count(trigger, "entered")).to_have_text("3", timeout=20_000)
    # Each step shows the numbers that apply to it: a condition its yes / no split, a send what it sent.
    expect(editor.count(check, "entered")).to_have_text("3", timeout=20_000)
    expect(editor.count(check, "yes")).to_have_text("2", timeout=20_000)
    expect(editor.count(check, "no")).to_have_text("1", timeout=20_000)
    expect(editor.count(email, "sent")).to_have_text("2", timeout=20_000)
    expect(editor.count(done, "entered")).to_have_text("3", timeout=20_000)  # an exit: those who finished there
    expect(editor.count(done, "waiting")).to_have_count(0)
    expect(editor.count(trigger, "waiting")).to_have_count(0)
    yes_edge = editor.edge_between(check, email).get_attribute("data-edge-id")
    expect(page.get_by_test_id(f"edge-split-{yes_edge}")).to_have_attribute("data-percent", "67")
    expect(page.get_by_test_id(f"edge-split-{yes_edge}")).to_contain_text("2")
    assert page.evaluate("window.__sameDocument === true")  # the counts arrived live, without a reload


def test_a_broken_journey_cannot_be_published(page: Page, api):
    journeys = JourneysPage(page).open()
    journeys.create("E2E broken")
    api.created.append(int(page.url.rstrip("/").rsplit("/", 1)[1]))  # cleaned up by the api fixture
    editor = EditorPage(page)
    email = editor.drag_step("send_email", 420, 200)

    editor.publish()
    expect(page.get_by_test_id("validation-summary")).to_have_attribute("data-loud", "true")
    page.get_by_test_id("problems-toggle").click()
    expect(page.get_by_test_id("problems-list")).to_contain_text(re.compile("trigger", re.IGNORECASE))
    expect(editor.node(email)).to_have_attribute("data-invalid", "true")
    expect(editor.status).to_have_attribute("data-status", "draft")
    journey = api.get(f"/api/journeys/{api.created[-1]}")
    assert journey["status"] == "draft" and journey["versions"] == []


def test_demo_traffic_button_moves_the_live_counts(page: Page, api):
    journey = api.publish_journey("E2E demo traffic", abandoned_cart_graph())
    editor = EditorPage(page).open(journey["id"])
    expect(editor.count("cart", "entered")).to_have_text("0")

    page.get_by_test_id("demo-traffic-button").click()
    expect(editor.count("cart", "entered")).not_to_have_text("0", timeout=20_000)
    expect(editor.count("wait_1h", "waiting")).not_to_have_text("0", timeout=20_000)


def test_demo_traffic_speaks_the_ui_language(page: Page, api):
    """In the zh-TW UI, Demo traffic asks for zh-TW products (the server's DEMO_LANGUAGE is only the default)."""
    journey = api.publish_journey("E2E demo traffic zh-TW", abandoned_cart_graph("zh-TW"))
    JourneysPage(page).open().set_language("zh-TW")
    EditorPage(page).open(journey["id"])
    with page.expect_request(lambda r: r.url.endswith("/api/demo/traffic") and r.method == "POST") as sent:
        page.get_by_test_id("demo-traffic-button").click()
    assert sent.value.post_data_json["lang"] == "zh-TW"
    expect(page.get_by_text(re.compile(r"已送出 \d+ 筆模擬事件"))).to_be_visible()

"""Live numbers a campaign manager can read: per-type counts, the zoomed-out form with the key number large,
and a click on a step's numbers listing the customers there now."""

from __future__ import annotations

import pytest
from journeys import slow_cart_graph
from pages.editor import EditorPage
from pages.live import LiveSocket
from playwright.sync_api import Page, expect


@pytest.fixture
def waiting_journey(api):
    journey = api.publish_journey("E2E live numbers", slow_cart_graph())
    for i in range(3):
        api.post(
            "/api/customers",
            {"external_id": f"live-{i}", "email": f"live-{i}@example.com", "attributes": {"first_name": f"Live{i}"}},
        )
        api.post(
            "/api/events",
            {
                "event_id": f"live-{journey['id']}-{i}",
                "customer_id": f"live-{i}",
                "name": "cart_updated",
                "properties": {"product": "Serum", "total": 900},
            },
        )
    return journey


def _metrics(page: Page, node_id: str) -> list[str]:
    return page.locator(f"[data-testid^='node-count-{node_id}-']").evaluate_all(
        "els => els.map(e => e.dataset.testid.split('-').slice(3).join('-'))"
    )


def test_each_step_shows_the_numbers_that_apply(page: Page, waiting_journey):
    editor = EditorPage(page).open(waiting_journey["id"])
    expect(editor.count("wait_1h", "waiting")).to_have_text("3", timeout=20_000)
    expect(editor.count("cart", "entered")).to_have_text("3")
    # The key number (first, large) is how many entered, on every step type; the breakdown follows the type.
    expect(editor.count("wait_1h", "entered")).to_have_text("3")
    assert _metrics(page, "cart") == ["entered"]
    assert _metrics(page, "wait_1h") == ["entered", "waiting", "moved_on"]
    assert _metrics(page, "purchased") == ["entered", "yes", "no"]
    assert _metrics(page, "reminder") == ["entered", "sent", "failed"]
    assert _metrics(page, "converted") == ["entered"]


def test_zoomed_out_nodes_show_the_key_number_large(page: Page, waiting_journey):
    editor = EditorPage(page).open(waiting_journey["id"])
    expect(editor.count("wait_1h", "waiting")).to_have_text("3", timeout=20_000)
    page.get_by_test_id("fit-view-button").click()
    node = editor.node("wait_1h")
    expect(node).to_have_attribute("data-far", "true")
    # Zoomed out, the step shows how many entered it (not the 0 still waiting there once they move on), large.
    far_count = page.get_by_test_id("node-far-count-wait_1h")
    expect(far_count).to_have_text("3")
    expect(page.get_by_test_id("canvas-legend")).to_be_visible()
    zoom = page.evaluate(
        "() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a"
    )
    size = far_count.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert zoom < 0.82
    assert size * zoom >= 11, f"key number renders at {size * zoom:.1f}px on screen"

    for _ in range(6):  # from at least 33 % (the readable fit's floor): past the 82 % switch
        page.get_by_role("button", name="Zoom In").click()
    expect(node).to_have_attribute("data-far", "false")


def test_clicking_a_count_lists_the_customers_there_now(page: Page, waiting_journey):
    editor = EditorPage(page).open(waiting_journey["id"])
    expect(editor.count("wait_1h", "waiting")).to_have_text("3", timeout=20_000)
    page.get_by_test_id("node-counts-wait_1h").click()
    panel = page.get_by_test_id("node-customers-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("node-customers-total")).to_have_attribute("data-total", "3")
    expect(panel.locator("[data-testid^='node-customer-live-']")).to_have_count(3)
    expect(page.get_by_test_id("node-customer-moves-live-0")).not_to_have_text("—")

    page.get_by_test_id("node-customers-search").fill("live-2")
    expect(page.get_by_test_id("node-customers-total")).to_have_attribute("data-total", "1")
    expect(page.get_by_test_id("node-customer-live-2")).to_contain_text("live-2@example.com")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_tallies_follow_the_deltas_and_are_polled_only_while_the_socket_is_down(page: Page, api, waiting_journey):
    flow_requests: list[str] = []
    page.on("request", lambda r: flow_requests.append(r.url) if r.url.endswith("/flow") else None)
    live = LiveSocket(page)
    editor = EditorPage(page).open(waiting_journey["id"])
    expect(page.get_by_test_id("editor-page")).to_have_attribute("data-live", "live")
    expect(editor.count("wait_1h", "waiting")).to_have_text("3", timeout=20_000)

    # Connected, nothing happening (no delivery pending either): no polling.
    page.wait_for_timeout(1500)
    flow_requests.clear()
    page.wait_for_timeout(7000)
    assert flow_requests == [], f"/flow was polled {len(flow_requests)} times while the socket was connected"

    # A customer arrives: the delta brings the counts, and the tallies follow it once.
    api.post("/api/customers", {"external_id": "live-3", "email": "live-3@example.com"})
    api.post(
        "/api/events",
        {
            "event_id": f"live-{waiting_journey['id']}-3",
            "customer_id": "live-3",
            "name": "cart_updated",
            "properties": {"product": "Serum", "total": 900},
        },
    )
    expect(editor.count("cart", "entered")).to_have_text("4", timeout=20_000)
    page.wait_for_timeout(1500)
    assert 1 <= len(flow_requests) <= 2, flow_requests

    # The socket drops: now the tallies are polled.
    live.drop()
    expect(page.get_by_test_id("live-banner")).to_have_attribute("data-state", "lost")
    flow_requests.clear()
    for _ in range(80):  # up to 20 s: a loaded machine may stretch the poll interval, never stop it
        if len(flow_requests) >= 2:
            break
        page.wait_for_timeout(250)
    assert len(flow_requests) >= 2, f"/flow was polled {len(flow_requests)} times while the socket was down"

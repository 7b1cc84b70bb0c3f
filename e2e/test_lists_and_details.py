"""Lists and details: the delivery log names journeys and steps (with links) and is searchable, long names
ellipsize with the full name on hover, the description is editable."""

from __future__ import annotations

import re
import time

from pages.editor import EditorPage
from pages.journeys import JourneysPage
from pages.outbox import OutboxPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph


def test_delivery_log_names_journey_and_step_with_links_and_search(page: Page, api):
    stamp = str(int(time.time() * 1000))
    # Added to cart → Cart reminder: the email goes out at once.
    seed = abandoned_cart_graph()
    graph = {
        "nodes": [n for n in seed["nodes"] if n["id"] in ("cart", "reminder")],
        "edges": [{"id": "direct", "source": "cart", "sourceHandle": "next", "target": "reminder"}],
        "settings": seed.get("settings", {}),
    }
    journey = api.publish_journey(f"E2E log {stamp}", graph)
    person = f"log-{stamp}"
    api.post(
        "/api/customers", {"external_id": person, "email": f"{person}@example.com", "attributes": {"first_name": "Log"}}
    )
    api.post(
        "/api/events",
        {
            "event_id": f"{person}-c",
            "customer_id": person,
            "name": "cart_updated",
            "properties": {"product": "Tea", "total": 900},
        },
    )
    deadline = time.monotonic() + 20
    while not api.get(f"/api/messages?journey_id={journey['id']}")["messages"] and time.monotonic() < deadline:
        time.sleep(0.3)
    (message,) = api.get(f"/api/messages?journey_id={journey['id']}")["messages"]

    assert (message["journey_name"], message["step_name"]) == (f"E2E log {stamp}", "Cart reminder")

    # The log names journeys and steps from the messages themselves: no journey is fetched one by one.
    journey_fetches: list[str] = []
    page.on("request", lambda r: journey_fetches.append(r.url) if re.search(r"/api/journeys/\d+$", r.url) else None)
    OutboxPage(page).open()
    page.get_by_test_id("outbox-tab-messages").click()
    cell = page.get_by_test_id(f"message-journey-{message['id']}")
    expect(cell).to_contain_text(f"E2E log {stamp}")
    expect(cell).to_contain_text("Cart reminder")
    expect(cell).not_to_contain_text("#")
    assert journey_fetches == []

    page.get_by_test_id("messages-search").fill(person)
    expect(page.locator("[data-testid^=message-row-]")).to_have_count(1)
    page.get_by_test_id("messages-search").fill("no such thing anywhere")
    expect(page.locator("[data-testid^=message-row-]")).to_have_count(0)
    page.get_by_test_id("messages-search").fill("")  # the customer filter is exact: cleared, every row is back
    page.get_by_test_id(f"message-step-{message['id']}").click()
    expect(page.get_by_test_id("editor-page")).to_have_attribute("data-journey-id", str(journey["id"]))
    expect(page.get_by_test_id("settings-panel")).to_have_attribute("data-node-id", "reminder")


def test_long_names_ellipsize_with_the_full_name_on_hover(page: Page, api):
    name = "E2E " + "A very long journey name for the spring anniversary campaign " * 3
    journey = api.create_journey(name.strip())
    journeys = JourneysPage(page).open()
    link = page.get_by_test_id(f"journey-link-{journey['id']}")
    expect(link).to_have_attribute("title", name.strip())
    assert link.evaluate("el => el.scrollWidth > el.clientWidth"), "the name should be cut with an ellipsis"
    assert link.evaluate("el => getComputedStyle(el).textOverflow") == "ellipsis"
    row = journeys.row(journey["id"]).bounding_box()
    assert row["width"] <= page.viewport_size["width"]


def test_description_is_editable(page: Page, api):
    journey = api.create_journey("E2E description")
    EditorPage(page).open(journey["id"])
    page.get_by_test_id("journey-description").fill("Win back carts left over the weekend.")
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false", timeout=10_000)
    assert api.get(f"/api/journeys/{journey['id']}")["description"] == "Win back carts left over the weekend."
    JourneysPage(page).open()
    expect(page.get_by_test_id(f"journey-description-{journey['id']}")).to_have_text(
        "Win back carts left over the weekend."
    )

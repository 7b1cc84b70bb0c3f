"""The SPA under its Content-Security-Policy in real Chromium: the journeys list and the editor (with live counts
over the Socket.IO WebSocket) load with no CSP violation; the API docs render offline. And the banner that says
customers are not moving, in both languages."""

from __future__ import annotations

import re
import time

import pytest
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph

# Records every CSP violation the document reports (the console shows them too; both are checked).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture
def csp_watch(page: Page):
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type in ("error", "warning") else None)
    page.add_init_script(RECORD_VIOLATIONS)

    def violations() -> list[str]:
        recorded = page.evaluate("window.__cspViolations || []")
        logged = [text for text in console if "Content Security Policy" in text or "Refused to" in text]
        return recorded + logged

    return violations


def test_the_spa_runs_under_its_csp_without_violations(page: Page, api, server, csp_watch):
    journey = api.publish_journey("CSP check", abandoned_cart_graph())

    response = page.goto("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    JourneysPage(page).open()
    expect(page.get_by_test_id(f"journey-row-{journey['id']}")).to_be_visible()

    editor = EditorPage(page).open(journey["id"])
    trigger = editor.node_ids()[0]
    expect(editor.node(trigger)).to_be_visible()
    # Live counts arrive over the WebSocket, which the CSP's connect-src must allow.
    api.post(
        "/api/events",
        {
            "event_id": f"csp-{journey['id']}",
            "customer_id": "csp-1",
            "name": "cart_updated",
            "properties": {"product": "Tea", "total": 900},
        },
    )
    expect(editor.count(trigger, "entered")).to_have_text("1", timeout=20_000)
    assert csp_watch() == []


def test_the_api_docs_render_offline_under_the_csp(page: Page, csp_watch):
    # Offline: any request that leaves this machine fails, as it would without internet.
    page.route(re.compile(r"^(?!http://127\.0\.0\.1:\d+/).*"), lambda route: route.abort())
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text("Wayfinder")
    page.get_by_text("/api/events/batch").first.click()  # expands: schemas, examples, highlighted JSON
    expect(page.get_by_text("Record 1 to 1,000 events at once").first).to_be_visible()
    assert csp_watch() == []


NOT_MOVING = {
    "ok": True,
    "customers_moving": False,
    "database": {"ok": True},
    "redis": {"ok": True},
    "ticker": {"alive": False, "last_pass": None},
    "workers": {"alive": 0, "dead": 1},
}


def test_the_journeys_list_warns_when_customers_are_not_moving(page: Page):
    page.route("**/healthz", lambda route: route.fulfill(status=200, json=NOT_MOVING))
    journeys = JourneysPage(page).open()
    banner = page.get_by_test_id("engine-health-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text("Your journeys are on hold")
    # A marketer reads what is wrong in their words; the operator's commands wait inside a closed detail.
    expect(page.get_by_test_id("engine-health-noWorker")).to_contain_text("sends messages has stopped")
    expect(page.get_by_test_id("engine-health-noWorker")).not_to_contain_text("wayfinder")
    expect(page.get_by_test_id("engine-health-noTicker")).to_contain_text("waits won’t end")
    detail = page.get_by_test_id("engine-health-detail")
    expect(detail).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("engine-health-command-no_worker")).to_be_hidden()
    detail.locator("summary").click()
    expect(page.get_by_test_id("engine-health-command-no_worker")).to_contain_text("wayfinder worker")
    expect(page.get_by_test_id("engine-health-command-no_ticker")).to_contain_text("wayfinder ticker")
    journeys.set_language("zh-TW")
    expect(banner).to_contain_text("旅程目前暫停運作")
    expect(banner).to_contain_text("請通知您的技術人員")
    journeys.set_language("en")


def test_no_warning_while_the_worker_and_ticker_run(page: Page, server, http):
    deadline = time.monotonic() + 30
    while not http.get(f"{server}/healthz", timeout=5).json()["customers_moving"]:
        assert time.monotonic() < deadline, "the dev stack's worker and ticker never showed alive"
        time.sleep(0.3)
    JourneysPage(page).open()
    expect(page.get_by_test_id("journeys-page")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("engine-health-banner")).to_have_count(0)

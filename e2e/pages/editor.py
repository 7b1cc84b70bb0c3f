"""Page object of the journey editor: palette, canvas, side panel, toolbar."""

from __future__ import annotations

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Null when the element's centre is its own (nothing covers it); else a point of it (relative to it) that no other
# element covers, or null when there is none.
UNCOVERED_POINT = """el => {
    const r = el.getBoundingClientRect();
    const own = (fx, fy) => {
        const hit = document.elementFromPoint(r.left + r.width * fx, r.top + r.height * fy);
        return hit !== null && el.contains(hit);
    };
    if (own(0.5, 0.5)) return null;
    for (const fy of [0.25, 0.75, 0.1, 0.9]) {
        for (const fx of [0.5, 0.2, 0.8, 0.05, 0.95]) {
            if (own(fx, fy)) return { x: r.width * fx, y: r.height * fy };
        }
    }
    return null;
}"""


class EditorPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, journey_id: int) -> EditorPage:
        self.page.goto(f"/journeys/{journey_id}")
        self.page.get_by_test_id("editor-page").wait_for()
        self.page.get_by_test_id("canvas").wait_for()
        return self

    # canvas ------------------------------------------------------------------------------------------
    @property
    def canvas(self) -> Locator:
        return self.page.get_by_test_id("canvas")

    def node(self, node_id: str) -> Locator:
        return self.page.get_by_test_id(f"node-{node_id}")

    def node_ids(self) -> list[str]:
        return self.page.locator("[data-node-id]").evaluate_all("els => els.map(e => e.dataset.nodeId)")

    def drag_step(self, step_type: str, x: float, y: float) -> str:
        """Drag a palette item onto the canvas at (x, y) relative to the canvas; returns the new node's id."""
        before = set(self.node_ids())
        self.page.get_by_test_id(f"palette-item-{step_type}").drag_to(self.canvas, target_position={"x": x, "y": y})
        self.page.wait_for_function("n => document.querySelectorAll('[data-node-id]').length > n", arg=len(before))
        (new_id,) = set(self.node_ids()) - before
        self.node(new_id).wait_for()
        return new_id

    def handle(self, node_id: str, handle: str) -> Locator:
        return self.page.locator(f".react-flow__handle[data-nodeid='{node_id}'][data-handleid='{handle}']")

    def wait_for_steady_canvas(self) -> None:
        """Wait until no check is due (its answer can show or hide the problems banner, and the canvas below it
        moves), then for the frames that settle the layout."""
        self.page.locator("[data-testid=editor-page][data-checking=false]").wait_for()
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def connect(self, source: str, handle: str, target: str) -> None:
        """Drag with the mouse from an output handle to the target's input handle."""
        self.wait_for_steady_canvas()
        start = self.handle(source, handle).bounding_box()
        end = self.handle(target, "in").bounding_box()
        mouse = self.page.mouse
        mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
        mouse.down()
        mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
        mouse.up()
        self.edge_between(source, target).wait_for(state="attached")

    def edge_between(self, source: str, target: str) -> Locator:
        return self.page.locator(f"[data-edge-id][data-source='{source}'][data-target='{target}']")

    def delete_edge(self, source: str, target: str) -> None:
        edge_id = self.edge_between(source, target).get_attribute("data-edge-id")
        # An edge's bounding-box centre is often off its path, so select it the keyboard way: focus, Enter.
        self.page.get_by_test_id(f"rf__edge-{edge_id}").focus()
        self.page.keyboard.press("Enter")
        self.page.get_by_test_id(f"edge-delete-{edge_id}").click()
        self.edge_between(source, target).wait_for(state="detached")

    def node_error(self, node_id: str) -> Locator:
        return self.page.get_by_test_id(f"node-error-{node_id}")

    def count(self, node_id: str, metric: str) -> Locator:
        return self.page.get_by_test_id(f"node-count-{node_id}-{metric}")

    # side panel --------------------------------------------------------------------------------------
    def select(self, node_id: str) -> None:
        """Click the step where a user can see it: at a fitted 1280×720 view a step may sit partly under the
        minimap, and Playwright's click aims at the centre (then waits for the minimap to move, which it never
        does). Then a point of the step that nothing covers is clicked instead, as a user would."""
        node = self.node(node_id)
        selected = self.page.locator(f"[data-testid=settings-panel][data-node-id='{node_id}']")
        for attempt in range(3):
            point = node.evaluate(UNCOVERED_POINT)
            if point:
                node.click(position=point)
            else:
                node.click()
            # A click that lands while the viewport is still gliding (a fit after auto-layout, the problems banner
            # moving the canvas) can hit the pane instead, which a user would simply repeat: so does this, twice at
            # most, once the canvas is steady. A step that never opens its settings still fails below.
            try:
                selected.wait_for(timeout=3000 if attempt < 2 else 10000)
                return
            except PlaywrightTimeoutError:
                if attempt == 2:
                    raise
                self.wait_for_steady_canvas()

    def label(self, node_id: str, text: str) -> None:
        self.select(node_id)
        self.page.get_by_test_id("node-label-input").fill(text)

    def fill(self, node_id: str, **settings: str) -> None:
        self.select(node_id)
        for name, value in settings.items():
            field = self.page.get_by_test_id(f"setting-{name}")
            tag = field.evaluate("el => el.tagName")
            if tag == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)

    # toolbar ----------------------------------------------------------------------------------------
    def save(self) -> None:
        self.page.get_by_test_id("save-button").click()

    def publish(self) -> None:
        self.page.get_by_test_id("publish-button").click()

    @property
    def status(self) -> Locator:
        return self.page.get_by_test_id("status-badge")

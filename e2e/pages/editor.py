"""Page object of the journey editor: palette, canvas, side panel, toolbar."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


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
        self.node(node_id).click()
        self.page.get_by_test_id("settings-panel").wait_for()

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

"""Build journey graphs in code: one builder for tests, benchmarks and demo data.

    g = GraphBuilder()
    cart = g.trigger("cart", event="cart_updated")
    g.chain(cart, g.wait("wait", hours=1), g.condition("bought", event="purchase"))
    g.connect("bought", g.exit("done"), handle="yes")
    graph = g.build()

Positions are laid out top to bottom in the order nodes are added unless given; every node's settings go
through the same shape the canvas saves (`{id, type, position, data: {label, settings}}`).
"""

from __future__ import annotations

import copy
from typing import Any


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.settings: dict[str, Any] = {}

    # --- generic ---
    def node(
        self, node_id: str, node_type: str, settings: dict[str, Any] | None = None, label: str = "", x=None, y=None
    ) -> str:
        position = {"x": float(x if x is not None else 0), "y": float(y if y is not None else 140 * len(self.nodes))}
        self.nodes.append(
            {
                "id": node_id,
                "type": node_type,
                "position": position,
                "data": {"label": label, "settings": copy.deepcopy(settings or {})},
            }
        )
        return node_id

    def connect(self, source: str, target: str, handle: str | None = None) -> str:
        edge_id = f"e-{source}-{handle or 'next'}-{target}"
        edge = {"id": edge_id, "source": source, "target": target}
        if handle:
            edge["sourceHandle"] = handle
        self.edges.append(edge)
        return target

    def chain(self, *node_ids: str) -> str:
        """Connect each node's single output to the next node."""
        for source, target in zip(node_ids, node_ids[1:], strict=False):
            self.connect(source, target)
        return node_ids[-1]

    def build(self) -> dict[str, Any]:
        return {"nodes": copy.deepcopy(self.nodes), "edges": copy.deepcopy(self.edges), "settings": dict(self.settings)}

    # --- one helper per step type ---
    def trigger(self, node_id: str, event: str, filters: list[dict] | None = None, **kw) -> str:
        return self.node(node_id, "event_trigger", {"event": event, "filters": filters or []}, **kw)

    def wait(self, node_id: str, amount: int | None = None, unit: str = "hours", **kw) -> str:
        units = {u: kw.pop(u) for u in ("minutes", "hours", "days", "weeks") if u in kw}
        if units:
            ((unit, amount),) = units.items()
        return self.node(node_id, "wait", {"amount": amount, "unit": unit}, **kw)

    def condition(self, node_id: str, **settings) -> str:
        """`condition(id, event="purchase")` or `condition(id, attribute="city", op="eq", value="Taipei")`;
        other settings (window_days, min_count, step, engagement…) pass through."""
        place = {k: settings.pop(k) for k in ("label", "x", "y") if k in settings}
        if "kind" not in settings:
            kinds = {"event": "event", "step": "message", "tag": "tag"}
            settings["kind"] = next((kind for key, kind in kinds.items() if key in settings), "attribute")
        return self.node(node_id, "condition", settings, **place)

    def email(self, node_id: str, subject: str = "Hello {{ customer.first_name }}", body: str = "<p>Hi</p>", **kw):
        return self.node(node_id, "send_email", {"subject": subject, "body": body, "from_name": ""}, **kw)

    def add_tag(self, node_id: str, tag: str, amount: int = 1, **settings) -> str:
        """`add_tag(id, "vip", amount=2)`, or by events: `add_tag(id, "oily", weight_by="events", event="purchase")`."""
        place = {k: settings.pop(k) for k in ("label", "x", "y") if k in settings}
        return self.node(node_id, "add_tag", {"tag": tag, "amount": amount, **settings}, **place)

    def remove_tag(self, node_id: str, tag: str, **kw) -> str:
        return self.node(node_id, "remove_tag", {"tag": tag}, **kw)

    def update_attribute(self, node_id: str, attribute: str, operation: str = "set", **settings) -> str:
        """`(id, "tier", value="gold")`, `(id, "points", "increment", amount=5)`, `(id, "c", "clear")`."""
        place = {k: settings.pop(k) for k in ("label", "x", "y") if k in settings}
        return self.node(
            node_id, "update_attribute", {"attribute": attribute, "operation": operation, **settings}, **place
        )

    def exit(self, node_id: str, **kw) -> str:
        return self.node(node_id, "exit", {}, **kw)

    def wait_for_event(
        self,
        node_id: str,
        event: str,
        timeout: dict[str, int] | None = None,
        filters: list[dict] | None = None,
        same_as_trigger: list[str] | None = None,
        **kw,
    ) -> str:
        ((unit, amount),) = (timeout or {"hours": 24}).items()
        settings = {
            "event": event,
            "filters": filters or [],
            "same_as_trigger": same_as_trigger or [],
            "timeout_amount": amount,
            "timeout_unit": unit,
        }
        return self.node(node_id, "wait_for_event", settings, **kw)

    def action_paths(self, node_id: str, paths: list[dict], timeout: dict[str, int] | None = None, **kw) -> str:
        """`paths`: [{"id", "label", "event", "filters"?, "same_as_trigger"?}, ...] in the marketer's order."""
        ((unit, amount),) = (timeout or {"days": 3}).items()
        rows = [{"filters": [], "same_as_trigger": [], **p} for p in paths]
        return self.node(node_id, "action_paths", {"paths": rows, "timeout_amount": amount, "timeout_unit": unit}, **kw)

    def goal(self, node_id: str, event: str, filters: list[dict] | None = None, **kw) -> str:
        return self.node(node_id, "goal", {"event": event, "filters": filters or []}, **kw)

    def random_split(self, node_id: str, percents: dict[str, int], **kw) -> str:
        branches = [{"id": b, "label": b, "percent": p} for b, p in percents.items()]
        return self.node(node_id, "random_split", {"branches": branches}, **kw)

    def split(self, node_id: str, attribute: str, branches: dict[str, list], **kw) -> str:
        rows = [{"id": b, "label": b, "values": values} for b, values in branches.items()]
        return self.node(node_id, "split", {"attribute": attribute, "branches": rows}, **kw)

    def wait_until(self, node_id: str, **settings) -> str:
        place = {k: settings.pop(k) for k in ("label", "x", "y") if k in settings}
        return self.node(node_id, "wait_until", settings, **place)

    def schedule(self, node_id: str, repeat: str, audience: dict | None = None, **settings) -> str:
        """`schedule(id, "weekly", time="11:00", weekdays=["wed"])`, `schedule(id, "once", at="2026-03-10T11:00")`."""
        return self.node(node_id, "schedule_trigger", {"repeat": repeat, "audience": audience, **settings})

    def relative_date(self, node_id: str, audience: dict | None = None, **settings) -> str:
        """`relative_date(id, anchor="attribute", attribute="birthday", yearly=True, offset=3, time="10:00")`."""
        return self.node(node_id, "relative_date_trigger", {"audience": audience, **settings})

    def tag_trigger(self, node_id: str, tag: str, change: str = "added", min_weight: int | None = None, **kw) -> str:
        settings = {"tag": tag, "change": change, "min_weight": min_weight, "audience": kw.pop("audience", None)}
        return self.node(node_id, "tag_trigger", settings, **kw)

    def manual(self, node_id: str, audience: dict | None = None, **kw) -> str:
        return self.node(node_id, "manual_trigger", {"audience": audience}, **kw)

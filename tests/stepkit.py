"""Unit-test harness for step executors: a fixed `now`, a throwaway SQLite database, no Redis, no app.

    kit = StepKit(now)
    alice = kit.customer(attributes={"gender": "female"})
    result = kit.execute("split", {"attribute": "gender", "branches": [...]}, [alice])
    result.outcomes, result.effects, result.items

Items are built the way the engine builds them (context, wake reason, trigger event); `resume` takes the
wake reason to test how a step reacts to "time" versus "event:<name>".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.engine.context import StepContext
from wayfinder.models import Base, Customer, Event
from wayfinder.steps.base import Effects, Item, Outcome

# New rows get the default workspace as they do in the app (the scoping hooks are installed on import); without
# it a test file run alone wrote rows without one.
from wayfinder.workspaces import scoping  # noqa: F401, E402  isort: skip


@dataclass
class StepRun:
    outcomes: list[Outcome]
    effects: Effects
    items: list[Item]


class StepKit:
    def __init__(self, now: datetime, brand_timezone: str = "Asia/Taipei") -> None:
        self.now = now
        self.brand_timezone = brand_timezone
        self.engine = create_engine("sqlite://")
        Base.metadata.create_all(self.engine)
        self.session = Session(self.engine)
        self._ids = itertools.count(1)

    def close(self) -> None:
        self.session.close()
        self.engine.dispose()

    def customer(self, attributes: dict[str, Any] | None = None, email: str | None = "x@example.com") -> int:
        n = next(self._ids)
        c = Customer(external_id=f"c{n}", email=email, attributes=attributes or {}, created_at=self.now)
        self.session.add(c)
        self.session.flush()
        return c.id

    def event(self, customer_id: int, name: str, at: datetime, **properties: Any) -> int:
        e = Event(
            event_id=f"e{next(self._ids)}",
            customer_id=customer_id,
            name=name,
            properties=properties,
            occurred_at=at,
            received_at=at,
        )
        self.session.add(e)
        self.session.flush()
        return e.id

    def item(self, customer_id: int, node: str = "n", trigger_event_id: int | None = None, **kw: Any) -> Item:
        return Item(
            enrollment_id=kw.pop("enrollment_id", customer_id),
            journey_id=1,
            version_id=1,
            customer_id=customer_id,
            node=node,
            seq=kw.pop("seq", 1),
            entered_at=kw.pop("entered_at", self.now),
            node_entered_at=self.now,
            trigger_event_id=trigger_event_id,
            **kw,
        )

    def _run(self, mode: str, step_type: str, settings: dict, items: list, node_id: str) -> StepRun:
        step = steps.get(step_type)
        loaded = step.settings_schema().load(settings)
        assert step.check(loaded) == [], step.check(loaded)
        items = [i if isinstance(i, Item) else self.item(i, node=node_id) for i in items]
        ctx = StepContext(session=self.session, now=self.now, brand_timezone=self.brand_timezone)
        ctx.load(items)
        node = {"id": node_id, "type": step_type, "data": {"settings": loaded}}
        outcomes = getattr(step, mode)(ctx, node, items)
        assert len(outcomes) == len(items)
        return StepRun(outcomes, ctx.effects, items)

    def execute(self, step_type: str, settings: dict, items: list, node_id: str = "n") -> StepRun:
        """Run `execute` for items (or customer ids) arriving at a node with these settings."""
        return self._run("execute", step_type, settings, items, node_id)

    def resume(self, step_type: str, settings: dict, items: list, node_id: str = "n") -> StepRun:
        return self._run("resume", step_type, settings, items, node_id)

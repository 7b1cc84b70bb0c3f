"""A journey simulation on the virtual clock: the real app, database and Redis, jobs run in-process by the
inline runner, time moved forward by the test. Used by the flow-and-time integration tests."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from wayfinder.engine.counts import journey_counts
from wayfinder.engine.runner import InlineRunner
from wayfinder.extensions import db
from wayfinder.models import Customer, Enrollment, StepHistory


class Sim:
    def __init__(self, app, clock) -> None:
        self.app, self.clock = app, clock
        self.client = app.test_client()
        self.runner = InlineRunner(app, clock)

    @property
    def now(self):
        return self.clock.now()

    def publish(self, graph: dict, name: str = "Sim") -> int:
        journey = self.client.post("/api/journeys", json={"name": name, "graph": graph}).get_json()
        response = self.client.post(f"/api/journeys/{journey['id']}/publish")
        assert response.status_code == 200, response.get_json()
        return journey["id"]

    def customers(self, people: dict[str, dict[str, Any]]) -> None:
        for external_id, attributes in people.items():
            response = self.client.post(
                "/api/customers",
                json={"external_id": external_id, "email": f"{external_id}@example.com", "attributes": attributes},
            )
            assert response.status_code in (200, 201), response.get_json()

    def track(self, events: list[tuple[str, str, dict]]) -> None:
        """Track (customer, event name, properties) now, as one batch, and run the jobs it leads to."""
        payload = [
            {"event_id": f"{c}-{name}-{self.now.isoformat()}-{i}", "customer_id": c, "name": name, "properties": p}
            for i, (c, name, p) in enumerate(events)
        ]
        for start in range(0, len(payload), 1000):
            response = self.client.post("/api/events/batch", json={"events": payload[start : start + 1000]})
            assert response.status_code == 202, response.get_json()
        self.runner.run_jobs()

    def advance(self, **delta) -> None:
        self.runner.advance(**delta)

    def counts(self, journey_id: int) -> dict[str, dict[str, int]]:
        with self.app.app_context():
            counts = journey_counts(db.session, journey_id)
            db.session.remove()
        return counts

    def assert_conserved(self, journey_id: int) -> dict[str, dict[str, int]]:
        counts = self.counts(journey_id)
        for node, c in counts.items():
            assert c["entered"] == c["waiting"] + c["moved_on"] + c["exited"] + c["errored"], (node, c)
            assert min(c.values()) >= 0, (node, c)
            assert c["converted"] <= c["exited"], (node, c)
        return counts

    def paths(self, journey_id: int) -> dict[str, list[tuple]]:
        """Each customer's transitions in this journey: (from, handle, to, reason), in order."""
        rows = db.session.execute(
            select(
                Customer.external_id, StepHistory.from_node, StepHistory.handle, StepHistory.to_node, StepHistory.reason
            )
            .join(Enrollment, Enrollment.id == StepHistory.enrollment_id)
            .join(Customer, Customer.id == Enrollment.customer_id)
            .where(StepHistory.journey_id == journey_id)
            .order_by(Enrollment.id, StepHistory.seq)
        ).all()
        db.session.remove()
        paths: dict[str, list[tuple]] = defaultdict(list)
        for external_id, *step in rows:
            paths[external_id].append(tuple(step))
        return dict(paths)

    def left_at(self, journey_id: int, node_id: str) -> dict[str, datetime]:
        """When each customer left `node_id` of this journey (their last departure from it)."""
        rows = db.session.execute(
            select(Customer.external_id, StepHistory.at)
            .join(Enrollment, Enrollment.id == StepHistory.enrollment_id)
            .join(Customer, Customer.id == Enrollment.customer_id)
            .where(StepHistory.journey_id == journey_id, StepHistory.from_node == node_id)
            .order_by(StepHistory.id)
        ).all()
        db.session.remove()
        return dict(rows)

    def statuses(self, journey_id: int) -> dict[str, str]:
        rows = db.session.execute(
            select(Customer.external_id, Enrollment.status)
            .join(Customer, Customer.id == Enrollment.customer_id)
            .where(Enrollment.journey_id == journey_id)
        ).all()
        db.session.remove()
        return dict(rows)

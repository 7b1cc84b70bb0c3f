"""Per-node and per-output tallies: accumulated in memory during a batch, written in the batch's transaction."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayfinder.db_utils import upsert_add
from wayfinder.models import EdgeCount, NodeCount

METRICS = ("entered", "moved_on", "exited", "errored", "converted")


class CountDeltas:
    """Counter increments keyed by (journey, version, node), and by (journey, version, node, output handle)."""

    def __init__(self) -> None:
        self._deltas: dict[tuple[int, int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
        self._edges: dict[tuple[int, int, str, str], int] = defaultdict(int)

    def add(self, journey_id: int, version_id: int, node_id: str, metric: str, amount: int = 1) -> None:
        self._deltas[(journey_id, version_id, node_id)][metric] += amount

    def add_edge(self, journey_id: int, version_id: int, node_id: str, handle: str) -> None:
        """One customer left `node_id` through its output `handle`."""
        self._edges[(journey_id, version_id, node_id, handle)] += 1

    @property
    def journey_ids(self) -> set[int]:
        return {key[0] for key in self._deltas}

    def write(self, session: Session) -> None:
        rows = [
            {"journey_id": j, "version_id": v, "node_id": n, **metrics}
            for (j, v, n), metrics in sorted(self._deltas.items())  # sorted: a fixed lock order between workers
        ]
        upsert_add(session, NodeCount.__table__, rows, key=("journey_id", "version_id", "node_id"), add=METRICS)
        edges = [
            {"journey_id": j, "version_id": v, "node_id": n, "handle": h, "count": count}
            for (j, v, n, h), count in sorted(self._edges.items())
        ]
        upsert_add(
            session, EdgeCount.__table__, edges, key=("journey_id", "version_id", "node_id", "handle"), add=("count",)
        )


def journey_counts(session: Session, journey_id: int) -> dict[str, dict[str, int]]:
    """Counts per node of a journey, summed over its versions: entered, waiting (now), moved_on, exited,
    errored (parked by a failing step), and converted (the exits that were conversions, a subset of exited);
    entered = waiting + moved_on + exited + errored."""
    rows = session.execute(
        select(NodeCount.node_id, *(func.sum(getattr(NodeCount, m)) for m in METRICS))
        .where(NodeCount.journey_id == journey_id)
        .group_by(NodeCount.node_id)
    )
    counts: dict[str, dict[str, Any]] = {}
    for node_id, entered, moved_on, exited, errored, converted in rows:
        entered, moved_on, exited, errored = (int(v or 0) for v in (entered, moved_on, exited, errored))
        counts[node_id] = {
            "entered": entered,
            "waiting": entered - moved_on - exited - errored,
            "moved_on": moved_on,
            "exited": exited,
            "errored": errored,
            "converted": int(converted or 0),
        }
    return counts


def edge_counts(session: Session, journey_id: int) -> dict[str, dict[str, int]]:
    """{node: {output handle: customers who left through it}} of a journey, summed over its versions."""
    counts: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(EdgeCount.node_id, EdgeCount.handle, func.sum(EdgeCount.count))
        .where(EdgeCount.journey_id == journey_id)
        .group_by(EdgeCount.node_id, EdgeCount.handle)
    )
    for node_id, handle, n in rows:
        counts.setdefault(node_id, {})[handle] = int(n or 0)
    return counts

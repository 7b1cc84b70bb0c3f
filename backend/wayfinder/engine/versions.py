"""Published graphs, indexed for stepping. A published graph never changes, so it is cached per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.engine.context import zone
from wayfinder.models import DEFAULT_WORKSPACE_ID, Journey, JourneyVersion, VersionStatus
from wayfinder.steps.journey_settings import JourneyRules


@dataclass(frozen=True)
class GraphIndex:
    nodes: dict[str, dict[str, Any]]
    edges: dict[tuple[str, str], str]  # (source node, handle) -> target node
    triggers: tuple[str, ...]
    goals: tuple[str, ...] = ()  # goal nodes: where a converting customer goes (their `next` is the final path)
    # The journey's settings as rules (re-entry, dates, quiet hours, caps, time zone).
    rules: JourneyRules = field(default_factory=JourneyRules)
    # The journey's own `settings.timezone` when the stored graph names one (published versions do; older
    # ones may hold `{}`): steps fall back to it, rather than the brand's, for customers without a zone.
    timezone: tzinfo | None = None


@dataclass(frozen=True)
class VersionGraph:
    id: int
    journey_id: int
    status: str
    index: GraphIndex
    workspace_id: int = DEFAULT_WORKSPACE_ID  # the journey's workspace: fan-outs stay inside it

    @property
    def runs(self) -> bool:
        """Customers inside advance unless the version is paused (archived versions let them finish)."""
        return self.status != VersionStatus.PAUSED

    @property
    def nodes(self) -> dict[str, dict[str, Any]]:
        return self.index.nodes

    @property
    def rules(self) -> JourneyRules:
        return self.index.rules

    @property
    def timezone(self) -> tzinfo | None:
        return self.index.timezone

    def target(self, node_id: str, handle: str) -> str | None:
        return self.index.edges.get((node_id, handle))


def index_graph(graph: dict[str, Any]) -> GraphIndex:
    nodes = {n["id"]: n for n in graph["nodes"]}
    edges = {}
    for edge in graph["edges"]:
        source = nodes[edge["source"]]
        outputs = steps.get(source["type"]).output_ids(source["data"].get("settings") or {})
        handle = edge.get("sourceHandle") or outputs[0]
        edges[(edge["source"], handle)] = edge["target"]
    triggers = tuple(n["id"] for n in graph["nodes"] if steps.get(n["type"]).is_trigger)
    goals = tuple(n["id"] for n in graph["nodes"] if steps.get(n["type"]).goal_events(n["data"].get("settings") or {}))
    rules = JourneyRules.from_settings(graph.get("settings"))
    named = (graph.get("settings") or {}).get("timezone")
    timezone = zone(named, None) if named else None
    return GraphIndex(nodes=nodes, edges=edges, triggers=triggers, goals=goals, rules=rules, timezone=timezone)


# (version id, published_at) -> index. Only frozen versions are ever stepped and their graph never changes;
# published_at is part of the key so that a recreated database reusing an id never hits a stale entry.
_index_cache: dict[tuple[int, object], GraphIndex] = {}


def clear_cache() -> None:
    """Forget every indexed graph (tests that empty the database and reuse ids on a virtual clock, where even
    `published_at` repeats)."""
    _index_cache.clear()


def load_versions(session: Session, version_ids: set[int]) -> dict[int, VersionGraph]:
    """Versions by id with their indexed graphs (statuses are read fresh, graphs come from the cache)."""
    ids = sorted(version_ids)
    v = JourneyVersion
    rows = session.execute(
        select(v.id, v.journey_id, v.status, v.published_at, v.workspace_id).where(v.id.in_(ids))
    ).all()
    missing = [vid for vid, _j, _s, published_at, _w in rows if (vid, published_at) not in _index_cache]
    if missing:
        for vid, published_at, graph in session.execute(
            select(JourneyVersion.id, JourneyVersion.published_at, JourneyVersion.graph).where(
                JourneyVersion.id.in_(missing)
            )
        ):
            _index_cache[(vid, published_at)] = index_graph(graph)
    return {
        vid: VersionGraph(vid, jid, status, _index_cache[(vid, at)], workspace)
        for vid, jid, status, at, workspace in rows
    }


def journey_workspaces(session: Session, journey_ids: set[int]) -> dict[int, int]:
    """The workspace of each of these journeys: one query by primary key per batch, never per customer. (Not
    cached across units of work: a test database that is emptied may give an id to another workspace's journey.)"""
    if not journey_ids:
        return {}
    rows = session.execute(select(Journey.id, Journey.workspace_id).where(Journey.id.in_(sorted(journey_ids))))
    return {journey_id: workspace_id for journey_id, workspace_id in rows}

"""Journey lifecycle: create, save the draft (optimistic revisions), validate, publish, pause, resume, archive."""

from __future__ import annotations

import copy
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.engine.schedules import schedule_version
from wayfinder.errors import Conflict, InvalidJourney, NotFound
from wayfinder.journeys import gallery
from wayfinder.journeys.graph import (
    blocking,
    errors_as_dicts,
    goal_events,
    normalise_settings,
    trigger_events,
    validate_graph,
)
from wayfinder.models import (
    IN_JOURNEY,
    Customer,
    Enrollment,
    Event,
    Journey,
    JourneyStatus,
    JourneyVersion,
    VersionStatus,
    utcnow,
)
from wayfinder.schemas.fields import INT32_MAX
from wayfinder.schemas.graph import EMPTY_GRAPH
from wayfinder.workspaces.scoping import workspace_of_new_rows
from wayfinder.workspaces.settings import settings_for


def get_journey(session: Session, journey_id: int) -> Journey:
    """The journey, or NotFound. An id beyond the column's range (1 … 2**31-1) cannot name one and is not sent
    to the database, whose driver would fail on it ("integer out of range" on PostgreSQL)."""
    journey = session.get(Journey, journey_id) if 1 <= journey_id <= INT32_MAX else None
    if journey is None:
        raise NotFound(f"Journey {journey_id} not found")
    return journey


def current_graph(journey: Journey) -> dict[str, Any]:
    """What the editor shows: the draft, or the latest frozen version when there is no draft."""
    version = journey.draft or (journey.versions[-1] if journey.versions else None)
    return copy.deepcopy(version.graph) if version else copy.deepcopy(EMPTY_GRAPH)


def _settled(journey: Journey | None, graph: dict[str, Any]) -> dict[str, Any]:
    """`graph` with what the backend owns in step settings filled in (`StepType.on_save`, e.g. a random split's
    seed), from the same node in the journey's draft and frozen versions."""
    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
        return graph
    versions = list(reversed(journey.versions)) if journey is not None else []

    def settings_in(version: JourneyVersion, node_id: str, node_type: str) -> dict[str, Any] | None:
        for node in (version.graph or {}).get("nodes") or []:
            if isinstance(node, dict) and node.get("id") == node_id and node.get("type") == node_type:
                settings = (node.get("data") or {}).get("settings")
                return settings if isinstance(settings, dict) else {}
        return None

    draft_version = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    frozen_versions = [v for v in versions if v.status != VersionStatus.DRAFT]
    graph = copy.deepcopy(graph)
    for node in graph["nodes"]:
        step = steps.get(node.get("type")) if isinstance(node, dict) and isinstance(node.get("type"), str) else None
        data = node.get("data") if step is not None else None
        if not isinstance(data, dict) or not isinstance(data.get("settings") or {}, dict):
            continue
        node_id, node_type = node.get("id"), node["type"]
        draft = settings_in(draft_version, node_id, node_type) if draft_version is not None else None
        frozen = [found for v in frozen_versions if (found := settings_in(v, node_id, node_type)) is not None]
        data["settings"] = step.on_save(data.get("settings") or {}, draft, frozen)
    return graph


def _with_brand_zone(session: Session, workspace_id: int, graph: dict[str, Any]) -> dict[str, Any]:
    """`graph` with the workspace's time zone as the journey's when the journey names none (the brand setting,
    read through the path the engine uses)."""
    if isinstance(graph, dict) and isinstance(graph.get("settings", {}), dict):
        settings = graph.setdefault("settings", {})
        if not settings.get("timezone"):
            settings["timezone"] = settings_for(session, workspace_id).time_zone
    return graph


def create_journey(
    session: Session,
    name: str | None = None,
    description: str = "",
    graph: dict | None = None,
    workspace_id: int | None = None,
    template: str | None = None,
    lang: str | None = None,
) -> Journey:
    """A new draft in `workspace_id` (default: the workspace the session serves, see `workspaces.scoping`).

    With `template` (a gallery key, `journeys.gallery`), the draft starts from that template's graph in `lang`
    (default: the workspace's language), named and described as the template unless `name` / `description`
    say otherwise. An unknown template raises ValueError (the API's schema refuses it first)."""
    now = utcnow()
    workspace_id = workspace_of_new_rows(session) if workspace_id is None else workspace_id
    if template is not None:
        chosen = gallery.get(template)
        if chosen is None:
            raise ValueError(f"Unknown journey template {template!r}")
        made = chosen(lang or settings_for(session, workspace_id).language)
        name, description, graph = name or made["name"], description or made["description"], made["graph"]
    if not name:
        raise ValueError("A journey needs a name")
    graph = _with_brand_zone(session, workspace_id, _settled(None, graph or copy.deepcopy(EMPTY_GRAPH)))
    journey = Journey(
        workspace_id=workspace_id, name=name, description=description, revision=1, created_at=now, updated_at=now
    )
    journey.versions.append(
        JourneyVersion(workspace_id=workspace_id, number=1, status=VersionStatus.DRAFT, graph=graph)
    )
    journey.refresh_status()
    session.add(journey)
    session.flush()
    return journey


def save_draft(
    session: Session,
    journey: Journey,
    revision: int,
    name: str | None = None,
    description: str | None = None,
    graph: dict | None = None,
) -> Journey:
    """Save changes made on top of `revision`; a stale revision means someone else saved first (409)."""
    if journey.status == JourneyStatus.ARCHIVED:
        raise Conflict("An archived journey cannot be edited", current_revision=journey.revision)
    if revision != journey.revision:
        raise Conflict(
            f"This journey was changed elsewhere (revision {journey.revision}, yours is {revision}). Reload it.",
            current_revision=journey.revision,
        )
    if name is not None:
        journey.name = name
    if description is not None:
        journey.description = description
    if graph is not None:
        graph = _settled(journey, graph)
        draft = journey.draft
        if draft is None:
            number = max((v.number for v in journey.versions), default=0) + 1
            draft = JourneyVersion(number=number, status=VersionStatus.DRAFT, graph=graph)
            journey.versions.append(draft)
        else:
            draft.graph = graph
    journey.revision += 1
    journey.updated_at = utcnow()
    session.flush()
    return journey


def without_layout(graph: dict[str, Any]) -> dict[str, Any]:
    """What a graph does, without where its steps sit on the canvas: node positions are presentation only (the
    engine never reads them), so tidying up the canvas changes nothing a customer goes through. Nodes and edges
    are keyed by id, so their order does not count either; settings are loaded through their schemas (defaults
    filled, as `publish` stores them) when the graph is valid."""
    try:
        graph = normalise_settings(copy.deepcopy(graph))
    except (ValidationError, KeyError, TypeError, AttributeError):
        graph = copy.deepcopy(graph)  # not publishable as it is: compared as written
    nodes = {n.get("id"): {k: v for k, v in n.items() if k != "position"} for n in graph.get("nodes") or []}
    edges = {e.get("id"): e for e in graph.get("edges") or []}
    return {"nodes": nodes, "edges": edges, "settings": graph.get("settings") or {}}


def has_unpublished_changes(journey: Journey) -> bool:
    """Whether publishing the draft would change what customers go through: a draft that differs from the live
    version only in its steps' positions (an auto-layout, a step dragged aside) is not an unpublished change."""
    draft = journey.draft
    if draft is None:
        return False
    live = journey.live_version
    if live is None:
        return True
    return without_layout(draft.graph) != without_layout(live.graph)


def check(graph: dict[str, Any]) -> list[dict[str, Any]]:
    """The problems that block publishing."""
    return errors_as_dicts(blocking(validate_graph(graph)))


class WorkspaceData:
    """`graph.Known` from the database: bounded queries, one per name a graph uses, cached for one validation.

    Only the most recent customers and events are looked at, so a check costs the same however large the
    workspace; a name seen only long ago may be warned about (a warning never blocks publishing). With no
    customers (or no events) at all there is nothing to tell, and every name counts as known.
    """

    RECENT_CUSTOMERS = 10_000
    RECENT_EVENTS = 50_000
    SAMPLED_TRIGGER_EVENTS = 1_000

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[tuple, Any] = {}

    def _cached(self, key: tuple, ask) -> bool:
        if key not in self._cache:
            self._cache[key] = ask()
        return self._cache[key]

    def _any(self, query) -> bool:
        return self.session.scalar(query.limit(1)) is not None

    def customer_attribute(self, name: str) -> bool:
        def ask() -> bool:
            if not self._any(select(Customer.id)):
                return True
            recent = select(Customer.attributes).order_by(Customer.id.desc()).limit(self.RECENT_CUSTOMERS).subquery()
            return self._any(select(literal(1)).where(recent.c.attributes[name].as_string().is_not(None)))

        return self._cached(("customer", name), ask)

    def event(self, name: str) -> bool:
        def ask() -> bool:
            if not self._any(select(Event.id)):
                return True
            recent = select(Event.name).order_by(Event.id.desc()).limit(self.RECENT_EVENTS).subquery()
            return self._any(select(literal(1)).where(recent.c.name == name))

        return self._cached(("event", name), ask)

    def event_property(self, events: tuple[str, ...], name: str) -> bool:
        key = ("properties", events)
        if key not in self._cache:
            recent = select(Event.name, Event.properties).order_by(Event.id.desc()).limit(self.RECENT_EVENTS).subquery()
            rows = self.session.scalars(
                select(recent.c.properties).where(recent.c.name.in_(events)).limit(self.SAMPLED_TRIGGER_EVENTS)
            ).all()
            self._cache[key] = {k for props in rows if isinstance(props, dict) for k in props} if rows else None
        keys = self._cache[key]
        return keys is None or name in keys


def check_all(graph: dict[str, Any], session: Session | None = None) -> list[dict[str, Any]]:
    """Every problem of a graph, errors first, each with its `severity`: errors block publishing, warnings are
    shown on their nodes but do not. With a session, names that no stored customer or event has are warned
    about too."""
    problems = validate_graph(graph, WorkspaceData(session) if session is not None else None)
    errors = blocking(problems)
    return errors_as_dicts([*errors, *(p for p in problems if p not in errors)])


def publish(session: Session, journey: Journey) -> Journey:
    """Freeze the draft as the live version. Customers inside an older version finish its path."""
    draft = journey.draft
    if draft is None:
        raise Conflict("There are no unpublished changes", current_revision=journey.revision)
    draft.graph = _with_brand_zone(session, journey.workspace_id, _settled(journey, draft.graph))
    errors = check(draft.graph)
    if errors:
        raise InvalidJourney(f"The journey has {len(errors)} problem(s) to fix before publishing", errors=errors)
    now = utcnow()
    for version in journey.versions:
        if version.status in (VersionStatus.PUBLISHED, VersionStatus.PAUSED):
            version.status = VersionStatus.ARCHIVED
    graph = normalise_settings(copy.deepcopy(draft.graph))
    draft.graph = graph
    draft.trigger_events = trigger_events(graph)
    draft.goal_events = goal_events(graph)
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = now
    journey.refresh_status()
    journey.revision += 1
    journey.updated_at = now
    session.flush()
    schedule_version(session, draft, now)
    return journey


def _set_live_status(journey: Journey, expected: str, new: str) -> Journey:
    version = journey.version_with(expected)
    if version is None:
        raise Conflict(f"The journey is not {expected}", current_revision=journey.revision)
    version.status = new
    journey.refresh_status()
    journey.revision += 1
    journey.updated_at = utcnow()
    return journey


def pause(session: Session, journey: Journey) -> Journey:
    """Stop enrolling; customers inside stay where they are until resumed."""
    return _set_live_status(journey, VersionStatus.PUBLISHED, VersionStatus.PAUSED)


def resume(session: Session, journey: Journey) -> Journey:
    """Run again. Schedules count from now: firings due while paused are not made up."""
    _set_live_status(journey, VersionStatus.PAUSED, VersionStatus.PUBLISHED)
    schedule_version(session, journey.version_with(VersionStatus.PUBLISHED), utcnow())
    return journey


def delete_or_archive(session: Session, journey: Journey) -> None:
    """A journey never published is deleted; otherwise it is archived and its customers finish their path."""
    if all(v.status == VersionStatus.DRAFT for v in journey.versions):
        session.delete(journey)
        return
    for version in journey.versions:
        if version.status in (VersionStatus.PUBLISHED, VersionStatus.PAUSED):
            version.status = VersionStatus.ARCHIVED
    journey.refresh_status()
    journey.revision += 1


def step_labels(session: Session, journey_ids: set[int]) -> dict[int, dict[str, str]]:
    """Per journey, the labels its steps have in the graph the editor shows (the draft, else the latest version),
    by node id; unlabelled steps are left out. One query for all the journeys."""
    if not journey_ids:
        return {}
    # The draft, when there is one, always carries the highest number (see `save_draft`).
    newest = (
        select(JourneyVersion.journey_id, func.max(JourneyVersion.number).label("number"))
        .where(JourneyVersion.journey_id.in_(journey_ids))
        .group_by(JourneyVersion.journey_id)
        .subquery()
    )
    rows = session.execute(
        select(JourneyVersion.journey_id, JourneyVersion.graph).join(
            newest, (JourneyVersion.journey_id == newest.c.journey_id) & (JourneyVersion.number == newest.c.number)
        )
    )
    return {
        journey_id: {
            str(node.get("id")): label
            for node in (graph or {}).get("nodes", [])
            if isinstance(node, dict) and (label := (node.get("data") or {}).get("label"))
        }
        for journey_id, graph in rows
    }


def summaries(session: Session, journeys: list[Journey], detail: bool = False) -> list[dict[str, Any]]:
    """Journeys with how many customers ever entered and how many are inside now (one grouped query)."""
    ids = [j.id for j in journeys]
    totals: dict[int, tuple[int, int]] = {}
    if ids:
        inside = case((Enrollment.status.in_(IN_JOURNEY), 1), else_=0)
        for journey_id, entered, active in session.execute(
            select(Enrollment.journey_id, func.count(), func.sum(inside))
            .where(Enrollment.journey_id.in_(ids))
            .group_by(Enrollment.journey_id)
        ):
            totals[journey_id] = (int(entered), int(active or 0))
    return [describe(j, *totals.get(j.id, (0, 0)), detail=detail) for j in journeys]


def describe(journey: Journey, entered: int = 0, active: int = 0, detail: bool = False) -> dict[str, Any]:
    """A journey as the API shows it; `detail` adds the graph and the versions (the editor's view)."""
    live = journey.live_version
    summary = {
        "id": journey.id,
        "name": journey.name,
        "description": journey.description,
        "status": journey.status,
        "revision": journey.revision,
        "updated_at": journey.updated_at,
        "live_version": live.number if live else None,
        "entered": entered,
        "active": active,
    }
    if detail:
        frozen = [v for v in journey.versions if v.status != VersionStatus.DRAFT]
        summary["graph"] = current_graph(journey)
        summary["has_unpublished_changes"] = has_unpublished_changes(journey)
        summary["versions"] = [{"number": v.number, "status": v.status, "published_at": v.published_at} for v in frozen]
    return summary

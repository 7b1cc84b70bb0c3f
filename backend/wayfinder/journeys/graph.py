"""Structural and per-step validation of a journey graph, with errors located on nodes and edges."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, tzinfo
from typing import Any, Protocol

import networkx as nx
from marshmallow import ValidationError

from wayfinder import clock, steps
from wayfinder.audience.profile import BUILTIN_CUSTOMER_FIELDS
from wayfinder.schemas.graph import JourneyGraphSchema
from wayfinder.steps import journey_settings
from wayfinder.templating import template_problem, template_variables


class Known(Protocol):
    """What the workspace's stored data knows, asked only about the names a graph uses. Each answer is True
    when the name is known, or when there is no data to tell (a new workspace gets no warnings)."""

    def customer_attribute(self, name: str) -> bool: ...

    def event(self, name: str) -> bool: ...

    def event_property(self, events: tuple[str, ...], name: str) -> bool: ...


@dataclass(frozen=True)
class LocatedError:
    code: str
    message: str
    node_id: str | None = None
    edge_id: str | None = None
    field: str | None = None
    # "warning": shown on the node, does not block publishing.
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_graph(data: Any) -> dict[str, Any]:
    """The graph's shape, validated and normalised; raises marshmallow.ValidationError (a 400)."""
    return JourneyGraphSchema().load(data)


def _flatten(messages: Any, prefix: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested error dict as (dotted field, message) pairs."""
    if isinstance(messages, dict):
        out: list[tuple[str, str]] = []
        for key, value in messages.items():
            out += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [(prefix, m) for m in messages]
    return [(prefix, str(messages))]


def settings_errors(node: dict[str, Any], tz: tzinfo | None = None, now: datetime | None = None) -> list[LocatedError]:
    """The node's settings problems; with the journey's zone `tz` and `now`, those that depend on them too
    (`StepType.check_when`, e.g. a one-off schedule already past in the zone it fires in)."""
    step = steps.get(node["type"])
    if step is None:
        return [LocatedError("unknown_type", f"Unknown step type '{node['type']}'", node_id=node["id"])]
    settings = node["data"].get("settings") or {}
    try:
        loaded = step.settings_schema().load(settings)
    except ValidationError as exc:
        errors = [
            LocatedError("invalid_settings", f"{name}: {message}", node_id=node["id"], field=name)
            for name, message in _flatten(exc.messages)
        ]
        # The step's own checks (e.g. a template that does not compile) still run on the fields that loaded,
        # so such a problem is reported whatever the state of the other fields.
        flagged = {e.field for e in errors}
        try:
            extra = step.check(exc.valid_data or {})
        except (KeyError, TypeError, ValueError, AttributeError):
            extra = []  # a check that needs the missing fields waits until they are filled
        errors += [
            LocatedError(code, message, node_id=node["id"], field=name)
            for name, code, message in extra
            if name not in flagged
        ]
        return errors
    timed = step.check_when(loaded, tz, now) if tz is not None and now is not None else []
    return [
        LocatedError(code, message, node_id=node["id"], field=name)
        for name, code, message in [*step.check(loaded), *timed]
    ] + [
        LocatedError(code, message, node_id=node["id"], field=name, severity="warning")
        for name, code, message in step.warnings(loaded)
    ]


def journey_settings_errors(graph: dict[str, Any]) -> list[LocatedError]:
    """Problems of the journey's own settings, located on `settings.<field>` (no node)."""
    try:
        journey_settings.load(graph.get("settings"))
    except ValidationError as exc:
        return [
            LocatedError("invalid_journey_settings", message, field=f"settings.{name}")
            for name, message in _flatten(exc.messages)
        ]
    return []


def normalise_settings(graph: dict[str, Any]) -> dict[str, Any]:
    """The graph with each node's settings (and the journey's) loaded through their schemas (defaults filled);
    assumes it is valid."""
    graph["settings"] = journey_settings.load(graph.get("settings"))
    for node in graph["nodes"]:
        node["data"]["settings"] = steps.get(node["type"]).settings_schema().load(node["data"].get("settings") or {})
    return graph


def validate_graph(
    graph: dict[str, Any], known: Known | None = None, now: datetime | None = None
) -> list[LocatedError]:
    """Every problem of `graph` (already shape-checked by `load_graph`): errors keep it from being published,
    warnings (`severity="warning"`) do not. With `known` (the workspace's data, see `journeys.service`), names
    no data has ever had are warned about too. Dates are checked against `now` (default: the app clock) in the
    journey's own time zone."""
    now = now or clock.now()
    tz = journey_settings.zone_of(graph.get("settings"))
    errors: list[LocatedError] = []
    nodes = graph["nodes"]
    edges = graph["edges"]

    node_ids = Counter(n["id"] for n in nodes)
    edge_ids = Counter(e["id"] for e in edges)
    errors += [
        LocatedError("duplicate_id", f"Two steps share the id '{i}'", node_id=i) for i, c in node_ids.items() if c > 1
    ]
    errors += [
        LocatedError("duplicate_id", f"Two connections share the id '{i}'", edge_id=i)
        for i, c in edge_ids.items()
        if c > 1
    ]

    by_id = {n["id"]: n for n in nodes}
    errors += journey_settings_errors(graph)
    for node in nodes:
        errors += settings_errors(node, tz, now)

    triggers = [n["id"] for n in nodes if (t := steps.get(n["type"])) is not None and t.is_trigger]
    # Paths start at every step without an input: triggers, and goals (whose output is the final path).
    roots = [n["id"] for n in nodes if (t := steps.get(n["type"])) is not None and not t.has_input]
    if not triggers:
        errors.append(LocatedError("no_trigger", "The journey needs at least one trigger"))

    graph_nx = nx.MultiDiGraph()
    graph_nx.add_nodes_from(by_id)
    used_handles: dict[tuple[str, str], str] = {}
    for edge in edges:
        source, target = by_id.get(edge["source"]), by_id.get(edge["target"])
        if source is None or target is None:
            missing = edge["source"] if source is None else edge["target"]
            errors.append(
                LocatedError(
                    "dangling_edge", f"The connection points to a missing step '{missing}'", edge_id=edge["id"]
                )
            )
            continue
        source_type, target_type = steps.get(source["type"]), steps.get(target["type"])
        if target_type is not None and not target_type.has_input:
            errors.append(
                LocatedError(
                    "trigger_has_input",
                    "A trigger cannot have incoming connections",
                    edge_id=edge["id"],
                    node_id=target["id"],
                )
            )
        if source_type is not None:
            outputs = source_type.output_ids(source["data"].get("settings") or {})
            # No handle named: the only output, or `next` where it comes first (a send step's, beside `unreachable`).
            handle = edge.get("sourceHandle") or (outputs[0] if len(outputs) == 1 or outputs[:1] == ["next"] else None)
            if handle not in outputs:
                what = f"has no output '{handle}'" if handle else "needs to say which output it leaves from"
                errors.append(LocatedError("unknown_handle", f"Step '{source['id']}' {what}", edge_id=edge["id"]))
            elif (source["id"], handle) in used_handles:
                errors.append(
                    LocatedError(
                        "handle_multiple",
                        f"Output '{handle}' of '{source['id']}' is already connected",
                        edge_id=edge["id"],
                        node_id=source["id"],
                    )
                )
            else:
                used_handles[(source["id"], handle)] = edge["id"]
        graph_nx.add_edge(source["id"], target["id"], key=edge["id"])

    for node in nodes:
        step = steps.get(node["type"])
        for spec in step.outputs(node["data"].get("settings") or {}) if step else ():
            if spec.required and (node["id"], spec.id) not in used_handles:
                errors.append(
                    LocatedError(
                        "handle_unconnected",
                        f"Connect the '{spec.label or spec.id}' output",
                        node_id=node["id"],
                        field=spec.id,
                    )
                )

    for cycle in _cycles(graph_nx):
        names = " → ".join([*cycle, cycle[0]])
        errors += [LocatedError("cycle", f"This step is on a loop: {names}", node_id=n) for n in cycle]

    errors += _engagement_steps(nodes, by_id, graph_nx)
    if known is not None:
        errors += unknown_names(graph, known)

    reachable: set[str] = set()
    for root in roots:
        reachable |= nx.descendants(graph_nx, root) | {root}
    if triggers:
        errors += [
            LocatedError("unreachable", "No trigger leads to this step", node_id=n["id"])
            for n in nodes
            if n["id"] not in reachable and node_ids[n["id"]] == 1
        ]
    return errors


def unknown_names(graph: dict[str, Any], known: Known) -> list[LocatedError]:
    """Warnings for template reads of customer attributes / event properties and goal events that nothing in
    the workspace's data has."""
    warnings: list[LocatedError] = []
    enrolling = tuple(trigger_events(graph))
    for node in graph["nodes"]:
        step = steps.get(node["type"])
        settings = node["data"].get("settings") or {}
        if step is None:
            continue
        for field_name in step.template_fields:
            source = settings.get(field_name)
            if not isinstance(source, str) or template_problem(source):
                continue
            for root, name in template_variables(source):
                if root == "customer":
                    if name in BUILTIN_CUSTOMER_FIELDS or known.customer_attribute(name):
                        continue
                    message = f"No customer has the attribute '{name}' yet: customer.{name} will be empty"
                elif enrolling and not known.event_property(enrolling, name):
                    message = f"No event that starts this journey has the property '{name}': event.{name} will be empty"
                else:
                    continue
                warnings.append(
                    LocatedError(
                        "unknown_template_variable", message, node_id=node["id"], field=field_name, severity="warning"
                    )
                )
        for event in step.goal_events(settings) if node["type"] == "goal" else ():
            if event not in enrolling and not known.event(event):
                warnings.append(
                    LocatedError(
                        "goal_event_unknown",
                        f"The event '{event}' has never been received and no trigger of this journey sends it:"
                        " check its name",
                        node_id=node["id"],
                        field="event",
                        severity="warning",
                    )
                )
    return warnings


# Steps that read the engagement with an earlier send step, and the setting naming it.
ENGAGEMENT_FIELDS = {"wait_for_engagement": "message_step", "condition": "step"}


def _engagement_step(node: dict[str, Any]) -> str | None:
    """The field of `node` naming the send step whose message it reads, None when it reads none."""
    settings = node["data"].get("settings") or {}
    field = ENGAGEMENT_FIELDS.get(node["type"])
    if field is None or (node["type"] == "condition" and settings.get("kind") != "message"):
        return None
    return field if isinstance(settings.get(field), str) and settings[field] else None


def _engagement_steps(
    nodes: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], graph_nx: nx.MultiDiGraph
) -> list[LocatedError]:
    """An engagement condition or wait must name a sending step that comes before it on a path."""
    errors = []
    for node in nodes:
        field = _engagement_step(node)
        if field is None:
            continue
        step_id = node["data"]["settings"][field]
        what = "wait" if node["type"] == "wait_for_engagement" else "condition"
        chosen = by_id.get(step_id)
        chosen_type = steps.get(chosen["type"]) if chosen else None
        if chosen is None:
            message = f"Choose a message step: there is no step '{step_id}' in this journey"
        elif chosen_type is None or chosen_type.channel is None:
            message = f"Choose a message step: '{step_id}' is not a step that sends a message"
        elif node["id"] not in graph_nx or step_id not in nx.ancestors(graph_nx, node["id"]):
            message = f"The message step '{step_id}' does not come before this {what} on any path"
        else:
            continue
        errors.append(LocatedError("engagement_step_not_before", message, node_id=node["id"], field=field))
    return errors


def _cycles(graph_nx: nx.MultiDiGraph) -> list[list[str]]:
    """One cycle per strongly connected component that loops (a self-loop included)."""
    found = []
    for component in nx.strongly_connected_components(graph_nx):
        if len(component) > 1 or any(graph_nx.has_edge(n, n) for n in component):
            cycle = nx.find_cycle(graph_nx.subgraph(component))
            found.append([edge[0] for edge in cycle])
    return found


def trigger_keys(graph: dict[str, Any]) -> list[str]:
    """The index keys the graph's triggers listen on ("event:<name>", ...), asked of each trigger type."""
    keys: set[str] = set()
    for node in graph["nodes"]:
        step = steps.get(node["type"])
        if step is not None and step.is_trigger:
            keys.update(step.trigger_keys(node["data"].get("settings") or {}))
    return sorted(keys)


def trigger_events(graph: dict[str, Any]) -> list[str]:
    """Event names that can enrol customers into this graph."""
    return sorted(k.removeprefix("event:") for k in trigger_keys(graph) if k.startswith("event:"))


def goal_events(graph: dict[str, Any]) -> list[str]:
    """Event names that make a customer inside this graph convert."""
    names: set[str] = set()
    for node in graph["nodes"]:
        step = steps.get(node["type"])
        if step is not None:
            names.update(step.goal_events(node["data"].get("settings") or {}))
    return sorted(names)


def blocking(errors: list[LocatedError]) -> list[LocatedError]:
    return [e for e in errors if e.severity == "error"]


def errors_as_dicts(errors: list[LocatedError]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in errors]

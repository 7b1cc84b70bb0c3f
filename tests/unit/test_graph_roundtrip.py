"""JSON ⇄ graph: loading normalises and round-trips, indexing for the engine, settings defaults, filter operators."""

from __future__ import annotations

import copy
import json

import pytest

from wayfinder.audience.matching import matches
from wayfinder.engine.versions import index_graph
from wayfinder.journeys.graph import load_graph, normalise_settings, validate_graph

# What the canvas sends: React Flow state with UI-only keys.
CANVAS = {
    "nodes": [
        {
            "id": "trigger",
            "type": "event_trigger",
            "position": {"x": 10, "y": 20.5},
            "selected": True,
            "width": 180,
            "data": {"label": "Added to cart", "counts": {"entered": 3}, "settings": {"event": "cart_updated"}},
        },
        {
            "id": "bought",
            "type": "condition",
            "position": {"x": 0, "y": 140},
            "dragging": False,
            "data": {"label": "Purchased?", "settings": {"kind": "event", "event": "purchase"}, "errors": ["x"]},
        },
        {
            "id": "mail",
            "type": "send_email",
            "position": {"x": 200, "y": 280},
            "data": {"label": "Reminder", "settings": {"subject": "Hi", "body": "<p>{{ customer.first_name }}</p>"}},
        },
        {"id": "done", "type": "exit", "position": {"x": 0, "y": 420}, "data": {"settings": {}}},
        {"id": "bare", "type": "exit"},
    ],
    "edges": [
        {"id": "e1", "source": "trigger", "target": "bought", "animated": True},  # no sourceHandle: single output
        {"id": "e2", "source": "bought", "sourceHandle": "yes", "target": "done", "targetHandle": "in"},
        {"id": "e3", "source": "bought", "sourceHandle": "no", "target": "mail", "style": {"stroke": "red"}},
        {"id": "e4", "source": "mail", "target": "done"},
    ],
    "settings": {},
}

NORMALISED = {
    "nodes": [
        {
            "id": "trigger",
            "type": "event_trigger",
            "position": {"x": 10.0, "y": 20.5},
            "data": {"label": "Added to cart", "settings": {"event": "cart_updated"}},
        },
        {
            "id": "bought",
            "type": "condition",
            "position": {"x": 0.0, "y": 140.0},
            "data": {"label": "Purchased?", "settings": {"kind": "event", "event": "purchase"}},
        },
        {
            "id": "mail",
            "type": "send_email",
            "position": {"x": 200.0, "y": 280.0},
            "data": {"label": "Reminder", "settings": {"subject": "Hi", "body": "<p>{{ customer.first_name }}</p>"}},
        },
        {"id": "done", "type": "exit", "position": {"x": 0.0, "y": 420.0}, "data": {"label": "", "settings": {}}},
        {"id": "bare", "type": "exit", "position": {"x": 0.0, "y": 0.0}, "data": {"label": "", "settings": {}}},
    ],
    "edges": [
        {"id": "e1", "source": "trigger", "sourceHandle": None, "target": "bought", "targetHandle": None},
        {"id": "e2", "source": "bought", "sourceHandle": "yes", "target": "done", "targetHandle": "in"},
        {"id": "e3", "source": "bought", "sourceHandle": "no", "target": "mail", "targetHandle": None},
        {"id": "e4", "source": "mail", "sourceHandle": None, "target": "done", "targetHandle": None},
    ],
    "settings": {},
}


def test_load_normalises_and_drops_ui_only_keys():
    assert load_graph(copy.deepcopy(CANVAS)) == NORMALISED


def test_load_keeps_label_settings_and_positions():
    loaded = {n["id"]: n for n in load_graph(copy.deepcopy(CANVAS))["nodes"]}
    assert loaded["trigger"]["data"] == {"label": "Added to cart", "settings": {"event": "cart_updated"}}
    assert "counts" not in loaded["trigger"]["data"]
    assert loaded["mail"]["position"] == {"x": 200.0, "y": 280.0}


def test_json_round_trip_is_stable():
    loaded = load_graph(copy.deepcopy(CANVAS))
    assert load_graph(json.loads(json.dumps(loaded))) == loaded == NORMALISED


def test_load_rejects_a_bad_shape_with_nested_fields():
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as info:
        load_graph({"nodes": [{"id": "ok", "type": "exit"}, {"type": "exit"}], "edges": "nope"})
    assert info.value.messages == {
        "nodes": {1: {"id": ["Missing data for required field."]}},
        "edges": ["Not a valid list."],
    }


def test_index_graph_maps_node_and_handle_to_target_with_default_handles():
    graph = normalise_settings(load_graph(copy.deepcopy(CANVAS)))
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] != "bare"]
    index = index_graph(graph)
    assert index.edges == {
        ("trigger", "next"): "bought",  # no sourceHandle: the trigger's only output
        ("bought", "yes"): "done",
        ("bought", "no"): "mail",
        ("mail", "next"): "done",  # likewise for send_email
    }
    assert index.triggers == ("trigger",)
    assert set(index.nodes) == {"trigger", "bought", "mail", "done"}


def test_normalise_settings_fills_defaults():
    graph = load_graph(copy.deepcopy(CANVAS))
    graph["nodes"].append(
        {
            "id": "t2",
            "type": "event_trigger",
            "position": {"x": 0.0, "y": 0.0},
            "data": {"label": "", "settings": {"event": "x", "filters": [{"property": "p", "op": "exists"}]}},
        }
    )
    nodes = {n["id"]: n["data"]["settings"] for n in normalise_settings(graph)["nodes"]}
    assert nodes["trigger"] == {"event": "cart_updated", "filters": [], "audience": None}
    assert nodes["mail"] == {"subject": "Hi", "body": "<p>{{ customer.first_name }}</p>", "from_name": ""}
    assert nodes["t2"]["filters"] == [{"property": "p", "op": "exists", "value": None}]
    assert nodes["done"] == {}


def test_normalised_graph_still_validates():
    graph = normalise_settings(load_graph(copy.deepcopy(CANVAS)))
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] != "bare"]
    assert validate_graph(load_graph(json.loads(json.dumps(graph)))) == []


# --- filter operators ------------------------------------------------------------------------------

DATA = {
    "total": "500",
    "count": 10,
    "city": "Taipei",
    "vip": True,
    "note": "",
    "none": None,
    "address": {"zip": "100", "city": "Taipei"},
}


@pytest.mark.parametrize(
    ("path", "op", "value", "expected"),
    [
        # eq: numbers as strings compare as numbers; text is case-insensitive; missing never matches
        ("total", "eq", 500, True),
        ("total", "eq", "500.0", True),
        ("count", "eq", "10", True),
        ("city", "eq", "taipei", True),
        ("city", "eq", "Tainan", False),
        ("vip", "eq", True, True),
        ("missing", "eq", None, False),
        ("missing", "eq", "", False),
        ("address.city", "eq", "TAIPEI", True),
        # neq: the negation of eq, but a missing value never matches
        ("city", "neq", "TAIPEI", False),
        ("city", "neq", "Tainan", True),
        ("total", "neq", 499, True),
        ("missing", "neq", "x", False),
        # contains: case-insensitive substring; missing or null never matches
        ("city", "contains", "PEI", True),
        ("city", "contains", "kao", False),
        ("total", "contains", 50, True),
        ("missing", "contains", "a", False),
        ("none", "contains", "None", False),
        # ordered: numbers (also as strings) compare numerically, so "500" > 60 although "500" < "60" as text
        ("total", "gt", 60, True),
        ("total", "gt", "500", False),
        ("total", "gte", "500", True),
        ("count", "lt", "9", False),
        ("count", "lte", 10, True),
        ("total", "lt", "1e3", True),
        ("city", "gt", "Tainan", True),  # text compares as text
        ("missing", "gt", 0, False),
        ("missing", "lt", 0, False),
        ("none", "gte", 0, False),
        ("none", "lte", 0, False),
        # exists: present and not null or empty text
        ("city", "exists", None, True),
        ("count", "exists", None, True),
        ("note", "exists", None, False),
        ("none", "exists", None, False),
        ("missing", "exists", None, False),
        ("address.zip", "exists", None, True),
        ("address.street", "exists", None, False),
        ("city.name", "exists", None, False),  # a path through a non-object is missing
    ],
)
def test_matches(path, op, value, expected):
    assert matches(DATA, path, op, value) is expected

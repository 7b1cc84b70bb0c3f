"""The step manifest: settings as JSON Schema from the marshmallow schemas, outputs with tones, defaults."""

from __future__ import annotations

from wayfinder import steps
from wayfinder.audience.addresses import ALWAYS_REACHABLE
from wayfinder.journeys.graph import validate_graph


def by_type():
    return {t["type"]: t for t in steps.manifest()["types"]}


def test_every_registered_type_is_in_the_manifest_with_valid_defaults():
    manifest = by_type()
    assert set(manifest) == set(steps.all_types())
    for name, entry in manifest.items():
        assert entry["settings"]["type"] == "object", name
        assert entry["group"] in {"trigger", "flow", "action", "end"}, name
        # A node just dropped on the canvas has settings its schema loads (a form then fills the blanks).
        schema = steps.get(name).settings_schema()
        assert set(entry["defaults"]) <= set(schema.fields), name


def test_settings_schema_carries_enums_ranges_and_required_fields():
    wait = by_type()["wait"]["settings"]
    assert wait["properties"]["unit"]["enum"] == ["minutes", "hours", "days", "weeks"]
    assert wait["properties"]["amount"]["minimum"] == 1
    assert sorted(wait["required"]) == ["amount", "unit"]
    trigger = by_type()["event_trigger"]
    assert trigger["is_trigger"] and not trigger["has_input"]
    assert trigger["settings"]["properties"]["filters"]["items"]["properties"]["op"]["enum"][0] == "eq"


def test_outputs_static_and_from_settings():
    manifest = by_type()
    assert manifest["condition"]["outputs"] == {
        "static": [
            {"id": "yes", "required": True, "tone": "yes", "label": None},
            {"id": "no", "required": True, "tone": "no", "label": None},
        ]
    }
    assert [o["id"] for o in manifest["wait_for_event"]["outputs"]["static"]] == ["happened", "timed_out"]
    assert manifest["random_split"]["outputs"]["from_setting"] == "branches"
    assert manifest["split"]["outputs"]["then"][0]["id"] == "default"
    assert manifest["exit"]["outputs"] == {"static": []}


def node(node_id, node_type, settings):
    return {"id": node_id, "type": node_type, "position": {"x": 0, "y": 0}, "data": {"label": "", "settings": settings}}


def test_validator_reads_outputs_from_settings():
    branches = {"branches": [{"id": "a", "percent": 50}, {"id": "b", "percent": 40}, {"id": "c", "percent": 10}]}
    graph = {
        "nodes": [
            node("t", "event_trigger", {"event": "x"}),
            node("ab", "random_split", branches),
            node("x1", "exit", {}),
            node("x2", "exit", {}),
        ],
        "edges": [
            {"id": "e0", "source": "t", "target": "ab"},
            {"id": "e1", "source": "ab", "sourceHandle": "a", "target": "x1"},
            {"id": "e2", "source": "ab", "sourceHandle": "b", "target": "x2"},
            {"id": "e3", "source": "ab", "sourceHandle": "zzz", "target": "x2"},
        ],
        "settings": {},
    }
    problems = {(p.code, p.node_id or p.edge_id, p.field) for p in validate_graph(graph)}
    assert ("handle_unconnected", "ab", "c") in problems
    assert ("unknown_handle", "e3", None) in problems


def test_goal_roots_its_final_path_and_triggers_come_from_the_registry():
    graph = {
        "nodes": [
            node("t", "event_trigger", {"event": "cart"}),
            node("x", "exit", {}),
            node("g", "goal", {"event": "purchase"}),
            node("thanks", "exit", {}),
        ],
        "edges": [{"id": "e0", "source": "t", "target": "x"}, {"id": "e1", "source": "g", "target": "thanks"}],
        "settings": {},
    }
    assert validate_graph(graph) == []  # "thanks" is reachable from the goal
    from wayfinder.journeys.graph import goal_events, trigger_events, trigger_keys

    assert trigger_keys(graph) == ["event:cart"]
    assert trigger_events(graph) == ["cart"]
    assert goal_events(graph) == ["purchase"]


def test_split_needs_its_default_branch_connected_and_a_wait_for_event_needs_a_timeout():
    split = {"attribute": "gender", "branches": [{"id": "women", "values": ["female"]}]}
    graph = {
        "nodes": [
            node("t", "event_trigger", {"event": "x"}),
            node("s", "split", split),
            node("x1", "exit", {}),
            node("w", "wait_for_event", {"event": "purchase"}),
            node("x2", "exit", {}),
            node("x3", "exit", {}),
        ],
        "edges": [
            {"id": "e0", "source": "t", "target": "s"},
            {"id": "e1", "source": "s", "sourceHandle": "women", "target": "w"},
            {"id": "e2", "source": "w", "sourceHandle": "happened", "target": "x2"},
            {"id": "e3", "source": "w", "sourceHandle": "timed_out", "target": "x3"},
        ],
        "settings": {},
    }
    problems = {(p.code, p.node_id, p.field) for p in validate_graph(graph)}
    assert ("handle_unconnected", "s", "default") in problems
    assert ("missing_timeout", "w", "timeout_amount") in problems
    assert ("unreachable", "x1", None) in problems


def test_tag_and_attribute_steps_are_actions_whose_path_may_end():
    manifest = by_type()
    for name in ("add_tag", "remove_tag", "update_attribute"):
        entry = manifest[name]
        assert entry["group"] == "action" and entry["has_input"] and not entry["is_trigger"], name
        assert entry["outputs"] == {"static": [{"id": "next", "required": False, "tone": "neutral", "label": None}]}
        assert "tag" in entry["settings"]["required"] or "attribute" in entry["settings"]["required"], name
    assert manifest["add_tag"]["settings"]["properties"]["weight_by"]["enum"] == ["fixed", "events"]
    assert manifest["add_tag"]["settings"]["properties"]["amount"]["minimum"] == 1
    assert manifest["update_attribute"]["settings"]["properties"]["operation"]["enum"] == ["set", "increment", "clear"]
    assert manifest["condition"]["settings"]["properties"]["kind"]["enum"][-1] == "tag"
    assert manifest["condition"]["settings"]["properties"]["min_weight"]["minimum"] == 0


def test_send_steps_state_their_channel_and_address_in_the_manifest():
    """The channel a step sends on and where the customer's address comes from are the manifest's (the front end and
    the engine read the same declaration); every other step has neither."""
    by_type = {t["type"]: t for t in steps.manifest()["types"]}
    sends = {name: (t["channel"], t["address"]) for name, t in by_type.items() if t["channel"]}
    assert sends == {
        "send_email": ("email", "email"),
        "send_sms": ("sms", "phone"),
        "send_line": ("line", "line_user_id"),
        "send_push": ("push", "devices:push"),
        "send_webpush": ("webpush", "devices:webpush"),
        "send_in_app": ("in_app", "external_id"),
        "send_webhook": ("webhook", "url"),
    }
    # `unreachable` exactly where a customer can lack the channel's address or consent.
    unreachable = {name for name in sends if "unreachable" in [o["id"] for o in by_type[name]["outputs"]["static"]]}
    assert unreachable == {name for name, (channel, _) in sends.items() if channel not in ALWAYS_REACHABLE}
    assert unreachable == {"send_email", "send_sms", "send_line", "send_push", "send_webpush"}
    assert all(t["address"] is None for t in by_type.values() if not t["channel"])

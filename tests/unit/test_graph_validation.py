"""One test per validation rule of docs/journey-format.md: each broken graph yields exactly its located error."""

from __future__ import annotations

import copy

import pytest

from wayfinder.journeys.graph import load_graph, validate_graph


def node(node_id, step_type, **settings):
    return {
        "id": node_id,
        "type": step_type,
        "position": {"x": 0, "y": 0},
        "data": {"label": node_id, "settings": settings},
    }


def edge(edge_id, source, target, handle="next"):
    e = {"id": edge_id, "source": source, "target": target}
    if handle is not None:
        e["sourceHandle"] = handle
    return e


# trigger → wait → check ─yes→ done
#                       └no→ mail (its optional `next` left unconnected)
VALID = {
    "nodes": [
        node(
            "trigger", "event_trigger", event="cart_updated", filters=[{"property": "total", "op": "gte", "value": 100}]
        ),
        node("wait", "wait", amount=1, unit="hours"),
        node("check", "condition", kind="attribute", attribute="vip", op="eq", value=True),
        node("mail", "send_email", subject="Hi {{ customer.first_name }}", body="<p>{{ event.product }}</p>"),
        node("done", "exit"),
    ],
    "edges": [
        edge("e1", "trigger", "wait"),
        edge("e2", "wait", "check"),
        edge("e3", "check", "done", "yes"),
        edge("e4", "check", "mail", "no"),
    ],
    "settings": {},
}


def graph(add_nodes=(), add_edges=(), drop_nodes=(), drop_edges=(), settings=None):
    """VALID with changes; `settings` = {node id: new settings}."""
    g = copy.deepcopy(VALID)
    g["nodes"] = [n for n in g["nodes"] if n["id"] not in drop_nodes] + list(add_nodes)
    g["edges"] = [e for e in g["edges"] if e["id"] not in drop_edges] + list(add_edges)
    for node_id, new in (settings or {}).items():
        next(n for n in g["nodes"] if n["id"] == node_id)["data"]["settings"] = new
    return g


def located(g):
    """(code, node_id, edge_id, field) of every error, sorted; plus the raw errors."""
    errors = validate_graph(load_graph(g))
    return sorted((e.code, e.node_id, e.edge_id, e.field) for e in errors), errors


def test_valid_graph_has_no_errors():
    assert located(VALID)[0] == []


def test_optional_next_of_send_email_may_stay_unconnected():
    assert not any(e["source"] == "mail" for e in VALID["edges"])
    assert located(VALID)[0] == []


def test_edge_without_source_handle_from_single_output_node_is_fine():
    g = graph(
        drop_edges=["e1", "e2"], add_edges=[edge("e1", "trigger", "wait", None), edge("e2", "wait", "check", None)]
    )
    assert located(g)[0] == []


# --- duplicate_id ----------------------------------------------------------------------------------


def test_duplicate_node_id():
    assert located(graph(add_nodes=[node("done", "exit")]))[0] == [("duplicate_id", "done", None, None)]


def test_duplicate_edge_id():
    g = graph(drop_edges=["e4"], add_edges=[edge("e3", "check", "mail", "no")])
    assert located(g)[0] == [("duplicate_id", None, "e3", None)]


# --- unknown_type ----------------------------------------------------------------------------------


def test_unknown_type():
    g = graph(add_nodes=[node("fax", "send_fax", text="hi")], add_edges=[edge("e5", "mail", "fax")])
    assert located(g)[0] == [("unknown_type", "fax", None, None)]


# --- invalid_settings, one per field, per step type ------------------------------------------------


@pytest.mark.parametrize(
    ("node_id", "settings", "fields"),
    [
        ("trigger", {}, ["event"]),
        ("trigger", {"event": ""}, ["event"]),
        (
            "trigger",
            {"event": "cart", "filters": [{"property": "total", "op": "between", "value": 1}]},
            ["filters.0.op"],
        ),
        ("trigger", {"event": "cart", "filters": [{"op": "eq"}]}, ["filters.0.property"]),
        ("wait", {"amount": 0, "unit": "hours"}, ["amount"]),
        ("wait", {"amount": "2", "unit": "hours"}, ["amount"]),  # strict: a string is not an int
        ("wait", {"amount": 2, "unit": "years"}, ["unit"]),
        ("wait", {}, ["amount", "unit"]),
        ("check", {"kind": "maybe"}, ["kind"]),
        ("check", {"kind": "attribute", "op": "eq", "value": 1}, ["attribute"]),
        ("check", {"kind": "attribute", "attribute": "vip", "op": "like"}, ["op"]),
        ("check", {"kind": "event"}, ["event"]),
        ("mail", {"body": "<p>x</p>"}, ["subject"]),
        ("mail", {"subject": "x"}, ["body"]),
        ("mail", {"subject": "x", "body": "y", "from_name": "n" * 121}, ["from_name"]),
        ("done", {"unexpected": 1}, ["unexpected"]),
    ],
)
def test_invalid_settings(node_id, settings, fields):
    assert located(graph(settings={node_id: settings}))[0] == [("invalid_settings", node_id, None, f) for f in fields]


def test_invalid_settings_message_names_the_field():
    _, errors = located(graph(settings={"wait": {"amount": 0, "unit": "hours"}}))
    assert errors[0].message.startswith("amount: ")


# --- invalid_template ------------------------------------------------------------------------------


def test_invalid_template_syntax_error_on_subject():
    g = graph(settings={"mail": {"subject": "Hi {{ customer.first_name", "body": "<p>ok</p>"}})
    codes, errors = located(g)
    assert codes == [("invalid_template", "mail", None, "subject")]
    assert "line 1" in errors[0].message


def test_invalid_template_unsafe_attribute_in_body():
    g = graph(settings={"mail": {"subject": "ok", "body": "{{ ''.__class__.__mro__ }}"}})
    codes, errors = located(g)
    assert codes == [("invalid_template", "mail", None, "body")]
    assert "__" in errors[0].message


def test_invalid_template_reported_while_another_field_is_missing():
    g = graph(settings={"mail": {"subject": "", "body": "Hi {{ customer.first_name"}})
    codes, _ = located(g)
    assert ("invalid_template", "mail", None, "body") in codes
    assert ("invalid_settings", "mail", None, "subject") in codes


def test_invalid_template_reported_with_an_invalid_sender_name():
    g = graph(settings={"mail": {"subject": "{% if %}", "body": "<p>ok</p>", "from_name": "n" * 121}})
    codes, _ = located(g)
    assert sorted(codes) == [
        ("invalid_settings", "mail", None, "from_name"),
        ("invalid_template", "mail", None, "subject"),
    ]


# --- structure -------------------------------------------------------------------------------------


def test_no_trigger():
    g = {
        "nodes": [node("wait", "wait", amount=1, unit="hours"), node("done", "exit")],
        "edges": [edge("e1", "wait", "done")],
        "settings": {},
    }
    assert located(g)[0] == [("no_trigger", None, None, None)]


def test_empty_graph_has_no_trigger():
    assert located({})[0] == [("no_trigger", None, None, None)]


def test_trigger_has_input():
    second = node("trigger2", "event_trigger", event="purchase")
    g = graph(add_nodes=[second], add_edges=[edge("e5", "mail", "trigger2"), edge("e6", "trigger2", "done")])
    assert located(g)[0] == [("trigger_has_input", "trigger2", "e5", None)]


@pytest.mark.parametrize(("source", "target"), [("mail", "ghost"), ("ghost", "done")])
def test_dangling_edge(source, target):
    codes, errors = located(graph(add_edges=[edge("e5", source, target)]))
    assert codes == [("dangling_edge", None, "e5", None)]
    assert "ghost" in errors[0].message


def test_unknown_handle():
    assert located(graph(add_edges=[edge("e5", "check", "mail", "maybe")]))[0] == [("unknown_handle", None, "e5", None)]


def test_unknown_handle_on_single_output_node():
    g = graph(drop_edges=["e2"], add_edges=[edge("e2", "wait", "check", "yes")])
    assert ("unknown_handle", None, "e2", None) in located(g)[0]


def test_edge_without_handle_from_multi_output_node_is_unknown_handle():
    g = graph(drop_edges=["e3"], add_edges=[edge("e3", "check", "done", None)])
    assert located(g)[0] == [("handle_unconnected", "check", None, "yes"), ("unknown_handle", None, "e3", None)]


def test_handle_unconnected():
    # `yes` loses its edge; `done` stays reachable through mail, so the only problem is the open handle.
    g = graph(drop_edges=["e3"], add_edges=[edge("e5", "mail", "done")])
    assert located(g)[0] == [("handle_unconnected", "check", None, "yes")]


def test_handle_unconnected_on_trigger():
    g = {"nodes": [node("trigger", "event_trigger", event="x")], "edges": [], "settings": {}}
    assert located(g)[0] == [("handle_unconnected", "trigger", None, "next")]


def test_handle_multiple():
    assert located(graph(add_edges=[edge("e5", "wait", "done")]))[0] == [("handle_multiple", "wait", "e5", None)]


def test_cycle_marks_every_node_on_it_and_names_them():
    codes, errors = located(graph(add_edges=[edge("e5", "mail", "wait")]))
    assert codes == [("cycle", "check", None, None), ("cycle", "mail", None, None), ("cycle", "wait", None, None)]
    for error in errors:
        for name in ("wait", "check", "mail"):
            assert name in error.message


def test_self_loop_is_a_cycle():
    loop = node("again", "wait", amount=5, unit="minutes")
    codes, errors = located(
        graph(add_nodes=[loop], add_edges=[edge("e5", "mail", "again"), edge("e6", "again", "again")])
    )
    assert codes == [("cycle", "again", None, None)]
    assert "again" in errors[0].message


def test_unreachable():
    g = graph(add_nodes=[node("orphan", "exit")])
    assert located(g)[0] == [("unreachable", "orphan", None, None)]


def test_unreachable_chain_reports_each_node():
    g = graph(
        add_nodes=[node("w2", "wait", amount=1, unit="days"), node("end2", "exit")],
        add_edges=[edge("e5", "w2", "end2")],
    )
    assert located(g)[0] == [("unreachable", "end2", None, None), ("unreachable", "w2", None, None)]


def test_errors_serialise_with_the_documented_keys():
    _, errors = located(graph(add_nodes=[node("orphan", "exit")]))
    assert set(errors[0].as_dict()) == {"node_id", "edge_id", "code", "message", "field", "severity"}


# --- engagement_step_not_before ---------------------------------------------------------------------


def _engaged_after_mail(step_id):
    """mail ─next→ eng (message engagement with `step_id`) ─yes/no→ done."""
    return graph(
        add_nodes=[node("eng", "condition", kind="message", step=step_id, engagement="opened"), node("end2", "exit")],
        add_edges=[edge("e5", "mail", "eng"), edge("e6", "eng", "done", "yes"), edge("e7", "eng", "end2", "no")],
    )


def test_engagement_with_an_earlier_send_step_is_fine():
    assert located(_engaged_after_mail("mail"))[0] == []


@pytest.mark.parametrize(
    ("step_id", "words"),
    [("wait", "not a step that sends"), ("nowhere", "no step"), ("mail2", "does not come before")],
)
def test_engagement_step_must_be_an_earlier_send_step(step_id, words):
    g = _engaged_after_mail(step_id)
    # mail2 is a send step, but on another branch after the condition: not an ancestor.
    g["nodes"].append(node("mail2", "send_email", subject="Hi", body="<p>x</p>"))
    g["edges"].append(edge("e8", "eng", "mail2", "no"))
    g["edges"] = [e for e in g["edges"] if e["id"] != "e7"]
    g["nodes"] = [n for n in g["nodes"] if n["id"] != "end2"]
    codes, errors = located(g)
    assert codes == [("engagement_step_not_before", "eng", None, "step")]
    assert words in errors[0].message and step_id in errors[0].message
    assert errors[0].severity == "error"


# --- warnings from the workspace's data: unknown_template_variable, goal_event_unknown ---------------


class FakeKnown:
    """`graph.Known` without a database; records what it was asked."""

    def __init__(self, attributes=(), events=(), properties=()):
        self.attributes, self.events, self.properties = set(attributes), set(events), set(properties)
        self.asked = []

    def customer_attribute(self, name):
        self.asked.append(("customer", name))
        return name in self.attributes

    def event(self, name):
        self.asked.append(("event", name))
        return name in self.events

    def event_property(self, events, name):
        self.asked.append(("property", events, name))
        return name in self.properties


def warned(g, known):
    return sorted(
        (e.code, e.node_id, e.field, e.message) for e in validate_graph(load_graph(g), known) if e.severity == "warning"
    )


def test_without_known_data_there_are_no_such_warnings():
    g = graph(settings={"mail": {"subject": "{{ customer.nickname }}", "body": "<p>{{ event.nope }}</p>"}})
    assert located(g)[0] == []


def test_template_reads_of_known_names_are_fine():
    known = FakeKnown(attributes={"first_name"}, properties={"product"})
    assert warned(VALID, known) == []
    # Built-in customer fields are never asked about.
    g = graph(settings={"mail": {"subject": "{{ customer.email }} {{ customer['external_id'] }}", "body": "x"}})
    assert warned(g, known) == []
    assert ("customer", "email") not in known.asked


def test_unknown_template_variable_names_the_variable_on_its_field():
    g = graph(
        settings={
            "mail": {
                "subject": "Hi {{ customer.frist_name }}",
                "body": "{% if customer['vip'] %}{{ event.prodcut | upper }}{% endif %}{{ customer.frist_name }}",
            }
        }
    )
    found = warned(g, FakeKnown(attributes={"first_name"}, properties={"product"}))
    assert [(code, node_id, field) for code, node_id, field, _m in found] == [
        ("unknown_template_variable", "mail", "body"),
        ("unknown_template_variable", "mail", "body"),
        ("unknown_template_variable", "mail", "body"),
        ("unknown_template_variable", "mail", "subject"),
    ]
    messages = " ".join(m for *_rest, m in found)
    assert "'frist_name'" in messages and "'vip'" in messages and "'prodcut'" in messages
    errors = validate_graph(load_graph(g), FakeKnown())
    assert all(e.severity == "warning" for e in errors)  # never blocks publishing


def test_event_properties_are_checked_against_the_journeys_trigger_events():
    known = FakeKnown(attributes={"first_name"})
    warned(graph(), known)
    assert ("property", ("cart_updated",), "product") in known.asked


def test_a_template_that_does_not_compile_is_not_also_warned_about():
    g = graph(settings={"mail": {"subject": "{{ customer.x ", "body": "<p>x</p>"}})
    codes = {e.code for e in validate_graph(load_graph(g), FakeKnown())}
    assert codes == {"invalid_template"}


def _with_goal(event):
    return graph(add_nodes=[node("won", "goal", event=event)])


def test_goal_event_unknown_when_never_seen_and_no_trigger_sends_it():
    assert warned(_with_goal("purchse"), FakeKnown(attributes={"first_name"}, properties={"product"})) == [
        (
            "goal_event_unknown",
            "won",
            "event",
            "The event 'purchse' has never been received and no trigger of this journey sends it: check its name",
        )
    ]


@pytest.mark.parametrize("event", ["purchase", "cart_updated"])
def test_goal_event_seen_or_sent_by_a_trigger_is_fine(event):
    known = FakeKnown(attributes={"first_name"}, events={"purchase"}, properties={"product"})
    assert warned(_with_goal(event), known) == []

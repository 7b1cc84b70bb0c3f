"""The engagement wait: its settings, outputs, the graph check of its message step, and what `execute` does for a
customer who engaged before reaching it (and for one who did not)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from tests.stepkit import StepKit
from tests.unit.test_graph_validation import edge, graph, located, node
from wayfinder import steps
from wayfinder.models import Enrollment, Message, MessageEvent
from wayfinder.steps.base import Move, Wait, first_match

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
STEP = steps.get("wait_for_engagement")
OPENED = {"message_step": "mail", "engagement": "opened", "timeout_amount": 2, "timeout_unit": "days"}


@pytest.fixture
def kit():
    kit = StepKit(NOW)
    yield kit
    kit.close()


def test_settings_defaults_and_outputs():
    loaded = STEP.settings_schema().load({"message_step": "mail", "timeout_amount": 2, "timeout_unit": "days"})
    assert loaded["engagement"] == "opened" and loaded["url_contains"] == ""
    assert [(o.id, o.tone) for o in STEP.outputs(loaded)] == [("engaged", "yes"), ("timeout", "no")]
    assert STEP.group == "flow" and STEP.has_input


@pytest.mark.parametrize(
    ("settings", "field", "words"),
    [
        ({}, "message_step", "Choose the message step"),
        ({"message_step": ""}, "message_step", "Choose the message step"),
        ({"engagement": "clicked_link", "url_contains": " "}, "url_contains", "part of the link"),
        ({"engagement": "replied"}, "engagement", "Must be one of"),
        ({"timeout_amount": None}, "timeout_amount", ""),
    ],
)
def test_settings_rules(settings, field, words):
    with pytest.raises(ValidationError) as caught:
        STEP.settings_schema().load({**OPENED, **settings} if settings else {"timeout_amount": 1, "timeout_unit": "h"})
    assert field in caught.value.messages
    assert words in str(caught.value.messages[field])


# --- graph check: message_step must be an upstream send step -------------------------------------------------


def _waits_on(step_id):
    """VALID's mail ─next→ eng (waits on `step_id`) ─engaged/timeout→ done / end2."""
    return graph(
        add_nodes=[node("eng", "wait_for_engagement", **{**OPENED, "message_step": step_id}), node("end2", "exit")],
        add_edges=[
            edge("e5", "mail", "eng"),
            edge("e6", "eng", "done", "engaged"),
            edge("e7", "eng", "end2", "timeout"),
        ],
    )


def test_a_wait_on_an_earlier_send_step_is_fine():
    assert located(_waits_on("mail"))[0] == []


@pytest.mark.parametrize(
    ("step_id", "words"),
    [
        ("wait", "is not a step that sends"),
        ("nowhere", "there is no step 'nowhere'"),
        ("mail2", "does not come before"),
    ],
)
def test_the_message_step_must_be_a_send_step_upstream(step_id, words):
    g = _waits_on(step_id)
    # mail2 sends, but after the wait (on its timeout path): not upstream.
    g["nodes"] = [n for n in g["nodes"] if n["id"] != "end2"] + [node("mail2", "send_email", subject="Hi", body="x")]
    g["edges"] = [e for e in g["edges"] if e["id"] != "e7"] + [edge("e8", "eng", "mail2", "timeout")]
    codes, errors = located(g)
    assert codes == [("engagement_step_not_before", "eng", None, "message_step")]
    assert words in errors[0].message and errors[0].severity == "error"


def test_a_missing_message_step_is_an_error_on_its_field():
    g = _waits_on("mail")
    g["nodes"][-2]["data"]["settings"]["message_step"] = ""
    codes, errors = located(g)
    assert codes == [("invalid_settings", "eng", None, "message_step")]
    assert "Choose the message step" in errors[0].message


# --- execute / resume ----------------------------------------------------------------------------------------


def _sent(kit, customer_id, node_id="mail", enrollment_id=None, journey_id=1):
    enrollment_id = enrollment_id or customer_id
    if kit.session.get(Enrollment, enrollment_id) is None:
        kit.session.add(
            Enrollment(id=enrollment_id, journey_id=journey_id, version_id=1, customer_id=customer_id, current_node="n")
        )
    m = Message(
        idempotency_key=f"{enrollment_id}-{node_id}",
        enrollment_id=enrollment_id,
        customer_id=customer_id,
        node_id=node_id,
        channel="email",
        to_address="x",
        status="sent",
        created_at=NOW,
    )
    kit.session.add(m)
    kit.session.flush()
    return m


def _logged(kit, message, kind, **detail):
    kit.session.add(MessageEvent(message_id=message.id, customer_id=message.customer_id, kind=kind, detail=detail))
    kit.session.flush()


def test_a_customer_who_already_engaged_leaves_at_once_the_others_wait(kit):
    opened, clicked, machine, other_node, other_journey, nothing = (kit.customer() for _ in range(6))
    _logged(kit, _sent(kit, opened), "opened")
    _logged(kit, _sent(kit, clicked), "clicked", url="https://shop.example/sale?utm=x")
    _logged(kit, _sent(kit, machine), "opened", machine=True)
    _logged(kit, _sent(kit, other_node, node_id="mail_b"), "opened")
    # A step "mail" of another journey (another enrollment) sent a message that was opened; this one's was not.
    _logged(kit, _sent(kit, other_journey, enrollment_id=1000, journey_id=2), "opened")
    _sent(kit, other_journey)
    _sent(kit, nothing)
    people = [opened, clicked, machine, other_node, other_journey, nothing]

    def run(**settings):
        return kit.execute("wait_for_engagement", {**OPENED, **settings}, people)

    run_opened = run()
    assert [type(o).__name__ for o in run_opened.outcomes] == ["Move", "Move", "Wait", "Wait", "Wait", "Wait"]
    assert run_opened.outcomes[0] == Move("engaged", reason="engaged_before")
    wait = run_opened.outcomes[2]
    assert isinstance(wait, Wait) and wait.until == NOW + timedelta(days=2)
    assert [type(o).__name__ for o in run(engagement="clicked").outcomes][:2] == ["Wait", "Move"]
    link = run(engagement="clicked_link", url_contains="/SALE").outcomes
    assert [type(o).__name__ for o in link][:2] == ["Wait", "Move"]
    assert isinstance(run(engagement="clicked_link", url_contains="/cart").outcomes[1], Wait)


def test_the_wait_is_met_by_tracking_events_of_this_journey_and_step_only(kit):
    c = kit.customer()
    (wait,) = kit.execute("wait_for_engagement", OPENED, [c]).outcomes
    props = {"message_id": 7, "journey_id": 1, "node_id": "mail", "channel": "email"}
    assert first_match(wait.events, "message_opened", props) is not None
    assert first_match(wait.events, "message_clicked", {**props, "url": "https://x"}) is not None  # a click reads it
    assert first_match(wait.events, "message_opened", {**props, "journey_id": 2}) is None
    assert first_match(wait.events, "message_opened", {**props, "node_id": "mail_b"}) is None
    assert first_match(wait.events, "purchase", props) is None

    link_settings = {**OPENED, "engagement": "clicked_link", "url_contains": "/sale"}
    (link,) = kit.execute("wait_for_engagement", link_settings, [c]).outcomes
    link_events = link.events if isinstance(link, Wait) else ()
    assert first_match(link_events, "message_opened", props) is None
    assert first_match(link_events, "message_clicked", {**props, "url": "https://s.example/sale/1"}) is not None
    assert first_match(link_events, "message_clicked", {**props, "url": "https://s.example/cart"}) is None


def test_resume_leaves_engaged_on_the_event_and_timeout_on_time(kit):
    c = kit.customer()
    items = [kit.item(c, wake="event:message_opened"), kit.item(c, wake="time")]
    assert [o.handle for o in kit.resume("wait_for_engagement", OPENED, items).outcomes] == ["engaged", "timeout"]

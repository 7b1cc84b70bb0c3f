"""The playbooks S1–S8 end to end, on the virtual clock, on SQLite and PostgreSQL: each publishes the gallery
template's own graph through the API (`POST /api/journeys {template, lang}`, then publish), with a population of
customers reached on different channels (email only, a phone, a LINE id, an app device, a consent withdrawn) who
behave differently in time (buy before / during / after a wait, open or not, accept / decline / ignore a coupon).

For every customer the test asserts the exact route through the graph (from StepHistory), every message (channel,
recipient, personalised content, status, when it was created on the virtual clock), tags and their weights,
conversions, and that the canvas counts conserve after every tick. Opens are made the way tracking makes them
(`content.tracking.record_open` with a person's User-Agent, later than 2 s after the send), so the engine sees
exactly what a real open produces.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from tests.integration.journeys import assert_conserved, counts
from wayfinder.content import tracking
from wayfinder.engine.addresses import device_key, token_hash
from wayfinder.engine.queues import enqueue_events
from wayfinder.extensions import db
from wayfinder.models import (
    DEFAULT_WORKSPACE_ID,
    Customer,
    CustomerDevice,
    CustomerTag,
    Enrollment,
    Message,
    Tag,
)

HUMAN = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"


# --- the population -----------------------------------------------------------------------------------------


def person(first_name: str, *, email: bool = True, phone: bool = False, line: bool = False, **attributes: Any):
    """A customer's row: its attributes (first name, phone, LINE id, anything else) and whether it has an email."""
    return {"email": email, "first_name": first_name, "phone": phone, "line": line, "attributes": attributes}


def load(sim, people: dict[str, dict[str, Any]], devices: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Bulk-insert `people` (external id → `person(...)`) and their app devices (FCM tokens); their ids."""
    now = sim.now
    rows = []
    for n, (external_id, p) in enumerate(people.items()):
        attributes = {"first_name": p["first_name"], **p["attributes"]}
        if p["phone"]:
            attributes["phone"] = f"+8869{n:08d}"
        if p["line"]:
            attributes["line_user_id"] = f"U{n:032x}"
        rows.append(
            {
                "workspace_id": DEFAULT_WORKSPACE_ID,
                "external_id": external_id,
                "email": f"{external_id}@example.com" if p["email"] else None,
                "attributes": attributes,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(insert(Customer), rows)
    ids = dict(db.session.execute(select(Customer.external_id, Customer.id)).all())
    device_rows = [
        {
            "workspace_id": DEFAULT_WORKSPACE_ID,
            "customer_id": ids[c],
            "kind": "push",
            "token": token,
            "token_hash": token_hash(device_key("push", token)),
            "created_at": now,
            "last_seen_at": now,
        }
        for c, tokens in (devices or {}).items()
        for token in tokens
    ]
    if device_rows:
        db.session.execute(insert(CustomerDevice), device_rows)
    db.session.commit()
    db.session.remove()
    return ids


def attributes_of(external_id: str) -> dict[str, Any]:
    attributes = db.session.scalar(select(Customer.attributes).where(Customer.external_id == external_id))
    db.session.remove()
    return attributes


# --- the journey ---------------------------------------------------------------------------------------------


def publish_template(sim, key: str, lang: str) -> int:
    created = sim.client.post("/api/journeys", json={"template": key, "lang": lang})
    assert created.status_code == 201, created.get_json()
    journey_id = created.get_json()["id"]
    published = sim.client.post(f"/api/journeys/{journey_id}/publish")
    assert published.status_code == 200, published.get_json()
    return journey_id


def conserved(sim, journey_id: int) -> dict[str, dict[str, int]]:
    """The canvas counts, as the API gives them, conserve (and the engine's own view agrees)."""
    node_counts = counts(sim.client, journey_id)
    assert_conserved(node_counts)
    sim.assert_conserved(journey_id)
    return node_counts


def step(sim, journey_id: int, **delta: float) -> None:
    """Move the clock, tick, and check the counts."""
    sim.advance(**delta)
    conserved(sim, journey_id)


def until(sim, journey_id: int, when: datetime) -> None:
    """Move the clock to `when` (a tick there), checking counts."""
    assert when >= sim.now, (when, sim.now)
    sim.clock.set(when)
    sim.runner.tick()
    conserved(sim, journey_id)


def routes(sim, journey_id: int) -> dict[str, list[str]]:
    """Each customer's route: the nodes they passed, in order (every enrolment, one after the other)."""
    return {c: [t[2] for t in path if t[2] is not None] for c, path in sim.paths(journey_id).items()}


def reasons(sim, journey_id: int) -> dict[str, list[str | None]]:
    return {c: [t[3] for t in path if t[2] is not None] for c, path in sim.paths(journey_id).items()}


def by_route(expected: dict[str, list[str]]) -> dict[tuple[str, ...], set[str]]:
    grouped: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for c, route in expected.items():
        grouped[tuple(route)].add(c)
    return dict(grouped)


def assert_routes(sim, journey_id: int, expected: dict[str, list[str]]) -> None:
    """Every customer (and no one else) took exactly their expected route; compared by segment."""
    assert by_route(routes(sim, journey_id)) == by_route(expected)


def messages(journey_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Customer.external_id, Message)
        .join(Customer, Customer.id == Message.customer_id)
        .where(Message.journey_id == journey_id)
        .order_by(Message.id)
    ).all()
    found = [
        {
            "customer": c,
            "id": m.id,
            "node": m.node_id,
            "channel": m.channel,
            "to": m.to_address,
            "payload": m.payload,
            "status": m.status,
            "created_at": m.created_at,
            "sent_at": m.sent_at,
        }
        for c, m in rows
    ]
    db.session.remove()
    return found


def sent_by_node(journey_id: int) -> dict[str, dict[str, dict[str, Any]]]:
    """node → customer → their message there (each customer gets at most one per node in these scenarios)."""
    grouped: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for m in messages(journey_id):
        assert m["customer"] not in grouped[m["node"]], ("twice", m)
        grouped[m["node"]][m["customer"]] = m
    return dict(grouped)


def content(message: dict[str, Any]) -> str:
    """Everything a message says, as one string (any channel's payload)."""
    return repr(message["payload"])


def open_(sim, journey_id: int, node_id: str, customers: set[str], *, user_agent: str = HUMAN) -> None:
    """The customers open the message `node_id` sent them, now, the way the open pixel records it."""
    ids = []
    for m in messages(journey_id):
        if m["node"] == node_id and m["customer"] in customers:
            ids += tracking.record_open(db.session, tracking.find_message(db.session, m["id"]), user_agent, sim.now)
    db.session.commit()
    enqueue_events(ids)
    db.session.remove()
    sim.runner.run_jobs()
    conserved(sim, journey_id)


def statuses(sim, journey_id: int) -> dict[str, str]:
    return sim.statuses(journey_id)


def tags(name: str) -> dict[str, int]:
    """Who carries the tag `name`, with its weight."""
    rows = db.session.execute(
        select(Customer.external_id, CustomerTag.weight)
        .join(CustomerTag, CustomerTag.customer_id == Customer.id)
        .join(Tag, Tag.id == CustomerTag.tag_id)
        .where(Tag.name == name)
    ).all()
    db.session.remove()
    return dict(rows)


def enrolled_at(journey_id: int) -> dict[str, list[datetime]]:
    rows = db.session.execute(
        select(Customer.external_id, Enrollment.entered_at)
        .join(Customer, Customer.id == Enrollment.customer_id)
        .where(Enrollment.journey_id == journey_id)
        .order_by(Enrollment.id)
    ).all()
    db.session.remove()
    found: dict[str, list[datetime]] = defaultdict(list)
    for c, at in rows:
        found[c].append(at)
    return dict(found)


def group(people: dict[str, Any], n_groups: int) -> dict[str, int]:
    return {c: i % n_groups for i, c in enumerate(people)}


def members(groups: dict[str, int], *wanted: int) -> set[str]:
    return {c for c, g in groups.items() if g in wanted}


def number(external_id: str) -> int:
    """The n of a customer id like "s1c12"."""
    return int(external_id.rsplit("c", 1)[1])


def address(external_id: str, channel: str) -> str:
    """Where `load` put a customer's address on `channel`."""
    n = number(external_id)
    return {"email": f"{external_id}@example.com", "sms": f"+8869{n:08d}", "line": f"U{n:032x}"}[channel]


def assert_sent(
    sent: dict[str, dict[str, Any]], customers: set[str], channel: str, at: datetime, says, to=None
) -> None:
    """Exactly `customers` got a message here: on `channel`, to their address, created and sent at `at`,
    saying `says(customer)` (each string in it)."""
    assert set(sent) == customers
    for c, m in sent.items():
        assert (m["channel"], m["status"], m["created_at"], m["sent_at"]) == (channel, "sent", at, at), m
        assert m["to"] == (to(c) if to else address(c, channel)), m
        for needle in says(c):
            assert needle in content(m), (needle, m)


# --- S1 abandoned cart -----------------------------------------------------------------------------------------


def test_s1_abandoned_cart(sim):
    """cart → 1 h → email → opened within 24 h: tagged; not: LINE, else SMS; a purchase at any time converts."""
    jid = publish_template(sim, "s1_abandoned_cart", "en")
    kinds = ["buys_in_wait", "opens", "line", "sms", "nowhere", "buys_in_open_wait", "no_email_consent"]
    n = 20 * len(kinds)
    people = {}
    for i in range(n):
        kind = kinds[i % len(kinds)]
        people[f"s1c{i}"] = person(
            f"Ann{i}",
            line=kind in ("line", "opens"),
            phone=kind in ("sms", "line", "buys_in_wait"),
            consents={"email": False} if kind == "no_email_consent" else {"sms": True},
        )
    groups = group(people, len(kinds))
    load(sim, people)
    t0 = sim.now
    sim.track([(c, "cart_updated", {"product": f"Sneakers #{number(c)}"}) for c in people])
    conserved(sim, jid)

    step(sim, jid, minutes=30)
    sim.track([(c, "purchase", {"total": 990}) for c in members(groups, 0)])  # inside the hour
    assert conserved(sim, jid)["wait_1h"]["converted"] == 20
    until(sim, jid, t0 + timedelta(minutes=59))
    assert sent_by_node(jid) == {}
    until(sim, jid, t0 + timedelta(hours=1))  # the reminders go out
    # A mail scanner fetches the "line" group's pixel the moment it arrives: a machine open, not theirs.
    open_(sim, jid, "reminder_email", members(groups, 2))
    until(sim, jid, t0 + timedelta(hours=4))
    open_(sim, jid, "reminder_email", members(groups, 1))
    assert tags("Opened cart reminder") == {c: 1 for c in members(groups, 1)}
    until(sim, jid, t0 + timedelta(hours=6))
    sim.track([(c, "purchase", {"total": 1200}) for c in members(groups, 5)])  # inside the 24 hours
    until(sim, jid, t0 + timedelta(hours=24, minutes=59))
    # Still waiting: the scanned, the two never-openers, and the customer without email consent (the send step
    # has no `unreachable` path, so they go on to the wait, which their absent email cannot end).
    assert conserved(sim, jid)["wait_open"]["waiting"] == 4 * 20
    assert set(sent_by_node(jid)) == {"reminder_email"}
    until(sim, jid, t0 + timedelta(hours=25))  # the 24 hours are up
    step(sim, jid, days=2)
    sim.track([(c, "purchase", {"total": 500}) for c in members(groups, 1)])  # after they left: no conversion
    step(sim, jid, hours=1)

    mail = ["cart", "wait_1h", "reminder_email", "wait_open"]
    expected = {
        0: ["cart", "wait_1h", "purchase"],
        1: [*mail, "opened", "engaged"],
        2: [*mail, "line"],
        3: [*mail, "line", "sms"],
        4: [*mail, "line", "sms"],  # no LINE, no phone: the SMS step is unreachable too and the path ends
        5: [*mail, "purchase"],
        6: [*mail, "line", "sms"],
    }
    assert_routes(sim, jid, {c: expected[g] for c, g in groups.items()})
    assert {c: r[-1] for c, r in reasons(sim, jid).items() if c in members(groups, 4, 6)} == {
        c: "Unreachable: Not a LINE friend (no LINE user id)" for c in members(groups, 4, 6)
    }

    sent = sent_by_node(jid)
    assert set(sent) == {"reminder_email", "line", "sms"}
    product = lambda c: [f"Ann{number(c)}", f"Sneakers #{number(c)}"]  # noqa: E731
    assert_sent(sent["reminder_email"], members(groups, 1, 2, 3, 4, 5), "email", t0 + timedelta(hours=1), product)
    assert all(
        m["payload"]["subject"] == f"Ann{number(c)}, your Sneakers #{number(c)} are waiting"
        for c, m in sent["reminder_email"].items()
    )
    assert_sent(sent["line"], members(groups, 2), "line", t0 + timedelta(hours=25), product)
    assert_sent(sent["sms"], members(groups, 3), "sms", t0 + timedelta(hours=25), product)

    assert tags("Opened cart reminder") == {c: 1 for c in members(groups, 1)}
    assert {c for c, s in statuses(sim, jid).items() if s == "converted"} == members(groups, 0, 5)
    final = conserved(sim, jid)
    assert final["wait_1h"]["converted"] == 20 and final["wait_open"]["converted"] == 20
    assert final["purchase"]["exited"] == 40
    assert final["opened"]["entered"] == 20 and final["line"]["entered"] == 80 and final["sms"]["entered"] == 60
    assert sum(c["waiting"] for c in final.values()) == 0

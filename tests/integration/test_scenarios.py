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
from wayfinder.journeys import gallery
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
    if node_counts:  # none before anyone enters
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


def left(sim, journey_id: int, *nodes: str) -> dict[str, list[str | None]]:
    """Why each customer left any of `nodes` (the reason of each departure, in order)."""
    return {
        c: [t[3] for t in path if t[0] in nodes]
        for c, path in sim.paths(journey_id).items()
        if any(t[0] in nodes for t in path)
    }


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


def assert_sent(sent: dict[str, dict[str, Any]], customers: set[str], channel: str, at, says, to=None) -> None:
    """Exactly `customers` got a message here: on `channel`, to their address, created and sent at `at` (a time,
    or the customer's time as `at(customer)`), saying `says(customer)` (each string in it)."""
    assert set(sent) == customers
    for c, m in sent.items():
        when = at(c) if callable(at) else at
        assert (m["channel"], m["status"], m["created_at"], m["sent_at"]) == (channel, "sent", when, when), m
        assert m["to"] == (to(c) if to else address(c, channel)), m
        for needle in says(c):
            assert needle in content(m), (needle, m)


# --- S1 abandoned cart -----------------------------------------------------------------------------------------


def test_s1_abandoned_cart(sim):
    """cart → 1 h → email → opened within 24 h: tagged; not: LINE, else SMS; a purchase at any time converts.
    A customer the email cannot reach gets the LINE (else SMS) reminder at once; one no channel reaches leaves."""
    jid = publish_template(sim, "s1_abandoned_cart", "en")
    kinds = [
        "buys_in_wait",
        "opens",
        "line",
        "sms",
        "nowhere",  # email only, never opens: LINE and SMS unreachable after the 24 hours
        "buys_in_open_wait",
        "no_email_consent",  # said no to email, on LINE: the LINE reminder at once
        "no_email_phone",  # no email address, a phone: the SMS reminder at once
        "no_channel",  # no email address, no LINE, no phone: leaves at once
    ]
    n = 20 * len(kinds)
    people = {}
    for i in range(n):
        kind = kinds[i % len(kinds)]
        people[f"s1c{i}"] = person(
            f"Ann{i}",
            email=kind not in ("no_email_phone", "no_channel"),
            line=kind in ("line", "opens", "no_email_consent"),
            phone=kind in ("sms", "line", "buys_in_wait", "no_email_phone"),
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
    # Those the email cannot reach are escalated at once, not parked at the wait for an open.
    assert set(sent_by_node(jid)) == {"reminder_email", "line", "sms"}
    assert {c: r[-1] for c, r in routes(sim, jid).items() if c in members(groups, 6, 7, 8)} == {
        **{c: "line" for c in members(groups, 6)},
        **{c: "sms" for c in members(groups, 7)},
        **{c: "unreached" for c in members(groups, 8)},
    }
    # A mail scanner fetches the "line" group's pixel the moment it arrives: a machine open, not theirs.
    open_(sim, jid, "reminder_email", members(groups, 2))
    until(sim, jid, t0 + timedelta(hours=4))
    open_(sim, jid, "reminder_email", members(groups, 1))
    assert tags("Opened cart reminder") == {c: 1 for c in members(groups, 1)}
    until(sim, jid, t0 + timedelta(hours=6))
    sim.track([(c, "purchase", {"total": 1200}) for c in members(groups, 5)])  # inside the 24 hours
    until(sim, jid, t0 + timedelta(hours=24, minutes=59))
    # Still waiting for an open: the scanned and the two never-openers, all of whom were sent the email.
    still = conserved(sim, jid)
    assert still["wait_open"]["waiting"] == 3 * 20 and sum(c["waiting"] for c in still.values()) == 3 * 20
    until(sim, jid, t0 + timedelta(hours=25))  # the 24 hours are up
    step(sim, jid, days=2)
    sim.track([(c, "purchase", {"total": 500}) for c in members(groups, 1)])  # after they left: no conversion
    step(sim, jid, hours=1)

    entered = ["cart", "wait_1h", "reminder_email"]
    mail = [*entered, "wait_open"]
    expected = {
        0: ["cart", "wait_1h", "purchase"],
        1: [*mail, "opened", "engaged"],
        2: [*mail, "line"],
        3: [*mail, "line", "sms"],
        4: [*mail, "line", "sms", "unreached"],
        5: [*mail, "purchase"],
        6: [*entered, "line"],
        7: [*entered, "line", "sms"],
        8: [*entered, "line", "sms", "unreached"],
    }
    assert_routes(sim, jid, {c: expected[g] for c, g in groups.items()})
    no_email, not_on_line, no_phone = (
        "Unreachable: No consent for email",
        "Unreachable: Not a LINE friend (no LINE user id)",
        "Unreachable: No phone number",
    )
    assert {
        c: r for c, r in left(sim, jid, "reminder_email", "line", "sms").items() if c in members(groups, 4, 6, 7, 8)
    } == {
        **{c: [None, not_on_line, no_phone] for c in members(groups, 4)},
        **{c: [no_email, None] for c in members(groups, 6)},
        **{c: ["Unreachable: No email address", not_on_line, None] for c in members(groups, 7)},
        **{c: ["Unreachable: No email address", not_on_line, no_phone] for c in members(groups, 8)},
    }
    # No time was spent at any step by those the email could not reach: all of it happened at the hour.
    for node in ("reminder_email", "line", "sms"):
        left_at = sim.left_at(jid, node)
        assert {left_at[c] for c in members(groups, 6, 7, 8) if c in left_at} == {t0 + timedelta(hours=1)}, node

    sent = sent_by_node(jid)
    assert set(sent) == {"reminder_email", "line", "sms"}
    product = lambda c: [f"Ann{number(c)}", f"Sneakers #{number(c)}"]  # noqa: E731
    assert_sent(sent["reminder_email"], members(groups, 1, 2, 3, 4, 5), "email", t0 + timedelta(hours=1), product)
    assert all(
        m["payload"]["subject"] == f"Ann{number(c)}, your Sneakers #{number(c)} are waiting"
        for c, m in sent["reminder_email"].items()
    )
    # The escalation after the 24 hours for those who were emailed; at the hour for those who could not be.
    escalated = lambda c: t0 + timedelta(hours=1 if c in members(groups, 6, 7) else 25)  # noqa: E731
    assert_sent(sent["line"], members(groups, 2, 6), "line", escalated, product)
    assert_sent(sent["sms"], members(groups, 3, 7), "sms", escalated, product)

    assert tags("Opened cart reminder") == {c: 1 for c in members(groups, 1)}
    assert {c for c, s in statuses(sim, jid).items() if s == "converted"} == members(groups, 0, 5)
    assert {c for c, s in statuses(sim, jid).items() if s == "completed"} == members(groups, 1, 2, 3, 4, 6, 7, 8)
    final = conserved(sim, jid)
    assert final["wait_1h"]["converted"] == 20 and final["wait_open"]["converted"] == 20
    assert final["purchase"]["exited"] == 40
    assert final["wait_open"]["entered"] == 100 and final["opened"]["entered"] == 20
    assert final["line"]["entered"] == 120 and final["sms"]["entered"] == 80 and final["unreached"]["exited"] == 40
    assert sum(c["waiting"] for c in final.values()) == 0


# --- S2 countdown sale -----------------------------------------------------------------------------------------


def token(external_id: str) -> str:
    return f"fcm:{external_id}:" + "x" * 40


def pushed_to(*external_ids: str) -> str:
    """A push message's recipient: the customer's device tokens as a compact JSON array."""
    return "[" + ",".join(f'"{token(c)}"' for c in external_ids) + "]"


def test_s2_countdown_sale(sim):
    """3 days before the sale day at 10:00: an email per gender; not opened within a day: push, else SMS."""
    jid = publish_template(sim, "s2_countdown_sale", "zh-TW")
    # (gender, opens, has an app device, has a phone, push consent, has email)
    kinds = [
        ("female", True, False, False, True, True),
        ("female", False, True, True, True, True),  # push
        ("male", False, False, True, True, True),  # no app: SMS
        ("male", True, True, True, True, True),
        ("other", False, True, False, True, True),  # push
        (None, True, False, True, True, True),
        ("female", False, True, True, False, True),  # said no to push: SMS
        ("male", False, False, True, True, False),  # no email: straight to the second stage (no app: SMS) at once
    ]
    n = 20 * len(kinds)
    people, devices = {}, {}
    for i in range(n):
        gender, _opens, device, phone, push_ok, has_email = kinds[i % len(kinds)]
        extra = {"gender": gender} if gender else {}
        if not push_ok:
            extra["consents"] = {"push": False}
        people[f"s2c{i}"] = person(f"美玲{i}", email=has_email, phone=phone, **extra)
        if device:
            devices[f"s2c{i}"] = [token(f"s2c{i}")]
    groups = group(people, len(kinds))
    load(sim, people, devices)
    # The sale is 30 days after the day the journey was made (2 March in Taipei): 1 April; 3 days before, 10:00
    # in Taipei is 02:00 UTC on 29 March.
    fire = datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
    until(sim, jid, fire - timedelta(minutes=1))
    assert enrolled_at(jid) == {}
    until(sim, jid, fire)
    assert enrolled_at(jid) == {c: [fire] for c in people}
    until(sim, jid, fire + timedelta(hours=3))
    open_(sim, jid, "women_email", members(groups, 0))
    open_(sim, jid, "men_email", members(groups, 3))
    open_(sim, jid, "other_email", members(groups, 5))
    until(sim, jid, fire + timedelta(hours=23, minutes=59))
    # Only group 7 (no email) is past the first stage: its SMS went at once, without a day's wait for an open.
    assert set(sent_by_node(jid)) == {"women_email", "men_email", "other_email", "sms"}
    until(sim, jid, fire + timedelta(days=1))
    step(sim, jid, hours=1)

    def route(segment: str, *rest: str) -> list[str]:
        return ["countdown", "by_gender", f"{segment}_email", f"{segment}_open", *rest]

    expected = {
        0: route("women", "done"),
        1: route("women", "push"),
        2: route("men", "push", "sms"),
        3: route("men", "done"),
        4: route("other", "push"),
        5: route("other", "done"),
        6: route("women", "push", "sms"),
        7: ["countdown", "by_gender", "men_email", "push", "sms"],  # unreachable by email, then by push
    }
    assert_routes(sim, jid, {c: expected[g] for c, g in groups.items()})

    sent = sent_by_node(jid)
    assert set(sent) == {"women_email", "men_email", "other_email", "push", "sms"}
    name = lambda c: [f"美玲{number(c)}"]  # noqa: E731
    assert_sent(sent["women_email"], members(groups, 0, 1, 6), "email", fire, name)
    assert {m["payload"]["subject"] for m in sent["women_email"].values()} == {
        f"美玲{number(c)}，週年慶倒數 3 天！美妝保養滿千送百" for c in members(groups, 0, 1, 6)
    }
    assert all("anniversary/beauty" in content(m) for m in sent["women_email"].values())
    assert_sent(sent["men_email"], members(groups, 2, 3), "email", fire, name)  # group 7 has no email
    assert all("anniversary/3c-sports" in content(m) for m in sent["men_email"].values())
    assert_sent(sent["other_email"], members(groups, 4, 5), "email", fire, name)
    second = fire + timedelta(days=1)
    assert_sent(
        sent["push"],
        members(groups, 1, 4),
        "push",
        second,
        lambda c: [f"美玲{number(c)}，全館滿千送百", "週年慶倒數 2 天", "myshop://anniversary"],
        to=pushed_to,
    )
    assert_sent(
        sent["sms"],
        members(groups, 2, 6, 7),
        "sms",
        lambda c: fire if groups[c] == 7 else second,  # no email: at once; the others after a day without an open
        lambda c: ["週年慶倒數 2 天！全館滿千送百"],
    )
    final = conserved(sim, jid)
    assert final["done"]["exited"] == 60 and final["push"]["entered"] == 100 and final["sms"]["exited"] == 60
    assert sum(c["waiting"] for c in final.values()) == 0


# --- S3 weekly member day --------------------------------------------------------------------------------------


def test_s3_member_day(sim):
    """Every Wednesday 11:00: women LINE, men push, everyone else email; unreachable customers get nothing."""
    jid = publish_template(sim, "s3_member_day", "zh-TW")
    # (gender, LINE id, app device, email consent)
    kinds = [
        ("female", True, False, True),
        ("female", False, True, True),  # not a LINE friend: nothing (no fallback in the playbook)
        ("male", True, True, True),
        ("male", False, False, True),  # no app: nothing
        (None, False, True, True),
        ("other", True, False, False),  # said no to email: nothing
    ]
    n = 20 * len(kinds)
    people, devices = {}, {}
    for i in range(n):
        gender, line, device, email_ok = kinds[i % len(kinds)]
        extra = {"gender": gender} if gender else {}
        if not email_ok:
            extra["consents"] = {"email": False}
        people[f"s3c{i}"] = person(f"志明{i}", line=line, **extra)
        if device:
            devices[f"s3c{i}"] = [token(f"s3c{i}")]
    groups = group(people, len(kinds))
    load(sim, people, devices)
    # Monday 2 March 09:00 in Taipei now; Wednesdays 11:00 in Taipei are 03:00 UTC on 4 and 11 March.
    wednesdays = [datetime(2026, 3, 4, 3, 0, tzinfo=UTC), datetime(2026, 3, 11, 3, 0, tzinfo=UTC)]
    until(sim, jid, wednesdays[0] - timedelta(minutes=1))
    assert enrolled_at(jid) == {}
    until(sim, jid, wednesdays[0])
    until(sim, jid, wednesdays[0] + timedelta(days=1))  # Thursday: no firing
    until(sim, jid, wednesdays[1] - timedelta(minutes=1))
    assert enrolled_at(jid) == {c: wednesdays[:1] for c in people}
    until(sim, jid, wednesdays[1])
    assert enrolled_at(jid) == {c: wednesdays for c in people}

    once = {
        0: ["member_day", "by_gender", "women_line"],
        1: ["member_day", "by_gender", "women_line"],
        2: ["member_day", "by_gender", "men_push"],
        3: ["member_day", "by_gender", "men_push"],
        4: ["member_day", "by_gender", "other_email"],
        5: ["member_day", "by_gender", "other_email"],
    }
    assert_routes(sim, jid, {c: once[g] * 2 for c, g in groups.items()})
    unreachable = {c: r for c, r in left(sim, jid, "women_line", "men_push", "other_email").items() if r != [None] * 2}
    assert unreachable == {
        **{c: ["Unreachable: Not a LINE friend (no LINE user id)"] * 2 for c in members(groups, 1)},
        **{c: ["Unreachable: No app device registered"] * 2 for c in members(groups, 3)},
        **{c: ["Unreachable: No consent for email"] * 2 for c in members(groups, 5)},
    }

    weekly: dict[datetime, dict[str, dict[str, dict]]] = defaultdict(lambda: defaultdict(dict))
    for m in messages(jid):
        assert m["customer"] not in weekly[m["created_at"]][m["node"]]
        weekly[m["created_at"]][m["node"]][m["customer"]] = m
    assert set(weekly) == set(wednesdays)
    for at in wednesdays:
        sent = weekly[at]
        assert set(sent) == {"women_line", "men_push", "other_email"}
        assert_sent(
            sent["women_line"],
            members(groups, 0),
            "line",
            at,
            lambda c: [f"志明{number(c)}，今天彩妝保養全品項點數雙倍送", "今天是會員日", "member-day/beauty"],
        )
        assert_sent(
            sent["men_push"],
            members(groups, 2),
            "push",
            at,
            lambda c: [f"志明{number(c)}，今天買控油洗面乳享 7 折", "myshop://member-day/men"],
            to=pushed_to,
        )
        assert_sent(sent["other_email"], members(groups, 4), "email", at, lambda c: [f"志明{number(c)}，今天是會員日"])
    final = conserved(sim, jid)
    assert final["member_day"]["entered"] == 2 * n
    assert final["women_line"]["exited"] == final["men_push"]["exited"] == final["other_email"]["exited"] == 80
    assert sum(c["waiting"] for c in final.values()) == 0


# --- S4 post-treatment care ------------------------------------------------------------------------------------


def test_s4_treatment_care(sim):
    """Laser toning only: 2 hours later the aftercare SMS, 7 days after that the check-in SMS."""
    jid = publish_template(sim, "s4_treatment_care", "en")
    # (first treatment now, treatment a day later, phone, SMS consent)
    kinds = [
        ("Laser toning", None, True, True),
        ("Botox", None, True, True),  # another treatment: never enters
        ("Laser toning", None, False, True),  # no phone: unreachable at the first SMS, they leave at once
        ("Laser toning", None, True, False),  # said no to SMS
        (None, "Laser toning", True, True),  # treated a day later
        ("Botox", "Laser toning", True, True),  # Botox now, laser a day later
    ]
    n = 20 * len(kinds)
    people = {}
    for i in range(n):
        _now, _later, phone, sms_ok = kinds[i % len(kinds)]
        people[f"s4c{i}"] = person(f"Mia{i}", phone=phone, **({} if sms_ok else {"consents": {"sms": False}}))
    groups = group(people, len(kinds))
    load(sim, people)
    t0 = sim.now
    t1 = t0 + timedelta(days=1)
    sim.track([(c, "treatment_completed", {"treatment": kinds[g][0]}) for c, g in groups.items() if kinds[g][0]])
    conserved(sim, jid)
    for at in (t0 + timedelta(hours=1, minutes=59), t0 + timedelta(hours=2), t1):
        until(sim, jid, at)
    sim.track([(c, "treatment_completed", {"treatment": kinds[g][1]}) for c, g in groups.items() if kinds[g][1]])
    for at in (t1 + timedelta(hours=2), t0 + timedelta(days=7, hours=2), t1 + timedelta(days=7, hours=2)):
        until(sim, jid, at)
    step(sim, jid, days=1)

    full = ["treatment", "wait_2h", "aftercare_sms", "wait_7d", "checkin_sms"]
    unreached = ["treatment", "wait_2h", "aftercare_sms", "no_sms"]
    assert_routes(
        sim, jid, {**{c: full for c in members(groups, 0, 4, 5)}, **{c: unreached for c in members(groups, 2, 3)}}
    )
    assert enrolled_at(jid) == {
        **{c: [t0] for c in members(groups, 0, 2, 3)},
        **{c: [t1] for c in members(groups, 4, 5)},
    }
    sent = sent_by_node(jid)
    aftercare = lambda c: [f"Hi Mia{number(c)}, thanks for your laser-toning session today", "SPF50"]  # noqa: E731
    checkin = lambda c: [f"Hi Mia{number(c)}, how is your skin", "clinic.example.com/booking"]  # noqa: E731
    for node, says, delay in (("aftercare_sms", aftercare, timedelta(hours=2)), ("checkin_sms", checkin, None)):
        delay = delay or timedelta(days=7, hours=2)
        assert_sent(
            {c: m for c, m in sent[node].items() if c in members(groups, 0)},
            members(groups, 0),
            "sms",
            t0 + delay,
            says,
        )
        assert_sent(
            {c: m for c, m in sent[node].items() if c not in members(groups, 0)},
            members(groups, 4, 5),
            "sms",
            t1 + delay,
            says,
        )
    assert left(sim, jid, "aftercare_sms", "checkin_sms") == {
        **{c: [None, None] for c in members(groups, 0, 4, 5)},
        **{c: ["Unreachable: No phone number"] for c in members(groups, 2)},
        **{c: ["Unreachable: No consent for sms"] for c in members(groups, 3)},
    }
    final = conserved(sim, jid)
    assert final["treatment"]["entered"] == 100
    assert final["checkin_sms"]["exited"] == 60 and final["no_sms"]["entered"] == 40
    assert sum(c["waiting"] for c in final.values()) == 0


# --- S5 daily tagging ------------------------------------------------------------------------------------------


def track_at(sim, events: list[tuple[str, str, dict, datetime]]) -> None:
    """Events that happened at the given times (the shop's history, sent now), then the jobs they lead to."""
    payload = [
        {
            "event_id": f"{c}-{name}-{at.isoformat()}-{i}",
            "customer_id": c,
            "name": name,
            "properties": p,
            "timestamp": at.isoformat(),
        }
        for i, (c, name, p, at) in enumerate(events)
    ]
    response = sim.client.post("/api/events/batch", json={"events": payload})
    assert response.status_code == 202, response.get_json()
    sim.runner.run_jobs()


def test_s5_daily_tagging(sim):
    """Every midnight (Taipei): customers who bought in 90 days are tagged "oily skin", weight = their oil-control
    purchases in those 90 days (set, not added), so purchases moving out of the window lower it."""
    jid = publish_template(sim, "s5_daily_tagging", "zh-TW")
    settings = next(n for n in gallery.get("s5_daily_tagging")("zh-TW")["graph"]["nodes"] if n["id"] == "oily_skin")
    tag, oil = settings["data"]["settings"]["tag"], "控油保養"
    assert settings["data"]["settings"]["filters"][0]["value"] == oil
    n = 20 * 6
    people = {f"s5c{i}": person(f"淑芬{i}") for i in range(n)}
    groups = group(people, 6)
    load(sim, people)
    # Midnights in Taipei: 16:00 UTC on 2 and 3 March.
    m1, m2 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC), datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
    bought = lambda c, category, at: (c, "purchase", {"category": category, "total": 399}, at)  # noqa: E731
    history = []
    for c, g in groups.items():
        if g == 0:  # three oil-control purchases; the oldest leaves the window between the two midnights
            history += [bought(c, oil, m1 - timedelta(days=89, hours=12)), bought(c, oil, m1 - timedelta(days=30))]
            history += [bought(c, oil, m1 - timedelta(days=1))]
        elif g == 1:  # one oil-control purchase and two of something else
            history += [bought(c, oil, m1 - timedelta(days=10)), bought(c, "彩妝", m1 - timedelta(days=10))]
            history += [bought(c, "香水", m1 - timedelta(days=20))]
        elif g == 2:  # bought, but no oil control: scanned, not tagged
            history += [bought(c, "彩妝", m1 - timedelta(days=5))]
        elif g == 3:  # oil control 100 days ago: outside the audience
            history += [bought(c, oil, m1 - timedelta(days=100))]
        elif g == 5:  # one now, one more on the first day
            history += [bought(c, oil, m1 - timedelta(days=60))]
        # g == 4: never bought
    track_at(sim, history)
    until(sim, jid, m1 - timedelta(minutes=1))
    assert enrolled_at(jid) == {} and tags(tag) == {}
    until(sim, jid, m1)
    assert tags(tag) == {**{c: 3 for c in members(groups, 0)}, **{c: 1 for c in members(groups, 1, 5)}}
    until(sim, jid, m1 + timedelta(hours=6))
    track_at(sim, [bought(c, oil, sim.now) for c in members(groups, 5)])
    until(sim, jid, m2 - timedelta(minutes=1))
    until(sim, jid, m2)
    assert tags(tag) == {
        **{c: 2 for c in members(groups, 0)},  # the purchase of 89.5 days before the first midnight is out
        **{c: 1 for c in members(groups, 1)},
        **{c: 2 for c in members(groups, 5)},
    }

    scanned = members(groups, 0, 1, 2, 5)
    assert enrolled_at(jid) == {c: [m1, m2] for c in scanned}
    assert_routes(sim, jid, {c: ["midnight", "oily_skin", "done"] * 2 for c in scanned})
    weights = {0: [3, 2], 1: [1, 1], 5: [1, 2]}
    assert left(sim, jid, "oily_skin") == {
        **{c: [f"tag:{tag}={w}" for w in weights[g]] for c, g in groups.items() if g in weights},
        **{c: [f"tag:{tag}:no_events"] * 2 for c in members(groups, 2)},
    }
    assert messages(jid) == []
    final = conserved(sim, jid)
    assert final["midnight"]["entered"] == 2 * 80 and final["done"]["exited"] == 2 * 80


# --- S6 coupon offer -------------------------------------------------------------------------------------------


def test_s6_coupon_offer(sim):
    """Gold members get a LINE coupon offer: accept → code, 3 days → "unused", 4 days → "expiring"; decline →
    one thank-you; no reply in 2 days → "limited places", then accept (joins the accepted path) or not (next
    wave); a purchase at any point → thank you, converted. Not on LINE: they leave at once, not after waiting for a
    reply to a message they never got; one who blocks the account before "limited places" leaves then."""
    jid = publish_template(sim, "s6_coupon_offer", "en")
    n = 20 * 9
    people = {}
    for i in range(n):
        g = i % 9
        people[f"s6c{i}"] = person(f"Kai{i}", line=g != 6, tier="silver" if g == 7 else "gold")
    groups = group(people, 9)
    load(sim, people)
    # Made on Monday 2 March (Taipei): the offer goes out at 10:00 on 9 March, 02:00 UTC.
    t = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
    reply = lambda answer, *gs: [(c, "coupon_reply", {"answer": answer}) for c in members(groups, *gs)]  # noqa: E731
    until(sim, jid, t - timedelta(minutes=1))
    assert enrolled_at(jid) == {}
    until(sim, jid, t)
    assert enrolled_at(jid) == {c: [t] for c in members(groups, 0, 1, 2, 3, 4, 5, 6, 8)}  # gold members only
    # Only those the offer reached wait for their answer; those not on LINE have already left.
    at_offer = conserved(sim, jid)
    assert at_offer["reply"]["waiting"] == 7 * 20 and at_offer["not_on_line"]["exited"] == 20
    until(sim, jid, t + timedelta(hours=5))
    sim.track(reply("decline", 1))
    until(sim, jid, t + timedelta(days=1))
    sim.track(reply("accept", 0, 5))
    # Group 8 blocks the shop's LINE account without answering (the unfollow webhook withdraws the consent).
    sim.customers({c: {"consents": {"line": False}} for c in members(groups, 8)})
    until(sim, jid, t + timedelta(days=1, hours=12))
    sim.track([(c, "purchase", {"total": 2400}) for c in members(groups, 5)])  # uses the coupon
    assert conserved(sim, jid)["wait_3d"]["converted"] == 20
    until(sim, jid, t + timedelta(days=2))  # no reply in 2 days: "limited places left"
    until(sim, jid, t + timedelta(days=3))
    sim.track(reply("accept", 3) + reply("decline", 4))
    for days in (4, 6, 8, 10, 11):
        until(sim, jid, t + timedelta(days=days))

    offered = ["offer_day", "offer", "reply"]
    accepted = ["code", "wait_3d", "unused", "wait_4d", "expiring"]
    again = ["last_places", "reply_again"]
    expected = {
        0: [*offered, *accepted],
        1: [*offered, "declined"],
        2: [*offered, *again, "next_wave"],
        3: [*offered, *again, *accepted],
        4: [*offered, *again, "next_wave"],
        5: [*offered, "code", "wait_3d", "purchase", "thanks"],
        # Not a LINE friend: the offer cannot go out, so they leave at once (no wait for a reply).
        6: ["offer_day", "offer", "not_on_line"],
        # Blocked the account after the offer: "limited places left" cannot go out, they leave then.
        8: [*offered, "last_places", "left_line"],
    }
    assert_routes(sim, jid, {c: expected[g] for c, g in groups.items() if g != 7})
    assert left(sim, jid, "reply", "reply_again") == {
        **{c: ["event:coupon_reply"] for c in members(groups, 0, 1, 5)},
        **{c: ["timed_out", "timed_out"] for c in members(groups, 2)},
        **{c: ["timed_out", "event:coupon_reply"] for c in members(groups, 3, 4)},
        **{c: ["timed_out"] for c in members(groups, 8)},
    }
    not_on_line = "Unreachable: Not a LINE friend (no LINE user id)"
    assert left(sim, jid, "offer", "last_places") == {
        **{c: [None] for c in members(groups, 0, 1, 5)},
        **{c: [None, None] for c in members(groups, 2, 3, 4)},
        **{c: [not_on_line] for c in members(groups, 6)},
        **{c: [None, "Unreachable: No consent for line"] for c in members(groups, 8)},
    }
    assert {sim.left_at(jid, "offer")[c] for c in members(groups, 6)} == {t}
    assert {sim.left_at(jid, "last_places")[c] for c in members(groups, 8)} == {t + timedelta(days=2)}

    sent = sent_by_node(jid)
    day = lambda d: t + timedelta(days=d)  # noqa: E731
    assert_sent(
        sent["offer"],
        members(groups, 0, 1, 2, 3, 4, 5, 8),
        "line",
        t,
        lambda c: [f"Kai{number(c)}, here's 15% off", "answer=accept", "answer=decline"],
    )
    assert_sent(sent["declined"], members(groups, 1), "line", t + timedelta(hours=5), lambda c: ["Thanks for letting"])
    for g, at in ((0, day(1)), (5, day(1)), (3, day(3))):
        assert_sent(
            {c: m for c, m in sent["code"].items() if c in members(groups, g)},
            members(groups, g),
            "line",
            at,
            lambda c: ["Your code is GOLD85"],
        )
    assert set(sent["code"]) == members(groups, 0, 3, 5)
    for node, says, delay in (
        ("unused", "you still have a 15% off coupon", 3),
        ("expiring", "your 15% off coupon expires in 3 days", 7),
    ):
        assert set(sent[node]) == members(groups, 0, 3)
        for g, accepted_on in ((0, 1), (3, 3)):
            assert_sent(
                {c: m for c, m in sent[node].items() if c in members(groups, g)},
                members(groups, g),
                "line",
                day(accepted_on + delay),
                lambda c, says=says: [f"Kai{number(c)}, {says}"],
            )
    assert_sent(
        sent["last_places"],
        members(groups, 2, 3, 4),
        "line",
        day(2),
        lambda c: [f"Kai{number(c)}, only a few gold-member coupons are left"],
    )
    next_wave = sent["next_wave"]
    assert set(next_wave) == members(groups, 2, 4)
    assert {m["created_at"] for c, m in next_wave.items() if c in members(groups, 2)} == {day(4)}
    assert {m["created_at"] for c, m in next_wave.items() if c in members(groups, 4)} == {day(3)}
    assert all("This wave of coupons is gone" in content(m) and m["status"] == "sent" for m in next_wave.values())
    assert_sent(
        sent["thanks"],
        members(groups, 5),
        "line",
        day(1) + timedelta(hours=12),
        lambda c: [f"Kai{number(c)}, thank you for your purchase"],
    )
    assert set(sent) == {"offer", "declined", "code", "unused", "expiring", "last_places", "next_wave", "thanks"}

    assert {c for c, s in statuses(sim, jid).items() if s == "converted"} == members(groups, 5)
    assert {c for c, s in statuses(sim, jid).items() if s == "completed"} == members(groups, 0, 1, 2, 3, 4, 6, 8)
    final = conserved(sim, jid)
    assert final["wait_3d"]["converted"] == 20 and sum(c["converted"] for c in final.values()) == 20
    assert final["not_on_line"]["exited"] == final["left_line"]["exited"] == 20
    assert final["reply_again"]["entered"] == 3 * 20
    assert sum(c["waiting"] for c in final.values()) == 0


# --- S7 store opening ------------------------------------------------------------------------------------------


def test_s7_store_opening(sim):
    """Once, at 11:00 on opening day: one SMS to customers whose city is Kaohsiung (as the zh-TW data write it)."""
    jid = publish_template(sim, "s7_store_opening", "zh-TW")
    # (city, phone, SMS consent)
    kinds = [
        ("高雄市", True, True),
        ("高雄市", False, True),  # no phone: unreachable
        ("高雄市", True, False),  # said no to SMS
        ("台北市", True, True),
        ("Kaohsiung", True, True),  # another spelling: not the audience's value
        (None, True, True),
    ]
    n = 20 * len(kinds)
    people = {}
    for i in range(n):
        city, phone, sms_ok = kinds[i % len(kinds)]
        extra = {"city": city} if city else {}
        if not sms_ok:
            extra["consents"] = {"sms": False}
        people[f"s7c{i}"] = person(f"家豪{i}", phone=phone, **extra)
    groups = group(people, len(kinds))
    load(sim, people)
    # Made on 2 March (Taipei): opening day is 16 March, 11:00 in Taipei = 03:00 UTC.
    opening = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
    until(sim, jid, opening - timedelta(minutes=1))
    assert enrolled_at(jid) == {}
    until(sim, jid, opening)
    until(sim, jid, opening + timedelta(days=1))
    until(sim, jid, opening + timedelta(days=8))  # once: no second firing

    kaohsiung = members(groups, 0, 1, 2)
    assert enrolled_at(jid) == {c: [opening] for c in kaohsiung}
    assert_routes(sim, jid, {c: ["opening_day", "sms"] for c in kaohsiung})
    assert left(sim, jid, "sms") == {
        **{c: [None] for c in members(groups, 0)},
        **{c: ["Unreachable: No phone number"] for c in members(groups, 1)},
        **{c: ["Unreachable: No consent for sms"] for c in members(groups, 2)},
    }
    sent = sent_by_node(jid)
    assert set(sent) == {"sms"}
    assert_sent(
        sent["sms"],
        members(groups, 0),
        "sms",
        opening,
        lambda c: [f"家豪{number(c)}，高雄巨蛋門市今天開幕！", "stores/kaohsiung"],
    )
    final = conserved(sim, jid)
    assert final["opening_day"]["entered"] == 60 and final["sms"]["exited"] == 60


# --- S8 email drip ---------------------------------------------------------------------------------------------


def test_s8_email_drip(sim):
    """Intro to everyone; 2 days later the promotion to who opened it; 5 days later the closing reminder to who
    opened the promotion; 2 days later the loyalty email to who bought since entering. Whom an email cannot reach
    (no consent from the start, or unsubscribed along the way) leaves at that email, without waiting for its open."""
    jid = publish_template(sim, "s8_email_drip", "zh-TW")
    kinds = [
        "ignores",  # never opens the intro
        "intro_only",  # opens the intro, not the promotion
        "both_no_buy",
        "both_buys",  # opens both and buys before the last check
        "scanned",  # only a mail scanner "opens" the intro, at once
        "bought_before",  # opens both; bought before the journey, not since
        "no_consent",  # said no to email: nothing is sent, nothing can be opened
        "unsubscribes_after_intro",  # opens the intro, then unsubscribes: the promotion cannot go out
        "unsubscribes_after_promo",  # opens both, then unsubscribes: the closing reminder cannot go out
    ]
    n = 20 * len(kinds)
    people = {}
    for i in range(n):
        kind = kinds[i % len(kinds)]
        people[f"s8c{i}"] = person(f"雅婷{i}", **({"consents": {"email": False}} if kind == "no_consent" else {}))
    groups = group(people, len(kinds))
    load(sim, people)
    # Made on 2 March (Taipei): the intro goes out at 10:00 on 9 March, 02:00 UTC.
    t = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
    day = lambda d, **more: t + timedelta(days=d, **more)  # noqa: E731
    until(sim, jid, day(-1))
    sim.track([(c, "purchase", {"total": 880}) for c in members(groups, 5)])
    until(sim, jid, t)
    assert enrolled_at(jid) == {c: [t] for c in people}
    open_(sim, jid, "intro_email", members(groups, 4))  # the scanner: within 2 s of the send
    until(sim, jid, day(1))
    # Those without consent left at the intro: no one waits for the open of an email that never went out.
    assert conserved(sim, jid)["wait_2d"]["waiting"] == 8 * 20
    open_(sim, jid, "intro_email", members(groups, 1, 2, 3, 5, 7, 8))
    sim.customers({c: {"consents": {"email": False}} for c in members(groups, 7)})  # the unsubscribe link
    until(sim, jid, day(2))  # the first check; the promotion goes out
    until(sim, jid, day(3))
    open_(sim, jid, "promo_email", members(groups, 2, 3, 5, 8))
    sim.customers({c: {"consents": {"email": False}} for c in members(groups, 8)})
    until(sim, jid, day(7))  # the second check; the closing reminder
    until(sim, jid, day(8))
    sim.track([(c, "purchase", {"total": 1280}) for c in members(groups, 3)])
    until(sim, jid, day(9))  # the last check; the loyalty email
    step(sim, jid, days=1)

    intro = ["launch", "intro_email", "wait_2d", "opened_intro"]
    promo = [*intro, "promo_email", "wait_5d", "opened_promo"]
    closing = [*promo, "closing_email", "wait_2d_more", "bought"]
    expected = {
        0: [*intro, "not_opened"],
        1: [*promo, "promo_ignored"],
        2: [*closing, "not_bought"],
        3: [*closing, "loyalty_email"],
        4: [*intro, "not_opened"],
        5: [*closing, "not_bought"],
        6: ["launch", "intro_email", "intro_unreached"],
        7: [*intro, "promo_email", "promo_unreached"],
        8: [*promo, "closing_email", "closing_unreached"],
    }
    assert_routes(sim, jid, {c: expected[g] for c, g in groups.items()})
    no_consent = "Unreachable: No consent for email"
    assert {c: r for c, r in left(sim, jid, "intro_email", "promo_email", "closing_email").items() if r[-1]} == {
        c: [*[None] * (g - 6), no_consent] for c, g in groups.items() if g >= 6
    }
    assert {c: at for c, at in sim.left_at(jid, "intro_email").items() if c in members(groups, 6)} == {
        c: t for c in members(groups, 6)
    }
    assert {sim.left_at(jid, "promo_email")[c] for c in members(groups, 7)} == {day(2)}
    assert {sim.left_at(jid, "closing_email")[c] for c in members(groups, 8)} == {day(7)}

    sent = sent_by_node(jid)
    assert set(sent) == {"intro_email", "promo_email", "closing_email", "loyalty_email"}
    name = lambda c: [f"雅婷{number(c)} 您好"]  # noqa: E731
    assert_sent(sent["intro_email"], members(groups, 0, 1, 2, 3, 4, 5, 7, 8), "email", t, name)
    assert {m["payload"]["subject"] for m in sent["intro_email"].values()} == {
        f"雅婷{number(c)}，全新玻尿酸保濕系列上市了" for c in sent["intro_email"]
    }
    assert_sent(sent["promo_email"], members(groups, 1, 2, 3, 5, 8), "email", day(2), lambda c: [*name(c), "HYDRA20"])
    assert_sent(sent["closing_email"], members(groups, 2, 3, 5), "email", day(7), lambda c: [*name(c), "再 2 天"])
    assert_sent(sent["loyalty_email"], members(groups, 3), "email", day(9), lambda c: [*name(c), "200 點會員點數"])
    final = conserved(sim, jid)
    assert final["not_opened"]["exited"] == 40 and final["promo_ignored"]["exited"] == 20
    assert [final[f"{e}_unreached"]["exited"] for e in ("intro", "promo", "closing")] == [20, 20, 20]
    assert final["wait_2d"]["entered"] == 8 * 20
    assert final["not_bought"]["exited"] == 40 and final["loyalty_email"]["exited"] == 20
    assert sum(c["waiting"] for c in final.values()) == 0

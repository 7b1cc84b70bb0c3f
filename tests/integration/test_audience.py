"""The audience filter compiled to SQL, on SQLite and PostgreSQL: attribute operators, events in a window,
nested groups, and an event trigger that only lets its audience in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from wayfinder.audience.filters import AudienceSchema, matching_ids, page
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, Event

CITIES = ["Kaohsiung", "kaohsiung ", "Taipei", None, "Kaohsiung"]


def _people(n: int) -> dict[str, dict]:
    people = {}
    for i in range(n):
        a: dict = {"spend": i * 10 if i % 7 else str(i * 10)}  # some numbers stored as text
        if CITIES[i % 5]:
            a["city"] = CITIES[i % 5]
        if i % 3 == 0:
            a["tier"] = "gold member"
        if i % 11 == 0:
            a["spend"] = "n/a"  # not a number: never matches a numeric comparison, never an error
        people[f"a{i}"] = a
    return people


def _ids(session) -> dict[str, int]:
    return dict(session.execute(select(Customer.external_id, Customer.id)).all())


def test_attribute_and_event_conditions_select_the_same_customers_as_their_meaning(sim):
    people = _people(150)
    sim.customers(people)
    purchases = {c: i % 4 for i, c in enumerate(people)}  # 0..3 purchases, some long ago
    events = []
    for c, n in purchases.items():
        events += [(c, "purchase", {"n": k}) for k in range(n)]
    sim.track(events)
    # Purchases of customers a0..a39 happened 40 days ago (outside a 30-day window).
    ids = _ids(db.session)
    old = [ids[f"a{i}"] for i in range(40)]
    db.session.execute(
        Event.__table__.update().where(Event.customer_id.in_(old)).values(occurred_at=sim.now - timedelta(days=40))
    )
    db.session.commit()
    now = sim.now

    def select_ids(audience: dict, raw: bool = False) -> set[str]:
        loaded = audience if raw else AudienceSchema().load(audience)
        found = matching_ids(db.session, loaded, list(ids.values()), now)
        by_id = {v: k for k, v in ids.items()}
        return {by_id[i] for i in found}

    def spend(a):
        try:
            return float(a["spend"])
        except ValueError:
            return None

    city = {"kind": "attribute", "attribute": "city", "op": "eq", "value": "KAOHSIUNG"}
    assert select_ids({"conditions": [city]}) == {c for c, a in people.items() if a.get("city") == "Kaohsiung"}
    rich = {"kind": "attribute", "attribute": "spend", "op": "gte", "value": 1000}
    assert select_ids({"conditions": [rich]}) == {c for c, a in people.items() if (spend(a) or 0) >= 1000}
    gold = {"kind": "attribute", "attribute": "tier", "op": "contains", "value": "GOLD"}
    assert select_ids({"conditions": [gold]}) == {c for c, a in people.items() if "tier" in a}
    no_city = {"kind": "attribute", "attribute": "city", "op": "neq", "value": "Taipei"}
    assert select_ids({"conditions": [no_city]}) == {
        c for c, a in people.items() if a.get("city") not in (None, "Taipei")
    }
    twice = {"kind": "event", "event": "purchase", "days": 30, "min_count": 2}
    recent = {c for i, c in enumerate(people) if i >= 40}
    assert select_ids({"conditions": [twice]}) == {c for c in recent if purchases[c] >= 2}
    never = {"kind": "event", "event": "purchase", "days": 30, "negate": True}
    assert select_ids({"conditions": [never]}) == {c for c in people if c not in recent or purchases[c] == 0}
    either = {"match": "any", "conditions": [gold, twice]}
    assert select_ids(either) == {c for c in people if "tier" in people[c] or (c in recent and purchases[c] >= 2)}
    # A group nests an audience (what a firing does with its trigger's audience).
    inner = AudienceSchema().load({"conditions": [city]})["conditions"] + [
        {"kind": "group", **AudienceSchema().load(either)}
    ]
    assert select_ids({"match": "all", "conditions": inner}, raw=True) == select_ids(
        {"conditions": [city]}
    ) & select_ids(either)
    # Keyset paging returns the same customers, in id order, a page at a time.
    loaded = AudienceSchema().load({"conditions": [city]})
    pages, after = [], 0
    while batch := page(db.session, loaded, after, 7, now, workspace_id=DEFAULT_WORKSPACE_ID):
        pages += batch
        after = batch[-1]
    assert pages == sorted(ids[c] for c in select_ids({"conditions": [city]}))


def test_an_event_trigger_with_an_audience_lets_only_its_audience_in(sim):
    g = GraphBuilder()
    g.chain(g.trigger("t", event="visit"), g.exit("done"))
    g.nodes[0]["data"]["settings"]["audience"] = {
        "conditions": [{"kind": "attribute", "attribute": "city", "op": "eq", "value": "Kaohsiung"}]
    }
    jid = sim.publish(g.build())
    people = _people(100)
    sim.customers(people)
    sim.track([(c, "visit", {}) for c in people])
    assert set(sim.statuses(jid)) == {c for c, a in people.items() if a.get("city") == "Kaohsiung"}
    sim.assert_conserved(jid)

"""Tags with weights and attribute updates inside running journeys, on the virtual clock (SQLite and
PostgreSQL): fixed weights that add up, a tag removed and applied afresh, weights set from event counts in a
window by a daily scan (S5), conditions and audiences on tags, attributes set / incremented / cleared, and tags
kept to their workspace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from tests.integration.conftest import SIM_START, Workspaces
from wayfinder.engine.effects import write_effects
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, CustomerTag, Tag
from wayfinder.steps.base import Effects, TagChange


def tags(workspace_id: int = DEFAULT_WORKSPACE_ID) -> dict[str, dict[str, tuple]]:
    """{external id: {tag: (weight, first applied, last applied, last journey)}} of one workspace."""
    rows = db.session.execute(
        select(
            Customer.external_id,
            Tag.name,
            CustomerTag.weight,
            CustomerTag.first_applied_at,
            CustomerTag.last_applied_at,
            CustomerTag.last_journey_id,
        )
        .join(CustomerTag, CustomerTag.customer_id == Customer.id)
        .join(Tag, Tag.id == CustomerTag.tag_id)
        .where(Customer.workspace_id == workspace_id)
    ).all()
    db.session.remove()
    found: dict[str, dict[str, tuple]] = {}
    for external_id, name, *values in rows:
        found.setdefault(external_id, {})[name] = tuple(values)
    return found


def attributes() -> dict[str, dict]:
    rows = db.session.execute(select(Customer.external_id, Customer.attributes)).all()
    db.session.remove()
    return dict(rows)


def test_fixed_weights_add_up_and_a_condition_on_the_weight_removes_the_tag(sim):
    g = GraphBuilder()
    g.chain(
        g.trigger("cart", event="cart_updated"),
        g.add_tag("tag", "cart interest", amount=2),
        g.condition("hot", tag="cart interest", min_weight=4),
    )
    g.connect("hot", g.remove_tag("reset", "cart interest"), handle="yes")
    g.connect("reset", g.exit("cooled"))
    g.connect("hot", g.exit("warm"), handle="no")
    jid = sim.publish(g.build())
    n = 90
    people = {f"c{i:02}": {"first_name": f"C{i}"} for i in range(n)}
    sim.customers(people)
    carts = {c: i % 3 for i, c in enumerate(people)}  # 0, 1 or 2 extra carts after the first (…or none: 2)
    start = sim.now
    times = []
    for visit in range(3):
        times.append(sim.now)
        sim.track([(c, "cart_updated", {}) for c, k in carts.items() if (k == 0 and visit == 0) or (k == 1)])
        sim.assert_conserved(jid)
        sim.advance(minutes=10)

    enter = [(None, None, "cart", None), ("cart", "next", "tag", None), ("tag", "next", "hot", "tag:cart interest+2")]
    warm = [*enter, ("hot", "no", "warm", None), ("warm", None, None, None)]
    cooled = [*enter, ("hot", "yes", "reset", None), ("reset", "next", "cooled", "untag:cart interest")]
    cooled += [("cooled", None, None, None)]
    paths = sim.paths(jid)
    assert paths == {c: warm if k == 0 else warm + cooled + warm for c, k in carts.items() if k in (0, 1)}
    found = tags()
    # Once: weight 2 since the first cart. Three times: 2, 4 (hot: removed), then applied afresh at the third.
    assert found == {
        c: {"cart interest": (2, start, start, jid) if k == 0 else (2, times[2], times[2], jid)}
        for c, k in carts.items()
        if k in (0, 1)
    }
    counts = sim.assert_conserved(jid)
    assert counts["reset"]["entered"] == n // 3 and counts["warm"]["entered"] == 2 * (n // 3) + n // 3


S5_FILTER = [{"property": "sku", "op": "neq", "value": "lipstick"}]


def test_a_daily_scan_sets_the_weight_to_the_events_in_its_window_and_an_audience_reads_it(sim):
    people = {"amy": {}, "ben": {}, "cai": {}, "dan": {}}
    sim.customers(people)
    sim.track([("dan", "purchase", {"sku": "cleanser"})])  # 35 days before the first scan: outside its window
    sim.advance(days=35)
    sim.track([("amy", "purchase", {"sku": "cleanser"})] * 3)
    sim.track([("ben", "purchase", {"sku": "blotting paper"}), ("ben", "purchase", {"sku": "lipstick"})])
    g = GraphBuilder()
    g.chain(
        g.schedule("daily", "daily", time="00:00"),
        g.add_tag("scan", "oily skin", weight_by="events", event="purchase", days=30, filters=S5_FILTER),
        g.exit("done"),
    )
    scan = sim.publish(g.build(), name="S5")
    # Day 35, 09:00 in Taipei: the scan runs at the next 00:00 there (16:00 UTC), on the tick after it.
    sim.advance(hours=15, minutes=5)
    first = sim.now
    assert first - timedelta(minutes=5) == (SIM_START + timedelta(days=35)).replace(hour=16, minute=0)
    assert {c: t["oily skin"] for c, t in tags().items()} == {
        "amy": (3, first, first, scan),
        "ben": (1, first, first, scan),
    }
    reasons = {c: p[2][3] for c, p in sim.paths(scan).items()}
    assert reasons == {
        "amy": "tag:oily skin=3",
        "ben": "tag:oily skin=1",
        "cai": "tag:oily skin:no_events",
        "dan": "tag:oily skin:no_events",
    }

    # One more purchase: the next scan counts 4 purchases in the window (set, not added to yesterday's 3).
    sim.track([("amy", "purchase", {"sku": "cleanser"})])
    sim.advance(days=1)
    second = sim.now
    assert {c: t["oily skin"] for c, t in tags().items()} == {
        "amy": (4, first, second, scan),
        "ben": (1, first, second, scan),
    }
    sim.assert_conserved(scan)

    # An audience on the weight: only amy (4 ≥ 2); and one on not having the tag: cai and dan.
    for audience, expected in (
        ({"conditions": [{"kind": "tag", "tag": "oily skin", "min_weight": 2}]}, ["amy"]),
        ({"conditions": [{"kind": "tag", "tag": "oily skin", "negate": True}]}, ["cai", "dan"]),
        ({"match": "any", "conditions": [{"kind": "tag", "tag": "oily skin"}]}, ["amy", "ben"]),
    ):
        g = GraphBuilder()
        g.chain(g.manual("api", audience=audience), g.exit("in"))
        offer = sim.publish(g.build(), name=f"Offer {expected}")
        answer = sim.client.post(
            f"/api/journeys/{offer}/enrol", json={"request_id": "r", "customer_ids": sorted(people)}
        )
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["enrolled"] == expected
        sim.runner.run_jobs()
        assert sorted(sim.paths(offer)) == expected


def test_attributes_are_set_incremented_and_cleared(sim):
    g = GraphBuilder()
    g.chain(
        g.trigger("join", event="joined_club"),
        g.update_attribute("tier", "tier", value="金卡"),
        g.update_attribute("points", "points", "increment", amount=50),
        g.update_attribute("coupon", "coupon", "clear"),
        g.condition("rich", attribute="points", op="gte", value=100),
    )
    g.connect("rich", g.exit("gold"), handle="yes")
    g.connect("rich", g.exit("silver"), handle="no")
    jid = sim.publish(g.build())
    people = {
        "amy": {"points": 60, "coupon": "X1"},  # 110: yes
        "ben": {"tier": "一般"},  # no points yet: 50
        "cai": {"points": "lots", "coupon": "Y"},  # not a number: counts as 0
        "dan": {"points": 20.5},
    }
    sim.customers(people)
    sim.track([(c, "joined_club", {}) for c in people])
    sim.track([("dan", "joined_club", {})])  # a second visit increments again
    assert attributes() == {
        "amy": {"points": 110, "tier": "金卡"},
        "ben": {"points": 50, "tier": "金卡"},
        "cai": {"points": 50, "tier": "金卡"},
        "dan": {"points": 120.5, "tier": "金卡"},
    }
    paths = sim.paths(jid)
    assert [step[3] for step in paths["amy"][2:5]] == [
        'attribute:tier="金卡"',
        "attribute:points+50",
        "attribute:coupon:cleared",
    ]
    assert {c: p[-2][2] for c, p in paths.items()} == {"amy": "gold", "ben": "silver", "cai": "silver", "dan": "gold"}
    assert paths["dan"][-2][2] == "gold" and paths["dan"][5][2] == "silver"  # 70.5, then 120.5
    sim.assert_conserved(jid)


def test_a_tag_of_one_workspace_is_invisible_to_another(sim):
    ws = Workspaces(sim.app)
    b = ws.create("brand-b")
    journeys = {}
    for workspace in (DEFAULT_WORKSPACE_ID, b):
        g = GraphBuilder()
        g.chain(g.trigger("visit", event="visit"), g.condition("vip", tag="vip"))
        g.connect("vip", g.exit("known"), handle="yes")
        if workspace == DEFAULT_WORKSPACE_ID:  # only A tags its visitors
            g.connect("vip", g.add_tag("tag", "vip"), handle="no")
        else:
            g.connect("vip", g.exit("new"), handle="no")
        with ws.use(workspace):
            sim.customers({"amy": {}})
            journeys[workspace] = sim.publish(g.build(), name="Visit")
    with ws.use(DEFAULT_WORKSPACE_ID):
        sim.track([("amy", "visit", {})])
    with ws.use(b):
        sim.track([("amy", "visit", {})])  # B's amy: not tagged, though A's amy is and the names are equal
    sim.advance(minutes=1)  # (a new event id)
    with ws.use(DEFAULT_WORKSPACE_ID):
        sim.track([("amy", "visit", {})])
    a_steps = [step[2] for step in sim.paths(journeys[DEFAULT_WORKSPACE_ID])["amy"]]
    assert a_steps == ["visit", "vip", "tag", None, "visit", "vip", "known", None]
    assert [step[2] for step in sim.paths(journeys[b])["amy"]] == ["visit", "vip", "new", None]
    assert set(tags(DEFAULT_WORKSPACE_ID)) == {"amy"} and tags(b) == {}
    names = db.session.execute(select(Tag.workspace_id, Tag.name)).all()
    db.session.remove()
    assert [tuple(r) for r in names] == [(DEFAULT_WORKSPACE_ID, "vip")]
    # The tag picker: A's tag with its customers; B has none.
    with ws.use(DEFAULT_WORKSPACE_ID):
        listed = sim.client.get("/api/tags").get_json()["tags"]
        assert [(t["name"], t["customers"]) for t in listed] == [("vip", 1)]
    with ws.use(b):
        assert sim.client.get("/api/tags").get_json() == {"tags": []}
        assert sim.client.get("/api/tags?limit=0").status_code == 400
    # B's audience on A's tag name finds nobody.
    with ws.use(b):
        g = GraphBuilder()
        g.chain(g.manual("api", audience={"conditions": [{"kind": "tag", "tag": "vip"}]}), g.exit("in"))
        offer = sim.publish(g.build(), name="B offer")
        answer = sim.client.post(f"/api/journeys/{offer}/enrol", json={"request_id": "r", "customer_ids": ["amy"]})
        assert answer.get_json()["enrolled"] == []


@pytest.mark.parametrize("customers", [1000])
def test_tagging_a_batch_is_a_bounded_number_of_statements(app, customers):
    """1,000 customers tagged (and, in the same batch, 10 of them untagged again) in a handful of statements —
    not one per customer."""
    with app.app_context():
        now = SIM_START
        db.session.execute(
            insert(Customer),
            [
                {"workspace_id": DEFAULT_WORKSPACE_ID, "external_id": f"c{i}", "attributes": {}, "created_at": now}
                for i in range(customers)
            ],
        )
        ids = list(db.session.scalars(select(Customer.id).order_by(Customer.id)))
        effects = Effects()
        for i, customer_id in enumerate(ids):
            effects.add(TagChange(customer_id, "vip", 1, journey_id=None))
            effects.add(TagChange(customer_id, "new", 1))
            if i < 10:
                effects.add(TagChange(customer_id, "vip", None))
        statements = []
        connection = db.session.connection()
        from sqlalchemy import event

        def count(*_args, **_kwargs):
            statements.append(1)

        event.listen(connection, "before_cursor_execute", count)
        try:
            write_effects(db.session, effects, now, 300)
        finally:
            event.remove(connection, "before_cursor_execute", count)
        db.session.commit()
        # customers' workspaces (2 chunks), tags insert + read, removal, upsert: well under 20 for 1,000.
        assert len(statements) <= 12, len(statements)
        weights = dict(
            db.session.execute(select(Tag.name, func.count(CustomerTag.id)).join(CustomerTag).group_by(Tag.name)).all()
        )
        assert weights == {"vip": customers - 10, "new": customers}
        db.session.remove()


def test_tag_triggers_fire_when_a_tag_is_added_its_weight_crosses_a_threshold_or_it_is_removed(sim):
    g = GraphBuilder()
    g.chain(g.trigger("visit", event="visit"), g.add_tag("tag", "vip"))
    g.chain(g.trigger("leave", event="unsubscribe"), g.remove_tag("untag", "vip"))
    sim.publish(g.build(), name="Tagging")
    watchers = {}
    for name, settings in (
        ("new", {}),
        ("third", {"min_weight": 3}),
        ("gone", {"change": "removed"}),
    ):
        g = GraphBuilder()
        g.chain(g.tag_trigger("t", "vip", **settings), g.exit("x"))
        watchers[name] = sim.publish(g.build(), name=f"On vip {name}")
    g = GraphBuilder()
    g.chain(g.tag_trigger("t", "other"), g.exit("x"))
    other = sim.publish(g.build(), name="On other")
    sim.customers({"amy": {}, "ben": {}})

    entered_at: dict[str, list] = {name: [] for name in watchers}
    for visit in range(4):
        sim.track([("amy", "visit", {})] + ([("ben", "visit", {})] if visit == 0 else []))
        sim.advance(minutes=1)
        for name, jid in watchers.items():
            entered_at[name].append(sum(len([s for s in p if s[0] is None]) for p in sim.paths(jid).values()))
    # New on the first visit (amy and ben), weight 3 on amy's third visit only; nobody removed yet.
    assert entered_at == {"new": [2, 2, 2, 2], "third": [0, 0, 1, 1], "gone": [0, 0, 0, 0]}
    for _ in range(2):  # the second unsubscribe finds no tag to remove
        sim.track([("amy", "unsubscribe", {})])
        sim.advance(minutes=1)
    assert {name: sorted(sim.paths(jid)) for name, jid in watchers.items()} == {
        "new": ["amy", "ben"],
        "third": ["amy"],
        "gone": ["amy"],
    }
    assert [len(p) for p in sim.paths(watchers["gone"]).values()] == [3]  # entered once: trigger, exit
    assert sim.paths(other) == {}
    # Tagged again after removal: new again.
    sim.track([("amy", "visit", {})])
    assert len([s for s in sim.paths(watchers["new"])["amy"] if s[0] is None]) == 2

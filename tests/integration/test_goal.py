"""Goal: a customer who converts leaves at once — from a wait or a wait for an event — counted as converted
on the node where they were and for the journey, after an optional final path (thank-you email)."""

from __future__ import annotations

from sqlalchemy import select

from tests.integration.journeys import node_count
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Message


def cart_journey_with_goal() -> dict:
    g = GraphBuilder()
    g.chain(
        g.trigger("cart", event="cart_updated"),
        g.wait("wait", hours=2),
        g.email("remind", subject="Your cart is waiting"),
        g.wait_for_event("opened", "email_opened", timeout={"hours": 24}),
    )
    g.connect("opened", g.exit("engaged"), handle="happened")
    g.connect("opened", g.exit("lost"), handle="timed_out")
    g.chain(
        g.goal("bought", "purchase", filters=[{"property": "total", "op": "gte", "value": 100}]),
        g.email("thanks", subject="Thank you for your purchase"),
        g.exit("thanked"),
    )
    return g.build()


ENTER = [(None, None, "cart", None), ("cart", "next", "wait", None)]
FINAL = [("bought", "next", "thanks", None), ("thanks", "next", "thanked", None), ("thanked", None, None, None)]


def test_goal_mid_wait_and_mid_wait_for_event(sim):
    jid = sim.publish(cart_journey_with_goal())
    n = 300
    people = {f"c{i}": {"first_name": f"C{i}"} for i in range(n)}
    sim.customers(people)
    groups = {c: i % 5 for i, c in enumerate(people)}
    sim.track([(c, "cart_updated", {"cart_id": c}) for c in people])
    sim.assert_conserved(jid)

    for tick in range(1, 28 * 2 + 1):  # half-hour ticks over 28 hours
        if tick == 1:  # 30 min in, inside the 2-hour wait
            sim.track([(c, "purchase", {"total": 500}) for c, g in groups.items() if g == 0])
            sim.track([(c, "purchase", {"total": 50}) for c, g in groups.items() if g == 2])  # below the goal
            counts = sim.assert_conserved(jid)
            # Left at once, before any tick: counted converted on the wait.
            assert counts["wait"]["converted"] == n // 5 and counts["wait"]["waiting"] == 4 * n // 5
            assert counts["thanked"]["exited"] == n // 5
        if tick == 6:  # 3 h in, inside the wait for the email open
            sim.track([(c, "purchase", {"total": 120}) for c, g in groups.items() if g == 1])
            sim.track([(c, "email_opened", {}) for c, g in groups.items() if g == 3])
        sim.advance(minutes=30)
        sim.assert_conserved(jid)

    mail = ENTER + [("wait", "next", "remind", None), ("remind", "next", "opened", None)]
    expected = {
        0: [*ENTER, ("wait", None, "bought", "goal"), *FINAL],
        1: [*mail, ("opened", None, "bought", "goal"), *FINAL],
        2: [*mail, ("opened", "timed_out", "lost", "timed_out"), ("lost", None, None, None)],
        3: [*mail, ("opened", "happened", "engaged", "event:email_opened"), ("engaged", None, None, None)],
        4: [*mail, ("opened", "timed_out", "lost", "timed_out"), ("lost", None, None, None)],
    }
    assert sim.paths(jid) == {c: expected[g] for c, g in groups.items()}
    statuses = sim.statuses(jid)
    assert {c for c, s in statuses.items() if s == "converted"} == {c for c, g in groups.items() if g in (0, 1)}

    counts = sim.assert_conserved(jid)
    assert counts["wait"]["converted"] == n // 5
    assert counts["opened"]["converted"] == n // 5
    assert sum(c["converted"] for c in counts.values()) == 2 * n // 5  # the journey's conversions
    assert counts["bought"] == node_count(entered=2 * n // 5, moved_on=2 * n // 5)
    thanks = db.session.scalars(select(Message.subject).where(Message.node_id == "thanks")).all()
    assert len(thanks) == 2 * n // 5


def test_a_customer_converts_once_and_goal_events_of_other_journeys_do_not_touch_them(sim):
    jid = sim.publish(cart_journey_with_goal())
    g = GraphBuilder()
    g.chain(g.trigger("signup", event="signed_up"), g.wait("w", days=1), g.exit("done"))
    g.chain(g.goal("g", "subscribed"))
    other = sim.publish(g.build(), name="Other")
    sim.customers({"ann": {}})
    sim.track([("ann", "cart_updated", {}), ("ann", "signed_up", {})])
    sim.track([("ann", "subscribed", {})])  # the other journey's goal
    assert sim.statuses(jid) == {"ann": "waiting"}
    assert sim.statuses(other) == {"ann": "converted"}
    sim.track([("ann", "purchase", {"total": 900})])
    sim.track([("ann", "purchase", {"total": 900})])  # a second purchase: already converted
    assert sim.paths(jid)["ann"] == [*ENTER, ("wait", None, "bought", "goal"), *FINAL]
    assert sim.counts(other)["g"] == node_count(entered=1, exited=1)

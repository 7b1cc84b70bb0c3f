"""Wait for an event with a timeout, inside an event-triggered journey (abandoned cart), on the virtual
clock: hundreds of customers whose checkout comes in time, too late, for another cart, or never."""

from __future__ import annotations

from wayfinder.journeys.builder import GraphBuilder


def checkout_journey() -> dict:
    g = GraphBuilder()
    g.chain(
        g.trigger("cart", event="cart_updated"),
        g.wait_for_event("wfe", "checkout_completed", timeout={"hours": 1}, same_as_trigger=["cart_id"]),
    )
    g.connect("wfe", g.exit("checked_out"), handle="happened")
    g.connect("wfe", g.email("remind", subject="Your cart {{ event.cart_id }}"), handle="timed_out")
    g.connect("remind", g.exit("reminded"))
    return g.build()


ENTER = [(None, None, "cart", None), ("cart", "next", "wfe", None)]
HAPPENED = [*ENTER, ("wfe", "happened", "checked_out", "event:checkout_completed"), ("checked_out", None, None, None)]
TIMED_OUT = [
    *ENTER,
    ("wfe", "timed_out", "remind", "timed_out"),
    ("remind", "next", "reminded", None),
    ("reminded", None, None, None),
]


def test_checkout_in_time_on_the_same_cart_takes_happened_else_timed_out(sim):
    journey = checkout_journey()
    jid = sim.publish(journey)
    n = 240
    people = {f"c{i}": {"first_name": f"C{i}", "segment": i % 4} for i in range(n)}
    sim.customers(people)
    # Carts arrive over 20 minutes, in four waves.
    for wave in range(4):
        sim.track([(c, "cart_updated", {"cart_id": f"K-{c}"}) for i, c in enumerate(people) if i % 4 == wave])
        sim.assert_conserved(jid)
        sim.advance(minutes=5)

    expected: dict[str, list] = {}
    for tick in range(1, 19):  # 10-minute ticks: 3 hours
        if tick == 2:  # ~30 min in: segment 0 checks out its own cart, segment 1 another cart
            sim.track([(c, "checkout_completed", {"cart_id": f"K-{c}"}) for i, c in enumerate(people) if i % 4 == 0])
            sim.track([(c, "checkout_completed", {"cart_id": "OTHER"}) for i, c in enumerate(people) if i % 4 == 1])
        if tick == 9:  # 1 h 35 min in: segment 2 checks out, after its timeout
            sim.track([(c, "checkout_completed", {"cart_id": f"K-{c}"}) for i, c in enumerate(people) if i % 4 == 2])
        sim.advance(minutes=10)
        counts = sim.assert_conserved(jid)
        if tick == 2:
            assert counts["checked_out"]["entered"] == n // 4
            assert counts["wfe"]["waiting"] == 3 * n // 4  # nobody has timed out yet

    paths = sim.paths(jid)
    for i, c in enumerate(people):
        expected[c] = HAPPENED if i % 4 == 0 else TIMED_OUT
    assert paths == expected
    counts = sim.assert_conserved(jid)
    assert counts["wfe"] == {"entered": n, "waiting": 0, "moved_on": n, "exited": 0, "errored": 0, "converted": 0}
    assert counts["remind"]["entered"] == 3 * n // 4
    # Nobody left in the wait index once everyone has moved on.
    from sqlalchemy import func, select

    from wayfinder.extensions import db
    from wayfinder.models import EnrollmentWait

    assert db.session.scalar(select(func.count()).select_from(EnrollmentWait)) == 0


def test_an_awaited_event_routes_only_to_customers_waiting_for_it(sim):
    jid = sim.publish(checkout_journey())
    sim.customers({"waiting": {}, "bystander": {}})
    sim.track([("waiting", "cart_updated", {"cart_id": "A"})])
    # The bystander checks out a cart with the same id without being in the journey: nothing happens to anyone.
    sim.track([("bystander", "checkout_completed", {"cart_id": "A"})])
    assert sim.counts(jid)["wfe"]["waiting"] == 1
    sim.track([("waiting", "checkout_completed", {"cart_id": "A"})])
    assert sim.paths(jid) == {"waiting": HAPPENED}

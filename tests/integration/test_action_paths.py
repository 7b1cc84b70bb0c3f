"""Action paths (S6: a coupon reply with accept / decline / no reply, in one step), on the virtual clock, on SQLite
and PostgreSQL: each customer takes the path of the first event that matches, the first matching path in the
marketer's order, a coupon-keyed path ignores another coupon's reply, a goal mid-wait takes the customer out,
the journey's maximum time still applies, and counts conserve throughout."""

from __future__ import annotations

from sqlalchemy import func, select

from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import EnrollmentWait

SAME = ["coupon_id"]
# Ids are not in the order the marketer put the paths (as after a reorder): the handle is the id, never the place.
PATHS = [
    {
        "id": "p_yes",
        "label": "接受",
        "event": "coupon_reply",
        "filters": [{"property": "answer", "op": "eq", "value": "accept"}],
        "same_as_trigger": SAME,
    },  # noqa: E501
    {
        "id": "p_no",
        "label": "婉拒",
        "event": "coupon_reply",
        "filters": [{"property": "answer", "op": "eq", "value": "decline"}],
        "same_as_trigger": SAME,
    },  # noqa: E501
    # Any reply to this coupon: an accept or a decline matches it too, but they take the paths above it.
    {"id": "p_any", "label": "其他回覆", "event": "coupon_reply", "same_as_trigger": SAME},
]


def coupon_journey(settings: dict | None = None) -> dict:
    g = GraphBuilder()
    g.chain(g.trigger("sent", event="coupon_sent"), g.action_paths("reply", PATHS, timeout={"days": 2}))
    g.connect("reply", g.email("thanks", subject="Your coupon {{ event.coupon_id }}"), handle="p_yes")
    g.connect("thanks", g.exit("used"))
    g.connect("reply", g.exit("declined"), handle="p_no")
    g.connect("reply", g.exit("other"), handle="p_any")
    g.connect("reply", g.email("remind", subject="Still want it?"), handle="timed_out")
    g.connect("remind", g.exit("reminded"))
    g.chain(g.goal("bought", "purchase", filters=[{"property": "total", "op": "gte", "value": 100}]), g.exit("won"))
    g.settings = settings or {}
    return g.build()


ENTER = [(None, None, "sent", None), ("sent", "next", "reply", None)]
REPLY = "event:coupon_reply"
EXPECTED = {
    "accept": [
        *ENTER,
        ("reply", "p_yes", "thanks", REPLY),
        ("thanks", "next", "used", None),
        ("used", None, None, None),
    ],
    "decline": [*ENTER, ("reply", "p_no", "declined", REPLY), ("declined", None, None, None)],
    "other": [*ENTER, ("reply", "p_any", "other", REPLY), ("other", None, None, None)],
    "timed_out": [
        *ENTER,
        ("reply", "timed_out", "remind", "timed_out"),
        ("remind", "next", "reminded", None),
        ("reminded", None, None, None),
    ],
    "goal": [*ENTER, ("reply", None, "bought", "goal"), ("bought", "next", "won", None), ("won", None, None, None)],
}
# What each group of customers does while waiting, and the path it must take.
GROUPS = {
    0: "accept",  # accepts its own coupon
    1: "decline",
    2: "other",  # answers "maybe": only the any-reply path takes it
    3: "timed_out",  # never answers
    4: "timed_out",  # accepts another coupon: the coupon-keyed paths ignore it
    5: "goal",  # buys mid-wait: the goal takes the customer out
    6: "decline",  # declines, then accepts in the same batch: the earlier event wins
    7: "timed_out",  # accepts after the timeout: too late
}


def _events(people: dict[str, int], group: int, *replies: str, coupon: str | None = None) -> list[tuple]:
    return [
        (c, "coupon_reply", {"coupon_id": coupon or f"K-{c}", "answer": answer})
        for c, g in people.items()
        if g == group
        for answer in replies
    ]


def test_coupon_reply_accept_decline_other_or_nothing_each_take_their_path(sim):
    jid = sim.publish(coupon_journey())
    n = 240
    people = {f"c{i}": i % len(GROUPS) for i in range(n)}
    per_group = n // len(GROUPS)
    sim.customers({c: {} for c in people})
    sim.track([(c, "coupon_sent", {"coupon_id": f"K-{c}"}) for c in people])
    assert sim.assert_conserved(jid)["reply"]["waiting"] == n

    for tick in range(1, 4 * 24 + 1):  # hourly ticks over 4 days
        if tick == 3:
            sim.track(_events(people, 0, "accept") + _events(people, 1, "decline") + _events(people, 2, "maybe"))
            sim.track(_events(people, 4, "accept", coupon="OTHER"))
            sim.track([(c, "purchase", {"total": 300}) for c, g in people.items() if g == 5])
            sim.track(_events(people, 6, "decline", "accept"))
            counts = sim.assert_conserved(jid)
            # Moved at once, before any tick: 5 groups replied or bought, 3 still wait.
            assert counts["reply"]["waiting"] == 3 * per_group
            assert counts["reply"]["converted"] == per_group
        if tick == 50:  # 2 days and 2 hours in: after the timeout
            sim.track(_events(people, 7, "accept"))
        sim.advance(hours=1)
        sim.assert_conserved(jid)

    assert sim.paths(jid) == {c: EXPECTED[GROUPS[g]] for c, g in people.items()}
    counts = sim.assert_conserved(jid)
    assert counts["reply"] == {
        "entered": n,
        "waiting": 0,
        "moved_on": n - per_group,
        "exited": per_group,
        "errored": 0,
        "converted": per_group,
    }
    assert counts["used"]["entered"] == per_group
    assert counts["declined"]["entered"] == 2 * per_group
    assert counts["other"]["entered"] == per_group
    assert counts["remind"]["entered"] == 3 * per_group
    assert {c for c, s in sim.statuses(jid).items() if s == "converted"} == {c for c, g in people.items() if g == 5}
    assert db.session.scalar(select(func.count()).select_from(EnrollmentWait)) == 0
    db.session.remove()


def test_a_reply_routes_only_to_customers_waiting_and_the_wait_keeps_one_index_row_per_path(sim):
    jid = sim.publish(coupon_journey())
    sim.customers({"waiting": {}, "bystander": {}})
    sim.track([("waiting", "coupon_sent", {"coupon_id": "A"})])
    rows = db.session.scalars(select(EnrollmentWait.event_name)).all()
    db.session.remove()
    assert rows == ["coupon_reply"] * len(PATHS)
    # Someone outside the journey replies about the same coupon: nothing happens to anyone.
    sim.track([("bystander", "coupon_reply", {"coupon_id": "A", "answer": "accept"})])
    assert sim.counts(jid)["reply"]["waiting"] == 1
    sim.track([("waiting", "coupon_reply", {"coupon_id": "A", "answer": "accept"})])
    assert sim.paths(jid) == {"waiting": EXPECTED["accept"]}


def test_the_journeys_maximum_time_ends_the_wait_before_its_timeout(sim):
    jid = sim.publish(coupon_journey({"max_duration": {"amount": 1, "unit": "days"}}))
    people = {f"m{i}": {} for i in range(20)}
    sim.customers(people)
    sim.track([(c, "coupon_sent", {"coupon_id": f"K-{c}"}) for c in people])
    for _ in range(3 * 24):
        sim.advance(hours=1)
        sim.assert_conserved(jid)
    assert sim.paths(jid) == {c: [*ENTER, ("reply", None, None, "max_time")] for c in people}

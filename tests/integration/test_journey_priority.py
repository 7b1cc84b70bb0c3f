"""Journey priority decides which journey's send takes a customer's last frequency-cap slot when sends are
decided together (one event starting several journeys); equal priority: the first decided (the earlier
enrollment). Before priorities the lower journey id always won. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, Message, MessageStatus

CAP = [{"channel": "email", "limit": 1, "period": "day"}]
PEOPLE = {f"p{i}": {} for i in range(40)}


def _mail_journey(priority: str | None, reentry: str = "always") -> dict:
    g = GraphBuilder()
    g.chain(g.trigger("t", event="sale"), g.email("mail", subject="Sale"), g.exit("done"))
    g.settings = {"frequency_caps": CAP, "reentry": reentry, **({"priority": priority} if priority else {})}
    return g.build()


def _statuses() -> dict[tuple[str, int], str]:
    rows = db.session.execute(
        select(Customer.external_id, Message.journey_id, Message.status).join(
            Customer, Customer.id == Message.customer_id
        )
    ).all()
    db.session.remove()
    return {(c, j): s for c, j, s in rows}


def _race(sim, first_priority: str | None, second_priority: str | None) -> tuple[int, int, dict]:
    first = sim.publish(_mail_journey(first_priority), name="First")
    second = sim.publish(_mail_journey(second_priority), name="Second")
    assert first < second
    sim.customers(PEOPLE)
    sim.track([(c, "sale", {}) for c in PEOPLE])  # one event per customer enrols them into both journeys
    return first, second, _statuses()


def test_a_high_priority_journey_wins_the_last_slot_over_a_lower_journey_id(sim):
    low_id, high_id, statuses = _race(sim, "low", "high")
    for c in PEOPLE:
        assert statuses[(c, high_id)] == MessageStatus.SENT, c
        assert statuses[(c, low_id)] == MessageStatus.SKIPPED, c
    assert sim.paths(low_id)["p0"][2] == ("mail", "next", "done", "frequency_cap")


def test_a_normal_priority_journey_wins_over_a_low_one_whatever_its_id(sim):
    normal_id, low_id, statuses = _race(sim, None, "low")  # no priority set: normal
    for c in PEOPLE:
        assert (statuses[(c, normal_id)], statuses[(c, low_id)]) == (MessageStatus.SENT, MessageStatus.SKIPPED), c


def test_equal_priority_goes_to_the_first_decided(sim):
    first, second, statuses = _race(sim, "high", "high")
    for c in PEOPLE:
        assert (statuses[(c, first)], statuses[(c, second)]) == (MessageStatus.SENT, MessageStatus.SKIPPED), c


def test_equal_priority_follows_publish_order_whatever_the_version_ids(sim):
    """The racers' versions get ids 7 and 8 modulo 8, where a Python set of ints iterates 8 before 7: the first
    published must still be the first decided (it was not, before versions were routed in id order)."""
    from wayfinder.models import JourneyVersion

    spacer = GraphBuilder()
    spacer.chain(spacer.trigger("t", event="never_sent"), spacer.exit("done"))
    while ((db.session.scalar(select(func.max(JourneyVersion.id))) or 0) + 1) % 8 != 7:
        sim.publish(spacer.build(), name="Spacer")  # a version id used up; its event never comes
        db.session.remove()
    first, second, statuses = _race(sim, "high", "high")
    for c in PEOPLE:
        assert (statuses[(c, first)], statuses[(c, second)]) == (MessageStatus.SENT, MessageStatus.SKIPPED), c


def test_an_earlier_decided_send_keeps_its_slot_against_a_higher_priority_one(sim):
    low = sim.publish(_mail_journey("low", reentry="once"), name="Low")
    sim.customers(PEOPLE)
    sim.track([(c, "sale", {}) for c in PEOPLE])
    high = sim.publish(_mail_journey("high"), name="High")
    sim.advance(minutes=5)
    sim.track([(c, "sale", {}) for c in PEOPLE])
    statuses = _statuses()
    for c in PEOPLE:
        assert (statuses[(c, low)], statuses[(c, high)]) == (MessageStatus.SENT, MessageStatus.SKIPPED), c

"""Journey settings at run time, on the virtual clock with real Redis, SQLite and PostgreSQL: quiet hours,
frequency caps across journeys (two journeys racing in the same second), maximum time, re-entry after a
cool-down, start and end dates. Every decision is on the step history (or the refusals) with its reason."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from wayfinder.engine import service
from wayfinder.engine.queues import inline_jobs
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, Enrollment, EntryRefusal, Message, MessageStatus

ENTER = [(None, None, "t", None)]


def _mail_journey(settings: dict, event: str = "promo", wait: dict | None = None) -> dict:
    g = GraphBuilder()
    nodes = [g.trigger("t", event=event)]
    if wait:
        nodes.append(g.wait("w", **wait))
    nodes += [g.email("mail", subject="Offer"), g.exit("done")]
    g.chain(*nodes)
    g.settings = settings
    return g.build()


def _messages(journey_id: int | None = None) -> dict[str, list[tuple]]:
    query = select(Customer.external_id, Message.journey_id, Message.status, Message.created_at).join(
        Customer, Customer.id == Message.customer_id
    )
    if journey_id is not None:
        query = query.where(Message.journey_id == journey_id)
    out: dict[str, list[tuple]] = {}
    for c, j, status, at in db.session.execute(query.order_by(Message.id)):
        out.setdefault(c, []).append((j, status, at))
    db.session.remove()
    return out


def test_quiet_hours_defer_a_send_to_the_next_allowed_minute_in_the_customers_zone(sim):
    # 22:00 in Taipei on Monday 2 March = 14:00 UTC = 09:00 in New York (EST).
    sim.clock.set(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
    jid = sim.publish(_mail_journey({"quiet_hours": {"start": "21:00", "end": "08:30"}}))
    zones = ["America/New_York", None, "Europe/London", None]  # London: 14:00 GMT, allowed
    people = {f"q{i}": ({"timezone": zones[i % 4]} if zones[i % 4] else {}) for i in range(200)}
    sim.customers(people)
    sim.track([(c, "promo", {}) for c in people])
    sim.assert_conserved(jid)
    for _ in range(24 * 4):
        sim.advance(minutes=15)
        sim.assert_conserved(jid)
    sent = _messages(jid)
    paths = sim.paths(jid)
    now_path = [*ENTER, ("t", "next", "mail", None), ("mail", "next", "done", None), ("done", None, None, None)]
    deferred_path = [
        *ENTER,
        ("t", "next", "mail", None),
        ("mail", None, "mail", "quiet_hours"),
        ("mail", "next", "done", None),
        ("done", None, None, None),
    ]
    for i, c in enumerate(people):
        ((_j, _status, at),) = sent[c]
        if zones[i % 4] is None:  # the journey's zone, Asia/Taipei: 08:30 on Tuesday = 00:30 UTC
            assert at == datetime(2026, 3, 3, 0, 30, tzinfo=UTC), c
            assert paths[c] == deferred_path, c
        else:
            assert at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC), c
            assert paths[c] == now_path, c
    counts = sim.assert_conserved(jid)
    assert counts["mail"]["entered"] == 200 and counts["done"]["exited"] == 200


def test_a_frequency_cap_across_two_journeys_racing_in_the_same_second_sends_exactly_one(sim):
    cap = {"frequency_caps": [{"channel": "email", "limit": 1, "period": "day"}]}
    a = sim.publish(_mail_journey(cap, wait={"hours": 1}), name="A")
    b = sim.publish(_mail_journey(cap, wait={"hours": 1}), name="B")
    people = {f"r{i}": {} for i in range(120)}
    sim.customers(people)
    sim.track([(c, "promo", {}) for c in people])
    # Both journeys' customers wake in the same second; each journey is advanced by its own transaction,
    # in two threads started together.
    sim.clock.advance(hours=1)
    service.tick(now=sim.now)
    inline_jobs().clear()
    ids = {
        j: list(db.session.scalars(select(Enrollment.id).where(Enrollment.journey_id == j).order_by(Enrollment.id)))
        for j in (a, b)
    }
    db.session.remove()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(journey_id: int) -> None:
        try:
            with sim.app.app_context():
                barrier.wait()
                service.advance_enrollments(ids[journey_id], sim.now)
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(j,)) for j in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sim.runner.run_jobs()

    sent = _messages()
    for c in people:
        statuses = Counter(status for _j, status, _at in sent[c])
        assert statuses[MessageStatus.SKIPPED] == 1 and len(sent[c]) == 2, (c, sent[c])
    paths = {j: sim.paths(j) for j in (a, b)}
    for c in people:
        reasons = [paths[j][c][3][3] for j in (a, b)]  # the row leaving the mail step
        assert sorted(reasons, key=str) == sorted([None, "frequency_cap"], key=str), (c, reasons)
    for j in (a, b):
        assert sim.assert_conserved(j)["done"]["exited"] == 120
    # The next day the cap has room again.
    sim.clock.set(datetime(2026, 3, 3, 17, 0, tzinfo=UTC))
    sim.track([(c, "promo", {}) for c in list(people)[:10]])
    sim.advance(hours=1)
    sent = _messages()
    for c in list(people)[:10]:
        assert Counter(s for _j, s, _at in sent[c]) == Counter({MessageStatus.SKIPPED: 2, MessageStatus.SENT: 2}), c


def test_a_weekly_cap_on_every_channel_counts_other_journeys_sends_but_not_failed_ones(sim):
    """Caps count the customer's messages themselves: a send of a journey without caps uses a slot, a send that
    failed does not, and the week (from Monday, local) starts afresh."""
    sim.clock.set(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # Monday 10:00 in Taipei
    g = GraphBuilder()
    g.chain(g.trigger("t", event="news"), g.email("mail", subject="News", body="<p>{{ 10 // customer.n }}</p>"))
    uncapped = sim.publish(g.build(), name="Newsletter")
    capped = sim.publish(
        _mail_journey({"reentry": "always", "frequency_caps": [{"channel": "any", "limit": 2, "period": "week"}]}),
        name="Offers",
    )
    people = {f"w{i}": {"n": i % 2} for i in range(40)}  # n = 0: the newsletter fails to render for them
    sim.customers(people)
    sim.track([(c, "news", {}) for c in people])
    sim.advance(days=1)  # Tuesday: two offers each
    sim.track([(c, "promo", {}) for c in people])
    sim.advance(minutes=1)
    sim.track([(c, "promo", {}) for c in people])
    sim.advance(minutes=1)
    news, offers = _messages(uncapped), _messages(capped)
    for i, c in enumerate(people):
        ((_j, newsletter, _at),) = news[c]
        got = [status for _j, status, _at in offers[c]]
        if i % 2:
            assert newsletter == MessageStatus.SENT and got == [MessageStatus.SENT, MessageStatus.SKIPPED], c
        else:
            assert newsletter == MessageStatus.FAILED and got == [MessageStatus.SENT, MessageStatus.SENT], c
    sim.assert_conserved(capped)
    # Next Monday the week starts afresh.
    sim.clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
    sim.track([(c, "promo", {}) for c in people])
    sim.advance(minutes=1)
    offers = _messages(capped)
    assert all(offers[c][-1][1] == MessageStatus.SENT for c in people)


def test_maximum_time_in_the_journey(sim):
    jid = sim.publish(_mail_journey({"max_duration": {"amount": 2, "unit": "days"}}, wait={"days": 3}))
    people = {f"m{i}": {} for i in range(100)}
    sim.customers(people)
    early, late = list(people)[:50], list(people)[50:]
    sim.track([(c, "promo", {}) for c in early])
    start = sim.now
    sim.advance(hours=7)
    sim.track([(c, "promo", {}) for c in late])
    for _ in range(4 * 24):
        sim.advance(hours=1)
        sim.assert_conserved(jid)
    paths = sim.paths(jid)
    expected = [*ENTER, ("t", "next", "w", None), ("w", None, None, "max_time")]
    assert paths == {c: expected for c in people}
    left = dict(
        db.session.execute(
            select(Customer.external_id, Enrollment.ended_at).join(Customer, Customer.id == Enrollment.customer_id)
        ).all()
    )
    assert {left[c] for c in early} == {start + timedelta(days=2)}
    assert {left[c] for c in late} == {start + timedelta(hours=7, days=2)}
    assert _messages(jid) == {}


def test_reentry_after_a_cooldown_and_start_and_end_dates(sim):
    sim.clock.set(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    settings = {
        "reentry": "cooldown",
        "reentry_cooldown": {"amount": 1, "unit": "days"},
        "start_at": "2026-03-02T12:00",  # Taipei: 04:00 UTC
        "end_at": "2026-03-05T08:00",  # Taipei: 5 March 00:00 UTC
    }
    g = GraphBuilder()
    g.chain(g.trigger("t", event="visit"), g.exit("done"))
    g.settings = settings
    jid = sim.publish(g.build())
    people = {f"v{i}": {} for i in range(60)}
    sim.customers(people)
    visits = [0, 5, 17, 30, 40, 54, 75]  # hours after 2 March 00:00 UTC
    for hour in range(80):
        if hour in visits:
            sim.track([(c, "visit", {}) for c in people])
        sim.advance(hours=1)
        sim.assert_conserved(jid)
    entered = Counter(db.session.scalars(select(Enrollment.entered_at).where(Enrollment.journey_id == jid)).all())
    at = lambda h: datetime(2026, 3, 2, tzinfo=UTC) + timedelta(hours=h)  # noqa: E731
    # 0: before the start; 5: enters; 17: within a day of leaving; 30: enters; 40: cool-down; 54: enters;
    # 75: after the end.
    assert entered == Counter({at(5): 60, at(30): 60, at(54): 60})
    refusals = db.session.execute(
        select(EntryRefusal.reason, EntryRefusal.times, EntryRefusal.first_at, EntryRefusal.last_at)
    ).all()
    assert Counter(refusals) == Counter(
        {
            ("before_start", 1, at(0), at(0)): 60,
            ("reentry_cooldown", 2, at(17), at(40)): 60,
            ("after_end", 1, at(75), at(75)): 60,
        }
    )


def test_a_caps_day_is_the_customers_local_day_else_the_journeys_not_the_brands(sim):
    """A New York journey capped at one email a day: for a customer without a zone the day is New York's (the
    journey's), not Taipei's (BRAND_TIMEZONE); for a customer in Taipei it is Taipei's."""
    cap = {
        "timezone": "America/New_York",
        "reentry": "always",
        "frequency_caps": [{"channel": "email", "limit": 1, "period": "day"}],
    }
    jid = sim.publish(_mail_journey(cap))
    sim.customers({"nozone": {}, "taipei": {"timezone": "Asia/Taipei"}})
    # 09:00 on Monday 2 March in New York = 22:00 the same day in Taipei.
    sim.clock.set(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
    sim.track([("nozone", "promo", {}), ("taipei", "promo", {})])
    # 12:00 on Monday in New York = 01:00 on Tuesday in Taipei.
    sim.clock.set(datetime(2026, 3, 2, 17, 0, tzinfo=UTC))
    sim.track([("nozone", "promo", {}), ("taipei", "promo", {})])
    sent = _messages(jid)
    assert [s for _j, s, _at in sent["nozone"]] == [MessageStatus.SENT, MessageStatus.SKIPPED]
    assert [s for _j, s, _at in sent["taipei"]] == [MessageStatus.SENT, MessageStatus.SENT]

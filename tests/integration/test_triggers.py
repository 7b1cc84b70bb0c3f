"""Schedules, relative dates and manual enrolment on the virtual clock, with hundreds of customers."""

from __future__ import annotations

import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from wayfinder.engine import schedules
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, Enrollment, EntryRefusal, TriggerFiring

KAOHSIUNG = {"conditions": [{"kind": "attribute", "attribute": "city", "op": "eq", "value": "Kaohsiung"}]}
CITIES = ["Kaohsiung", "Taipei", "kaohsiung", None, "Tainan"]


def _journey(trigger_id: str, add_trigger, settings: dict | None = None) -> dict:
    g = GraphBuilder()
    add_trigger(g)
    g.chain(trigger_id, g.email("sms", subject="New store"), g.exit("done"))
    g.settings = settings or {}
    return g.build()


def _population(sim, n: int) -> dict[str, dict]:
    people = {}
    for i in range(n):
        attributes = {"first_name": f"P{i}"}
        if CITIES[i % 5]:
            attributes["city"] = CITIES[i % 5]
        people[f"p{i}"] = attributes
    sim.customers(people)
    return people


def _firings(journey_id: int) -> list[datetime]:
    rows = db.session.scalars(
        select(TriggerFiring.due_at).where(TriggerFiring.journey_id == journey_id).order_by(TriggerFiring.due_at)
    ).all()
    db.session.remove()
    return list(rows)


def _entries(journey_id: int) -> Counter:
    rows = db.session.execute(
        select(Customer.external_id, Enrollment.entered_at)
        .join(Customer, Customer.id == Enrollment.customer_id)
        .where(Enrollment.journey_id == journey_id)
    ).all()
    db.session.remove()
    return Counter(rows)


def test_daily_schedule_in_new_york_across_the_spring_forward_enrols_its_audience_each_time(sim):
    sim.clock.set(datetime(2026, 3, 5, 20, 0, tzinfo=UTC))
    graph = _journey(
        "daily",
        lambda g: g.schedule("daily", "daily", time="09:00", audience=KAOHSIUNG),
        {"timezone": "America/New_York"},
    )
    jid = sim.publish(graph)
    people = _population(sim, 200)
    for _ in range(5 * 24):  # hourly ticks until 10 March 20:00 UTC
        sim.advance(hours=1)
        sim.assert_conserved(jid)

    # 09:00 EST is 14:00 UTC; New York springs forward on Sunday 8 March: 09:00 EDT is 13:00 UTC.
    due = [
        datetime(2026, 3, 6, 14, tzinfo=UTC),
        datetime(2026, 3, 7, 14, tzinfo=UTC),
        datetime(2026, 3, 8, 13, tzinfo=UTC),
        datetime(2026, 3, 9, 13, tzinfo=UTC),
        datetime(2026, 3, 10, 13, tzinfo=UTC),
    ]
    assert _firings(jid) == due
    audience = {c for c, a in people.items() if (a.get("city") or "").lower() == "kaohsiung"}
    assert len(audience) == 80
    assert _entries(jid) == Counter({(c, at): 1 for c in audience for at in due})
    paths = sim.paths(jid)
    one = [
        (None, None, "daily", None),
        ("daily", "next", "sms", None),
        ("sms", "next", "done", None),
        ("done", None, None, None),
    ]
    assert paths == {c: one * 5 for c in audience}
    counts = sim.assert_conserved(jid)
    assert counts["daily"]["entered"] == 5 * 80 and counts["done"]["exited"] == 5 * 80


def test_a_missed_firing_fires_once_on_recovery_and_a_second_ticker_fires_nothing(sim):
    sim.clock.set(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))  # Monday 08:00 in Taipei
    graph = _journey("weekly", lambda g: g.schedule("weekly", "weekly", time="11:00", weekdays=["mon", "wed"]))
    jid = sim.publish(graph)
    people = _population(sim, 50)
    sim.advance(hours=1)
    assert _firings(jid) == []
    # Everything is down from Monday 09:00 until Thursday: Monday and Wednesday 11:00 were missed.
    sim.clock.set(datetime(2026, 3, 5, 6, 0, tzinfo=UTC))
    sim.runner.tick()
    assert _firings(jid) == [datetime(2026, 3, 2, 3, 0, tzinfo=UTC)]  # fired once, for the first missed time
    assert len(_entries(jid)) == 50
    # A second ticker at the same moment finds nothing due.
    assert schedules.claim_due(db.session, sim.now, 300) == []
    db.session.rollback()
    # Next firing: Monday 9 March 11:00 Taipei; the journey lets people back in every time.
    sim.clock.set(datetime(2026, 3, 9, 2, 59, tzinfo=UTC))
    sim.runner.tick()
    assert len(_firings(jid)) == 1
    sim.advance(minutes=1)
    assert _firings(jid)[-1] == datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
    assert sum(_entries(jid).values()) == 2 * len(people)
    sim.assert_conserved(jid)


def test_once_ever_reentry_and_end_date_are_recorded_with_their_reasons(sim):
    sim.clock.set(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    graph = _journey(
        "daily",
        lambda g: g.schedule("daily", "daily", time="10:00"),
        {"reentry": "once", "end_at": "2026-03-04T09:00"},
    )
    jid = sim.publish(graph)
    _population(sim, 30)
    for _ in range(4 * 24):
        sim.advance(hours=1)
        sim.assert_conserved(jid)
    # 2 March 10:00 enrols everyone; 3 March refuses everyone (once ever); from 4 March 09:00 it never fires.
    assert _firings(jid) == [datetime(2026, 3, 2, 2, tzinfo=UTC), datetime(2026, 3, 3, 2, tzinfo=UTC)]
    assert len(_entries(jid)) == 30 and sum(_entries(jid).values()) == 30
    refusals = db.session.execute(
        select(EntryRefusal.reason, EntryRefusal.times).where(EntryRefusal.journey_id == jid)
    ).all()
    assert Counter(refusals) == Counter({("reentry_once", 1): 30})
    # "Why didn't p3 get it on 3 March?" answers from data.
    answer = sim.client.get(f"/api/journeys/{jid}/refusals?customer=p3").get_json()
    assert answer == {
        "refusals": [
            {
                "customer": "p3",
                "node_id": "daily",
                "reason": "reentry_once",
                "first_at": "2026-03-03T02:00:00+00:00",
                "last_at": "2026-03-03T02:00:00+00:00",
                "times": 1,
            }
        ]
    }
    assert len(sim.client.get(f"/api/journeys/{jid}/refusals").get_json()["refusals"]) == 30


def test_relative_date_countdown_three_days_before_a_birthday_at_ten(sim):
    sim.clock.set(datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
    graph = _journey(
        "bday",
        lambda g: g.relative_date(
            "bday",
            anchor="attribute",
            attribute="birthday",
            yearly=True,
            offset=3,
            unit="days",
            direction="before",
            time="10:00",
        ),
    )
    jid = sim.publish(graph)
    people = {}
    for i in range(120):  # birthdays spread over 3–12 March, some without a birthday
        people[f"b{i}"] = {} if i % 6 == 5 else {"birthday": f"{1980 + i % 30}-03-{3 + i % 10:02d}"}
    sim.customers(people)
    for _ in range(10 * 24):
        sim.advance(hours=1)
        sim.assert_conserved(jid)
    entries = _entries(jid)
    for c, attributes in people.items():
        if "birthday" not in attributes:
            assert all(k[0] != c for k in entries), c
            continue
        day = int(attributes["birthday"][-2:])
        # 10:00 in Taipei (02:00 UTC), three days before; the birthday on 3 March counted down in February.
        entered = datetime(2026, 3, day, 2, 0, tzinfo=UTC) - timedelta(days=3)
        if day == 3:
            assert all(k[0] != c for k in entries), c
        else:
            assert entries[(c, entered)] == 1, (c, entered)
    assert sum(entries.values()) == len([a for a in people.values() if a and int(a["birthday"][-2:]) >= 4])


def test_manual_enrolment_is_idempotent_per_request_id_and_honours_the_audience(sim):
    graph = _journey("api", lambda g: g.manual("api", audience=KAOHSIUNG))
    jid = sim.publish(graph)
    people = _population(sim, 100)
    ids = sorted(people)[:40] + ["nobody"]
    first = sim.client.post(f"/api/journeys/{jid}/enrol", json={"request_id": "r1", "customer_ids": ids})
    assert first.status_code == 200, first.get_json()
    sim.runner.run_jobs()
    answer = first.get_json()
    expected = [c for c in sorted(people)[:40] if (people[c].get("city") or "").lower() == "kaohsiung"]
    assert answer["enrolled"] == expected and answer["unknown"] == ["nobody"]
    assert set(answer["not_enrolled"]) == set(sorted(people)[:40]) - set(expected)
    assert set(answer["not_enrolled"].values()) == {"not_in_audience"}
    again = sim.client.post(f"/api/journeys/{jid}/enrol", json={"request_id": "r1", "customer_ids": ids})
    assert again.status_code == 200 and again.get_json() == answer
    sim.runner.run_jobs()
    assert sum(_entries(jid).values()) == len(expected)
    # A new request for the same customers: they have left (always re-entry), so they enter again.
    third = sim.client.post(f"/api/journeys/{jid}/enrol", json={"request_id": "r2", "customer_ids": expected[:3]})
    assert third.get_json()["enrolled"] == expected[:3]
    sim.runner.run_jobs()
    assert sum(_entries(jid).values()) == len(expected) + 3
    paths = sim.paths(jid)
    assert (
        paths[expected[0]]
        == [
            (None, None, "api", None),
            ("api", "next", "sms", None),
            ("sms", "next", "done", None),
            ("done", None, None, None),
        ]
        * 2
    )
    sim.assert_conserved(jid)
    # No manual trigger: a located 422.
    other = _journey("t", lambda g: g.trigger("t", event="signup"))
    oid = sim.publish(other, name="Event only")
    response = sim.client.post(f"/api/journeys/{oid}/enrol", json={"request_id": "x", "customer_ids": ["p1"]})
    assert response.status_code == 422


def test_two_tickers_claiming_the_same_due_schedule_at_once_fire_it_once(sim):
    """Two ticker passes in overlapping transactions: on PostgreSQL the second is seen waiting on the first's
    row lock, then its conditional UPDATE finds the due time already moved; SQLite serialises them."""
    sim.clock.set(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    jid = sim.publish(_journey("d", lambda g: g.schedule("d", "daily", time="10:00")))
    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    engine = db.engine
    first, second = Session(engine), Session(engine)
    claimed: dict[str, list] = {"first": schedules.claim_due(first, now, 300)}

    def other_ticker() -> None:
        claimed["second"] = schedules.claim_due(second, now, 300)
        second.commit()

    thread = threading.Thread(target=other_ticker)
    thread.start()
    if engine.dialect.name == "postgresql":
        for _ in range(2000):
            with engine.connect() as conn:
                waiting = conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                )
            if waiting:
                break
            thread.join(0.005)
        else:
            raise AssertionError("the second ticker never waited for the first")
    first.commit()
    thread.join()
    first.close()
    second.close()
    assert len(claimed["first"]) == 1 and claimed["second"] == []
    assert _firings(jid) == [now]


def test_countdown_three_days_before_a_campaign_date_split_by_gender(sim):
    """S2: an anniversary sale on 20 March; 3 days before at 10:00 (Taipei), women and men get different
    content, everyone else the default branch."""
    sim.clock.set(datetime(2026, 3, 15, 0, 0, tzinfo=UTC))
    g = GraphBuilder()
    g.chain(
        g.relative_date("countdown", anchor="date", date="2026-03-20", offset=3, direction="before", time="10:00"),
        g.split("gender", "gender", {"women": ["female"], "men": ["male"]}),
    )
    g.connect("gender", g.email("beauty", subject="Beauty week"), handle="women")
    g.connect("gender", g.email("gadgets", subject="3C week"), handle="men")
    g.connect("gender", g.exit("others"), handle="default")
    jid = sim.publish(g.build())
    genders = ["female", "male", None, "female", "other"]
    people = {f"s{i}": ({"gender": genders[i % 5]} if genders[i % 5] else {}) for i in range(250)}
    sim.customers(people)
    for _ in range(4 * 24):
        sim.advance(hours=1)
        sim.assert_conserved(jid)
    assert _firings(jid) == [datetime(2026, 3, 17, 2, 0, tzinfo=UTC)]
    assert set(_entries(jid)) == {(c, datetime(2026, 3, 17, 2, 0, tzinfo=UTC)) for c in people}
    enter = [(None, None, "countdown", None), ("countdown", "next", "gender", None)]
    paths = sim.paths(jid)
    for c, attributes in people.items():
        branch = {"female": "women", "male": "men"}.get(attributes.get("gender"))
        if branch:
            step = "beauty" if branch == "women" else "gadgets"
            assert paths[c] == [*enter, ("gender", branch, step, None), (step, "next", None, None)], c
        else:
            assert paths[c] == [*enter, ("gender", "default", "others", "default_branch"), ("others", None, None, None)]
    counts = sim.assert_conserved(jid)
    assert counts["beauty"]["entered"] == 100 and counts["gadgets"]["entered"] == 50


def test_a_firing_of_many_pages_loads_its_version_graph_once(sim, monkeypatch):
    monkeypatch.setitem(sim.app.config, "ENGINE_BATCH_SIZE", 10)
    loads_by_fire_page = []
    real_load_versions = schedules.load_versions

    def load_versions(session, version_ids):
        if sys._getframe(1).f_code.co_name == "fire_page":
            loads_by_fire_page.append(set(version_ids))
        return real_load_versions(session, version_ids)

    monkeypatch.setattr(schedules, "load_versions", load_versions)
    sim.clock.set(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))  # Monday 08:00 in Taipei
    jid = sim.publish(_journey("daily", lambda g: g.schedule("daily", "daily", time="09:00")))
    _population(sim, 45)
    sim.advance(hours=1)  # 09:00: one firing, five pages of ten (the last one short)
    assert _firings(jid) == [datetime(2026, 3, 2, 1, 0, tzinfo=UTC)]
    assert len(_entries(jid)) == 45
    assert len(loads_by_fire_page) == 1
    sim.assert_conserved(jid)

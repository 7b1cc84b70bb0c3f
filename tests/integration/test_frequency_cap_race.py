"""The last slot of a frequency cap, wanted by two transactions at once, goes to exactly one of them.

On PostgreSQL the second transaction is seen waiting on the first one's row lock before the first commits
(so the two really overlap), then its conditional UPDATE re-checks the committed count and finds no room.
SQLite serialises writers (`BEGIN IMMEDIATE`), so there the second simply runs after the first.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from wayfinder.engine.sending import apply_caps
from wayfinder.extensions import db
from wayfinder.journeys.settings import JourneyRules
from wayfinder.models import Customer, SendCounter
from wayfinder.steps.base import SendMessage

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
RULES = JourneyRules.from_settings({"frequency_caps": [{"channel": "email", "limit": 2, "period": "day"}]})
TAIPEI = RULES.timezone


def _message(customer_id: int, journey_id: int) -> SendMessage:
    return SendMessage(
        enrollment_id=journey_id,
        journey_id=journey_id,
        customer_id=customer_id,
        node_id="mail",
        seq=1,
        channel="email",
        to_address="x@example.com",
        subject="s",
        body="b",
    )


def _waiting_on_a_lock(engine) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            )
        )


def test_two_transactions_racing_for_the_last_slot_send_exactly_one(app):
    customer = Customer(external_id="racer", email="x@example.com", attributes={})
    db.session.add(customer)
    db.session.commit()
    cid = customer.id
    engine = db.engine
    with Session(engine) as first:  # one message already sent today: one slot left
        apply_caps(first, [_message(cid, 1)], lambda _j: RULES, lambda _c: TAIPEI, NOW)
        first.commit()

    first, second = Session(engine), Session(engine)
    outcome: dict[str, list] = {}
    apply_caps(first, [_message(cid, 2)], lambda _j: RULES, lambda _c: TAIPEI, NOW)  # takes the last slot

    def race() -> None:
        _messages, capped = apply_caps(second, [_message(cid, 3)], lambda _j: RULES, lambda _c: TAIPEI, NOW)
        second.commit()
        outcome["capped"] = capped

    thread = threading.Thread(target=race)
    thread.start()
    if engine.dialect.name == "postgresql":
        for _ in range(2000):  # until the second transaction waits on the first's lock
            if _waiting_on_a_lock(engine):
                break
            thread.join(0.005)
        else:
            raise AssertionError("the second transaction never waited for the first")
        assert "capped" not in outcome
    first.commit()
    thread.join()
    first.close()
    second.close()

    assert [m.journey_id for m in outcome["capped"]] == [3]
    counts = dict(
        db.session.execute(
            select(SendCounter.channel, SendCounter.count).where(SendCounter.period == "day:2026-03-02")
        ).all()
    )
    assert counts == {"email": 2, "any": 2}

"""The last slot of a frequency cap, wanted by two transactions at once, goes to exactly one of them.

Each transaction does what an engine batch does: decide the caps, then write its messages. On PostgreSQL the
second transaction is seen waiting on the first one's lock of the customer row before the first commits (so
the two really overlap), then counts the first one's committed message and finds no room. SQLite serialises
writers (`BEGIN IMMEDIATE`), so there the second simply runs after the first.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.integration.journeys import cart_graph
from wayfinder.engine.effects import write_effects
from wayfinder.engine.sending import apply_caps
from wayfinder.extensions import db
from wayfinder.journeys import service as journeys
from wayfinder.models import Customer, Enrollment, EnrollmentStatus, Message, MessageStatus, VersionStatus
from wayfinder.steps.base import Effects, SendMessage
from wayfinder.steps.journey_settings import JourneyRules

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
RULES = JourneyRules.from_settings({"frequency_caps": [{"channel": "email", "limit": 2, "period": "day"}]})
TAIPEI = RULES.timezone


def _message(customer_id: int, enrollment: tuple[int, int]) -> SendMessage:
    enrollment_id, journey_id = enrollment
    return SendMessage(
        enrollment_id=enrollment_id,
        journey_id=journey_id,
        customer_id=customer_id,
        node_id="mail",
        seq=1,
        channel="email",
        to_address="x@example.com",
    )


def _send(session: Session, message: SendMessage) -> list[SendMessage]:
    """Decide the caps for one message and write it, as an engine batch does; returns the capped ones."""
    effects = Effects()
    effects.messages, capped = apply_caps(session, [message], lambda _j: RULES, lambda _c, _zone: TAIPEI, NOW)
    write_effects(session, effects, NOW, 300)
    return capped


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


def _enrollments(customer_id: int, how_many: int) -> list[tuple[int, int]]:
    """One enrollment of the customer in each of `how_many` journeys (the messages' enrollments)."""
    ids = []
    for n in range(how_many):
        journey = journeys.create_journey(db.session, f"Racer {n}", graph=cart_graph())
        journeys.publish(db.session, journey)
        db.session.flush()
        enrollment = Enrollment(
            journey_id=journey.id,
            version_id=journey.version_with(VersionStatus.PUBLISHED).id,
            customer_id=customer_id,
            status=EnrollmentStatus.ACTIVE,
            current_node="mail",
            seq=0,
            entered_at=NOW,
            node_entered_at=NOW,
            context={},
        )
        db.session.add(enrollment)
        db.session.flush()
        ids.append((enrollment.id, journey.id))
    db.session.commit()
    return ids


def test_two_transactions_racing_for_the_last_slot_send_exactly_one(app):
    customer = Customer(external_id="racer", email="x@example.com", attributes={})
    db.session.add(customer)
    db.session.commit()
    cid = customer.id
    one, two, three = _enrollments(cid, 3)
    engine = db.engine
    with Session(engine) as first:  # one message already sent today: one slot left
        _send(first, _message(cid, one))
        first.commit()

    first, second = Session(engine), Session(engine)
    outcome: dict[str, list] = {}
    assert _send(first, _message(cid, two)) == []  # takes the last slot

    def race() -> None:
        capped = _send(second, _message(cid, three))
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

    assert [m.enrollment_id for m in outcome["capped"]] == [three[0]]
    statuses = dict(db.session.execute(select(Message.enrollment_id, Message.status)).all())
    assert statuses == {one[0]: MessageStatus.PENDING, two[0]: MessageStatus.PENDING, three[0]: MessageStatus.SKIPPED}

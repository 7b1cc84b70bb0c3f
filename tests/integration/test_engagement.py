"""Engagement with an earlier message, on the virtual clock: the engagement wait (`wait_for_engagement`) and the
condition on engagement (`condition`, `kind: message`).

Tracking (another part of the product) records a human open / click as a MessageEvent row (kind opened / clicked)
and as the customer event `message_opened` / `message_clicked` {message_id, journey_id, node_id, channel, url};
a machine open only as a MessageEvent row with `detail.machine`. These tests produce both themselves, exactly so.
"""

from __future__ import annotations

from sqlalchemy import select

from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, Message, MessageEvent


def engagement_journey() -> dict:
    """signup → mail → delay 1 h → engaged? (opened `mail`, 2 days) ─engaged→ a / ─timeout→ b."""
    g = GraphBuilder()
    g.chain(g.trigger("signup", event="signed_up"), g.email("mail", subject="Welcome"), g.wait("delay", hours=1))
    settings = {"message_step": "mail", "engagement": "opened", "timeout_amount": 2, "timeout_unit": "days"}
    g.connect("delay", g.node("engaged", "wait_for_engagement", settings))
    g.connect("engaged", g.exit("a"), handle="engaged")
    g.connect("engaged", g.exit("b"), handle="timeout")
    return g.build()


def message_of(sim, external_id: str, journey_id: int, node_id: str = "mail") -> Message:
    message = db.session.scalar(
        select(Message)
        .join(Customer, Customer.id == Message.customer_id)
        .where(Customer.external_id == external_id, Message.journey_id == journey_id, Message.node_id == node_id)
    )
    assert message is not None and message.enrollment_id is not None, external_id
    db.session.expunge(message)
    db.session.remove()
    return message


def log(message: Message, kind: str, **detail) -> None:
    db.session.add(MessageEvent(message_id=message.id, customer_id=message.customer_id, kind=kind, detail=detail))
    db.session.commit()
    db.session.remove()


def opened(message: Message, **overrides) -> tuple[str, dict]:
    """The customer event tracking records for a human open of `message` (`overrides`: another journey / node)."""
    properties = {
        "message_id": message.id,
        "journey_id": message.journey_id,
        "node_id": message.node_id,
        "channel": message.channel,
    }
    return "message_opened", {**properties, **overrides}


def human_open(sim, message: Message, external_id: str) -> None:
    log(message, "opened")
    sim.track([(external_id, *opened(message))])


ENTER = [
    (None, None, "signup", None),
    ("signup", "next", "mail", None),
    ("mail", "next", "delay", None),
    ("delay", "next", "engaged", None),
]


def test_engaged_in_time_before_the_wait_or_never(sim):
    jid = sim.publish(engagement_journey())
    other = sim.publish(engagement_journey(), name="Other")
    people = ["in_time", "never", "before", "other_journey", "other_node", "machine"]
    sim.customers({c: {} for c in people})
    sim.track([(c, "signed_up", {}) for c in people])  # each enters both journeys: both start on signed_up
    mail = {c: message_of(sim, c, jid) for c in people}

    # During the delay: "before" opens (a human); "machine" is opened by a mail scanner (no customer event).
    sim.advance(minutes=30)
    human_open(sim, mail["before"], "before")
    log(mail["machine"], "opened", machine=True)
    sim.advance(minutes=31)  # everyone reaches the wait
    counts = sim.assert_conserved(jid)
    assert counts["a"]["entered"] == 1  # "before", at once
    assert counts["engaged"]["waiting"] == len(people) - 1

    # Within the window: opens of another journey's message, of another node, and the real one.
    elsewhere = message_of(sim, "other_journey", other)
    sim.track([("other_journey", *opened(elsewhere))])
    sim.track([("other_node", *opened(mail["other_node"], node_id="welcome_sms"))])
    sim.advance(hours=5)
    human_open(sim, mail["in_time"], "in_time")
    counts = sim.assert_conserved(jid)
    assert counts["a"]["entered"] == 2 and counts["engaged"]["waiting"] == len(people) - 2

    sim.advance(days=2, minutes=1)
    paths = sim.paths(jid)
    engaged_now = [*ENTER, ("engaged", "engaged", "a", "engaged_before"), ("a", None, None, None)]
    engaged_later = [*ENTER, ("engaged", "engaged", "a", "event:message_opened"), ("a", None, None, None)]
    timed_out = [*ENTER, ("engaged", "timeout", "b", "timed_out"), ("b", None, None, None)]
    assert paths == {
        "in_time": engaged_later,
        "never": timed_out,
        "before": engaged_now,
        "other_journey": timed_out,
        "other_node": timed_out,
        "machine": timed_out,
    }
    counts = sim.assert_conserved(jid)
    assert counts["engaged"]["waiting"] == 0


def test_a_condition_branches_on_engagement_without_waiting(sim):
    g = GraphBuilder()
    g.chain(g.trigger("signup", event="signed_up"), g.email("mail", subject="Welcome"), g.wait("delay", days=1))
    g.connect("delay", g.condition("clicked", kind="message", step="mail", engagement="clicked"))
    g.connect("clicked", g.exit("clicker_end"), handle="yes")
    g.connect("clicked", g.condition("unread", kind="message", step="mail", engagement="not_opened"), handle="no")
    g.connect("unread", g.exit("unread_end"), handle="yes")
    g.connect("unread", g.exit("reader_end"), handle="no")
    jid = sim.publish(g.build())
    people = ["reader", "scanned", "clicker", "ignored"]
    sim.customers({c: {} for c in people})
    sim.track([(c, "signed_up", {}) for c in people])
    log(message_of(sim, "reader", jid), "opened")
    log(message_of(sim, "scanned", jid), "opened", machine=True)
    log(message_of(sim, "scanned", jid), "clicked", machine=True, url="https://shop.example/")
    # A click whose open pixel was blocked (it is also an open: it never reaches "not opened").
    log(message_of(sim, "clicker", jid), "clicked", url="https://shop.example/sale")
    sim.advance(days=1, minutes=1)
    ends = {c: path[-1][0] for c, path in sim.paths(jid).items()}
    assert ends == {"reader": "reader_end", "scanned": "unread_end", "clicker": "clicker_end", "ignored": "unread_end"}

"""The one message pipeline end to end: send steps on several channels, the unreachable output, the workspace's
provider accounts (sealed credentials) reaching the real provider adapters (against local emulators of their HTTP
APIs), rendering at delivery outside the stepping transaction, and the message event log."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from tests.emulators.line import LineEmulator
from tests.emulators.sms import SmsGateway
from tests.integration.journeys import assert_conserved, counts, publish, track
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import ChannelAccount, Message, MessageEvent, StepHistory
from wayfinder.models.workspace import DEFAULT_WORKSPACE_ID
from wayfinder.steps.send_email import SendEmailStep
from wayfinder.workspaces.channel_accounts import callback_token, create_account

ANN_LINE = "U" + "a" * 32
CAT_LINE = "U" + "c" * 32


def line_then_sms_graph() -> dict:
    """S1's escalation: LINE first; a customer LINE cannot reach gets an SMS; one SMS cannot reach either ends."""
    g = GraphBuilder()
    g.trigger("shipped", event="order_shipped")
    g.node("line", "send_line", {"messages": [{"type": "text", "text": "{{ customer.first_name }}，您的訂單已出貨"}]})
    g.node("sms", "send_sms", {"text": "{{ customer.first_name }}您好，訂單 {{ event.order }} 已出貨"})
    g.node("by_line", "exit")
    g.node("by_sms", "exit")
    g.node("nowhere", "exit")
    g.connect("shipped", "line")
    g.connect("line", "by_line", handle="next")
    g.connect("line", "sms", handle="unreachable")
    g.connect("sms", "by_sms", handle="next")
    g.connect("sms", "nowhere", handle="unreachable")
    return g.build()


def _customer(client, external_id: str, **attributes) -> None:
    response = client.post(
        "/api/customers", json={"external_id": external_id, "attributes": {"first_name": external_id, **attributes}}
    )
    assert response.status_code in (200, 201), response.get_json()


def test_line_then_sms_through_the_workspaces_provider_accounts(client, engine, app):
    with LineEmulator(token="line-token") as line, SmsGateway() as sms:
        create_account(
            db.session,
            DEFAULT_WORKSPACE_ID,
            {
                "channel": "line",
                "provider": "line",
                "name": "Shop LINE OA",
                "settings": {"base_url": line.base_url},
                "credentials": {"channel_access_token": "line-token"},
            },
        )
        create_account(
            db.session,
            DEFAULT_WORKSPACE_ID,
            {
                "channel": "sms",
                "provider": "mitake",
                "name": "三竹",
                "settings": {"base_url": sms.url, "callback_url": "http://localhost/hooks/mitake/default"},
                "credentials": {"username": sms.username, "password": sms.password},
            },
        )
        db.session.commit()
        sealed = db.session.scalar(select(ChannelAccount.sealed_credentials).where(ChannelAccount.channel == "sms"))
        assert sms.password not in sealed and "password" not in sealed  # sealed at rest

        journey_id = publish(client, line_then_sms_graph(), name="Shipping notice")
        _customer(client, "ann", line_user_id=ANN_LINE, phone="+886912000001")
        _customer(client, "bob", phone="+886912000002")
        _customer(client, "cat", line_user_id=CAT_LINE, phone="+886912000003", consents={"line": False})
        _customer(client, "dan")
        for i, who in enumerate(("ann", "bob", "cat", "dan")):
            track(client, f"ship-{i}", who, "order_shipped", order=f"A-10{i}")
        engine.run_jobs()

        assert [(d.user_id, d.messages) for d in line.deliveries] == [
            (ANN_LINE, [{"type": "text", "text": "ann，您的訂單已出貨"}])
        ]
        assert sorted((r["dstaddr"], r["smbody"]) for r in sms.received["mitake"]) == [
            ("0912000002", "bob您好，訂單 A-101 已出貨"),
            ("0912000003", "cat您好，訂單 A-102 已出貨"),
        ]
        mitake_id = db.session.scalar(select(ChannelAccount.id).where(ChannelAccount.channel == "sms"))
        callbacks = {r["response"] for r in sms.received["mitake"]}
        assert callbacks == {
            f"http://localhost/hooks/mitake/default/{callback_token(app.config['SECRET_KEY'], mitake_id)}"
        }
    final = counts(client, journey_id)
    assert {n: final[n]["exited"] for n in ("by_line", "by_sms", "nowhere")} == {
        "by_line": 1,
        "by_sms": 2,
        "nowhere": 1,
    }
    assert_conserved(final)
    # The canvas shows every send step's deliveries (as the email node's), from the same per-node tallies.
    flow = client.get(f"/api/journeys/{journey_id}/flow").get_json()
    assert flow["messages"] == {
        "line": {"sent": 1, "failed": 0, "pending": 0, "unknown": 0},
        "sms": {"sent": 2, "failed": 0, "pending": 0, "unknown": 0},
    }
    assert flow["handles"]["line"] == {"next": 1, "unreachable": 3}
    history = db.session.execute(
        select(StepHistory.from_node, StepHistory.reason).where(StepHistory.handle == "unreachable")
    ).all()
    assert sorted(history) == [
        ("line", "Unreachable: No consent for line"),
        ("line", "Unreachable: Not a LINE friend (no LINE user id)"),
        ("line", "Unreachable: Not a LINE friend (no LINE user id)"),
        ("sms", "Unreachable: No phone number"),
    ]
    messages = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert [(m.channel, m.status) for m in messages] == [("line", "sent"), ("sms", "sent"), ("sms", "sent")]
    sent = [(m.id, m.provider_id) for m in messages]
    assert messages[0].payload == {"messages": [{"type": "text", "text": "ann，您的訂單已出貨"}]}
    assert messages[1].subject == "bob您好，訂單 A-101 已出貨"  # the log's one-line summary
    events = db.session.execute(select(MessageEvent.message_id, MessageEvent.kind, MessageEvent.detail)).all()
    # Each sent event names the account it went through, which the provider's callbacks must then name.
    account_of = {
        channel: {"account_id": account_id, "account": name, "provider": provider}
        for channel, account_id, name, provider in db.session.execute(
            select(ChannelAccount.channel, ChannelAccount.id, ChannelAccount.name, ChannelAccount.provider)
        )
    }
    assert sorted(events, key=str) == sorted(((m.id, "sent", account_of[m.channel]) for m in messages), key=str)
    # Mitake calls the URL it was given back with the report: recorded on bob's SMS.
    (callback,) = callbacks
    bobs, msgid = messages[1].id, messages[1].provider_id
    assert app.test_client().get(f"{callback}?msgid={msgid}&statuscode=4").status_code == 200
    assert db.session.scalars(select(MessageEvent.kind).where(MessageEvent.message_id == bobs)).all() == [
        "sent",
        "delivered",
    ]
    # The message log names the account each went through, and the provider's own id of the message.
    shown = [client.get(f"/api/messages/{message_id}").get_json() for message_id, _ref in sent]
    assert [(m["sent_via"]["name"], m["sent_via"]["provider"]) for m in shown] == [
        ("Shop LINE OA", "line"),
        ("三竹", "mitake"),
        ("三竹", "mitake"),
    ]
    assert [m["provider_id"] for m in shown] == [ref for _id, ref in sent]
    assert all(ref for _id, ref in sent[1:])  # Mitake's msgid
    # Renamed, then deleted: the log still names the account as it was when it sent.
    sms_account = account_of["sms"]["account_id"]
    assert client.patch(f"/api/channel-accounts/{sms_account}", json={"name": "Mitake old"}).status_code == 200
    assert client.delete(f"/api/channel-accounts/{sms_account}").status_code in (200, 204)
    again = client.get(f"/api/messages/{sent[1][0]}").get_json()["sent_via"]
    assert again == {"id": sms_account, "name": "三竹", "provider": "mitake"}


def test_rendering_holds_no_database_lock(client, engine, app, monkeypatch):
    """A template renders at delivery with no transaction open: another writer can take SQLite's write lock (and on
    PostgreSQL the delivery session holds no row lock) while it runs, so a slow template blocks no API write."""
    app.config.update(EMAIL_ADAPTER="sandbox")
    seen: list[tuple[bool, bool | None]] = []
    render = SendEmailStep.render

    def watching(self, settings, variables):
        free = None
        url = app.config["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                free = True
            except sqlite3.OperationalError:
                free = False
            finally:
                other.close()
        seen.append((db.session().in_transaction(), free))
        return render(self, settings, variables)

    monkeypatch.setattr(SendEmailStep, "render", watching)
    g = GraphBuilder()
    g.chain(g.trigger("signup", event="signed_up"), g.email("mail", "Hi {{ customer.first_name }}"))
    publish(client, g.build(), name="Welcome")
    for who in ("amy", "ben"):
        client.post("/api/customers", json={"external_id": who, "email": f"{who}@example.com"})
        track(client, f"s-{who}", who, "signed_up")
    engine.run_jobs()
    assert len(seen) == 2
    assert all(not in_transaction for in_transaction, _free in seen)
    assert all(free in (True, None) for _in_transaction, free in seen)
    assert {m.status for m in db.session.scalars(select(Message))} == {"sent"}


def test_frequency_caps_and_quiet_hours_apply_to_every_channel(client, engine, app):
    """An SMS cap of one a day skips the second SMS (recorded `skipped` with the reason) while the LINE message in
    between goes; quiet hours hold a LINE message as they hold email."""
    g = GraphBuilder()
    g.trigger("paid", event="order_paid")
    g.node("sms_1", "send_sms", {"text": "付款完成，謝謝您"})
    g.node("line_1", "send_line", {"messages": [{"type": "text", "text": "訂單處理中"}]})
    g.node("sms_2", "send_sms", {"text": "訂單已出貨"})
    g.chain("paid", "sms_1", "line_1", "sms_2", g.exit("done"))
    g.settings = {"frequency_caps": [{"channel": "sms", "limit": 1, "period": "day"}]}
    publish(client, g.build(), name="Order updates")
    _customer(client, "eve", phone="+886912000009", line_user_id=ANN_LINE)
    track(client, "paid-1", "eve", "order_paid")
    engine.run_jobs()
    rows = db.session.execute(select(Message.node_id, Message.channel, Message.status, Message.error))
    assert sorted(tuple(r) for r in rows) == [
        ("line_1", "line", "sent", None),
        ("sms_1", "sms", "sent", None),
        ("sms_2", "sms", "skipped", "Skipped: frequency cap reached (1 sms per day, across all journeys)"),
    ]

    g = GraphBuilder()
    g.chain(
        g.trigger("late", event="late_order"),
        g.node("line_q", "send_line", {"messages": [{"type": "text", "text": "晚安"}]}),
    )
    g.settings = {"quiet_hours": {"start": "00:00", "end": "23:59"}, "timezone": "Asia/Taipei"}
    publish(client, g.build(), name="Quiet")
    track(client, "late-1", "eve", "late_order")
    engine.run_jobs()
    assert db.session.scalar(select(Message).where(Message.node_id == "line_q")) is None  # held, not sent
    held = db.session.scalar(
        select(StepHistory.reason).where(StepHistory.to_node == "line_q", StepHistory.reason.is_not(None))
    )
    assert held == "quiet_hours"

"""What a shop's app and the providers send in: devices and in-app messages with a track key, the LINE webhook,
and SMS delivery reports from Twilio and Mitake."""

from __future__ import annotations

import json

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from tests.integration.journeys import publish
from wayfinder.channels.line_webhook import compute_signature
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Customer, CustomerDevice, Event, Message, MessageEvent, MessageStatus, Suppression
from wayfinder.workspaces.channel_accounts import callback_token

LINE_SECRET = "line-channel-secret"
TWILIO_TOKEN = "twilio-auth-token"
U1 = "U" + "1" * 32


def key_client(client, app, scope="track"):
    key = client.post("/api/keys", json={"name": f"{scope} key", "scopes": [scope]}).get_json()["key"]
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return anonymous


def account(client, body):
    response = client.post("/api/channel-accounts", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def devices():
    db.session.remove()
    return db.session.scalars(select(CustomerDevice).order_by(CustomerDevice.id)).all()


def test_devices_are_upserted_re_enabled_and_disabled_with_a_track_key(client, app):
    shop = key_client(client, app)
    subscription = {"endpoint": "https://push.example.com/s/1", "keys": {"p256dh": "BP" + "a" * 80, "auth": "x" * 22}}
    first = shop.post("/api/devices", json={"customer_id": "c1", "kind": "webpush", "subscription": subscription})
    assert first.status_code == 200, first.get_json()
    again = shop.post("/api/devices", json={"customer_id": "c1", "kind": "webpush", "subscription": subscription})
    assert again.get_json()["id"] == first.get_json()["id"]
    assert shop.post("/api/devices", json={"customer_id": "c1", "kind": "push", "token": "fcm-1"}).status_code == 200
    (web, app_push) = devices()
    assert json.loads(web.token)["endpoint"] == subscription["endpoint"] and app_push.token == "fcm-1"

    gone = shop.delete("/api/devices", json={"customer_id": "c1", "kind": "push", "token": "fcm-1"})
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    assert devices()[1].disabled_at is not None
    assert shop.post("/api/devices", json={"customer_id": "c1", "kind": "push", "token": "fcm-1"}).status_code == 200
    assert devices()[1].disabled_at is None  # registered again: enabled
    refused = shop.post("/api/devices", json={"customer_id": "c1", "kind": "push"})
    assert refused.status_code == 400 and "token" in refused.get_json()["fields"]
    unknown = shop.delete("/api/devices", json={"customer_id": "c2", "kind": "push", "token": "fcm-1"})
    assert unknown.status_code == 404

    assert shop.get("/api/webpush/config").get_json() == {"vapid_public_key": None}
    account(
        client,
        {
            "channel": "webpush",
            "provider": "vapid",
            "name": "Site",
            "settings": {"vapid_public_key": "BPUBLIC", "vapid_subject": "mailto:a@example.com"},
            "credentials": {"vapid_private_key": "private"},
        },
    )
    assert shop.get("/api/webpush/config").get_json() == {"vapid_public_key": "BPUBLIC"}


def test_in_app_messages_are_listed_until_read(client, app, engine):
    g = GraphBuilder()
    g.chain(
        g.trigger("start", event="signed_up"),
        g.node(
            "card",
            "send_in_app",
            {
                "title": "Welcome",
                "body": "Hello",
                "button_label": "Shop",
                "button_url": "https://shop.example.com",
                "expires_in_hours": 24,
            },
        ),
    )
    publish(client, g.build(), name="Welcome card")
    shop = key_client(client, app)
    tracked = shop.post("/api/events", json={"event_id": "e1", "customer_id": "c1", "name": "signed_up"})
    assert tracked.status_code == 202
    assert (
        shop.post("/api/events", json={"event_id": "e2", "customer_id": "c2", "name": "signed_up"}).status_code == 202
    )
    engine.run_jobs()
    db.session.remove()
    message = db.session.scalars(select(Message).join(Customer).where(Customer.external_id == "c1")).one()
    message_id = message.id
    assert (message.channel, message.status, message.provider_id) == ("in_app", "sent", f"in-app-{message_id}")

    listed = shop.get("/api/in-app/messages?customer_id=c1").get_json()["messages"]
    assert [(m["id"], m["title"], m["button_url"]) for m in listed] == [
        (message_id, "Welcome", "https://shop.example.com")
    ]
    assert shop.get("/api/in-app/messages?customer_id=someone-else").get_json() == {"messages": []}

    for _ in range(2):  # idempotent
        assert shop.post(f"/api/in-app/messages/{message_id}/read").status_code == 200
    db.session.remove()
    kinds = db.session.scalars(select(MessageEvent.kind).where(MessageEvent.message_id == message_id)).all()
    assert sorted(kinds) == ["read", "sent"]
    assert shop.get("/api/in-app/messages?customer_id=c1").get_json() == {"messages": []}
    assert shop.post("/api/in-app/messages/999999/read").status_code == 404
    # c2's card, never read, is shown until it expires (24 hours after it was sent).
    assert len(shop.get("/api/in-app/messages?customer_id=c2").get_json()["messages"]) == 1
    engine.clock.advance(hours=24, seconds=1)
    assert shop.get("/api/in-app/messages?customer_id=c2").get_json() == {"messages": []}


def line_body(*events) -> bytes:
    return json.dumps({"destination": "Ubot", "events": list(events)}).encode()


def line_event(kind, webhook_event_id, ms=1764907200123, **extra):
    return {
        "type": kind,
        "mode": "active",
        "timestamp": ms,
        "source": {"type": "user", "userId": U1},
        "webhookEventId": webhook_event_id,
        "deliveryContext": {"isRedelivery": False},
        **extra,
    }


def test_line_webhook_verifies_the_signature_and_records_follows_and_replies(client, anonymous):
    account(
        client,
        {
            "channel": "line",
            "provider": "line",
            "name": "Shop OA",
            "credentials": {"channel_access_token": "t", "channel_secret": LINE_SECRET},
        },
    )
    follow = line_body(line_event("follow", "01FOLLOW"))
    forged = anonymous.post(
        "/hooks/line/default", data=follow, headers={"X-Line-Signature": compute_signature("x", follow)}
    )
    assert forged.status_code == 401
    db.session.remove()
    assert db.session.scalars(select(Customer)).all() == [] and db.session.scalars(select(Event)).all() == []

    def deliver(body):
        return anonymous.post(
            "/hooks/line/default", data=body, headers={"X-Line-Signature": compute_signature(LINE_SECRET, body)}
        )

    assert deliver(b"not json").status_code == 400  # signed, but not a LINE body
    assert deliver(follow).status_code == 200
    assert deliver(follow).get_json() == {"accepted": 0}  # LINE's redelivery: a duplicate
    reply = line_body(
        line_event("message", "01MSG", message={"type": "text", "id": "1", "text": "yes please"}),
        line_event("postback", "01PB", postback={"data": "choice=a"}),
        line_event("unfollow", "01UNF"),
    )
    assert deliver(reply).get_json() == {"accepted": 3}

    db.session.remove()
    (customer,) = db.session.scalars(select(Customer)).all()
    assert customer.external_id == f"line:{U1}"
    assert customer.attributes["line_user_id"] == U1 and customer.attributes["consents"] == {"line": False}
    events = {e.event_id: (e.name, e.properties) for e in db.session.scalars(select(Event))}
    assert events == {
        "01FOLLOW": ("line_followed", {}),
        "01MSG": ("line_message", {"text": "yes please"}),
        "01PB": ("line_postback", {"data": "choice=a"}),
        "01UNF": ("line_unfollowed", {}),
    }


def test_line_follow_finds_the_customer_who_has_the_line_user_id(client, anonymous):
    account(
        client, {"channel": "line", "provider": "line", "name": "OA", "credentials": {"channel_secret": LINE_SECRET}}
    )
    made = client.post("/api/customers", json={"external_id": "c9", "attributes": {"line_user_id": U1}})
    assert made.status_code in (200, 201)
    body = line_body(line_event("follow", "01F2"))
    anonymous.post("/hooks/line/default", data=body, headers={"X-Line-Signature": compute_signature(LINE_SECRET, body)})
    db.session.remove()
    (customer,) = db.session.scalars(select(Customer)).all()
    assert customer.external_id == "c9" and customer.attributes["consents"] == {"line": True}


def sms_message(provider_id, phone="+886912345678", sent_through=None):
    """A sent SMS as delivery leaves it (the journey machinery is not under test here); `sent_through`: the provider
    account it was sent through (0: the app's configured provider), recorded on its `sent` event as delivery does."""
    customer = Customer(external_id=f"c-{provider_id}", attributes={"phone": phone})
    db.session.add(customer)
    db.session.flush()
    message = Message(
        idempotency_key=f"k-{provider_id}",
        customer_id=customer.id,
        node_id="sms",
        channel="sms",
        to_address=phone,
        status=MessageStatus.SENT,
        provider_id=provider_id,
    )
    db.session.add(message)
    db.session.flush()
    if sent_through is not None:
        detail = {"account_id": sent_through} if sent_through else None
        db.session.add(MessageEvent(message_id=message.id, customer_id=customer.id, kind="sent", detail=detail))
    db.session.commit()
    return message.id


def report_events(message_id):
    db.session.remove()
    return [
        (e.kind, e.detail)
        for e in db.session.scalars(select(MessageEvent).where(MessageEvent.message_id == message_id))
    ]


def test_twilio_status_callbacks_are_verified_and_an_invalid_number_is_suppressed(client, anonymous):
    account(
        client,
        {
            "channel": "sms",
            "provider": "twilio",
            "name": "Twilio",
            "credentials": {"account_sid": "AC" + "0" * 32, "auth_token": TWILIO_TOKEN},
        },
    )
    message_id = sms_message("SM1")
    url = "http://localhost/hooks/twilio/default"
    params = {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "30005"}
    forged = anonymous.post(
        url, data=params, headers={"X-Twilio-Signature": RequestValidator("x").compute_signature(url, params)}
    )
    assert forged.status_code == 401 and report_events(message_id) == []

    signed = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
    assert anonymous.post(url, data=params, headers={"X-Twilio-Signature": signed}).status_code == 204
    assert report_events(message_id) == [
        ("failed", {"provider_id": "SM1", "error": "undelivered (Twilio error 30005)"})
    ]
    suppression = db.session.scalars(select(Suppression)).one()
    assert (suppression.channel, suppression.address, suppression.reason) == ("sms", "+886912345678", "invalid")


def mitake_account(client, name):
    body = {"channel": "sms", "provider": "mitake", "name": name, "credentials": {"username": "u", "password": "p"}}
    return account(client, {**body, "settings": {"callback_url": "https://wayfinder.example/hooks/mitake/default"}})


def reports(message_id):
    """The events provider reports wrote on a message (its `sent` event aside)."""
    return [(kind, detail) for kind, detail in report_events(message_id) if kind != "sent"]


def test_mitake_reports_need_the_accounts_callback_token(client, anonymous, workspaces, app):
    """Mitake signs nothing: a report without the token of the sending account (forged, guessed, another
    workspace's or another key's) is a 403 that records nothing; the genuine one writes delivered / failed, and
    only on a message that account sent."""
    workspaces.create("brand-b")
    mitake, other = mitake_account(client, "Mitake")["id"], mitake_account(client, "Mitake 2")["id"]
    secret = app.config["SECRET_KEY"]
    token = callback_token(secret, mitake)
    delivered_id = sms_message("M1", sent_through=mitake)
    failed_id = sms_message("M2", phone="+886900000000", sent_through=mitake)
    others_id = sms_message("M3", sent_through=other)
    report = "msgid=M1&statuscode=6&donetime=20261205120000&dstaddr=0912345678"
    for forged in (
        "/hooks/mitake/default",  # the URL without a token
        f"/hooks/mitake/default/{mitake}." + "0" * 40,
        f"/hooks/mitake/default/{callback_token('a guessed key', mitake)}",
        f"/hooks/mitake/default/{token}x",
        f"/hooks/mitake/default/{callback_token(secret, 999)}",  # no such account
        f"/hooks/mitake/default/{callback_token(secret, 0)}",  # the app's own provider is not Mitake
        f"/hooks/mitake/brand-b/{token}",  # another workspace's hook
        "/hooks/mitake/default/鬼",
    ):
        assert anonymous.get(f"{forged}?{report}").status_code == 403, forged
        assert anonymous.post(forged, data={"msgid": "M2", "statuscode": "6"}).status_code == 403, forged
    assert reports(delivered_id) == reports(failed_id) == []
    assert db.session.scalars(select(Suppression)).all() == []

    hook = f"/hooks/mitake/default/{token}"
    response = anonymous.get(f"{hook}?msgid=M1&statuscode=4&donetime=20261205120000&dstaddr=0912345678")
    assert response.status_code == 200 and "msgid=M1" in response.get_data(as_text=True)
    assert [kind for kind, _ in reports(delivered_id)] == ["delivered"]
    # An unknown provider id, a non-final report, and a message another account sent change nothing.
    assert anonymous.post(hook, data={"msgid": "M404", "statuscode": "4"}).status_code == 200
    assert anonymous.post(hook, data={"msgid": "M1", "statuscode": "1"}).status_code == 200
    assert anonymous.post(hook, data={"msgid": "M3", "statuscode": "4"}).status_code == 200
    assert [kind for kind, _ in reports(delivered_id)] == ["delivered"] and reports(others_id) == []
    other_hook = f"/hooks/mitake/default/{callback_token(secret, other)}"
    assert anonymous.post(other_hook, data={"msgid": "M3", "statuscode": "4"}).status_code == 200
    assert [kind for kind, _ in reports(others_id)] == ["delivered"]
    # A number error: failed, and the number is suppressed.
    assert anonymous.post(hook, data={"msgid": "M2", "statuscode": "6"}).status_code == 200
    assert reports(failed_id) == [("failed", {"provider_id": "M2", "error": "6: number error"})]
    assert [(s.address, s.reason) for s in db.session.scalars(select(Suppression))] == [("+886900000000", "invalid")]


def test_mitake_reports_of_the_apps_own_provider_need_its_token(anonymous, app, monkeypatch):
    """Messages sent through the app's configured Mitake (no workspace account): token 0 and only those."""
    monkeypatch.setitem(app.config, "SMS_ADAPTER", "mitake")
    own_id = sms_message("M5", sent_through=0)
    accounts_id = sms_message("M6", sent_through=12345)
    hook = f"/hooks/mitake/default/{callback_token(app.config['SECRET_KEY'], 0)}"
    assert anonymous.post("/hooks/mitake/default", data={"msgid": "M5", "statuscode": "4"}).status_code == 403
    assert reports(own_id) == []
    assert anonymous.post(hook, data={"msgid": "M5", "statuscode": "4"}).status_code == 200
    assert anonymous.post(hook, data={"msgid": "M6", "statuscode": "4"}).status_code == 200
    assert [kind for kind, _ in reports(own_id)] == ["delivered"] and reports(accounts_id) == []


def test_a_mail_system_reports_bounces_by_message_id(client, engine, app):
    """POST /api/bounces (track key): a soft bounce is logged; a hard one also suppresses the address, so the next
    send to it is skipped; an unknown Message-ID is a 404 and changes nothing."""
    app.config.update(EMAIL_ADAPTER="sandbox")
    g = GraphBuilder()
    g.chain(g.trigger("signup", event="signed_up"), g.email("welcome", "Welcome"), g.wait("pause", hours=1))
    g.connect("pause", g.email("again", "Still there?"))
    journey_id = client.post("/api/journeys", json={"name": "Welcome", "graph": g.build()}).get_json()["id"]
    assert client.post(f"/api/journeys/{journey_id}/publish").status_code == 200
    client.post("/api/customers", json={"external_id": "bo", "email": "bo@example.com"})
    client.post("/api/events", json={"event_id": "b-1", "customer_id": "bo", "name": "signed_up"})
    engine.run_jobs()
    message_id, ref = db.session.execute(
        select(Message.id, Message.provider_id).where(Message.node_id == "welcome")
    ).one()
    shop = key_client(client, app)

    unknown = shop.post("/api/bounces", json={"message_ref": "<nope@example.com>", "kind": "hard"})
    assert unknown.status_code == 404
    soft = shop.post("/api/bounces", json={"message_ref": ref, "kind": "soft", "diagnostic": "full"})
    assert soft.get_json() == {"recorded": True, "suppressed": False}
    assert db.session.scalars(select(Suppression)).all() == []
    hard = shop.post("/api/bounces", json={"message_ref": ref, "kind": "hard", "diagnostic": "550"})
    assert hard.get_json() == {"recorded": True, "suppressed": True}
    [row] = db.session.scalars(select(Suppression)).all()
    assert (row.channel, row.address, row.reason) == ("email", "bo@example.com", "bounced")
    kinds = db.session.scalars(select(MessageEvent.kind).where(MessageEvent.message_id == message_id)).all()
    assert sorted(kinds) == ["bounced", "bounced", "sent"]

    engine.advance_clock(hours=2)
    again = db.session.scalar(select(Message).where(Message.node_id == "again"))
    assert (again.status, again.error) == (
        "skipped",
        "Not sent: the address is on the suppression list (bounced)",
    )

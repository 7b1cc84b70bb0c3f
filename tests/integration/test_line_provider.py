"""The LINE provider against a local emulator of the Messaging API (tests/emulators/line.py): what arrives, how
identical content is multicast, the retry key's de-duplication, and how each answer is classified; and the LINE
webhook's signature check and event parsing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests

from tests.emulators.line import MULTICAST, PUSH, LineEmulator
from wayfinder.channels import get_channel
from wayfinder.channels.base import OutgoingMessage, SendError
from wayfinder.channels.line import LineChannel, line_messages, multicast_retry_key
from wayfinder.channels.line_webhook import compute_signature, parse_events, verify_signature
from wayfinder.devtools.embedded_redis import free_port

TOKEN = "channel-token-123"
HELLO = {"messages": [{"type": "text", "text": "Hello"}]}
U1, U2, U3, U4 = (f"U{n:032x}" for n in (0xA1, 0xB2, 0xC3, 0xD4))


@pytest.fixture
def line():
    with LineEmulator(TOKEN) as emulator:
        yield emulator


def channel(base_url: str, token: str = TOKEN, allow_private: bool = True) -> LineChannel:
    config = {"LINE_ALLOW_PRIVATE": allow_private}  # the emulator is on 127.0.0.1
    adapter = get_channel("line", config, "line", {"channel_access_token": token, "base_url": base_url})
    assert isinstance(adapter, LineChannel)
    return adapter


def message(n: int, recipient: str, payload=HELLO) -> OutgoingMessage:
    return OutgoingMessage(id=n, idempotency_key=f"send:{n}", channel="line", recipient=recipient, payload=payload)


def test_a_push_arrives_with_its_messages_token_and_retry_key(line):
    payload = {
        "messages": [
            {"type": "text", "text": "Hi Ann"},
            {"type": "buttons", "title": "Cart", "text": "2 items", "buttons": [{"label": "Open", "url": "https://x"}]},
        ]
    }
    sent = message(1, U1, payload)
    with channel(line.base_url) as adapter:
        provider_id = adapter.send(sent)
    [call] = line.requests
    assert call.path == PUSH and call.status == 200
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.headers["x-line-retry-key"] == sent.retry_key
    assert call.body["to"] == U1 and call.body["messages"][0] == {"type": "text", "text": "Hi Ann"}
    assert call.body["messages"][1]["type"] == "flex" and call.body["messages"][1]["altText"] == "Cart"
    [delivery] = line.deliveries
    assert delivery.user_id == U1 and len(delivery.messages) == 2
    assert provider_id and provider_id.isdigit()  # the first sentMessages id


def test_identical_content_is_multicast_in_chunks_of_max_batch_and_the_rest_is_pushed(line, monkeypatch):
    monkeypatch.setattr(LineChannel, "max_batch", 2)
    personal = {"messages": [{"type": "text", "text": "Hello Dan, your code is 42"}]}
    batch = [message(1, U1), message(2, U2), message(3, U3), message(4, U4, personal)]
    with channel(line.base_url) as adapter:
        results = adapter.send_batch(batch)
    assert all(r.error is None and r.provider_id for r in results)
    [multicast] = line.calls(MULTICAST)
    assert multicast.body["to"] == [U1, U2] and multicast.body["messages"] == line_messages(HELLO)
    assert multicast.headers["x-line-retry-key"] == multicast_retry_key(batch[:2])
    assert results[0].provider_id == results[1].provider_id == line.deliveries[0].request_id
    pushes = line.calls(PUSH)  # the chunk's remainder, and the personalised message
    assert [(p.body["to"], p.headers["x-line-retry-key"]) for p in pushes] == [
        (U3, batch[2].retry_key),
        (U4, batch[3].retry_key),
    ]
    assert sorted(d.user_id for d in line.deliveries) == [U1, U2, U3, U4]


def test_a_retried_send_with_the_same_retry_key_is_delivered_once_and_answered_as_sent(line):
    single = message(1, U1)
    group = [message(2, U2), message(3, U3)]
    with channel(line.base_url) as adapter:
        first = adapter.send(single)
        first_group = adapter.send_batch(group)
    with channel(line.base_url) as adapter:  # a new delivery job after a crash: the same messages again
        again = adapter.send(single)
        again_group = adapter.send_batch(list(reversed(group)))
    assert [c.status for c in line.requests] == [200, 200, 409, 409]
    assert again == first  # the accepted push's sent message id
    assert [r.provider_id for r in reversed(again_group)] == [r.provider_id for r in first_group]
    assert sorted(d.user_id for d in line.deliveries) == [U1, U2, U3]  # once each


def test_429_is_retryable_after_retry_after_or_60_seconds(line):
    line.fail_next(429, retry_after="7")
    line.fail_next(429)
    with channel(line.base_url) as adapter:
        with pytest.raises(SendError) as told:
            adapter.send(message(1, U1))
        with pytest.raises(SendError) as untold:
            adapter.send(message(1, U1))
        assert adapter.send(message(1, U1))  # the next attempt goes through
    assert not told.value.permanent and told.value.retry_after == 7.0
    assert not untold.value.permanent and untold.value.retry_after == 60.0
    assert len(line.deliveries) == 1


def test_server_errors_and_network_errors_are_retryable(line):
    line.fail_next(500)
    with channel(line.base_url) as adapter:
        with pytest.raises(SendError) as server:
            adapter.send(message(1, U1))
    with channel(f"http://127.0.0.1:{free_port()}") as adapter:  # nothing listens there
        [result] = adapter.send_batch([message(1, U1)])
    for error in (server.value, result.error):
        assert error is not None and not error.permanent and error.retry_after is None


def test_a_refused_access_token_is_permanent(line):
    with channel(line.base_url, token="revoked") as adapter:
        results = adapter.send_batch([message(1, U1), message(2, U2)])  # a multicast
        with pytest.raises(SendError) as push:
            adapter.send(message(3, U3))
    line.fail_next(403, message="The channel is not allowed to use this API")
    with channel(line.base_url) as adapter:
        with pytest.raises(SendError) as forbidden:
            adapter.send(message(4, U4))
    with channel(line.base_url, token="") as adapter:  # an account without a token: no call at all
        [no_token] = adapter.send_batch([message(5, U1)])
    errors = [r.error for r in results] + [push.value, forbidden.value, no_token.error]
    assert all(e is not None and e.permanent and not e.invalid_address for e in errors)
    assert [c.status for c in line.requests] == [401, 401, 403] and not line.deliveries


def test_the_emulator_refuses_what_line_refuses(line):
    def post(path, body, token=TOKEN):
        auth = {"Authorization": f"Bearer {token}"}
        answer = requests.post(f"{line.base_url}{path}", json=body, headers=auth, timeout=5)
        return answer.status_code, answer.json()

    flex = {"type": "flex", "altText": "x" * 401, "contents": {"type": "bubble"}}
    status, answer = post(PUSH, {"to": U1, "messages": [flex, {"type": "text"}]})
    assert status == 400
    assert [d["property"] for d in answer["details"]] == ["messages[0].altText", "messages[1].text"]
    assert post(PUSH, {"to": U1, "messages": [{"type": "text", "text": "hi"}] * 6})[0] == 400
    assert post(PUSH, {"to": "Cgroup", "messages": [{"type": "text", "text": "hi"}]})[0] == 400
    assert post(MULTICAST, {"to": [U1] * 501, "messages": [{"type": "text", "text": "hi"}]})[0] == 400
    assert post(PUSH, {"to": U1, "messages": [{"type": "text", "text": "hi"}]}, token="wrong")[0] == 401
    assert not line.deliveries


def test_an_unknown_user_is_an_invalid_address_and_a_bad_payload_only_permanent(line):
    line.unknown_users.add(U2)
    line.fail_next(400, message="The request body has 1 error(s)", details=[{"property": "messages[0].text"}])
    with channel(line.base_url) as adapter:
        with pytest.raises(SendError) as payload:
            adapter.send(message(1, U1))
        with pytest.raises(SendError) as unknown:
            adapter.send(message(2, U2))
        [malformed] = adapter.send_batch([message(3, "not-a-line-user")])
    assert payload.value.permanent and not payload.value.invalid_address
    assert unknown.value.invalid_address and unknown.value.permanent
    assert malformed.error is not None and malformed.error.invalid_address
    assert len(line.requests) == 2  # a recipient that is no LINE user id is never sent


def test_a_multicast_refused_for_a_recipient_is_pushed_so_only_that_recipient_is_marked(line):
    line.fail_user(U2, 400, message="Failed to send messages")
    with channel(line.base_url) as adapter:
        results = adapter.send_batch([message(1, U1), message(2, U2), message(3, U3)])
    assert results[0].provider_id and results[2].provider_id
    assert results[1].error is not None and results[1].error.invalid_address
    assert [c.path for c in line.requests] == [MULTICAST, PUSH, PUSH, PUSH]
    assert sorted(d.user_id for d in line.deliveries) == [U1, U3]


# --- webhooks -------------------------------------------------------------------------------------------------------

SECRET = "8c570fa6dd201bb328f1c1eac23a96d8"


def webhook_body(*events) -> bytes:
    return json.dumps({"destination": "Uxxxxxxxx", "events": list(events)}).encode()


def event(kind: str, user: str = U1, ms: int = 1764907200123, **extra):
    return {
        "type": kind,
        "mode": "active",
        "timestamp": ms,
        "source": {"type": "user", "userId": user},
        "webhookEventId": f"01J{kind.upper()}",
        "deliveryContext": {"isRedelivery": False},
        **extra,
    }


def test_webhook_signature_good_bad_and_tampered():
    body = webhook_body(event("follow"))
    good = compute_signature(SECRET, body)
    assert verify_signature(SECRET, body, good)
    assert not verify_signature("another-channel-secret", body, good)
    assert not verify_signature(SECRET, body, "bm90IGEgc2lnbmF0dXJl")
    assert not verify_signature(SECRET, body, "")
    assert not verify_signature(SECRET, body.replace(U1.encode(), U2.encode()), good)  # a tampered body


def test_webhook_signature_matches_the_line_sdk():
    from linebot.v3.webhook import SignatureValidator

    body = webhook_body(event("message", message={"type": "text", "id": "1", "text": "你好"}))
    assert SignatureValidator(SECRET).validate(body.decode(), compute_signature(SECRET, body))


def test_webhook_events_are_parsed_into_follow_unfollow_message_postback():
    body = webhook_body(
        event("follow", replyToken="r1"),
        event("unfollow", user=U2, ms=1764907260000),
        event("message", message={"type": "text", "id": "1", "text": "STOP"}),
        event("message", message={"type": "sticker", "id": "2", "packageId": "1", "stickerId": "1"}),
        event("postback", postback={"data": "action=buy&item=42"}),
        event("join"),  # a group event: not for journeys
        {"type": "follow", "timestamp": 1, "source": {"type": "group", "groupId": "C1"}, "webhookEventId": "x"},
    )
    events = parse_events(body)
    assert [(e.kind, e.user_id, e.text, e.data) for e in events] == [
        ("follow", U1, None, None),
        ("unfollow", U2, None, None),
        ("message", U1, "STOP", None),
        ("message", U1, None, None),
        ("postback", U1, None, "action=buy&item=42"),
    ]
    assert events[0].at == datetime(2025, 12, 5, 4, 0, 0, 123000, tzinfo=UTC)
    assert events[1].at == datetime(2025, 12, 5, 4, 1, tzinfo=UTC)
    assert events[0].webhook_event_id == "01JFOLLOW"
    assert parse_events(webhook_body()) == []  # LINE's verification request has no events
    with pytest.raises(ValueError):
        parse_events(b"not json")


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:9", "http://169.254.169.254", "http://localhost:9", "ftp://x"])
def test_a_workspace_base_url_into_the_servers_own_network_is_refused(line, base_url):
    """Unless LINE_ALLOW_PRIVATE, a base_url whose host resolves to a loopback, private, link-local or metadata
    address (or that is no http(s) URL) fails the send permanently, before any request."""
    with channel(base_url, allow_private=False) as adapter:
        (result,) = adapter.send_batch([message(1, U1)])
    assert result.error is not None and result.error.permanent and "base_url" in str(result.error)
    assert line.requests == [] and line.deliveries == []

"""The FCM provider (firebase-admin) against a local emulator of Google's OAuth token endpoint and FCM HTTP v1:
the service account's signed JWT is exchanged for a token, each registration token gets the message, and the
per-token errors are classified (unregistered → dropped, quota / unavailable → retryable, auth → permanent)."""

from __future__ import annotations

import json

import pytest

from tests.emulators.push import FcmService
from wayfinder.channels import get_channel
from wayfinder.channels.base import OutgoingMessage

LOCAL = {"PUSH_ALLOW_PRIVATE": True}  # the emulator is on 127.0.0.1
PAYLOAD = {"title": "Hello 你好", "body": "Your order shipped", "image_url": "https://cdn.example.com/a.png"}


def message(tokens: list[str], key: str = "j1:s1:c1", **payload) -> OutgoingMessage:
    return OutgoingMessage(
        id=1, idempotency_key=key, channel="push", recipient=json.dumps(tokens), payload={**PAYLOAD, **payload}
    )


@pytest.fixture
def fcm():
    with FcmService() as service:
        yield service


def channel(fcm: FcmService, as_string: bool = False):
    account = fcm.service_account()
    settings = {"service_account": json.dumps(account) if as_string else account, "base_url": fcm.origin}
    return get_channel("push", LOCAL, "fcm", settings)


def test_one_unregistered_token_of_three_is_dropped(fcm):
    fcm.unregistered.add("t2")
    with channel(fcm) as chan:
        [result] = chan.send_batch([message(["t1", "t2", "t3"], data={"order": 42, "kind": "ship"})])
    assert result.error is None and result.dropped == ("t2",)
    assert result.provider_id.startswith("projects/wayfinder-test/messages/")
    assert sorted(s.message["token"] for s in fcm.sends) == ["t1", "t3"]
    sent = fcm.sends[0].message
    assert sent["notification"] == {"title": "Hello 你好", "body": "Your order shipped", "image": PAYLOAD["image_url"]}
    assert sent["data"] == {"order": "42", "kind": "ship"}  # FCM data values are strings
    assert fcm.token_requests == 1  # one OAuth token for the three sends


def test_all_tokens_unregistered_or_invalid_is_an_invalid_address(fcm):
    fcm.unregistered.add("t1")
    fcm.invalid.add("t2")
    with channel(fcm, as_string=True) as chan:
        [result] = chan.send_batch([message(["t1", "t2"])])
    assert result.error.invalid_address and result.provider_id is None
    assert set(result.dropped) == {"t1", "t2"}


def test_quota_and_unavailable_are_retryable_and_third_party_auth_is_permanent(fcm):
    fcm.quota.add("q")
    fcm.unavailable.add("u")
    fcm.third_party.add("a")
    with channel(fcm) as chan:
        quota, unavailable, auth = chan.send_batch([message(["q"]), message(["u"], key="k2"), message(["a"], key="k3")])
    assert not quota.error.permanent and quota.error.retry_after == 30 and quota.dropped == ()
    assert not unavailable.error.permanent
    assert auth.error.permanent and not auth.error.invalid_address
    assert fcm.calls["u"] == fcm.calls["q"] == 1  # firebase-admin's own retries of 503 are off: delivery retries
    assert fcm.sends == []


def test_a_wrong_service_account_key_is_permanent(fcm):
    other = FcmService()  # never started: only its key is used, which the emulator does not know
    account = {**fcm.service_account(), "private_key": other.service_account()["private_key"]}
    with get_channel("push", LOCAL, "fcm", {"service_account": account, "base_url": fcm.origin}) as chan:
        [result] = chan.send_batch([message(["t1"])])
    assert result.error.permanent and fcm.sends == []


def test_a_bad_recipient_or_no_service_account(fcm):
    with channel(fcm) as chan:
        [bad] = chan.send_batch([OutgoingMessage(id=1, idempotency_key="k", channel="push", recipient="[]")])
    with get_channel("push", {}, "fcm", {}) as chan:
        [unconfigured] = chan.send_batch([message(["t1"])])
    assert bad.error.invalid_address
    assert unconfigured.error.permanent and not unconfigured.error.invalid_address


def test_a_base_url_on_a_private_address_is_refused_without_push_allow_private(fcm):
    settings = {"service_account": fcm.service_account(), "base_url": fcm.origin}
    with get_channel("push", {}, "fcm", settings) as chan:
        [result] = chan.send_batch([message(["t1"])])
    assert result.error.permanent and "127.0.0.1 is a loopback address" in str(result.error)
    assert fcm.calls == {}

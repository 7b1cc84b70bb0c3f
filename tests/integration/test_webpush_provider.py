"""The web push provider against a local push service emulator that checks VAPID and decrypts the aes128gcm
payload with the subscription's keys, as a browser's push service and the browser would."""

from __future__ import annotations

import json

import pytest

from tests.emulators.push import WebPushService
from wayfinder.channels import get_channel
from wayfinder.channels.base import OutgoingMessage
from wayfinder.channels.webpush import vapid_keys

PRIVATE, PUBLIC = vapid_keys()
ACCOUNT = {"vapid_private_key": PRIVATE, "vapid_subject": "mailto:ops@example.com"}
PAYLOAD = {"title": "Spring sale 春季", "body": "20% off today", "url": "https://shop.example.com/sale", "icon": None}


def message(subs: list, key: str = "j1:s1:c1", **payload) -> OutgoingMessage:
    return OutgoingMessage(
        id=1, idempotency_key=key, channel="webpush", recipient=json.dumps(subs), payload={**PAYLOAD, **payload}
    )


def channel(account=None, **config):
    return get_channel("webpush", {"WEBPUSH_ALLOW_PRIVATE": True, **config}, "vapid", account or ACCOUNT)


@pytest.fixture
def service():
    with WebPushService() as service:
        yield service


def sub_id(sub: dict) -> str:
    return sub["endpoint"].rsplit("/", 1)[1]


def test_the_notification_arrives_decrypted_on_every_subscription(service):
    subs = [service.subscribe(PUBLIC), service.subscribe(PUBLIC)]
    with channel() as chan:
        [result] = chan.send_batch([message(subs)])
    assert result.error is None and result.dropped == ()
    assert result.provider_id.startswith(f"{service.origin}/m/")
    assert [p.subscription_id for p in service.pushes] == [sub_id(s) for s in subs]
    assert all(p.data == PAYLOAD for p in service.pushes)
    push = service.pushes[0]
    assert push.claims["aud"] == service.origin and push.claims["sub"] == "mailto:ops@example.com"
    assert push.headers["ttl"] == "86400"
    assert service.rejected == []


def test_vapid_is_checked_by_the_service(service):
    _, other_public = vapid_keys()
    sub = service.subscribe(other_public)  # made for another site's key: the service refuses our pushes
    with channel() as chan:
        [result] = chan.send_batch([message([sub])])
    assert result.error is not None and result.error.permanent and not result.error.invalid_address
    assert "403" in str(result.error)
    assert service.pushes == [] and "VAPID key differs" in service.rejected[0][1]


def test_a_gone_subscription_is_dropped_and_the_others_get_it(service):
    kept, gone = service.subscribe(PUBLIC), service.subscribe(PUBLIC)
    service.gone.add(sub_id(gone))
    with channel() as chan:
        [result] = chan.send_batch([message([gone, kept])])
    assert result.error is None and result.dropped == (gone["endpoint"],)
    assert [p.subscription_id for p in service.pushes] == [sub_id(kept)]


def test_all_subscriptions_gone_is_an_invalid_address(service):
    subs = [service.subscribe(PUBLIC), service.subscribe(PUBLIC)]
    service.gone.update(sub_id(s) for s in subs)
    with channel() as chan:
        [result] = chan.send_batch([message(subs)])
    assert result.error.invalid_address and result.provider_id is None
    assert set(result.dropped) == {s["endpoint"] for s in subs}


def test_429_is_retryable_after_retry_after_and_500_is_retryable(service):
    limited, broken = service.subscribe(PUBLIC), service.subscribe(PUBLIC)
    service.fail[sub_id(limited)] = (429, {"Retry-After": "120"})
    service.fail[sub_id(broken)] = (500, {})
    with channel() as chan:
        first, second = chan.send_batch([message([limited]), message([broken], key="j1:s1:c2")])
    assert not first.error.permanent and first.error.retry_after == 120
    assert not second.error.permanent and second.error.retry_after is None


def test_local_endpoints_are_refused_without_allow_private(service):
    sub = service.subscribe(PUBLIC)
    https_local = {**sub, "endpoint": sub["endpoint"].replace("http://", "https://")}
    with get_channel("webpush", {}, "vapid", ACCOUNT) as chan:
        [plain, local] = chan.send_batch([message([sub]), message([https_local], key="j1:s1:c2")])
    assert plain.error.invalid_address and "https" in str(plain.error)
    assert local.error.invalid_address and local.dropped == (https_local["endpoint"],)
    assert service.pushes == []


def test_a_recipient_that_is_not_subscriptions_is_an_invalid_address():
    with channel() as chan:
        [result] = chan.send_batch(
            [OutgoingMessage(id=1, idempotency_key="k", channel="webpush", recipient="nope", payload=PAYLOAD)]
        )
    assert result.error.invalid_address


def test_a_subscription_with_unusable_keys_is_dropped(service):
    good, bad = service.subscribe(PUBLIC), service.subscribe(PUBLIC)
    bad = {**bad, "keys": {"p256dh": "bm90IGEga2V5", "auth": bad["keys"]["auth"]}}  # not a P-256 point
    with channel() as chan:
        [result] = chan.send_batch([message([bad, good])])
    assert result.error is None and result.dropped == (bad["endpoint"],)
    assert [p.subscription_id for p in service.pushes] == [sub_id(good)]

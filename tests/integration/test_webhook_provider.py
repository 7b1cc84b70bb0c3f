"""The webhook provider against a local receiver that verifies Standard Webhooks signatures: signing, the
idempotent retry key, the classification of answers, timeouts and the SSRF refusals (checked on the address
connected to, after DNS and on redirect hops)."""

from __future__ import annotations

import base64
import ipaddress
import json
import socket

import pytest

from tests.emulators.webhook import Answer, WebhookReceiver
from wayfinder.channels import get_channel
from wayfinder.channels.base import OutgoingMessage, SendError
from wayfinder.channels.webhook import RefusedAddress, check_url, checked_session, refusal

SECRET = "whsec_" + base64.b64encode(b"wayfinder-test-signing-secret-32b").decode()
LOCAL = {"WEBHOOK_ALLOW_PRIVATE": True}


def message(url: str, body: dict | None = None, key: str = "j1:s1:c1", **payload) -> OutgoingMessage:
    payload = {"method": "POST", "body": json.dumps(body or {"hello": "world"}), **payload}
    return OutgoingMessage(id=1, idempotency_key=key, channel="webhook", recipient=url, payload=payload)


def channel(config=None, **account):
    return get_channel("webhook", config if config is not None else LOCAL, "http", account)


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


def send_error(chan, msg) -> SendError:
    with pytest.raises(SendError) as caught:
        chan.send(msg)
    return caught.value


def test_signed_delivery_and_retry_with_the_same_webhook_id(receiver):
    msg = message(
        receiver.url(),
        {"customer": "c1", "text": "你好"},
        method="PUT",
        headers={"X-Api-Key": "k", "Content-Type": "text/plain", "webhook-id": "forged", "Host": "evil"},
    )
    with channel(signing_secret=SECRET) as chan:
        first = chan.send(msg)
        second = chan.send(msg)  # a retry after a crash: the receiver de-duplicates on webhook-id
    assert first == second == msg.retry_key
    assert [c.verified for c in receiver.calls] == [True, True]
    call = receiver.calls[0]
    assert call.method == "PUT"
    assert json.loads(call.body) == {"customer": "c1", "text": "你好"}
    assert call.headers["webhook-id"] == msg.retry_key == receiver.calls[1].headers["webhook-id"]
    assert call.headers["x-api-key"] == "k"
    assert call.headers["content-type"] == "application/json"  # the marketer cannot override it
    assert call.headers["host"] == f"127.0.0.1:{receiver.port}"


def test_without_a_secret_the_request_is_unsigned(receiver):
    with channel() as chan:
        chan.send(message(receiver.url()))
    assert receiver.calls[0].verified is False
    assert "webhook-signature" not in receiver.calls[0].headers


def test_answers_are_classified(receiver):
    receiver.script("/limited", Answer(429, {"Retry-After": "7"}))
    receiver.script("/dated", Answer(429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    receiver.script("/bare", Answer(429))
    receiver.script("/broken", Answer(500, body="x" * 1000))
    receiver.script("/gone", Answer(410))
    receiver.script("/bad", Answer(400, body="bad field"))
    receiver.script("/moved", Answer(301, {"Location": "/elsewhere"}))
    with channel(signing_secret=SECRET) as chan:
        limited = send_error(chan, message(receiver.url("/limited")))
        dated = send_error(chan, message(receiver.url("/dated")))
        bare = send_error(chan, message(receiver.url("/bare")))
        broken = send_error(chan, message(receiver.url("/broken")))
        gone = send_error(chan, message(receiver.url("/gone")))
        bad = send_error(chan, message(receiver.url("/bad")))
        moved = send_error(chan, message(receiver.url("/moved")))
    assert (limited.permanent, limited.retry_after) == (False, 7)
    assert dated.retry_after == 0  # a date in the past: now
    assert bare.retry_after == 60
    assert not broken.permanent and "x" * 300 in str(broken) and "x" * 301 not in str(broken)  # cut to 300
    assert gone.permanent and not gone.invalid_address
    assert bad.permanent and "bad field" in str(bad)
    assert moved.permanent and "/elsewhere" in str(moved)
    assert len(receiver.calls) == 7  # 301 is not followed


def test_307_is_followed_with_method_body_and_signature(receiver):
    receiver.script("/old", Answer(307, {"Location": "/new"}))
    with channel(signing_secret=SECRET) as chan:
        chan.send(message(receiver.url("/old"), {"a": 1}))
    assert [(c.path, c.method, json.loads(c.body), c.verified) for c in receiver.calls] == [
        ("/old", "POST", {"a": 1}, True),
        ("/new", "POST", {"a": 1}, True),
    ]


def test_a_receiver_slower_than_the_read_timeout_is_retryable(receiver):
    receiver.script("/slow", Answer(hold=True))
    with channel(read_timeout=0.3) as chan:
        error = send_error(chan, message(receiver.url("/slow")))
    assert not error.permanent and "timed out" in str(error)


def test_an_unreachable_receiver_is_retryable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once the socket is closed
    with channel() as chan:
        error = send_error(chan, message(f"http://127.0.0.1:{port}/hook"))
    assert not error.permanent


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:{port}/hook", "127.0.0.1 is a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.0.0.5/", "10.0.0.5 is a private address"),
        ("http://[::ffff:10.0.0.5]/", "is a private address"),
        ("http://0x7f.1:{port}/", "127.0.0.1 is a loopback address"),
        ("http://localhost:{port}/hook", "127.0.0.1 is a loopback address"),  # after DNS (/etc/hosts)
    ],
)
def test_ssrf_refusals(receiver, url, reason):
    with channel({}) as chan:  # WEBHOOK_ALLOW_PRIVATE off
        error = send_error(chan, message(url.format(port=receiver.port)))
    assert error.invalid_address and error.permanent
    assert str(error).startswith("refused: ") and reason in str(error)
    assert receiver.calls == []


def test_a_public_name_resolving_to_a_private_address_is_refused_at_connection(receiver, monkeypatch):
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    assert check_url("https://hooks.example.com/x") is None  # the literal URL looks fine
    with channel({}) as chan:
        error = send_error(chan, message("https://hooks.example.com/x"))
    assert error.invalid_address and "refused: 10.1.2.3 is a private address" in str(error)


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/hook", "http://vm:{port}/hook"])
def test_a_redirect_to_a_private_address_is_refused(receiver, target):
    # "localhost" stands for a public first hop (exempted by the tests' allow list); the redirect's target is
    # an IP literal, or a name that resolves to 127.0.0.1 (/etc/hosts), refused at connection.
    receiver.script("/public", Answer(307, {"Location": target.format(port=receiver.port)}))
    with channel({"WEBHOOK_ALLOW_HOSTS": ["localhost"]}) as chan:
        error = send_error(chan, message(receiver.url("/public", host="localhost")))
    assert error.invalid_address and "127.0.0.1 is a loopback address" in str(error)
    assert [c.path for c in receiver.calls] == ["/public"]


def test_check_url():
    assert check_url("https://hooks.example.com/x?y=1") is None
    assert check_url("http://203.0.113.1.nip.io:8080/") is None
    assert "http://" in check_url("ftp://example.com/")
    assert "no host" in check_url("https:///path")
    assert "credentials" in check_url("https://user:pw@example.com/")
    assert "malformed" in check_url("https://example.com:99999/")
    assert "spaces" in check_url("https://exa mple.com/")
    assert "private" in check_url("http://192.168.1.1/")
    assert "link-local" in check_url("http://[fe80::1]/")
    assert "private" in check_url("http://[fd00::1]/")
    assert "CGNAT" in check_url("http://100.64.0.1/")
    assert "multicast" in check_url("http://224.0.0.1/")
    assert "unspecified" in check_url("http://0.0.0.0/")
    assert "loopback" in check_url("http://2130706433/")
    assert check_url("http://127.0.0.1/", allow_private=True) is None
    assert check_url("http://8.8.8.8/") is None


def test_refusal_ranges():
    assert refusal(ipaddress.ip_address("1.1.1.1")) is None
    assert refusal(ipaddress.ip_address("2606:4700::1111")) is None
    assert refusal(ipaddress.ip_address("::ffff:169.254.169.254")).startswith("a link-local")
    assert refusal(ipaddress.ip_address("240.0.0.1")) is not None


def test_a_header_http_cannot_carry_or_a_bad_secret_is_permanent_not_an_address_problem(receiver):
    with channel() as chan:
        newline = send_error(chan, message(receiver.url(), headers={"X-Note": "a\r\nX-Injected: 1"}))
        chinese = send_error(chan, message(receiver.url(), headers={"X-Name": "王小明"}))
    with channel(signing_secret="whsec_!!not-base64!!") as chan:
        secret = send_error(chan, message(receiver.url()))
    for error in (newline, chinese, secret):
        assert error.permanent and not error.invalid_address
    assert "signing secret" in str(secret)
    assert receiver.calls == []


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "169.254.169.254", "10.0.0.5", "[::ffff:127.0.0.1]", "0"])
def test_the_connection_level_check_alone_refuses_literals(receiver, host):
    # Without check_url's pre-check: the session's adapter refuses before any connection is made.
    session = checked_session(allow_private=False)
    with pytest.raises(RefusedAddress):
        session.post(f"http://{host}:{receiver.port}/hook", data=b"{}", timeout=(1, 1))
    assert receiver.calls == []

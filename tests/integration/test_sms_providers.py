"""The SMS channels (Every8d, Mitake, Twilio) against a local emulator of each gateway's HTTP API
(tests/emulators/sms.py): what arrives, and how each kind of failure is classified for delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from tests.emulators.sms import RETRY_AFTER, SmsGateway
from wayfinder.channels import get_channel
from wayfinder.channels.base import OutgoingMessage, SendError
from wayfinder.channels.reports import DeliveryReport
from wayfinder.channels.sms_http import retry_after, taiwan_local
from wayfinder.channels.sms_mitake import parse_delivery_report
from wayfinder.channels.sms_twilio import parse_status_callback, verify_status_callback
from wayfinder.devtools.embedded_redis import free_port
from wayfinder.workspaces.channel_accounts import callback_token

PROVIDERS = ["every8d", "mitake", "twilio"]
TEXT = "您的訂單已出貨 🎉 Order shipped"
UNUSABLE = "+886911111111"  # well formed, but the carrier refuses it
CONFIG = {"SECRET_KEY": "the app's secret key", "SMS_ALLOW_PRIVATE": True}  # the emulator is on 127.0.0.1


@pytest.fixture
def gateway():
    with SmsGateway(unusable=(UNUSABLE, "0911111111")) as emulator:
        yield emulator


def account(provider: str, gateway: SmsGateway, **overrides: str) -> dict[str, str]:
    if provider == "twilio":
        settings = {
            "account_sid": gateway.twilio_sid,
            "auth_token": gateway.twilio_token,
            "from_number": "+15005550006",
        }
    else:
        settings = {"username": gateway.username, "password": gateway.password}
    return {**settings, "base_url": gateway.url, **overrides}


def message(recipient: str = "+886912345678", key: str = "journey:1:step:2:customer:3") -> OutgoingMessage:
    return OutgoingMessage(id=1, idempotency_key=key, channel="sms", recipient=recipient, payload={"text": TEXT})


def send(provider: str, gateway: SmsGateway, msg: OutgoingMessage | None = None, **overrides: str) -> str:
    with get_channel("sms", CONFIG, provider, account(provider, gateway, **overrides)) as channel:
        return channel.send(msg or message())


def failure(provider: str, gateway: SmsGateway, msg: OutgoingMessage | None = None, **overrides: str) -> SendError:
    with pytest.raises(SendError) as caught:
        send(provider, gateway, msg, **overrides)
    return caught.value


def test_every8d_send_arrives_in_local_form_with_utf8_text(gateway):
    batch_id = send("every8d", gateway)
    (arrived,) = gateway.received["every8d"]
    assert arrived["DEST"] == "0912345678"
    assert arrived["MSG"] == TEXT
    assert (arrived["UID"], arrived["PWD"]) == (gateway.username, gateway.password)
    assert batch_id and batch_id.count("-") == 4  # the BATCH_ID of CREDIT,SENDED,COST,UNSEND,BATCH_ID
    send("every8d", gateway, message("+85291234567"))  # another country's number keeps its + form
    assert gateway.received["every8d"][1]["DEST"] == "+85291234567"


def test_mitake_send_arrives_in_local_form_with_utf8_text_and_clientid(gateway):
    msg = message()
    hook = "https://wayfinder.example/hooks/mitake/default"
    msgid = send("mitake", gateway, msg, callback_url=f"{hook}/", account_id=7)
    (arrived,) = gateway.received["mitake"]
    assert arrived["dstaddr"] == "0912345678"
    assert arrived["smbody"] == TEXT
    assert arrived["clientid"] == msg.retry_key
    # Mitake signs no report, so the URL carries the account's token: a secret only this app can compute.
    token = callback_token(CONFIG["SECRET_KEY"], 7)
    assert arrived["response"] == f"{hook}/{token}"
    assert token.startswith("7.") and len(token) > 40 and token != callback_token("another app's key", 7)
    assert msgid == "0000000001"


def test_mitake_line_breaks_go_as_ascii_6(gateway):
    text = "第一行\n第二行\r\n第三行"
    msg = OutgoingMessage(id=1, idempotency_key="k", channel="sms", recipient="+886912345678", payload={"text": text})
    send("mitake", gateway, msg)
    (arrived,) = gateway.received["mitake"]
    assert arrived["wire_smbody"] == "第一行\x06第二行\x06第三行"
    assert arrived["smbody"] == "第一行\n第二行\n第三行"


def test_twilio_send_arrives_in_e164_with_sender_and_callback(gateway):
    sid = send("twilio", gateway, status_callback="https://wayfinder.example/hooks/twilio")
    (arrived,) = gateway.received["twilio"]
    assert arrived["To"] == "+886912345678"
    assert arrived["From"] == "+15005550006"
    assert arrived["Body"] == TEXT
    assert arrived["StatusCallback"] == "https://wayfinder.example/hooks/twilio"
    assert sid.startswith("SM")
    send("twilio", gateway, from_number="", messaging_service_sid="MG" + "1" * 32)
    assert gateway.received["twilio"][1]["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in gateway.received["twilio"][1]


def test_twilio_without_credentials_or_sender_is_permanent(gateway):
    assert failure("twilio", gateway, auth_token="").permanent
    assert failure("twilio", gateway, from_number="").permanent
    assert not gateway.calls["twilio"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_wrong_credentials_are_permanent(provider, gateway):
    secret = {"auth_token": "wrong"} if provider == "twilio" else {"password": "wrong"}
    error = failure(provider, gateway, **secret)
    assert error.permanent and not error.invalid_address
    assert not gateway.received[provider]


def test_gateway_error_text_is_read_as_utf8(gateway):
    assert "帳號" in str(failure("mitake", gateway, password="wrong"))
    assert "帳號" in str(failure("every8d", gateway, password="wrong"))


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("recipient", [UNUSABLE, "+88612"])
def test_a_rejected_number_is_an_invalid_address(provider, recipient, gateway):
    error = failure(provider, gateway, message(recipient))
    assert error.invalid_address and error.permanent
    assert not gateway.received[provider]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_429_is_retried_after_the_gateways_delay(provider, gateway):
    gateway.fail_next(provider, "429")
    error = failure(provider, gateway)
    assert not error.permanent
    assert error.retry_after == RETRY_AFTER
    assert send(provider, gateway)  # the next call goes through


@pytest.mark.parametrize("provider", PROVIDERS)
def test_500_is_retryable(provider, gateway):
    gateway.fail_next(provider, "500")
    error = failure(provider, gateway)
    assert not error.permanent and error.retry_after is None


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unreachable_gateway_is_retryable(provider, gateway):
    error = failure(provider, gateway, base_url=f"http://127.0.0.1:{free_port()}")
    assert not error.permanent


@pytest.mark.parametrize(
    ("provider", "code", "permanent", "invalid_address"),
    [
        ("every8d", "-99", False, False),  # host error
        ("every8d", "-60014", True, True),  # the recipient refuses platform SMS
        ("every8d", "-1000", True, False),  # content refused
        ("mitake", "*", False, False),  # system error
        ("mitake", "k", True, False),  # the connecting IP is not allowed
        ("mitake", "u", True, False),  # empty body
        ("twilio", "21610", True, True),  # the recipient replied STOP
        ("twilio", "21408", True, False),  # region not enabled on the account
    ],
)
def test_provider_error_codes_are_classified(provider, code, permanent, invalid_address, gateway):
    gateway.fail_next(provider, code)
    error = failure(provider, gateway)
    assert (error.permanent, error.invalid_address) == (permanent, invalid_address)


def test_mitake_retry_with_the_same_clientid_arrives_once(gateway):
    msg = message()
    first = send("mitake", gateway, msg)
    second = send("mitake", gateway, msg)  # e.g. the attempt a crash cut short, sent again
    assert first == second
    assert len(gateway.calls["mitake"]) == 2
    assert len(gateway.received["mitake"]) == 1
    send("mitake", gateway, message(key="journey:1:step:2:customer:4"))
    assert len(gateway.received["mitake"]) == 2


def test_only_mitake_is_retried_after_a_crash():
    idempotent = {p: type(get_channel("sms", {}, p)).idempotent_retry for p in PROVIDERS}
    assert idempotent == {"every8d": False, "mitake": True, "twilio": False}


def test_twilio_status_callback_signature(gateway):
    url = "https://wayfinder.example/hooks/twilio?workspace=3"
    params = {"MessageSid": "SM123", "MessageStatus": "delivered", "To": "+886912345678", "AccountSid": "AC1"}
    signature = gateway.twilio_signature(url, params)
    assert verify_status_callback(gateway.twilio_token, url, params, signature)
    assert not verify_status_callback(gateway.twilio_token, url, {**params, "MessageStatus": "failed"}, signature)
    assert not verify_status_callback("another-token", url, params, signature)
    assert not verify_status_callback(gateway.twilio_token, url, params, "")


def test_twilio_status_callback_reports():
    assert parse_status_callback({"MessageSid": "SM1", "MessageStatus": "delivered"}) == DeliveryReport(
        "SM1", "delivered"
    )
    failed = parse_status_callback({"MessageSid": "SM2", "MessageStatus": "undelivered", "ErrorCode": "30003"})
    assert (failed.status, failed.error) == ("failed", "undelivered (Twilio error 30003)")
    assert parse_status_callback({"MessageSid": "SM3", "MessageStatus": "sent"}) is None


def test_mitake_delivery_reports():
    delivered = parse_delivery_report(
        {
            "msgid": "0000000001",
            "dstaddr": "0912345678",
            "statuscode": "4",
            "statusstr": "DELIVRD",
            "donetime": "20261205120000",
        }
    )
    assert delivered == DeliveryReport("0000000001", "delivered", datetime(2026, 12, 5, 4, 0, tzinfo=UTC))
    failed = parse_delivery_report({"msgid": "0000000002", "statuscode": "6", "statusstr": "UNDELIV"})
    assert (failed.status, failed.error) == ("failed", "6: UNDELIV")
    assert parse_delivery_report({"msgid": "0000000003", "statuscode": "1"}) is None  # still at the carrier


@pytest.mark.parametrize(
    ("number", "local"),
    [
        ("+886912345678", "0912345678"),
        ("+886 912-345-678", "0912345678"),
        ("0912345678", "0912345678"),
        ("+85291234567", "+85291234567"),  # not Taiwan: kept in + form
        ("+886223456789", "+886223456789"),  # a Taipei landline is not a mobile: left as it is
    ],
)
def test_taiwan_local_form(number, local):
    assert taiwan_local(number) == local


def test_retry_after_as_seconds_or_http_date():
    def answer(value: str) -> requests.Response:
        response = requests.Response()
        response.status_code, response.headers["Retry-After"] = 429, value
        return response

    assert retry_after(answer("12")) == 12
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 0 < retry_after(answer(later)) <= 90
    assert retry_after(answer("soon")) is None


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("base_url", ["http://127.0.0.1:9", "http://169.254.169.254", "http://localhost:9"])
def test_a_workspace_base_url_into_the_servers_own_network_is_refused(gateway, provider, base_url):
    """A workspace account's base_url is refused when it (after DNS) is a loopback, private, link-local or metadata
    address, unless SMS_ALLOW_PRIVATE: permanently, with nothing sent."""
    config = {**CONFIG, "SMS_ALLOW_PRIVATE": False}
    with get_channel("sms", config, provider, account(provider, gateway, base_url=base_url)) as channel:
        with pytest.raises(SendError) as caught:
            channel.send(message())
    assert caught.value.permanent and "refused" in str(caught.value) and "base_url" in str(caught.value)
    assert not any(gateway.calls.values())

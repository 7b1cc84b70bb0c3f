"""Email authoring endpoints: preview as a real or sample customer (the engine's renderer and variables) and a
test send that arrives in the SMTP catcher."""

from __future__ import annotations

import pytest

from tests.integration.journeys import customer, track

CONTENT = {
    "subject": "{{ customer.first_name }}, your {{ event.product }} is waiting",
    "body": "<p>Hi {{ customer.first_name }} from {{ customer.city | default('Taiwan') }}: NT$ {{ event.total }}</p>",
}


def test_preview_as_a_real_customer_uses_their_latest_trigger_event(client):
    customer(client, "amy", "Amy")
    track(client, "e-1", "amy", "cart_updated", product="Serum", total=500)
    track(client, "e-2", "amy", "cart_updated", product="Mask", total=900)
    track(client, "e-3", "amy", "page_viewed", product="Other", total=1)
    res = client.post("/api/email/preview", json={**CONTENT, "customer_id": "amy", "event_name": "cart_updated"})
    assert res.status_code == 200, res.get_json()
    data = res.get_json()
    assert data["subject"] == "Amy, your Mask is waiting"
    assert data["body"] == "<p>Hi Amy from Taiwan: NT$ 900</p>"
    assert data["sample"] is False and data["customer"]["customer_id"] == "amy"


def test_preview_as_the_sample_customer_and_template_errors_per_field(client):
    data = client.post("/api/email/preview", json={**CONTENT}).get_json()
    assert data["sample"] is True and data["subject"] == "Mei, your Hydrating serum is waiting"
    broken = client.post(
        "/api/email/preview", json={"subject": "Hi {{ customer.first_name", "body": "<p>ok</p>"}
    ).get_json()
    assert "syntax" in broken["errors"]["subject"].lower()
    assert broken["body"] == "<p>ok</p>"  # the other field still renders
    unsafe = client.post("/api/email/preview", json={"subject": "x", "body": "{{ ''.__class__ }}"}).get_json()
    assert "body" in unsafe["errors"]


def test_preview_unknown_customer_is_404(client):
    assert client.post("/api/email/preview", json={**CONTENT, "customer_id": "nobody"}).status_code == 404


def test_send_a_test_arrives_in_the_catcher(client, mail):
    customer(client, "ben", "Ben")
    res = client.post("/api/email/test", json={**CONTENT, "customer_id": "ben", "to": "owner@example.com"})
    assert res.status_code == 200, res.get_json()
    (received,) = mail.wait_for(1)
    assert received["to"] == "owner@example.com"
    assert received["subject"] == "[Test] Ben, your  is waiting"  # Ben has no events: event.product is empty
    assert "Hi Ben" in received["html"]
    messages = client.get("/api/messages").get_json()["messages"]
    assert messages == []  # a test is not a journey message


def test_send_a_test_is_refused_with_a_broken_template_or_bad_address(client):
    bad = client.post("/api/email/test", json={"subject": "{% if %}", "body": "x", "to": "owner@example.com"})
    assert bad.status_code == 502 and bad.get_json()["error"] == "test_send_failed"
    assert client.post("/api/email/test", json={**CONTENT, "to": "not-an-address"}).status_code == 400


def test_preview_customers_search(client):
    customer(client, "cara", "Cara", email="cara@shop.tw")
    customer(client, "dan", "Dan")
    found = client.get("/api/email/preview-customers?q=shop.tw").get_json()["customers"]
    assert [c["customer_id"] for c in found] == ["cara"]
    assert found[0]["name"] == "Cara"
    assert len(client.get("/api/email/preview-customers").get_json()["customers"]) == 2


def test_preview_escapes_customer_values_in_the_body_like_the_engine(client):
    client.post("/api/customers", json={"external_id": "eve", "attributes": {"first_name": "<b>Eve</b>"}})
    data = client.post("/api/email/preview", json={**CONTENT, "customer_id": "eve"}).get_json()
    assert "&lt;b&gt;Eve&lt;/b&gt;" in data["body"]
    assert data["subject"].startswith("<b>Eve</b>")  # the subject is plain text, not HTML


def test_a_line_break_in_the_sender_name_is_a_field_error_not_a_500(client):
    response = client.post(
        "/api/email/test",
        json={
            "to": "owner@example.com",
            "subject": "Hi",
            "body": "<p>Hi</p>",
            "from_name": "Shop\r\nBcc: x@evil.example",
        },
    )
    assert response.status_code == 400, response.get_json()
    assert "from_name" in response.get_json()["fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Hi\nBcc: x@evil.example"),
        ("subject", "Hi\r\nthere"),
        ("subject", "Hi\u2028there"),
        ("from_name", "Shop\u2028Bcc: x@evil.example"),
        ("from_name", "Shop\x0bX"),
        ("from_name", "Shop\x85X"),
    ],
)
def test_a_line_break_in_the_subject_or_sender_name_is_a_400_with_the_field(client, mail, field, value):
    content = {"to": "owner@example.com", "subject": "Hi", "body": "<p>Hi</p>", "from_name": "Shop", field: value}
    response = client.post("/api/email/test", json=content)
    assert response.status_code == 400, response.get_json()
    assert list(response.get_json()["fields"]) == [field]
    assert mail.messages() == []


def test_a_line_break_a_variable_puts_in_the_subject_is_a_422_with_the_field(client, mail):
    client.post("/api/customers", json={"external_id": "lin", "attributes": {"first_name": "Lin\nBcc: x@evil.ex"}})
    content = {"to": "owner@example.com", "subject": "{{ customer.first_name }}, hi", "body": "<p>Hi</p>"}
    response = client.post("/api/email/test", json={**content, "customer_id": "lin"})
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"] == "invalid_email"
    assert list(response.get_json()["fields"]) == ["subject"]
    assert mail.messages() == []


def test_a_message_that_cannot_be_built_fails_permanently_without_a_retry():
    """What reaches the channel with a line break in a header (data a schema did not see) is a permanent
    failure, recorded once, never a crash of the delivery job or a retry loop."""
    from wayfinder.channels.base import OutgoingMessage, SendError
    from wayfinder.channels.email_smtp import SmtpChannel

    channel = SmtpChannel({"MAIL_FROM": "journeys@wayfinder.local", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": 9})
    message = OutgoingMessage(
        1,
        "k",
        "email",
        "owner@example.com",
        {"from_name": "Shop\nBcc: x@evil.example", "subject": "Hi", "html": "<p>Hi</p>"},
    )
    with pytest.raises(SendError) as raised:
        channel.send(message)
    assert raised.value.permanent and "cannot be built" in str(raised.value)


def test_preview_names_a_customer_like_the_live_canvas_does(client):
    # One display name everywhere: first and last name, else a `name` attribute.
    client.post("/api/customers", json={"external_id": "fay", "attributes": {"name": "Fay Wu"}})
    data = client.post("/api/email/preview", json={**CONTENT, "customer_id": "fay"}).get_json()
    assert data["customer"] == {"customer_id": "fay", "email": None, "name": "Fay Wu"}
    found = client.get("/api/email/preview-customers?q=fay").get_json()["customers"]
    assert [c["name"] for c in found] == ["Fay Wu"]


def test_a_test_send_goes_only_to_ones_own_address_or_the_workspaces_test_recipients(client, mail):
    """Not an open relay: any other address is a 422 naming `to`, and nothing is sent."""
    for to in ("victim@example.net", "Owner@Example.com.evil.net"):
        refused = client.post("/api/email/test", json={**CONTENT, "to": to})
        assert refused.status_code == 422, refused.get_json()
        assert refused.get_json()["error"] == "invalid_email" and list(refused.get_json()["fields"]) == ["to"]
    assert mail.messages() == []
    assert client.post("/api/email/test", json={**CONTENT, "to": "OWNER@example.com"}).status_code == 200

    bad = client.patch("/api/workspace", json={"test_recipients": ["qa@shop.tw", "not an address"]})
    assert bad.status_code == 400 and "1" in bad.get_json()["fields"]["test_recipients"]
    too_many = client.patch("/api/workspace", json={"test_recipients": [f"qa{i}@shop.tw" for i in range(21)]})
    assert too_many.status_code == 400 and "test_recipients" in too_many.get_json()["fields"]
    changed = client.patch("/api/workspace", json={"test_recipients": ["QA@Shop.tw", "qa@shop.tw", "pm@shop.tw"]})
    assert changed.get_json()["test_recipients"] == ["qa@shop.tw", "pm@shop.tw"]
    assert client.get("/api/workspace").get_json()["test_recipients"] == ["qa@shop.tw", "pm@shop.tw"]
    assert client.post("/api/email/test", json={**CONTENT, "to": "pm@shop.tw"}).status_code == 200
    assert sorted(m["to"].lower() for m in mail.wait_for(2)) == ["owner@example.com", "pm@shop.tw"]
    client.patch("/api/workspace", json={"test_recipients": []})
    assert client.post("/api/email/test", json={**CONTENT, "to": "pm@shop.tw"}).status_code == 422

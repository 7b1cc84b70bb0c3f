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
    res = client.post("/api/email/test", json={**CONTENT, "customer_id": "ben", "to": "qa@example.com"})
    assert res.status_code == 200, res.get_json()
    (received,) = mail.wait_for(1)
    assert received["to"] == "qa@example.com"
    assert received["subject"] == "[Test] Ben, your  is waiting"  # Ben has no events: event.product is empty
    assert "Hi Ben" in received["html"]
    messages = client.get("/api/messages").get_json()["messages"]
    assert messages == []  # a test is not a journey message


def test_send_a_test_is_refused_with_a_broken_template_or_bad_address(client):
    bad = client.post("/api/email/test", json={"subject": "{% if %}", "body": "x", "to": "qa@example.com"})
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
        json={"to": "me@example.com", "subject": "Hi", "body": "<p>Hi</p>", "from_name": "Shop\r\nBcc: x@evil.example"},
    )
    assert response.status_code == 400, response.get_json()
    assert "from_name" in response.get_json()["fields"]


def test_a_message_that_cannot_be_built_fails_permanently_without_a_retry():
    """What reaches the channel with a line break in a header (data a schema did not see) is a permanent
    failure, recorded once, never a crash of the delivery job or a retry loop."""
    from wayfinder.channels.base import OutgoingMessage, SendError
    from wayfinder.channels.email_smtp import SmtpChannel

    channel = SmtpChannel({"MAIL_FROM": "journeys@wayfinder.local", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": 9})
    message = OutgoingMessage(1, "k", "email", "me@example.com", "Shop\nBcc: x@evil.example", "Hi", "<p>Hi</p>")
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

"""The send steps of the newer channels (SMS, LINE, app push, web push, in-app, webhook): their settings
(field-level messages, per-type LINE checks located on the message), their payloads in the shapes the providers
are written against, and the webhook body's JSON escaping."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass

import pytest
from marshmallow import ValidationError

from wayfinder import steps
from wayfinder.journeys.graph import settings_errors
from wayfinder.templating import TemplateError

NEW_STEPS = ("send_sms", "send_line", "send_push", "send_webpush", "send_in_app", "send_webhook")

VALID = {
    "send_sms": {"text": "Hi {{ customer.first_name }}, 20% off today"},
    "send_line": {
        "messages": [
            {"type": "text", "text": "Hi {{ customer.first_name }}"},
            {"type": "image", "url": "https://cdn.example.com/a.jpg"},
            {
                "type": "buttons",
                "title": "Spring sale",
                "text": "For you, {{ customer.first_name }}",
                "image_url": "https://cdn.example.com/b.jpg",
                "buttons": [{"label": "Shop", "url": "https://shop.example.com/sale"}],
            },
        ]
    },
    "send_push": {"title": "Hi {{ customer.first_name }}", "body": "Your cart misses you"},
    "send_webpush": {
        "title": "Back in stock",
        "body": "{{ event.product }} is back",
        "url": "https://shop.example.com",
    },
    "send_in_app": {"title": "Welcome", "body": "Hello {{ customer.first_name }}"},
    "send_webhook": {"url": "https://hooks.example.com/in"},
}
VARIABLES = {"customer": {"first_name": "Amy", "external_id": "c-1"}, "event": {"product": "Serum"}}


def filled(step_type: str) -> dict:
    """The step's defaults with the blanks a marketer fills."""
    settings = steps.get(step_type).default_settings()
    overrides = VALID[step_type]
    return {**settings, **overrides}


def load(step_type: str, settings: dict) -> dict:
    return steps.get(step_type).settings_schema().load(settings)


def errors(step_type: str, settings: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        load(step_type, settings)
    return caught.value.messages


def problems(step_type: str, settings: dict) -> set[tuple[str | None, str]]:
    node = {"id": "n", "type": step_type, "data": {"settings": settings}}
    return {(e.field, e.code) for e in settings_errors(node) if e.severity != "warning"}


def rendered(step_type: str, settings: dict | None = None, variables: dict | None = None) -> dict:
    step = steps.get(step_type)
    return step.render(load(step_type, settings or filled(step_type)), variables or VARIABLES)


# A webhook posts to its own URL and an in-app message waits for the app: neither can miss a customer.
REACHES_EVERYONE = ("send_in_app", "send_webhook")


@pytest.mark.parametrize("step_type", NEW_STEPS)
def test_filled_defaults_load_and_check_clean_and_outputs_are_next_and_unreachable_when_it_can_happen(step_type):
    step = steps.get(step_type)
    assert problems(step_type, filled(step_type)) == set()
    assert step.group == "action"
    expected = ["next"] if step_type in REACHES_EVERYONE else ["next", "unreachable"]
    assert step.output_ids() == expected
    assert [o.required for o in step.outputs({})] == [False] * len(expected)


def test_field_messages_for_bad_settings():
    assert set(errors("send_sms", {"text": ""})) == {"text"}
    assert set(errors("send_sms", {"text": "x" * 1001})) == {"text"}
    assert set(errors("send_push", {"title": "a\nb", "body": "b", "image_url": "http://x.example.com/a.png"})) == {
        "title",
        "image_url",
    }
    assert set(errors("send_push", {"title": "t", "body": "b", "deep_link": "javascript:alert(1)"})) == {"deep_link"}
    assert set(errors("send_push", {"title": "t", "body": "x" * 501})) == {"body"}
    assert set(errors("send_webpush", {"title": "t", "body": "b", "url": "ftp://x.example.com", "icon": "/a.png"})) == {
        "url",
        "icon",
    }
    assert set(errors("send_in_app", {"title": "t", "body": "b", "expires_in_hours": 721})) == {"expires_in_hours"}
    assert set(errors("send_in_app", {"title": "t", "body": "b", "button_label": "x" * 31})) == {"button_label"}
    assert set(errors("send_webhook", {"url": "https://h.example.com", "body": "{}", "method": "GET"})) == {"method"}
    headers = [{"name": f"X-{i}", "value": "v"} for i in range(11)]
    assert set(errors("send_webhook", {"url": "https://h.example.com", "body": "{}", "headers": headers})) == {
        "headers"
    }
    spaced = [{"name": "X Y", "value": "v"}]
    bad_name = errors("send_webhook", {"url": "https://h.example.com", "body": "{}", "headers": spaced})
    assert set(bad_name["headers"][0]) == {"name"}
    six = {"messages": [{"type": "text", "text": "hi"}] * 6}
    assert set(errors("send_line", six)) == {"messages"}
    assert set(errors("send_line", {"messages": []})) == {"messages"}
    sticker = errors("send_line", {"messages": [{"type": "sticker"}]})
    assert set(sticker["messages"][0]) == {"type"}
    five_buttons = [{"label": "b", "url": "https://x.example.com"}] * 5
    nested = errors("send_line", {"messages": [{"type": "buttons", "text": "t", "buttons": five_buttons}]})
    assert set(nested["messages"][0]) == {"buttons"}
    plain_http = errors(
        "send_line",
        {"messages": [{"type": "buttons", "text": "t", "buttons": [{"label": "b", "url": "http://x.example.com"}]}]},
    )
    assert set(plain_http["messages"][0]["buttons"][0]) == {"url"}


def test_checks_beyond_the_schema_are_located_on_the_field():
    line = {
        "messages": [
            {"type": "text", "text": " "},
            {"type": "image"},
            {"type": "buttons", "text": "{{ oops", "buttons": []},
        ]
    }
    assert problems("send_line", line) == {
        ("messages.0.text", "invalid_settings"),
        ("messages.1.url", "invalid_settings"),
        ("messages.2.text", "invalid_template"),
        ("messages.2.buttons", "invalid_settings"),
    }
    assert problems("send_sms", {"text": "{{ customer.__class__ }}"}) == {("text", "invalid_template")}
    assert problems("send_in_app", {"title": "t", "body": "b", "button_url": "https://x.example.com"}) == {
        ("button_label", "button_incomplete")
    }
    webhook = {
        "url": "mailto:ops@example.com",
        "body": "{}",
        "headers": [
            {"name": "Content-Type", "value": "text/plain"},
            {"name": "Webhook-Signature", "value": "x"},
            {"name": "X-Api-Key", "value": "1"},
            {"name": "x-api-key", "value": "2"},
        ],
    }
    assert problems("send_webhook", webhook) == {
        ("url", "invalid_url"),
        ("headers.0.name", "reserved_header"),
        ("headers.1.name", "reserved_header"),
        ("headers.3.name", "duplicate_header"),
    }
    assert ("url", "invalid_url") in problems("send_webhook", {"url": "https://", "body": "{}"})


def test_payload_shapes():
    assert rendered("send_sms") == {"text": "Hi Amy, 20% off today"}
    assert rendered("send_line") == {
        "messages": [
            {"type": "text", "text": "Hi Amy"},
            {"type": "image", "url": "https://cdn.example.com/a.jpg", "preview_url": "https://cdn.example.com/a.jpg"},
            {
                "type": "buttons",
                "title": "Spring sale",
                "text": "For you, Amy",
                "image_url": "https://cdn.example.com/b.jpg",
                "buttons": [{"label": "Shop", "url": "https://shop.example.com/sale"}],
            },
        ]
    }
    assert rendered("send_push") == {"title": "Hi Amy", "body": "Your cart misses you", "image_url": None, "data": None}
    linked = {**filled("send_push"), "deep_link": "myshop://cart", "image_url": "https://cdn.example.com/p.png"}
    assert rendered("send_push", linked)["data"] == {"deep_link": "myshop://cart"}
    assert rendered("send_push", linked)["image_url"] == "https://cdn.example.com/p.png"
    assert rendered("send_webpush") == {
        "title": "Back in stock",
        "body": "Serum is back",
        "url": "https://shop.example.com",
        "icon": None,
    }
    assert rendered("send_in_app") == {
        "title": "Welcome",
        "body": "Hello Amy",
        "button_label": None,
        "button_url": None,
        "expires_in_hours": 72,
    }
    webhook = rendered("send_webhook")
    assert webhook["method"] == "POST" and webhook["headers"] == {}
    assert json.loads(webhook["body"]) == {"customer_id": "c-1", "event": {"product": "Serum"}}
    step = steps.get("send_webhook")
    assert step.recipient(load("send_webhook", filled("send_webhook")), "ignored") == "https://hooks.example.com/in"


def test_rendered_text_is_plain_and_bounded():
    # Plain text: an SMS is not HTML, so a customer's "&" stays as it is.
    assert rendered("send_sms", {"text": "{{ customer.first_name }}"}, {"customer": {"first_name": "A&B <x>"}}) == {
        "text": "A&B <x>"
    }
    with pytest.raises(TemplateError):
        rendered("send_sms", {"text": "{{ customer.bio }}"}, {"customer": {"bio": "x" * 1601}})
    with pytest.raises(TemplateError):
        card = {
            "messages": [
                {
                    "type": "buttons",
                    "text": "{{ customer.bio }}",
                    "buttons": [{"label": "b", "url": "https://x.example.com"}],
                }
            ]
        }
        rendered("send_line", card, {"customer": {"bio": "x" * 161}})


def test_webhook_values_are_json_escaped_and_a_broken_document_fails_with_the_reason():
    settings = {
        "url": "https://hooks.example.com/in",
        "method": "PUT",
        "body": '{"name": "{{ customer.first_name }}", "points": {{ customer.points }}, "vip": {{ customer.vip }},'
        ' "tags": {{ customer.tags | tojson }}, "note": "{{ customer.missing }}",'
        ' "gone": {{ customer.gone | tojson }}}',
        "headers": [{"name": "X-Api-Key", "value": "k1"}],
    }
    customer = {"first_name": 'Amy "The Boss"\n\\', "points": 12.5, "vip": True, "tags": ["a", 'b"']}
    payload = rendered("send_webhook", settings, {"customer": customer, "event": {}})
    assert payload["method"] == "PUT" and payload["headers"] == {"X-Api-Key": "k1"}
    assert json.loads(payload["body"]) == {
        "name": 'Amy "The Boss"\n\\',
        "points": 12.5,
        "vip": True,
        "tags": ["a", 'b"'],
        "note": "",
        "gone": None,
    }
    for body in ('{"name": {{ customer.first_name }}}', '{"n": NaN}'):
        with pytest.raises(TemplateError, match="The rendered body is not valid JSON"):
            rendered("send_webhook", {**settings, "body": body}, {"customer": customer, "event": {}})


def test_the_manifest_offers_the_new_steps_as_actions_with_translatable_enums():
    manifest = {t["type"]: t for t in steps.manifest()["types"]}
    for name in NEW_STEPS:
        assert manifest[name]["group"] == "action", name
        expected = ["next"] if name in REACHES_EVERYONE else ["next", "unreachable"]
        assert [o["id"] for o in manifest[name]["outputs"]["static"]] == expected, name
    line = manifest["send_line"]["settings"]["properties"]["messages"]
    assert line["maxItems"] == 5 and line["items"]["properties"]["type"]["enum"] == ["text", "image", "buttons"]
    assert line["items"]["properties"]["buttons"]["maxItems"] == 4
    assert manifest["send_webhook"]["settings"]["properties"]["method"]["enum"] == ["POST", "PUT"]
    assert manifest["send_in_app"]["settings"]["properties"]["expires_in_hours"]["maximum"] == 720


@dataclass
class Count:
    segments: int


def test_a_long_sms_warns_from_the_segment_count_of_its_literal_text(monkeypatch):
    step = steps.get("send_sms")
    seen = []

    def segments(text):
        seen.append(text)
        return Count(segments=len(text) // 10)

    monkeypatch.setitem(sys.modules, "wayfinder.channels.sms_segments", types.SimpleNamespace(segments=segments))
    text = "x" * 60 + "{{ customer.first_name }}{% if event.product %}!{% endif %}"
    assert step.warnings({"text": text}) == [
        ("text", "sms_long", "The text alone is 6 SMS segments, each billed: consider a shorter message.")
    ]
    assert seen == ["x" * 60 + "!"]
    assert step.warnings({"text": "x" * 50}) == []

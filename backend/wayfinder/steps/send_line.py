"""Send LINE messages (the Messaging API's push) to the customer's LINE account: up to five in one send, as LINE
allows, each a text, an image, or a card with buttons (sent as a Flex bubble: image, title, text, link buttons).

One nested schema holds the fields of every type, each bounded by LINE's own limits; which fields a type needs
is checked by `check()`, located on the message (`messages.2.url`), so the form marks the right field whatever
the type. Texts are plain-text templates; image links, titles and buttons are literal (LINE fetches an image
once for many customers). A buttons card's text is at most 160 characters once rendered (LINE's limit for
template messages), a text message's 5,000.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from wayfinder.steps.message_fields import link, literal, render_text, template, template_problems
from wayfinder.steps.registry import register
from wayfinder.steps.send import SendStep

TYPES = ("text", "image", "buttons")
MAX_MESSAGES = 5
MAX_BUTTONS = 4
TEXT_MAX = 5000
BUTTONS_TEXT_MAX = 160
TITLE_MAX = 40
LABEL_MAX = 20
# Problems of a message are schema-like: a missing field reads as the schema's own ("needs a value" in the editor).
INVALID, MISSING = "invalid_settings", "Missing data for required field."
# LINE refuses image links longer than this.
IMAGE_URL_MAX = 2000


class LineButtonSchema(Schema):
    label = literal(LABEL_MAX, required=True)
    url = link("https", required=True, max_length=1000)


class LineMessageSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(list(TYPES)))
    # text, buttons
    text = template(TEXT_MAX, required=False)
    # image
    url = link("https", max_length=IMAGE_URL_MAX)
    preview_url = link("https", max_length=IMAGE_URL_MAX)
    # buttons
    title = literal(TITLE_MAX)
    image_url = link("https", max_length=IMAGE_URL_MAX)
    buttons = fields.List(
        fields.Nested(LineButtonSchema),
        load_default=list,
        validate=validate.Length(max=MAX_BUTTONS, error="Use 1 to {max} buttons"),
    )


class SendLineSettings(Schema):
    messages = fields.List(
        fields.Nested(LineMessageSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_MESSAGES, error="Send 1 to {max} messages"),
    )


def message_problems(i: int, message: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What message `i` lacks for its type, and its text's template problems."""
    at = f"messages.{i}."
    kind = message.get("type")
    problems = []
    if kind in ("text", "buttons"):
        if not (message.get("text") or "").strip():
            problems.append((f"{at}text", INVALID, MISSING))
        problems += template_problems(message, ("text",), at)
    if kind == "buttons" and len(message.get("text") or "") > BUTTONS_TEXT_MAX:
        problems.append((f"{at}text", INVALID, f"A card's text is at most {BUTTONS_TEXT_MAX} characters."))
    if kind == "image" and not message.get("url"):
        problems.append((f"{at}url", INVALID, MISSING))
    if kind == "buttons" and not message.get("buttons"):
        problems.append((f"{at}buttons", INVALID, f"Use 1 to {MAX_BUTTONS} buttons"))
    return problems


def render_message(message: dict[str, Any], variables: dict[str, Any]) -> dict[str, Any]:
    kind = message["type"]
    if kind == "text":
        return {"type": "text", "text": render_text(message["text"], variables, TEXT_MAX)}
    if kind == "image":
        return {"type": "image", "url": message["url"], "preview_url": message.get("preview_url") or message["url"]}
    return {
        "type": "buttons",
        "title": message.get("title") or "",
        "text": render_text(message["text"], variables, BUTTONS_TEXT_MAX),
        "image_url": message.get("image_url") or None,
        "buttons": [{"label": b["label"], "url": b["url"]} for b in message.get("buttons") or []],
    }


@register
class SendLineStep(SendStep):
    name = "send_line"
    channel = "line"
    defaults = {
        "messages": [
            {
                "type": "text",
                "text": "Hi {{ customer.first_name }}, ",
                "url": "",
                "preview_url": "",
                "title": "",
                "image_url": "",
                "buttons": [],
            }
        ]
    }
    settings_schema = SendLineSettings

    def check(self, settings):
        messages = settings.get("messages") or []
        return [p for i, m in enumerate(messages) if isinstance(m, dict) for p in message_problems(i, m)]

    def render(self, settings, variables):
        """{messages: [...]}: texts rendered as plain text; an image's preview is the image when not set."""
        return {"messages": [render_message(m, variables) for m in settings["messages"]]}

    def summary(self, payload):
        for message in payload.get("messages") or []:
            if message.get("title") or message.get("text"):
                return str(message.get("title") or message.get("text"))[:200]
        return "Image" if payload.get("messages") else ""

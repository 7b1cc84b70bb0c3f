"""Send an app push notification (Firebase Cloud Messaging) to the customer's registered devices.

Title and body are plain-text templates; the image and the deep link the app opens are literal. The rendered
title and body are capped so the notification fits FCM's 4 KB message (a device shows only the first lines
anyway). The deep link goes in the message's data (`{"deep_link": …}`), where the app reads it on a tap; without
one the data is absent and the app opens on its start screen.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields

from wayfinder.schemas.fields import ONE_LINE, text_checks
from wayfinder.steps.message_fields import link, or_none, render_text, template, template_problems
from wayfinder.steps.registry import register
from wayfinder.steps.send import SendStep

TITLE_MAX = 100
BODY_MAX = 500
RENDERED_TITLE_MAX = 200
RENDERED_BODY_MAX = 1000
DEEP_LINK_MAX = 500
# Links that would run code where an app hands them to a web view.
SCRIPT_SCHEMES = ("javascript", "data", "vbscript", "file")


def check_deep_link(value: str) -> None:
    """An app link like myshop://cart or https://shop.example/cart: a scheme, then no spaces."""
    if not value:
        return
    scheme, sep, rest = value.partition(":")
    if not sep or not rest or not scheme[:1].isalpha() or not all(c.isalnum() or c in "+.-" for c in scheme):
        raise ValidationError("Use a link with a scheme, like myapp://cart or https://…")
    if scheme.lower() in SCRIPT_SCHEMES:
        raise ValidationError(f"A {scheme.lower()}: link is not allowed.")
    if any(c.isspace() for c in value):
        raise ValidationError("A link cannot contain spaces.")


class SendPushSettings(Schema):
    title = template(TITLE_MAX, one_line=True)
    body = template(BODY_MAX)
    image_url = link("https")
    deep_link = fields.String(load_default="", validate=text_checks(DEEP_LINK_MAX, None, [ONE_LINE, check_deep_link]))


@register
class SendPushStep(SendStep):
    name = "send_push"
    channel = "push"
    defaults = {"title": "", "body": "", "image_url": "", "deep_link": ""}
    settings_schema = SendPushSettings
    template_fields = ("title", "body")

    def check(self, settings):
        return template_problems(settings, self.template_fields)

    def render(self, settings, variables):
        """{title, body, image_url, data}: plain text; image_url None and data None when not set."""
        deep_link = settings.get("deep_link") or ""
        return {
            "title": render_text(settings["title"], variables, RENDERED_TITLE_MAX),
            "body": render_text(settings["body"], variables, RENDERED_BODY_MAX),
            "image_url": or_none(settings.get("image_url")),
            "data": {"deep_link": deep_link} if deep_link else None,
        }

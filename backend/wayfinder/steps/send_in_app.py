"""Show an in-app message: a card the customer sees the next time they open the app or the site, until they
dismiss it or it expires (`expires_in_hours` after it was sent; 72 by default, 30 days at most).

Title and body are plain-text templates; the optional button (a label and the link it opens) is literal, and
comes as a pair: a label without a link, or a link without a label, is refused before publishing.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.steps.message_fields import link, literal, or_none, render_text, template, template_problems
from wayfinder.steps.registry import register
from wayfinder.steps.send import REACHES_EVERYONE, SendStep

TITLE_MAX = 100
BODY_MAX = 1000
RENDERED_TITLE_MAX = 200
RENDERED_BODY_MAX = 2000
BUTTON_LABEL_MAX = 30
MAX_HOURS = 720


class SendInAppSettings(Schema):
    title = template(TITLE_MAX, one_line=True)
    body = template(BODY_MAX)
    button_label = literal(BUTTON_LABEL_MAX)
    button_url = link("https", "http")
    expires_in_hours = fields.Integer(strict=True, load_default=72, validate=validate.Range(min=1, max=MAX_HOURS))


@register
class SendInAppStep(SendStep):
    name = "send_in_app"
    channel = "in_app"
    handles = REACHES_EVERYONE  # always reachable (audience.addresses): no `unreachable` output
    defaults = {"title": "", "body": "", "button_label": "", "button_url": "", "expires_in_hours": 72}
    settings_schema = SendInAppSettings
    template_fields = ("title", "body")

    def check(self, settings):
        problems = template_problems(settings, self.template_fields)
        label, url = (settings.get("button_label") or "").strip(), settings.get("button_url") or ""
        if url and not label:
            problems.append(("button_label", "button_incomplete", "Give the button a label, or remove its link."))
        if label and not url:
            problems.append(("button_url", "button_incomplete", "Give the button a link, or remove its label."))
        return problems

    def render(self, settings, variables):
        """{title, body, button_label, button_url, expires_in_hours}: plain text; the button's fields None when
        there is no button."""
        return {
            "title": render_text(settings["title"], variables, RENDERED_TITLE_MAX),
            "body": render_text(settings["body"], variables, RENDERED_BODY_MAX),
            "button_label": or_none((settings.get("button_label") or "").strip()),
            "button_url": or_none(settings.get("button_url")),
            "expires_in_hours": settings.get("expires_in_hours") or 72,
        }

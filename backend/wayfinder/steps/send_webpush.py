"""Send a web push notification (VAPID) to the browsers where the customer allowed notifications.

Title and body are plain-text templates; the page a click opens (`url`, http or https) and the icon (https) are
literal. The rendered title and body are capped so the notification fits the 4 KB a push service accepts.
"""

from __future__ import annotations

from marshmallow import Schema

from wayfinder.steps.message_fields import link, or_none, render_text, template, template_problems
from wayfinder.steps.registry import register
from wayfinder.steps.send import SendStep
from wayfinder.steps.send_push import BODY_MAX, RENDERED_BODY_MAX, RENDERED_TITLE_MAX, TITLE_MAX


class SendWebPushSettings(Schema):
    title = template(TITLE_MAX, one_line=True)
    body = template(BODY_MAX)
    url = link("https", "http")
    icon = link("https")


@register
class SendWebPushStep(SendStep):
    name = "send_webpush"
    channel = "webpush"
    defaults = {"title": "", "body": "", "url": "", "icon": ""}
    settings_schema = SendWebPushSettings
    template_fields = ("title", "body")

    def check(self, settings):
        return template_problems(settings, self.template_fields)

    def render(self, settings, variables):
        """{title, body, url, icon}: plain text; url and icon None when not set."""
        return {
            "title": render_text(settings["title"], variables, RENDERED_TITLE_MAX),
            "body": render_text(settings["body"], variables, RENDERED_BODY_MAX),
            "url": or_none(settings.get("url")),
            "icon": or_none(settings.get("icon")),
        }

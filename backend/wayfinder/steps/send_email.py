"""Send an email rendered from the marketer's template; rendered and delivered by the delivery queue."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.schemas.fields import ONE_LINE
from wayfinder.steps.registry import register
from wayfinder.steps.send import SendStep
from wayfinder.templating import BODY_LIMIT, SUBJECT_LIMIT, render, template_problem
from wayfinder.templating.links import safe_links


class SendEmailSettings(Schema):
    subject = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(required=True, validate=validate.Length(min=1, max=100_000))
    from_name = fields.String(load_default="", validate=[validate.Length(max=120), ONE_LINE])


@register
class SendEmailStep(SendStep):
    name = "send_email"
    channel = "email"
    defaults = {"subject": "", "body": "<p>Hi {{ customer.first_name }},</p>\n<p></p>", "from_name": ""}
    settings_schema = SendEmailSettings
    template_fields = ("subject", "body")

    def check(self, settings):
        problems = []
        for field_name in ("subject", "body"):
            problem = template_problem(settings.get(field_name, ""))
            if problem:
                problems.append((field_name, "invalid_template", problem))
        return problems

    def render(self, settings, variables):
        """{subject, html, from_name}: the subject is plain text; the body is HTML, so customer and event values
        are escaped unless the template marks them `|safe`, and links with a script scheme are neutralised."""
        return {
            "subject": render(settings["subject"], variables, limit=SUBJECT_LIMIT).strip(),
            "html": safe_links(render(settings["body"], variables, html=True, limit=BODY_LIMIT)),
            "from_name": settings.get("from_name") or "",
        }

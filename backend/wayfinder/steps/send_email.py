"""Send an email rendered from the marketer's template; delivery happens in the delivery queue."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.schemas.fields import ONE_LINE
from wayfinder.steps.base import Move, Output, SendMessage, StepType
from wayfinder.steps.registry import register
from wayfinder.templating import BODY_LIMIT, SUBJECT_LIMIT, TemplateError, render, template_problem
from wayfinder.templating.links import safe_links


class SendEmailSettings(Schema):
    subject = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(required=True, validate=validate.Length(min=1, max=100_000))
    from_name = fields.String(load_default="", validate=[validate.Length(max=120), ONE_LINE])


@register
class SendEmailStep(StepType):
    name = "send_email"
    group = "action"
    channel = "email"
    # Unconnected `next` means the customer's path ends after the email.
    handles = (Output("next", required=False),)
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

    def execute(self, ctx, node, items):
        settings = node["data"]["settings"]
        for item in items:
            email = ctx.customer_email(item.customer_id)
            variables = {"customer": ctx.customer_data(item.customer_id), "event": ctx.event_properties(item)}
            try:
                # The subject is plain text; the body is HTML, so customer and event values are escaped
                # unless the template marks them `|safe`.
                subject = render(settings["subject"], variables, limit=SUBJECT_LIMIT).strip()
                body = safe_links(render(settings["body"], variables, html=True, limit=BODY_LIMIT))
                error = None if email else "Customer has no email address"
            except TemplateError as exc:
                subject, body, error = settings["subject"], "", str(exc)
            ctx.effects.add(
                SendMessage.visit(
                    item,
                    node["id"],
                    channel="email",
                    to_address=email or "",
                    subject=subject,
                    body=body,
                    from_name=settings.get("from_name") or "",
                    error=error,
                )
            )
        # A message that cannot be sent is recorded as failed; the customer still moves on.
        return [Move("next") for _ in items]

"""Send an email rendered from the marketer's template; delivery happens in the delivery queue."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.steps.base import HandleSpec, Move, StepType
from wayfinder.steps.registry import register
from wayfinder.templating import BODY_LIMIT, SUBJECT_LIMIT, TemplateError, render, template_problem


class SendEmailSettings(Schema):
    subject = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(required=True, validate=validate.Length(min=1, max=100_000))
    from_name = fields.String(load_default="", validate=validate.Length(max=120))


@register
class SendEmailStep(StepType):
    name = "send_email"
    group = "action"
    # Unconnected `next` means the customer's path ends after the email.
    outputs = (HandleSpec("next", required=False),)
    settings_schema = SendEmailSettings

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
            customer = ctx.customers[item.customer_id]
            variables = {"customer": ctx.customer_data(item.customer_id), "event": ctx.event_properties(item)}
            message = {
                "enrollment_id": item.enrollment_id,
                "journey_id": item.journey_id,
                "customer_id": item.customer_id,
                "node_id": node["id"],
                "seq": item.seq,
                "channel": "email",
                "to_address": customer.email or "",
                "from_name": settings.get("from_name") or "",
            }
            try:
                # The subject is plain text; the body is HTML, so customer and event values are escaped
                # unless the template marks them `|safe`.
                message["subject"] = render(settings["subject"], variables, limit=SUBJECT_LIMIT).strip()
                message["body"] = render(settings["body"], variables, html=True, limit=BODY_LIMIT)
                message["error"] = None if customer.email else "Customer has no email address"
            except TemplateError as exc:
                message.update(subject=settings["subject"], body="", error=str(exc))
            ctx.messages.append(message)
        # A message that cannot be sent is recorded as failed; the customer still moves on.
        return [Move("next") for _ in items]

"""Call a webhook: an HTTP POST or PUT of a JSON document to the marketer's URL, signed the Standard Webhooks
way by the delivery (a `webhook-id` the receiver de-duplicates on, a timestamp and a signature).

The body is a template of a JSON document. Each `{{ value }}` is written JSON-escaped, as the inside of a JSON
string, so a customer whose name has a quote or a line break cannot break the document:
`{"name": "{{ customer.first_name }}"}`. Numbers, true / false and null come out as JSON literals
(`{"points": {{ customer.points }}}`), and `| tojson` inserts a whole JSON value: a list, an object or a quoted
string (`{"tags": {{ customer.tags | tojson }}, "event": {{ event | tojson }}}`). The rendered body must parse
as JSON, or that message fails with the reason (`TemplateError`); the delivery sends the rendered text.

The URL is literal and is the message's recipient (`recipient()`), so the message log shows where each call
went. The delivery refuses private and loopback addresses when it connects. Marketers may add up to ten headers
(an API key the receiver expects); the headers the delivery owns — Content-Type, Host, the framing headers and
the `webhook-*` signature headers — cannot be set.
"""

from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, fields, validate

from wayfinder.schemas.fields import ONE_LINE, text_checks
from wayfinder.steps.message_fields import link_problem
from wayfinder.steps.registry import register
from wayfinder.steps.send import REACHES_EVERYONE, SendStep
from wayfinder.templating import TemplateError, render, template_problem

URL_MAX = 2000
BODY_MAX = 20_000
RENDERED_BODY_MAX = 256 * 1024
MAX_HEADERS = 10
METHODS = ("POST", "PUT")
# RFC 9110 token characters.
HEADER_NAME = validate.Regexp(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z", error="Use letters, digits and - only.")
RESERVED_HEADERS = {"content-type", "content-length", "host", "transfer-encoding", "connection"}
DEFAULT_BODY = '{\n  "customer_id": {{ customer.external_id | tojson }},\n  "event": {{ event | tojson }}\n}'


class HeaderSchema(Schema):
    name = fields.String(required=True, validate=text_checks(100, 1, [HEADER_NAME]))
    value = fields.String(required=True, validate=text_checks(1000, None, [ONE_LINE]))


class SendWebhookSettings(Schema):
    url = fields.String(required=True, validate=text_checks(URL_MAX, 1, [ONE_LINE]))
    method = fields.String(load_default="POST", validate=validate.OneOf(list(METHODS)))
    body = fields.String(required=True, validate=text_checks(BODY_MAX, 1))
    headers = fields.List(
        fields.Nested(HeaderSchema),
        load_default=list,
        validate=validate.Length(max=MAX_HEADERS, error="Use at most {max} headers"),
    )


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not a JSON value")


def header_problems(headers: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    problems = []
    seen: set[str] = set()
    for i, header in enumerate(headers):
        name = str(header.get("name") or "").lower()
        if name in RESERVED_HEADERS or name.startswith("webhook-"):
            message = f"{header.get('name')} is set by Wayfinder and cannot be changed."
            problems.append((f"headers.{i}.name", "reserved_header", message))
        elif name in seen:
            problems.append((f"headers.{i}.name", "duplicate_header", "This header is already set above."))
        seen.add(name)
    return problems


@register
class SendWebhookStep(SendStep):
    name = "send_webhook"
    channel = "webhook"
    handles = REACHES_EVERYONE  # always reachable (audience.addresses): no `unreachable` output
    defaults = {"url": "", "method": "POST", "body": DEFAULT_BODY, "headers": []}
    settings_schema = SendWebhookSettings
    template_fields = ("body",)

    def check(self, settings):
        problems = []
        url = settings.get("url")
        if url:
            problem = link_problem(url, ("https", "http"))
            if problem:
                problems.append(("url", "invalid_url", problem))
        problem = template_problem(settings.get("body") or "")
        if problem:
            problems.append(("body", "invalid_template", problem))
        return problems + header_problems(settings.get("headers") or [])

    def recipient(self, settings, address):
        return settings["url"]

    def render(self, settings, variables):
        """{method, body, headers}: the body is the rendered JSON text (values JSON-escaped), checked to parse."""
        body = render(settings["body"], variables, limit=RENDERED_BODY_MAX, json_values=True)
        try:
            json.loads(body, parse_constant=_not_json)
        except ValueError as exc:
            raise TemplateError(f"The rendered body is not valid JSON: {exc}") from None
        return {
            "method": settings.get("method") or "POST",
            "body": body,
            "headers": {h["name"]: h["value"] for h in settings.get("headers") or []},
        }

    def summary(self, payload):
        return f"{payload.get('method') or 'POST'} webhook"

"""Send a text message (SMS) rendered from the marketer's template; delivered by the SMS provider of the
workspace (Twilio, Mitake, …).

The text is plain: customer values go in as they are. Its length decides its cost: a message longer than one
segment (160 GSM-7 characters, 70 when it needs Unicode, e.g. Chinese) is sent as several, each billed. The form
counts characters and segments as the marketer types; the rendered text is capped at 1,600 characters (ten
Unicode segments' worth and Twilio's limit), so customer data cannot make one message a long, costly chain.
"""

from __future__ import annotations

from importlib import import_module

from jinja2 import TemplateSyntaxError, nodes
from marshmallow import Schema

from wayfinder.steps.message_fields import render_text, template, template_problems
from wayfinder.steps.registry import register
from wayfinder.steps.send import SendStep
from wayfinder.templating.sandbox import text_env

TEXT_MAX = 1000
RENDERED_MAX = 1600
# Past this many segments the step warns (the form's counter turns amber at the same number).
LONG_SEGMENTS = 5


def literal_text(source: str) -> str:
    """The template's own text, without what `{{ }}` / `{% %}` add (unknown until rendered): its minimum length."""
    try:
        tree = text_env.parse(source)
    except TemplateSyntaxError:
        return ""
    return "".join(node.data for node in tree.find_all(nodes.TemplateData))


def segment_count(text: str) -> int | None:
    """Segments as the gateways bill them, from the SMS providers' `channels.sms_segments`; None without it."""
    try:
        module = import_module("wayfinder.channels.sms_segments")
    except ModuleNotFoundError:
        return None
    return module.segments(text).segments


class SendSmsSettings(Schema):
    text = template(TEXT_MAX)


@register
class SendSmsStep(SendStep):
    name = "send_sms"
    channel = "sms"
    defaults = {"text": "Hi {{ customer.first_name }}, "}
    settings_schema = SendSmsSettings
    template_fields = ("text",)

    def check(self, settings):
        return template_problems(settings, self.template_fields)

    def warnings(self, settings):
        count = segment_count(literal_text(settings["text"]))
        if count is not None and count > LONG_SEGMENTS:
            message = f"The text alone is {count} SMS segments, each billed: consider a shorter message."
            return [("text", "sms_long", message)]
        return []

    def render(self, settings, variables):
        """{text}: plain text, at most 1,600 characters once rendered."""
        return {"text": render_text(settings["text"], variables, RENDERED_MAX)}

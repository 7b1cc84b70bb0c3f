"""What the gallery's templates share: the template record, canvas placement, message settings, and dates.

A template is a function of the language ("zh-TW" or "en") that returns {key, name, description, channels,
graph}: a journey a marketer can publish as it is. Templates name no time zone: `journeys.service.create_journey`
gives a new journey the workspace's, so "00:00" and "10:00" mean the brand's local time. Dates a template needs
(a campaign day, a one-off send) are chosen relative to today, so the template is never in the past.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wayfinder import clock
from wayfinder.journeys.builder import GraphBuilder

LANGUAGES = ("zh-TW", "en")
# Canvas spacing, as the editor's auto-layout spaces steps (the demo journeys use the same).
COLUMN = 304
RANK = 235
# Templates' dates are counted from today in Taiwan, where the product's marketers are.
HOME_ZONE = ZoneInfo("Asia/Taipei")

# The channel each send step type delivers on.
SEND_CHANNELS = {
    "send_email": "email",
    "send_sms": "sms",
    "send_line": "line",
    "send_push": "push",
    "send_webpush": "webpush",
    "send_in_app": "in_app",
    "send_webhook": "webhook",
}


@dataclass(frozen=True)
class Template:
    key: str
    build: Callable[[str], dict[str, Any]]

    def __call__(self, lang: str = "zh-TW") -> dict[str, Any]:
        if lang not in LANGUAGES:
            raise ValueError(f"Templates come in {' and '.join(LANGUAGES)}, not {lang!r}.")
        return self.build(lang)


def channels_of(graph: dict[str, Any]) -> list[str]:
    """The channels the graph's send steps use, in the order they first appear."""
    found = [SEND_CHANNELS[n["type"]] for n in graph["nodes"] if n["type"] in SEND_CHANNELS]
    return list(dict.fromkeys(found))


def days_ahead(days: int) -> date:
    """Today in Taiwan plus `days`."""
    return clock.now().astimezone(HOME_ZONE).date() + timedelta(days=days)


class Canvas:
    """A GraphBuilder placing steps on a grid: `step(id, type, settings, label, col, rank)`."""

    def __init__(self) -> None:
        self.g = GraphBuilder()

    def step(self, node_id: str, node_type: str, settings: dict[str, Any], label: str, col: float, rank: float) -> str:
        return self.g.node(node_id, node_type, settings, label=label, x=col * COLUMN, y=rank * RANK)

    def link(self, *edges: tuple[str, str, str]) -> None:
        """(source, output, target) triples."""
        for source, handle, target in edges:
            self.g.connect(source, target, handle=handle)

    def build(self) -> dict[str, Any]:
        return self.g.build()


def email(subject: str, body: str) -> dict[str, Any]:
    """Sent from the workspace's sender name."""
    return {"subject": subject, "body": body, "from_name": ""}


def sms(text: str) -> dict[str, Any]:
    return {"text": text}


def line_text(*texts: str) -> dict[str, Any]:
    return {"messages": [_line_message("text", text=t) for t in texts]}


def line_card(title: str, text: str, buttons: list[tuple[str, str]]) -> dict[str, Any]:
    """One buttons card: a title, a text of at most 160 characters, up to four (label, https link) buttons."""
    card = _line_message("buttons", title=title, text=text, buttons=[{"label": lb, "url": u} for lb, u in buttons])
    return {"messages": [card]}


def _line_message(kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "text": "",
        "url": "",
        "preview_url": "",
        "title": "",
        "image_url": "",
        "buttons": [],
        **fields,
    }


def push(title: str, body: str, deep_link: str = "") -> dict[str, Any]:
    return {"title": title, "body": body, "image_url": "", "deep_link": deep_link}


def open_wait(message_step: str, amount: int, unit: str) -> dict[str, Any]:
    """A wait_for_engagement: `engaged` when the customer opens the message `message_step` sent them within
    `amount` `unit`, `timeout` otherwise."""
    return {
        "message_step": message_step,
        "engagement": "opened",
        "url_contains": "",
        "timeout_amount": amount,
        "timeout_unit": unit,
    }


def wait(amount: int, unit: str) -> dict[str, Any]:
    return {"amount": amount, "unit": unit}


def template_record(key: str, text: dict[str, Any], channels: list[str], graph: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "name": text["name"],
        "description": text["description"],
        "channels": channels,
        "graph": graph,
    }

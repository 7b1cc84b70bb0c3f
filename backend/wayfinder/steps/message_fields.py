"""Fields the send steps of the newer channels share: bounded templates, links with a restricted scheme, and
the template checks shown on the node before publishing.

A link a customer taps (a button, an image, a notification's target) is checked when the journey is saved, not
when the message is sent: a typo shows on the node instead of failing every message. Links are literal (no
template): a provider may fetch an image once for many customers, and a link built from customer data could
point anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields

from wayfinder.schemas.fields import ONE_LINE, text_checks
from wayfinder.templating import render, template_problem

URL_MAX = 2000


def template(max_length: int, *, required: bool = True, one_line: bool = False) -> fields.String:
    """A template field of at most `max_length` characters (its source; the rendered text has its own limit)."""
    checks = text_checks(max_length, 1 if required else None, [ONE_LINE] if one_line else None)
    if required:
        return fields.String(required=True, validate=checks)
    return fields.String(load_default="", validate=checks)


def literal(max_length: int, *, required: bool = False) -> fields.String:
    """Literal text on one line (a button's label, a title LINE shows as it is)."""
    checks = text_checks(max_length, 1 if required else None, [ONE_LINE])
    if required:
        return fields.String(required=True, validate=checks)
    return fields.String(load_default="", validate=checks)


def link_problem(value: str, schemes: Iterable[str]) -> str | None:
    """Why `value` is not an absolute link with one of `schemes` and a host, or None when it is."""
    allowed = tuple(schemes)
    try:
        parts = urlsplit(value)
    except ValueError:
        return "Not a valid link."
    if parts.scheme.lower() not in allowed:
        return f"Use a link starting with {' or '.join(f'{s}://' for s in allowed)}."
    if not parts.hostname:
        return "The link has no host name."
    if any(c.isspace() for c in value):
        return "A link cannot contain spaces."
    return None


class Link:
    """A validator of a link with one of `schemes` (an empty value is allowed: required-ness is the field's)."""

    def __init__(self, *schemes: str) -> None:
        self.schemes = schemes

    def __call__(self, value: str) -> None:
        problem = link_problem(value, self.schemes) if value else None
        if problem:
            raise ValidationError(problem)


def link(*schemes: str, required: bool = False, max_length: int = URL_MAX) -> fields.String:
    checks = [*text_checks(max_length, 1 if required else None), Link(*schemes)]
    if required:
        return fields.String(required=True, validate=checks)
    return fields.String(load_default="", validate=checks)


def template_problems(settings: dict[str, Any], names: Iterable[str], prefix: str = "") -> list[tuple[str, str, str]]:
    """(field, "invalid_template", why) for each of `names` whose template cannot be used."""
    problems = []
    for name in names:
        problem = template_problem(settings.get(name) or "")
        if problem:
            problems.append((f"{prefix}{name}", "invalid_template", problem))
    return problems


def render_text(source: str, variables: dict[str, Any], limit: int) -> str:
    """A plain-text template rendered (customer values as they are, no HTML escaping), trimmed."""
    return render(source, variables, limit=limit).strip()


def or_none(value: Any) -> Any:
    """An optional setting left blank is absent (None) in the payload."""
    return value or None

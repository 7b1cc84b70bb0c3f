"""Customers' personal data (names, emails, phones), masked in every answer to a caller who may not see it.

The one choke point for the viewer role: response schemas declare which fields hold personal data
(`PersonalString`, `PersonalList`, `PersonalAttributes`), and those fields mask on dump unless the request's
principal may read it. The sign-in gate decides that once per request (`g.sees_personal`, from the role's
`personal.read` in auth.permissions); a request in which nobody decided (an open route called anonymously)
masks too (fail closed). Outside a request (CLI, workers, the engine rendering an email) nothing is masked.

Which customer attributes are personal is `PERSONAL_ATTRIBUTES` (plus any attribute whose name mentions an
email or a phone).
"""

from __future__ import annotations

import re
from typing import Any

from flask import g, has_request_context
from marshmallow import fields

MASK = "•••"

#: Attribute names (lower case, "-" and spaces read as "_") that hold a person's name, email or phone.
PERSONAL_ATTRIBUTES = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "display_name",
        "firstname",
        "lastname",
        "fullname",
        "email",
        "email_address",
        "phone",
        "phone_number",
        "mobile",
        "mobile_number",
        "tel",
        "telephone",
        "cell",
        "address",
    }
)
_MENTIONS = re.compile(r"email|e_mail|phone|mobile")


def is_personal_attribute(name: str) -> bool:
    key = re.sub(r"[\s\-]+", "_", str(name).strip().lower())
    return key in PERSONAL_ATTRIBUTES or bool(_MENTIONS.search(key))


def sees_personal() -> bool:
    """Whether this request's answers may carry personal data unmasked."""
    if not has_request_context():
        return True
    return bool(g.get("sees_personal", False))


def mask(value: Any) -> Any:
    """A masked stand-in that keeps just enough to tell rows apart: `a•••@e•••.com`, `W•••`, `•••78`."""
    if value is None:
        return None
    text = str(value)
    if not text:
        return text
    if "@" in text:
        local, _, domain = text.rpartition("@")
        tld = domain.rsplit(".", 1)[1] if "." in domain else ""
        return f"{local[:1]}{MASK}@{domain[:1]}{MASK}" + (f".{tld}" if tld else "")
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 6 and len(digits) >= len(text.replace(" ", "")) - 3:  # a phone number
        return f"{MASK}{digits[-2:]}"
    return f"{text[:1]}{MASK}"


class PersonalString(fields.String):
    """A string that is personal data (a customer's email or name, a recipient's address)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        shown = super()._serialize(value, attr, obj, **kwargs)
        return shown if sees_personal() else mask(shown)


_EMAILS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")
_PHONES = re.compile(r"\+?\d(?:[\s()-]*\d){7,}")  # 8+ digits, spaced or dashed (not 5.1.1 codes)


class PersonalText(fields.String):
    """Free text that may quote personal data (a provider's error naming the address it refused): the email
    addresses and phone numbers in it are masked, the rest is kept."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        shown = super()._serialize(value, attr, obj, **kwargs)
        if shown is None or sees_personal():
            return shown
        return _PHONES.sub(lambda m: mask(m.group()), _EMAILS.sub(lambda m: mask(m.group()), shown))


class PersonalList(fields.List):
    """A list of personal strings (a mail's recipients)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(PersonalString(), **kwargs)


class PersonalAttributes(fields.Dict):
    """Customer attributes: the personal ones (see `is_personal_attribute`) masked, the rest as they are."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        shown = super()._serialize(value, attr, obj, **kwargs)
        if shown is None or sees_personal():
            return shown
        return {k: (mask(v) if is_personal_attribute(k) and v is not None else v) for k, v in shown.items()}


class PersonalDetail(fields.Raw):
    """JSON that may carry personal data anywhere inside (a rendered message greeting the customer by name, an
    event's detail quoting an address): whole for a caller who may see it, else null."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value if sees_personal() else None

"""A customer as everything outside the database sees them: the variables templates and conditions read, and
the name the UI shows. One definition, so the engine, the content preview and the live canvas agree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Customer fields every customer has besides their attributes; they win over an attribute of the same name.
BUILTIN_CUSTOMER_FIELDS = ("external_id", "email")


def customer_data(attributes: Mapping[str, Any] | None, external_id: str, email: str | None) -> dict[str, Any]:
    """The customer as templates and conditions see them: attributes plus external_id and email."""
    return {**(attributes or {}), "external_id": external_id, "email": email}


def display_name(attributes: Mapping[str, Any] | None) -> str | None:
    """The name the UI shows: first_name and last_name (either may be missing), else a `name` attribute."""
    attributes = attributes or {}
    parts = [str(attributes[k]) for k in ("first_name", "last_name") if attributes.get(k)]
    return " ".join(parts) or (str(attributes["name"]) if attributes.get("name") else None)

"""Step types. Importing this package registers every built-in type."""

from wayfinder.steps import condition, event_trigger, exit, send_email, wait  # noqa: F401
from wayfinder.steps.registry import all_types, get, manifest

__all__ = ["all_types", "get", "manifest"]

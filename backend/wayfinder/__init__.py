"""Wayfinder: a visual customer-journey builder for marketing automation."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # `from wayfinder import create_app` works, but importing any module of the package (a job module in a
    # worker, a step type) does not import the app factory and everything it pulls in.
    if name == "create_app":
        from wayfinder.app import create_app

        return create_app
    raise AttributeError(f"module 'wayfinder' has no attribute {name!r}")

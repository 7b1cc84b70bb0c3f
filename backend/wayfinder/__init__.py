"""Wayfinder: a visual customer-journey builder for marketing automation."""

from wayfinder.app import create_app

__all__ = ["create_app"]

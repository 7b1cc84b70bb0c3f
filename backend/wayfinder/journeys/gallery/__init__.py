"""The journey gallery: S1–S8, the playbooks Taiwanese marketers run, as ready-made journeys to start from.

`templates()` lists them in the gallery's order and `get(key)` finds one; each is a function of the language
("zh-TW" or "en") returning {key, name, description, channels, graph}. Every graph validates and publishes as
it is, with concrete content written for the language; node ids are stable (listed in each module's
docstring) so tests and live counts can name steps.
"""

from __future__ import annotations

from wayfinder.journeys.gallery import (
    s1_abandoned_cart,
    s2_countdown_sale,
    s3_member_day,
    s4_treatment_care,
    s5_daily_tagging,
    s6_coupon_offer,
    s7_store_opening,
    s8_email_drip,
)
from wayfinder.journeys.gallery.base import LANGUAGES, Template

MODULES = (
    s1_abandoned_cart,
    s2_countdown_sale,
    s3_member_day,
    s4_treatment_care,
    s5_daily_tagging,
    s6_coupon_offer,
    s7_store_opening,
    s8_email_drip,
)
_TEMPLATES = [Template(m.KEY, m.build) for m in MODULES]

__all__ = ["LANGUAGES", "Template", "get", "templates"]


def templates() -> list[Template]:
    return list(_TEMPLATES)


def get(key: str) -> Template | None:
    return next((t for t in _TEMPLATES if t.key == key), None)

"""How many SMS segments a text costs, counted the way the gateways bill it (the form shows it as the text is typed;
frontend/src/nodes/smsSegments.ts is the same function).

* A text made only of GSM 03.38 characters travels in the 7-bit alphabet: 160 septets in a single message. A
  character of the extension table (€ [ ] { } ^ ~ | \\ and form feed) is sent as ESC + the character: 2 septets.
* Any other character (Chinese, most emoji, curly quotes) switches the whole text to UCS-2: 70 UTF-16 code units in
  a single message; a character outside the Basic Multilingual Plane (most emoji) takes 2 units.
* A longer text is concatenated: each part loses room to the User Data Header, 153 septets or 67 units per part,
  and a part never splits an escape sequence or a surrogate pair — a 2-unit character that does not fit the rest of
  a part opens the next one (so a part can carry 152 septets or 66 units), as the handsets reassemble it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"
_BASIC = frozenset(GSM_BASIC)
_EXTENSION = frozenset(GSM_EXTENSION)

# (single message, per part of a concatenated one), in septets for GSM-7 and UTF-16 code units for UCS-2.
LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class SmsCount:
    encoding: Encoding
    characters: int  # the units counted against the limit: septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int  # messages billed (0 for an empty text)
    per_segment: int  # the room of each: 160 / 70 for a single message, 153 / 67 when concatenated


def is_gsm(text: str) -> bool:
    return all(ch in _BASIC or ch in _EXTENSION for ch in text)


def _units(text: str, encoding: Encoding) -> list[int]:
    """Each character's cost: 1 or 2 septets, or 1 or 2 UTF-16 code units."""
    if encoding == "GSM-7":
        return [2 if ch in _EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _parts(units: list[int], room: int) -> int:
    """Parts of `room` units each, filled in order, a character never split across two."""
    parts, used = 1, 0
    for unit in units:
        if used + unit > room:
            parts, used = parts + 1, 0
        used += unit
    return parts


def segments(text: str) -> SmsCount:
    encoding: Encoding = "GSM-7" if is_gsm(text) else "UCS-2"
    units = _units(text, encoding)
    characters = sum(units)
    single, per_part = LIMITS[encoding]
    if characters <= single:
        return SmsCount(encoding, characters, 1 if characters else 0, single)
    return SmsCount(encoding, characters, _parts(units, per_part), per_part)

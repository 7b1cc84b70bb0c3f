"""Password hashing (argon2id through argon2-cffi) and the password policy.

The policy is NIST SP 800-63B's: a minimum length and a refusal of known-common passwords, no composition rules.
The list (`common_passwords.txt`) ships with the package and is compared lower-cased.
"""

from __future__ import annotations

import functools
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 hashes any length; a bound keeps one request from hashing megabytes
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"

TOO_SHORT = f"The password must be at least {MIN_LENGTH} characters long."
TOO_LONG = f"The password must be at most {MAX_LENGTH} characters long."
TOO_COMMON = "This password is one of the most commonly used ones; choose another."
SAME_AS_EMAIL = "The password must not be the email address."

#: argon2-cffi's parameter profiles by name (`PASSWORD_HASH_PROFILE`); the tests use "CHEAPEST" (one hash costs
#: about a second on a busy 2-core machine with the default, which is right for a sign-in, not for 500 tests).
DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"


@functools.cache
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _hasher() -> PasswordHasher:
    profile = current_app.config.get("PASSWORD_HASH_PROFILE") if has_app_context() else None
    return _hasher_for(profile or DEFAULT_PROFILE)


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def policy_problems(password: str, email: str | None = None) -> list[str]:
    """Why `password` may not be used (empty when it may)."""
    if len(password) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_LENGTH:
        return [TOO_LONG]
    lowered = password.lower()
    if lowered in common_passwords():
        return [TOO_COMMON]
    if email and lowered == email.strip().lower():
        return [SAME_AS_EMAIL]
    return []


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; never raises for a wrong password or a damaged hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


_dummy_hashes: dict[int, str] = {}


def dummy_hash() -> str:
    """A hash of nothing anyone knows, with the current parameters: verified when the email is unknown, so that
    answer costs the same time as a wrong password for a real account."""
    hasher = _hasher()
    if id(hasher) not in _dummy_hashes:
        _dummy_hashes[id(hasher)] = hasher.hash("wayfinder: no such account")
    return _dummy_hashes[id(hasher)]


def verify_dummy(password: str) -> None:
    verify_password(dummy_hash(), password)

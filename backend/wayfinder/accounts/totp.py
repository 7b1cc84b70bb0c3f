"""The optional TOTP second factor (RFC 6238, through pyotp) and its recovery codes.

Enrolment: `start` gives the user a new secret (shown as a QR code for an authenticator app, and as text);
`confirm` with a first code from the app turns it on and answers ten recovery codes, shown once and stored as
SHA-256 hashes. Signing in then needs a code after the password (`verify`): a current code (one step of clock
drift either way) that was not used before — the last accepted time step is kept, so a code seen over someone's
shoulder is no use after — or an unused recovery code. `disable` needs the password.

The secret must be read back to check codes, so it is not hashed but sealed at rest (`secret_box`: Fernet, keys
from ENCRYPTION_KEYS): a copy of the database alone does not give it away.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wayfinder import audit, clock
from wayfinder.accounts.passwords import verify_password
from wayfinder.accounts.service import memberships
from wayfinder.errors import Conflict, WayfinderError
from wayfinder.models import RecoveryCode, User
from wayfinder.secret_box import seal, unseal

ISSUER = "Wayfinder"
RECOVERY_CODES = 10
WRONG_CODE = "That code is not right. Enter the 6-digit code your authenticator app shows now."
WRONG_PASSWORD = "The password is not correct."
NOT_STARTED = "Start setting up two-step sign-in first."
ALREADY_ON = "Two-step sign-in is on already."


class FieldRefused(WayfinderError):
    """A 400 with a message on one field, like a schema error."""

    status = 400
    code = "validation_error"

    def __init__(self, field: str, message: str) -> None:
        super().__init__("Invalid payload", fields={field: [message]})


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


def enabled(user: User) -> bool:
    return user.totp_enabled_at is not None


def _qr_svg_data_url(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def start(session: Session, user: User) -> Enrolment:
    """A new secret for `user` (not yet in force; the caller commits)."""
    if enabled(user):
        raise Conflict(ALREADY_ON, reason="totp_enabled")
    secret = pyotp.random_base32()
    user.totp_secret = seal(secret)
    user.totp_last_step = None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(secret, uri, _qr_svg_data_url(uri))


def _matching_step(user: User, code: str, now: datetime) -> int | None:
    """The time step `code` is valid for (now, one before or one after), if any and newer than the last used."""
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(unseal(user.totp_secret))
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and step > (user.totp_last_step or -1):
            return step
    return None


def _normalize_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalize_recovery(code).encode()).hexdigest()


def _record(session: Session, user: User, action: str, detail: dict | None = None) -> None:
    for _membership, workspace in memberships(session, user.id):
        audit.record(session, action, "user", user.id, detail, workspace_id=workspace.id, actor=user)


def confirm(session: Session, user: User, code: str) -> list[str]:
    """Turn the second factor on with a first code from the app; answers the recovery codes (shown once)."""
    if enabled(user):
        raise Conflict(ALREADY_ON, reason="totp_enabled")
    if not user.totp_secret:
        raise Conflict(NOT_STARTED, reason="totp_not_started")
    step = _matching_step(user, code.strip().replace(" ", ""), clock.now())
    if step is None:
        raise FieldRefused("code", WRONG_CODE)
    user.totp_last_step = step
    user.totp_enabled_at = clock.now()
    codes = _new_recovery_codes(session, user)
    _record(session, user, "totp.enabled")
    return codes


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(update(RecoveryCode).where(RecoveryCode.user_id == user.id).values(used_at=clock.now()))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits each, ten of them, single use, behind the password
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(code)))
    session.flush()
    return codes


def disable(session: Session, user: User, password: str) -> None:
    """Turn the second factor off (the password is asked again; the caller commits)."""
    if not verify_password(user.password_hash, password):
        raise FieldRefused("password", WRONG_PASSWORD)
    was_on = enabled(user)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(update(RecoveryCode).where(RecoveryCode.user_id == user.id).values(used_at=clock.now()))
    if was_on:
        _record(session, user, "totp.disabled")


def recovery_codes_left(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def verify(session: Session, user: User, code: str) -> str | None:
    """Check the second factor at sign-in: "totp" or "recovery" when `code` is accepted (and used up), else None."""
    cleaned = code.strip().replace(" ", "")
    step = _matching_step(user, cleaned, clock.now())
    if step is not None:
        user.totp_last_step = step
        return "totp"
    recovery = session.scalar(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(cleaned), RecoveryCode.used_at.is_(None)
        )
        .with_for_update()
    )
    if recovery is not None:
        recovery.used_at = clock.now()
        return "recovery"
    return None

"""Password reset by email: a single-use link that expires (PASSWORD_RESET_TTL_SECONDS), stored as a hash.

Asking answers the same whether the address has an account or not (the API says "if an account exists, we sent
a link"); only an existing account gets a link. Using the link sets a new password under the sign-up policy,
voids the user's other reset links and ends every session of the user (`session_version`); the API then lifts
the email's sign-in lockout (`auth.limits.Lockout`, in Redis).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wayfinder import audit, clock
from wayfinder.accounts.links import LinkEmail, link, new_token, paragraph_email, token_hash
from wayfinder.accounts.passwords import hash_password
from wayfinder.accounts.service import check_password_policy, memberships, normalize_email
from wayfinder.errors import WayfinderError
from wayfinder.models import PasswordReset, User

INVALID_LINK = "This password-reset link is not valid any more: it was used or has expired. Ask for a new one."


class InvalidResetLink(WayfinderError):
    status = 410
    code = "invalid_link"


def request_reset(
    session: Session, email: str, *, base_url: str, ttl_seconds: int, mail_from_name: str = "Wayfinder"
) -> LinkEmail | None:
    """A reset link for the account with `email`, if there is one (the caller commits, then sends the email)."""
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        return None
    token, hashed = new_token()
    now = clock.now()
    session.add(
        PasswordReset(
            user_id=user.id, token_hash=hashed, created_at=now, expires_at=now + timedelta(seconds=ttl_seconds)
        )
    )
    session.flush()
    minutes = max(1, round(ttl_seconds / 60))
    url = link(base_url, "/reset-password", token)
    if user.language == "zh-TW":
        subject = "重設您的 Wayfinder 密碼"
        lines = [
            f"{user.display_name} 您好，我們收到重設您 Wayfinder 密碼的要求。",
            f"請點下方按鈕設定新密碼。此連結只能使用一次，{minutes} 分鐘後失效。若不是您提出的，請忽略這封信。",
        ]
        button = "設定新密碼"
    else:
        subject = "Reset your Wayfinder password"
        lines = [
            f"Hello {user.display_name}, someone asked to reset the password of your Wayfinder account.",
            f"Choose a new password with the button below. The link works once and expires in {minutes} minutes. "
            "If it was not you, ignore this email.",
        ]
        button = "Choose a new password"
    return paragraph_email(
        to=user.email,
        subject=subject,
        lines=lines,
        url=url,
        button=button,
        from_name=mail_from_name,
        from_address=None,
        workspace_id=None,
        kind="reset",
    )


def _usable(session: Session, token: str) -> PasswordReset:
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)).with_for_update())
    if reset is None or reset.used_at is not None or reset.expires_at <= clock.now():
        raise InvalidResetLink(INVALID_LINK)
    return reset


def check_link(session: Session, token: str) -> str:
    """The email the link is for (InvalidResetLink when it cannot be used)."""
    reset = _usable(session, token)
    user = session.get(User, reset.user_id)
    assert user is not None
    return user.email


def confirm_reset(session: Session, token: str, password: str) -> User:
    """Set the new password (the caller commits); every session of the user ends."""
    reset = _usable(session, token)
    user = session.get(User, reset.user_id, with_for_update=True)
    assert user is not None
    check_password_policy(password, user.email)
    now = clock.now()
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    for _membership, workspace in memberships(session, user.id):
        audit.record(
            session, "password.reset", "user", user.id, {"email": user.email}, workspace_id=workspace.id, actor=user
        )
    return user

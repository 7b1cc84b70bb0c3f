"""Users and memberships: creating them, and checking a sign-in.

`authenticate` gives the same answer, after the same work (one argon2 verification), whether the email is
unknown or the password wrong, so neither the message nor the time tells which. Wrong passwords within a window
lock the email for a while, and the per-email rate limit counts failures: both in `auth.limits`, for every email,
known or not, so that their 429 is no existence oracle either.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayfinder.accounts.passwords import hash_password, needs_rehash, policy_problems, verify_dummy, verify_password
from wayfinder.errors import Conflict, NotFound, WayfinderError
from wayfinder.models import Membership, Role, User, Workspace

INVALID_CREDENTIALS = "The email or password is not correct."
LOCKED = "Too many failed sign-ins for this email. Try again later."


class PasswordRefused(WayfinderError):
    """The password breaks the policy; `fields` carries the messages like a schema error."""

    status = 400
    code = "validation_error"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid payload", fields={"password": problems})


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password_policy(password: str, email: str | None = None) -> None:
    problems = policy_problems(password, email)
    if problems:
        raise PasswordRefused(problems)


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str | None = None,
    language: str = "zh-TW",
) -> User:
    """A new user (not committed); PasswordRefused for a weak password, Conflict for a taken email."""
    email = normalize_email(email)
    check_password_policy(password, email)
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Conflict(f"A user with the email {email} exists already.")
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name or email.split("@", 1)[0],
        language=language,
        session_version=1,
    )
    session.add(user)
    session.flush()
    return user


def workspace_by_slug(session: Session, slug: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise NotFound(f"No workspace with the slug {slug!r}.")
    return workspace


def add_membership(session: Session, user: User, workspace_id: int, role: Role | str) -> Membership:
    """Give `user` a role in a workspace (the role is replaced when they are a member already)."""
    role = Role(role)
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.workspace_id == workspace_id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, workspace_id=workspace_id, role=role.value)
        session.add(membership)
    else:
        membership.role = role.value
    session.flush()
    return membership


def memberships(session: Session, user_id: int) -> list[tuple[Membership, Workspace]]:
    """The user's memberships with their workspaces, oldest first (the first is the default workspace)."""
    rows = session.execute(
        select(Membership, Workspace)
        .join(Workspace, Workspace.id == Membership.workspace_id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.id)
    )
    return [(m, w) for m, w in rows]


def authenticate(session: Session, email: str, password: str, now: datetime) -> User | None:
    """Check a sign-in: the user, or None for an unknown email or a wrong password (after the same argon2 work).
    Records a success on the user (not committed); the lockout lives in `auth.limits.Lockout`, per email, for
    known and unknown emails alike."""
    user = session.scalar(select(User).where(User.email == normalize_email(email)).with_for_update())
    if user is None:
        verify_dummy(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.totp_enabled_at is None:  # with two-step sign-in on, the code completes the sign-in (`accounts.totp`)
        user.last_login_at = now
    if needs_rehash(user.password_hash):  # argon2 parameters raised since the hash was made
        user.password_hash = hash_password(password)
    return user

"""Invitations: an admin invites an email address with a role; the emailed link, single-use and expiring, lets
its holder set a password (a new account) or, signed in as that address, join with an existing one.

A link that is unknown, used, revoked or expired gets one answer (`INVALID_LINK`): the answer tells nothing about
which. Inviting an address again revokes its earlier pending invitation, so only the newest link works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder import audit, clock
from wayfinder.accounts.links import LinkEmail, link, new_token, paragraph_email, token_hash
from wayfinder.accounts.members import _check_owner_rule
from wayfinder.accounts.service import PasswordRefused, add_membership, create_user, normalize_email
from wayfinder.errors import Conflict, Forbidden, NotFound, WayfinderError
from wayfinder.models import Invitation, Membership, Role, User, Workspace
from wayfinder.workspaces.scoping import scoped_to
from wayfinder.workspaces.settings import settings_for

INVALID_LINK = "This invitation link is not valid any more: it was used, revoked or has expired. Ask for a new one."
ALREADY_MEMBER = "{email} is a member of this workspace already."
SIGN_IN_FIRST = "An account with this email exists: sign in as {email} to accept, or use the link signed out."
OTHER_ACCOUNT = "This invitation is for {email}; you are signed in as someone else. Sign out first."
PASSWORD_NEEDED = "Choose a password for your new account."


class InvalidLink(WayfinderError):
    status = 410
    code = "invalid_link"


@dataclass(frozen=True)
class Pending:
    id: int
    email: str
    role: str
    invited_by: str | None
    created_at: datetime
    expires_at: datetime


def pending(session: Session, workspace_id: int) -> list[Pending]:
    """The workspace's invitations not yet accepted, revoked or expired, newest first."""
    now = clock.now()
    rows = session.execute(
        select(Invitation, User.email)
        .outerjoin(User, User.id == Invitation.invited_by_user_id)
        .where(
            Invitation.workspace_id == workspace_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return [Pending(i.id, i.email, i.role, by, i.created_at, i.expires_at) for i, by in rows]


def invite(
    session: Session,
    *,
    workspace_id: int,
    inviter: User,
    actor_role: str,
    email: str,
    role: str,
    base_url: str,
    ttl_seconds: int,
) -> tuple[Pending, LinkEmail]:
    """A new invitation (the caller commits, then sends the returned email)."""
    email = normalize_email(email)
    _check_owner_rule(actor_role, role)
    member = session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace_id, User.email == email)
    )
    if member is not None:
        raise Conflict(ALREADY_MEMBER.format(email=email), reason="already_member")
    now = clock.now()
    for earlier in session.scalars(
        select(Invitation).where(
            Invitation.workspace_id == workspace_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ):
        earlier.revoked_at = now
    token, hashed = new_token()
    invitation = Invitation(
        workspace_id=workspace_id,
        email=email,
        role=Role(role).value,
        token_hash=hashed,
        invited_by_user_id=inviter.id,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    session.add(invitation)
    session.flush()
    audit.record(session, "member.invited", "invitation", invitation.id, {"email": email, "role": role})
    brand = settings_for(session, workspace_id)
    subject, lines, button = _invitation_text(brand.language, brand.name, inviter, role, ttl_seconds)
    mail = paragraph_email(
        to=email,
        subject=subject,
        lines=lines,
        url=link(base_url, "/accept-invitation", token),
        button=button,
        from_name=brand.sender_name or brand.name,
        from_address=brand.sender_email,
        workspace_id=workspace_id,
        kind="invite",
    )
    pending_one = Pending(invitation.id, email, invitation.role, inviter.email, now, invitation.expires_at)
    return pending_one, mail


def _invitation_text(language: str, workspace: str, inviter: User, role: str, ttl_seconds: int) -> tuple:
    days = max(1, round(ttl_seconds / 86400))
    if language == "zh-TW":
        return (
            f"{inviter.display_name} 邀請您加入 Wayfinder 的「{workspace}」",
            [
                f"{inviter.display_name}（{inviter.email}）邀請您以「{ROLE_NAMES_ZH[role]}」身分加入「{workspace}」工作區。",
                f"請點下方按鈕接受邀請。此連結只能使用一次，{days} 天後失效。",
            ],
            "接受邀請",
        )
    return (
        f"{inviter.display_name} invited you to {workspace} on Wayfinder",
        [
            f"{inviter.display_name} ({inviter.email}) invited you to join the {workspace} workspace as {role}.",
            f"Accept with the button below. The link works once and expires in {days} day{'s' if days > 1 else ''}.",
        ],
        "Accept the invitation",
    )


ROLE_NAMES_ZH = {"owner": "擁有者", "admin": "管理員", "marketer": "行銷人員", "analyst": "分析師", "viewer": "檢視者"}


def revoke(session: Session, workspace_id: int, actor_role: str, invitation_id: int) -> None:
    """Withdraw a pending invitation (its link stops working; the caller commits)."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.workspace_id == workspace_id)
    )
    if invitation is None or invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise NotFound(f"invitation {invitation_id} not found")
    _check_owner_rule(actor_role, invitation.role)
    invitation.revoked_at = clock.now()
    audit.record(session, "invitation.revoked", "invitation", invitation.id, {"email": invitation.email})


def _usable(session: Session, token: str, lock: bool = False) -> Invitation:
    """The invitation the token names, if it can still be used (else InvalidLink). Looked up across workspaces:
    the link is all the caller has (through the connection, which the request's scoping does not filter)."""
    table = Invitation.__table__
    row = (
        session.connection()
        .execute(select(table.c.id, table.c.workspace_id).where(table.c.token_hash == token_hash(token)))
        .first()
    )
    if row is None:
        raise InvalidLink(INVALID_LINK)
    with scoped_to(session, row.workspace_id):
        stmt = select(Invitation).where(Invitation.id == row.id)
        invitation = session.scalar(stmt.with_for_update() if lock else stmt)
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= clock.now()
    ):
        raise InvalidLink(INVALID_LINK)
    return invitation


@dataclass(frozen=True)
class Preview:
    email: str
    role: str
    workspace: str
    invited_by: str | None
    account_exists: bool
    expires_at: datetime


def preview(session: Session, token: str) -> Preview:
    """What the accept page shows before the invitee acts."""
    invitation = _usable(session, token)
    workspace = session.get(Workspace, invitation.workspace_id)
    inviter = session.get(User, invitation.invited_by_user_id) if invitation.invited_by_user_id else None
    exists = session.scalar(select(User.id).where(User.email == invitation.email)) is not None
    return Preview(
        invitation.email,
        invitation.role,
        workspace.name if workspace else "",
        inviter.display_name if inviter else None,
        exists,
        invitation.expires_at,
    )


def accept(
    session: Session,
    token: str,
    *,
    signed_in: User | None,
    password: str | None,
    display_name: str | None,
    language: str | None,
) -> tuple[User, int]:
    """Use the link: a new account with `password`, or `signed_in` (who must own the invited address) joins.
    Returns the user and the workspace; the caller commits and starts the session."""
    invitation = _usable(session, token, lock=True)
    user = session.scalar(select(User).where(User.email == invitation.email))
    if user is not None:
        if signed_in is None:
            raise Forbidden(SIGN_IN_FIRST.format(email=invitation.email), reason="sign_in_required")
        if signed_in.id != user.id:
            raise Forbidden(OTHER_ACCOUNT.format(email=invitation.email), reason="other_account")
    else:
        if signed_in is not None:
            raise Forbidden(OTHER_ACCOUNT.format(email=invitation.email), reason="other_account")
        if not password:
            raise PasswordRefused([PASSWORD_NEEDED])
        user = create_user(
            session,
            email=invitation.email,
            password=password,
            display_name=display_name,
            language=language or settings_for(session, invitation.workspace_id).language,
        )
    add_membership(session, user, invitation.workspace_id, invitation.role)
    now = clock.now()
    invitation.accepted_at = now
    invitation.accepted_user_id = user.id
    audit.record(
        session,
        "member.joined",
        "user",
        user.id,
        {"email": user.email, "role": invitation.role, "invitation_id": invitation.id},
        workspace_id=invitation.workspace_id,
        actor=user,
    )
    return user, invitation.workspace_id

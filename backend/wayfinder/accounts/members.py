"""A workspace's members: listing them, changing roles, removing them, under the owner rules.

* Only an owner may make someone an owner, or change or remove an owner (an admin manages everyone else).
* A workspace always keeps at least one owner: the last one can be neither demoted nor removed.
Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayfinder import audit
from wayfinder.errors import Conflict, Forbidden, NotFound
from wayfinder.models import Membership, Role, User

ONLY_OWNERS = "Only an owner can grant the owner role or change or remove an owner."
LAST_OWNER = "A workspace needs at least one owner: make someone else an owner first."
NOT_A_MEMBER = "member {user_id} not found"


@dataclass(frozen=True)
class Member:
    user_id: int
    email: str
    display_name: str
    role: str
    joined_at: datetime
    last_login_at: datetime | None


def list_members(session: Session, workspace_id: int) -> list[Member]:
    """The workspace's members, owners first, then by name."""
    order = {role.value: index for index, role in enumerate(Role)}
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace_id)
    )
    members = [Member(u.id, u.email, u.display_name, m.role, m.created_at, u.last_login_at) for m, u in rows]
    return sorted(members, key=lambda m: (order.get(m.role, 99), m.display_name.lower(), m.user_id))


def _membership(session: Session, workspace_id: int, user_id: int) -> Membership:
    membership = session.scalar(
        select(Membership)
        .where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
        .with_for_update()
    )
    if membership is None:
        raise NotFound(NOT_A_MEMBER.format(user_id=user_id))
    return membership


def _owner_count(session: Session, workspace_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER.value)
        )
        or 0
    )


def _check_owner_rule(actor_role: str, *roles: str) -> None:
    if Role.OWNER.value in roles and actor_role != Role.OWNER.value:
        raise Forbidden(ONLY_OWNERS, reason="owner_only")


def change_role(session: Session, workspace_id: int, actor_role: str, user_id: int, role: str) -> Member:
    """Give a member another role (the caller commits)."""
    membership = _membership(session, workspace_id, user_id)
    old = membership.role
    _check_owner_rule(actor_role, old, role)
    if old == role:
        return _member(session, membership)
    if old == Role.OWNER.value and _owner_count(session, workspace_id) <= 1:
        raise Conflict(LAST_OWNER, reason="last_owner")
    membership.role = Role(role).value
    session.flush()
    audit.record(
        session, "member.role_changed", "user", user_id, {"from": old, "to": role, "email": _email(session, user_id)}
    )
    return _member(session, membership)


def remove_member(session: Session, workspace_id: int, actor_role: str, user_id: int) -> None:
    """Take a member out of the workspace (their account stays; the caller commits). Their next request in this
    workspace is refused: the gate reads the membership on every request."""
    membership = _membership(session, workspace_id, user_id)
    _check_owner_rule(actor_role, membership.role)
    if membership.role == Role.OWNER.value and _owner_count(session, workspace_id) <= 1:
        raise Conflict(LAST_OWNER, reason="last_owner")
    email = _email(session, user_id)
    session.delete(membership)
    session.flush()
    audit.record(session, "member.removed", "user", user_id, {"email": email, "role": membership.role})


def _email(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.email if user is not None else ""


def _member(session: Session, membership: Membership) -> Member:
    user = session.get(User, membership.user_id)
    assert user is not None
    return Member(user.id, user.email, user.display_name, membership.role, membership.created_at, user.last_login_at)

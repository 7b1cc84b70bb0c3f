"""/api/members and /api/invitations: who belongs to the workspace, inviting people, accepting an invitation."""

from __future__ import annotations

from flask import current_app, g, request

from wayfinder.accounts import invitations, members
from wayfinder.accounts.links import send
from wayfinder.api.parser import Blueprint
from wayfinder.auth.csrf import check_csrf
from wayfinder.auth.permissions import requires
from wayfinder.auth.sessions import check_session, current_membership, session_summary, signed_in_user, start_session
from wayfinder.extensions import db
from wayfinder.models import User
from wayfinder.schemas.accounts import (
    AcceptSchema,
    InvitationCreatedSchema,
    InvitationPreviewSchema,
    InviteSchema,
    MemberOutSchema,
    MembersOutSchema,
    RoleChangeSchema,
    TokenQuerySchema,
)
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.session import SessionOutSchema
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint(
    "members",
    __name__,
    url_prefix="/api",
    description="The workspace's members and invitations. Only an owner may grant, change or remove the owner "
    "role; the last owner stays. Invitation links are single-use and expire (INVITATION_TTL_SECONDS).",
)


def base_url() -> str:
    """Where links in emails point: PUBLIC_URL, else the address of this request (its Host is allow-listed)."""
    return current_app.config.get("PUBLIC_URL") or request.host_url


@blp.get("/members")
@blp.response(200, MembersOutSchema)
@requires("members.read")
def list_members():
    """The workspace's members (owners first) and its pending invitations (newest first)."""
    workspace_id = request_workspace()
    return {
        "members": members.list_members(db.session, workspace_id),
        "invitations": invitations.pending(db.session, workspace_id),
    }


@blp.patch("/members/<id:user_id>")
@blp.arguments(RoleChangeSchema)
@blp.response(200, MemberOutSchema)
@blp.alt_response(403, schema=ErrorSchema, description="Only an owner may grant, change or remove the owner role")
@blp.alt_response(404, schema=ErrorSchema, description="Not a member of this workspace")
@blp.alt_response(409, schema=ErrorSchema, description="It would leave the workspace without an owner")
@requires("members.manage")
def change_role(data: dict, user_id: int):
    """Give a member another role (recorded in the audit log)."""
    member = members.change_role(db.session, request_workspace(), g.role, user_id, data["role"])
    db.session.commit()
    return member


@blp.delete("/members/<id:user_id>")
@blp.response(204)
@blp.alt_response(403, schema=ErrorSchema, description="Only an owner may remove an owner")
@blp.alt_response(404, schema=ErrorSchema, description="Not a member of this workspace")
@blp.alt_response(409, schema=ErrorSchema, description="It would leave the workspace without an owner")
@requires("members.manage")
def remove_member(user_id: int):
    """Remove a member from the workspace (their account stays; their next request here is refused)."""
    members.remove_member(db.session, request_workspace(), g.role, user_id)
    db.session.commit()


@blp.post("/invitations")
@blp.arguments(InviteSchema)
@blp.response(201, InvitationCreatedSchema)
@blp.alt_response(403, schema=ErrorSchema, description="Only an owner may invite an owner")
@blp.alt_response(409, schema=ErrorSchema, description="The address is a member already")
@requires("members.manage")
def invite(data: dict):
    """Invite an email address with a role; the invitation email goes out with the workspace's sender.

    The email goes through the workspace's email channel after the invitation is saved (`email_sent` says whether
    the channel took it). Inviting the same address again replaces its pending invitation."""
    config = current_app.config
    pending, mail = invitations.invite(
        db.session,
        workspace_id=request_workspace(),
        inviter=signed_in_user(),
        actor_role=g.role,
        email=data["email"],
        role=data["role"],
        base_url=base_url(),
        ttl_seconds=int(config["INVITATION_TTL_SECONDS"]),
    )
    db.session.commit()  # the invitation exists before its email does (sent outside the transaction)
    return {**pending.__dict__, "email_sent": send(config, mail)}


@blp.delete("/invitations/<id:invitation_id>")
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description="No pending invitation with this id")
@requires("members.manage")
def revoke_invitation(invitation_id: int):
    """Withdraw a pending invitation: its link stops working."""
    invitations.revoke(db.session, request_workspace(), g.role, invitation_id)
    db.session.commit()


def _signed_in() -> User | None:
    """The signed-in user of this (open) route's request, if any; state changes then need the CSRF token too, so
    a cross-site page holding someone's link cannot make a signed-in victim join its workspace."""
    state = check_session()
    if state.user is not None and request.method != "GET":
        check_csrf()
    return state.user


@blp.get("/invitations/accept")
@blp.arguments(TokenQuerySchema, location="query")
@blp.response(200, InvitationPreviewSchema)
@blp.alt_response(410, schema=ErrorSchema, description="The link was used, revoked, has expired or never existed")
@requires("session.self")
def preview_invitation(query: dict):
    """What an invitation link offers: the workspace, the role, and whether to sign in or set a password.

    Open to anyone holding the link."""
    preview = invitations.preview(db.session, query["token"])
    user = _signed_in()
    return {**preview.__dict__, "signed_in_as": user.email if user else None}


@blp.post("/invitations/accept")
@blp.arguments(AcceptSchema)
@blp.response(200, SessionOutSchema)
@blp.alt_response(403, schema=ErrorSchema, description="Sign in as the invited address first (`sign_in_required`)")
@blp.alt_response(410, schema=ErrorSchema, description="The link was used, revoked, has expired or never existed")
@requires("session.self")
def accept_invitation(data: dict):
    """Accept an invitation: a new account with a password, or the signed-in owner of the address joins.

    With no account for the address, `password` (and optionally `display_name`) creates one; with one, its
    signed-in session joins (the CSRF header is then required). Either way the answer is a session in the new
    workspace."""
    user, workspace_id = invitations.accept(
        db.session,
        data["token"],
        signed_in=_signed_in(),
        password=data.get("password"),
        display_name=data.get("display_name"),
        language=data.get("language"),
    )
    db.session.commit()
    start_session(user, workspace_id=workspace_id)  # a fresh session (rotated), in the workspace just joined
    return session_summary(current_membership(user))

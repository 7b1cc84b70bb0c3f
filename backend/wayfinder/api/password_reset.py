"""/api/password-reset: ask for a reset link by email, check a link, set the new password with it."""

from __future__ import annotations

import logging
import threading

from flask import current_app

from wayfinder.accounts import resets
from wayfinder.accounts.links import LinkEmail, send
from wayfinder.api.members import base_url
from wayfinder.api.parser import Blueprint
from wayfinder.auth.limits import Lockout, email_key, ip_key
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db, limiter
from wayfinder.schemas.accounts import (
    ResetAnswerSchema,
    ResetConfirmSchema,
    ResetLinkSchema,
    ResetRequestSchema,
    TokenQuerySchema,
)
from wayfinder.schemas.api import ErrorSchema

log = logging.getLogger(__name__)

blp = Blueprint(
    "password_reset",
    __name__,
    url_prefix="/api/password-reset",
    description="Forgotten passwords: a single-use link by email (PASSWORD_RESET_TTL_SECONDS), open to anyone, "
    "rate-limited per client IP and per email (PASSWORD_RESET_RATE_LIMIT_IP, PASSWORD_RESET_RATE_LIMIT_ACCOUNT).",
)

ANSWER = "If an account uses this email, a link to choose a new password is on its way."


def _ip_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT_IP"]


def _account_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT_ACCOUNT"]


def _send_later(mail: LinkEmail) -> None:
    """Send after answering: the answer then takes the same time whether the account exists or not."""
    config = dict(current_app.config)

    def run() -> None:
        if not send(config, mail):
            log.warning("a password-reset email could not be sent")

    threading.Thread(target=run, name="password-reset-mail", daemon=True).start()


@blp.post("")
@limiter.limit(_ip_limit, key_func=ip_key, methods=["POST"])
@limiter.limit(_account_limit, key_func=email_key, methods=["POST"])
@blp.arguments(ResetRequestSchema)
@blp.response(202, ResetAnswerSchema)
@blp.alt_response(429, schema=ErrorSchema, description="Too many requests from here or for this email; see Retry-After")
@requires("session.self")
def request_reset(data: dict):
    """Ask for a reset link. The answer is the same whether an account has this email or not."""
    config = current_app.config
    mail = resets.request_reset(
        db.session, data["email"], base_url=base_url(), ttl_seconds=int(config["PASSWORD_RESET_TTL_SECONDS"])
    )
    db.session.commit()
    if mail is not None:
        _send_later(mail)
    return {"message": ANSWER}


@blp.get("")
@blp.arguments(TokenQuerySchema, location="query")
@blp.response(200, ResetLinkSchema)
@blp.alt_response(410, schema=ErrorSchema, description="The link was used, has expired or never existed")
@requires("session.self")
def check_link(query: dict):
    """Whether a reset link can still be used, and for which account."""
    return {"email": resets.check_link(db.session, query["token"])}


@blp.post("/confirm")
@blp.arguments(ResetConfirmSchema)
@blp.response(204)
@blp.alt_response(400, schema=ErrorSchema, description="The password breaks the policy (`fields.password`)")
@blp.alt_response(410, schema=ErrorSchema, description="The link was used, has expired or never existed")
@requires("session.self")
def confirm(data: dict):
    """Set a new password with a reset link. Every session of the account ends; sign in with the new password."""
    user = resets.confirm_reset(db.session, data["token"], data["password"])
    email = user.email
    db.session.commit()
    Lockout(email).lift()  # the link proved the mailbox: wrong passwords tried before no longer lock it

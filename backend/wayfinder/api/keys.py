"""/api/keys: the workspace's API keys (list, create, revoke). Session only: a key can never manage keys."""

from __future__ import annotations

from flask import g

from wayfinder import audit
from wayfinder.api.parser import Blueprint
from wayfinder.auth import keys as service
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.keys import ApiKeyInSchema, ApiKeyListOutSchema, ApiKeyOutSchema, NewApiKeyOutSchema

blp = Blueprint(
    "keys",
    __name__,
    url_prefix="/api/keys",
    description="API keys for a shop's, app's or POS's server: `Authorization: Bearer <key>`. Managed by owners "
    "and admins, signed in (never with a key).",
)


@blp.get("")
@blp.response(200, ApiKeyListOutSchema)
@requires("keys.manage")
def list_keys():
    """The workspace's keys, newest first, revoked ones too (never their secrets)."""
    return {"keys": service.list_keys(db.session)}


@blp.post("")
@blp.arguments(ApiKeyInSchema)
@blp.response(201, NewApiKeyOutSchema)
@requires("keys.manage")
def create_key(data: dict):
    """A new key: the answer holds the whole key, this once (only its SHA-256 is stored)."""
    created = service.create_key(db.session, name=data["name"], scopes=data["scopes"], created_by_id=g.user_id)
    detail = {"name": data["name"], "prefix": created.prefix, "scopes": sorted(data["scopes"])}
    audit.record(db.session, "key.created", "api_key", created.id, detail)
    db.session.commit()
    return created


@blp.delete("/<id:key_id>")
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description="No such key in this workspace")
@requires("keys.manage")
def revoke_key(key_id: int):
    """Revoke a key: every request with it answers 401 from now on. Revoking it again changes nothing."""
    key = service.revoke_key(db.session, key_id)
    audit.record(db.session, "key.revoked", "api_key", key.id, {"name": key.name, "prefix": key.prefix})
    db.session.commit()


@blp.get("/<id:key_id>")
@blp.response(200, ApiKeyOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such key in this workspace")
@requires("keys.manage")
def get_key(key_id: int):
    """One key (never its secret)."""
    return service.get_key(db.session, key_id)

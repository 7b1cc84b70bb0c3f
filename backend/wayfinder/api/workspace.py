"""/api/workspace: the current workspace's brand settings (time zone, language, sender)."""

from __future__ import annotations

from dataclasses import asdict

from wayfinder import audit
from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db
from wayfinder.schemas.workspace import WorkspaceOutSchema, WorkspacePatchSchema
from wayfinder.workspaces.scoping import request_workspace
from wayfinder.workspaces.settings import settings_for, update_settings

blp = Blueprint(
    "workspace",
    __name__,
    url_prefix="/api/workspace",
    description="The brand the request serves: its time zone, default language and sender.",
)


@blp.get("")
@blp.response(200, WorkspaceOutSchema)
@requires("workspace.read")
def get_workspace():
    """The current workspace's settings."""
    return asdict(settings_for(db.session, request_workspace()))


@blp.patch("")
@blp.arguments(WorkspacePatchSchema)
@blp.response(200, WorkspaceOutSchema)
@requires("workspace.settings")
def update_workspace(data: dict):
    """Change the current workspace's settings (only the fields given).

    New journeys take its time zone; the sender applies to mail rendered from now on."""
    settings = update_settings(db.session, request_workspace(), data)
    audit.record(
        db.session, "workspace.settings_changed", "workspace", settings.id, {"changed": sorted(data), "settings": data}
    )
    db.session.commit()
    return asdict(settings)

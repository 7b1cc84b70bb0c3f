"""Brand settings per workspace: time zone, default language, sender. The one path journeys and the engine read
them through (`settings_for`), and the workspace creation the CLI uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.errors import Conflict, NotFound
from wayfinder.models import Workspace, utcnow

LANGUAGES = ("zh-TW", "en")
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_CACHE_KEY = "wayfinder.workspace_settings"


@dataclass(frozen=True)
class WorkspaceSettings:
    id: int
    slug: str
    name: str
    time_zone: str
    language: str
    sender_name: str | None
    sender_email: str | None
    #: Lower-cased addresses test emails may go to besides the sending member's own (`content.preview.send_test`).
    test_recipients: tuple[str, ...] = ()


def _settings(workspace: Workspace) -> WorkspaceSettings:
    return WorkspaceSettings(
        id=workspace.id,
        slug=workspace.slug,
        name=workspace.name,
        time_zone=workspace.time_zone,
        language=workspace.language,
        sender_name=workspace.sender_name,
        sender_email=workspace.sender_email,
        test_recipients=tuple(workspace.test_recipients or ()),
    )


def settings_for(session: Session, workspace_id: int) -> WorkspaceSettings:
    """A workspace's brand settings, read once per unit of work (cached in the session, which each job, ticker
    pass and request starts afresh)."""
    cache: dict[int, WorkspaceSettings] = session.info.setdefault(_CACHE_KEY, {})
    if workspace_id not in cache:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            raise NotFound(f"Workspace {workspace_id} not found")
        cache[workspace_id] = _settings(workspace)
    return cache[workspace_id]


def update_settings(session: Session, workspace_id: int, changes: dict[str, Any]) -> WorkspaceSettings:
    """Change a workspace's settings (validated by the API's schema); the caller commits."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound(f"Workspace {workspace_id} not found")
    for key, value in changes.items():
        if key == "test_recipients":  # one entry per address, lower-cased, in the order given
            value = list(dict.fromkeys(address.strip().lower() for address in value))
        setattr(workspace, key, value)
    workspace.updated_at = utcnow()
    session.flush()
    session.info.pop(_CACHE_KEY, None)
    return _settings(workspace)


def create_workspace(
    session: Session, slug: str, name: str, time_zone: str = "Asia/Taipei", language: str = "zh-TW"
) -> WorkspaceSettings:
    """A new, empty workspace (a brand); the caller commits. The slug is unique across the installation."""
    if not SLUG.match(slug):
        raise ValueError("A slug is 1 to 64 lower-case letters, digits and inner hyphens, e.g. dforce-tw")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{time_zone!r} is not an IANA time zone, e.g. Asia/Taipei") from exc
    if session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None:
        raise Conflict(f"A workspace with the slug {slug!r} exists already")
    now = utcnow()
    workspace = Workspace(slug=slug, name=name, time_zone=time_zone, language=language, created_at=now, updated_at=now)
    session.add(workspace)
    session.flush()
    return _settings(workspace)

"""The one choke point that keeps every brand to its own rows.

* The request's workspace is `flask.g.workspace_id`. Sign-in code sets it from the member's current workspace
  before any view runs; until then (and for a request that sets none) `use_default_workspace`, installed as a
  `before_request` hook by `init_app`, sets the default workspace. That hook is the one place to replace.
* Every ORM statement a session executes while serving a request (or inside `scoped_to`) gets
  `with_loader_criteria(WorkspaceScoped, workspace_id == <the workspace>)`: SELECTs (also `Session.get`, joined
  entities and relationship loads), ORM UPDATEs and DELETEs. Nobody opts in, so nobody can forget: an object of
  another workspace is simply not found (404, never 403).
* Every new scoped object gets the workspace when it is flushed; one that names another workspace than the
  request's is refused. A journey version takes its journey's workspace.
* Outside a request (engine jobs, the ticker, the CLI, the demo seed) nothing is filtered: jobs work by ids
  taken from one workspace's own rows, and fan-outs that are not by id (event routing, audiences) filter by the
  workspace of the row that started them, explicitly. Code outside a request that serves one workspace wraps
  its work in `scoped_to(session, workspace_id)`; new rows outside both default to the default workspace.
* Core statements (`Model.__table__` inserts and updates, the engine's bulk writes) bypass the ORM and are not
  filtered: they must name the workspace themselves (`tracking`, `engine.effects`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from wayfinder.models import DEFAULT_WORKSPACE_ID, Journey, JourneyVersion, WorkspaceScoped

SESSION_KEY = "wayfinder.workspace_id"
# A request without a workspace sees nothing (fail closed): no workspace has this id.
NO_WORKSPACE = 0


class WrongWorkspace(RuntimeError):
    """A row of another workspace than the one being served was about to be written."""


def use_default_workspace() -> None:
    """The default `before_request` hook: requests not assigned a workspace by sign-in serve the default one.
    Sign-in replaces this function's job by setting `g.workspace_id` first (it then leaves it as it is)."""
    if g.get("workspace_id") is None:
        g.workspace_id = DEFAULT_WORKSPACE_ID


def init_app(app: Flask) -> None:
    """Install the default hook (after any sign-in hook registered before it), and end the request's workspace
    with the request: an app context that outlives requests (a CLI command, a test) carries none over."""
    app.before_request(use_default_workspace)
    app.teardown_request(lambda _exc: g.pop("workspace_id", None))


def request_workspace() -> int:
    """The workspace of the request (or Socket.IO event) being served; the default hook decides when no one
    has. Socket.IO events run no `before_request` hooks, so their handlers call this."""
    use_default_workspace()
    return int(g.workspace_id)


def current_workspace(session: Session) -> int | None:
    """The workspace `session` is scoped to now: `scoped_to`'s, else the request's (nothing visible when a
    request has none), else None (unscoped: engine jobs, ticker, CLI)."""
    scoped = session.info.get(SESSION_KEY)
    if scoped is not None:
        return int(scoped)
    if has_request_context():
        workspace_id = g.get("workspace_id")
        return NO_WORKSPACE if workspace_id is None else int(workspace_id)
    return None


def workspace_of_new_rows(session: Session) -> int:
    """The workspace a row created now through `session` goes to (as `_stamp_new_rows` decides)."""
    workspace_id = current_workspace(session)
    return DEFAULT_WORKSPACE_ID if workspace_id is None else workspace_id


@contextmanager
def scoped_to(session: Session, workspace_id: int) -> Iterator[Session]:
    """Scope `session` to one workspace for the block, outside a request (CLI, seed, a service called by a job)."""
    previous = session.info.get(SESSION_KEY)
    session.info[SESSION_KEY] = workspace_id
    try:
        yield session
    finally:
        if previous is None:
            session.info.pop(SESSION_KEY, None)
        else:
            session.info[SESSION_KEY] = previous


@event.listens_for(Session, "do_orm_execute")
def _filter_by_workspace(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    workspace_id = current_workspace(state.session)
    if workspace_id is None:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            WorkspaceScoped,
            lambda cls: cls.workspace_id == workspace_id,
            include_aliases=True,  # the closure's workspace_id becomes a bound parameter, not a cached literal
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, WorkspaceScoped)]
    if not new:
        return
    workspace_id = current_workspace(session)
    default = workspace_of_new_rows(session)
    # Journeys first: a new version takes the workspace of its (possibly new) journey.
    for obj in sorted(new, key=lambda o: isinstance(o, JourneyVersion)):
        if isinstance(obj, JourneyVersion) and obj.workspace_id is None and isinstance(obj.journey, Journey):
            obj.workspace_id = obj.journey.workspace_id
        if obj.workspace_id is None:
            obj.workspace_id = default
        elif workspace_id is not None and obj.workspace_id != workspace_id:
            raise WrongWorkspace(
                f"a {type(obj).__name__} of workspace {obj.workspace_id} written while serving {workspace_id}"
            )

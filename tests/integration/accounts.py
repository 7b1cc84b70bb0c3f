"""Signing in from tests: members made through the accounts service, sessions through the real sign-in route."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import Headers

from wayfinder.accounts.service import add_membership, create_user
from wayfinder.models import DEFAULT_WORKSPACE_ID, User, Workspace
from wayfinder.transactions import unit_of_work

OWNER_EMAIL = "owner@example.com"
PASSWORD = "correct horse battery staple"


class ApiClient(FlaskClient):
    """A test client that sends its session's CSRF token on every request, as the SPA does."""

    csrf_token: str | None = None

    def open(self, *args, **kwargs):
        if self.csrf_token and not (args and not isinstance(args[0], str)):
            headers = Headers(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRF-Token", self.csrf_token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


def ensure_workspace(session, workspace_id: int = DEFAULT_WORKSPACE_ID, slug: str = "default") -> Workspace:
    """The workspace (the tests empty every table after each test, the default workspace's row too)."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        workspace = Workspace(id=workspace_id, slug=slug, name=slug.title())
        session.add(workspace)
        session.flush()
    return workspace


def make_member(
    app,
    email: str = OWNER_EMAIL,
    role: str = "owner",
    workspace_id: int = DEFAULT_WORKSPACE_ID,
    password: str = PASSWORD,
    display_name: str = "Olivia Owner",
) -> int:
    """A user with a role in a workspace (created when missing); returns the user id."""
    with app.app_context(), unit_of_work() as session:
        ensure_workspace(
            session, workspace_id, "default" if workspace_id == DEFAULT_WORKSPACE_ID else f"ws-{workspace_id}"
        )
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(session, email=email, password=password, display_name=display_name)
        add_membership(session, user, workspace_id, role)
        return user.id


def sign_in(app, email: str = OWNER_EMAIL, password: str = PASSWORD, client: ApiClient | None = None) -> ApiClient:
    client = client or app.test_client()
    response = client.post("/api/session", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    client.csrf_token = response.get_json()["csrf_token"]
    return client

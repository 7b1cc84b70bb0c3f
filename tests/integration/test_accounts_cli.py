"""`wayfinder create-user` and `wayfinder demo-user`, run as an operator runs them (a process, on the test
database), then used to sign in through the API."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.integration.accounts import ensure_workspace, sign_in
from wayfinder.extensions import db
from wayfinder.transactions import unit_of_work


def wayfinder(app, tmp_path, *args: str, stdin: str = "", extra: dict | None = None) -> subprocess.CompletedProcess:
    db.session.remove()  # SQLite: the test's session must not hold the write lock while the command writes
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_INSTANCE": str(tmp_path),
        **(extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "wayfinder.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_create_user_then_sign_in(app, tmp_path):
    with unit_of_work() as session:
        ensure_workspace(session)
    args = ["create-user", "--email", "Mia@Example.com", "--role", "marketer", "--password-stdin"]
    weak = wayfinder(app, tmp_path, *args, stdin="password1234\n")
    assert weak.returncode != 0 and "most commonly used" in weak.stderr
    made = wayfinder(app, tmp_path, *args, stdin="a long enough passphrase\n")
    assert made.returncode == 0, made.stderr
    assert "Created mia@example.com, marketer of the workspace default." in made.stdout
    again = wayfinder(app, tmp_path, *args, stdin="a long enough passphrase\n")
    assert again.returncode != 0 and "exists already" in again.stderr
    client = sign_in(app, email="mia@example.com", password="a long enough passphrase")
    assert client.get("/api/session").get_json()["role"] == "marketer"


def test_demo_user_only_on_a_database_without_users(app, tmp_path):
    with unit_of_work() as session:
        ensure_workspace(session)
    first = wayfinder(app, tmp_path, "demo-user", extra={"WAYFINDER_DEMO_PASSWORD": "the demo owner's secret"})
    assert "Sign in as demo@wayfinder.local with the password the demo owner's secret" in first.stdout, first.stderr
    assert (tmp_path / "demo-user.txt").stat().st_mode & 0o077 == 0  # readable by its owner only
    again = wayfinder(app, tmp_path, "demo-user")  # printed again, not created again
    assert "with the password the demo owner's secret" in again.stdout
    assert sign_in(app, email="demo@wayfinder.local", password="the demo owner's secret")


def test_add_member_gives_an_existing_user_a_role_in_another_workspace(app, tmp_path):
    with unit_of_work() as session:
        ensure_workspace(session)
    args = ["create-user", "--email", "ann@example.com", "--role", "analyst", "--password-stdin"]
    assert wayfinder(app, tmp_path, *args, stdin="a long enough passphrase\n").returncode == 0
    assert wayfinder(app, tmp_path, "create-workspace", "--slug", "second-brand", "--name", "Second").returncode == 0
    nobody = wayfinder(
        app, tmp_path, "add-member", "--email", "bob@example.com", "--workspace", "second-brand", "--role", "admin"
    )
    assert nobody.returncode != 0 and "no user has the email" in nobody.stderr
    added = wayfinder(
        app, tmp_path, "add-member", "--email", "Ann@Example.com", "--workspace", "second-brand", "--role", "admin"
    )
    assert added.returncode == 0 and "ann@example.com is now admin of the workspace second-brand." in added.stdout
    client = sign_in(app, email="ann@example.com", password="a long enough passphrase")
    roles = {m["workspace"]["slug"]: m["role"] for m in client.get("/api/session").get_json()["memberships"]}
    assert roles == {"default": "analyst", "second-brand": "admin"}

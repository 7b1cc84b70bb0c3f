"""`wayfinder create-user`, `add-member`, `create-workspace` and `demo-user` on the test database, then used to sign
in through the API. The first command that succeeds runs as an operator runs it (a process of its own); the rest run
the same `wayfinder.cli.main` in this process (tests/integration/commands.py)."""

from __future__ import annotations

from tests.integration.accounts import ensure_workspace, sign_in
from tests.integration.commands import wayfinder_process
from wayfinder.transactions import unit_of_work


def test_create_user_then_sign_in(app, tmp_path, wayfinder):
    with unit_of_work() as session:
        ensure_workspace(session)
    args = ["create-user", "--email", "Mia@Example.com", "--role", "marketer", "--password-stdin"]
    weak = wayfinder(*args, stdin="password1234\n")
    assert weak.returncode != 0 and "most commonly used" in weak.stderr
    made = wayfinder_process(app, tmp_path, *args, stdin="a long enough passphrase\n")
    assert made.returncode == 0, made.stderr
    assert "Created mia@example.com, marketer of the workspace default." in made.stdout
    again = wayfinder(*args, stdin="a long enough passphrase\n")
    assert again.returncode != 0 and "exists already" in again.stderr
    client = sign_in(app, email="mia@example.com", password="a long enough passphrase")
    assert client.get("/api/session").get_json()["role"] == "marketer"


def test_demo_user_only_on_a_database_without_users(app, tmp_path, wayfinder):
    with unit_of_work() as session:
        ensure_workspace(session)
    first = wayfinder("demo-user", extra={"WAYFINDER_DEMO_PASSWORD": "the demo owner's secret"})
    assert "Sign in as demo@wayfinder.local with the password the demo owner's secret" in first.stdout, first.stderr
    assert (tmp_path / "demo-user.txt").stat().st_mode & 0o077 == 0  # readable by its owner only
    again = wayfinder("demo-user")  # printed again, not created again
    assert "with the password the demo owner's secret" in again.stdout
    assert sign_in(app, email="demo@wayfinder.local", password="the demo owner's secret")


def test_add_member_gives_an_existing_user_a_role_in_another_workspace(app, wayfinder):
    with unit_of_work() as session:
        ensure_workspace(session)
    args = ["create-user", "--email", "ann@example.com", "--role", "analyst", "--password-stdin"]
    assert wayfinder(*args, stdin="a long enough passphrase\n").returncode == 0
    assert wayfinder("create-workspace", "--slug", "second-brand", "--name", "Second").returncode == 0
    nobody = wayfinder("add-member", "--email", "bob@example.com", "--workspace", "second-brand", "--role", "admin")
    assert nobody.returncode != 0 and "no user has the email" in nobody.stderr
    added = wayfinder("add-member", "--email", "Ann@Example.com", "--workspace", "second-brand", "--role", "admin")
    assert added.returncode == 0 and "ann@example.com is now admin of the workspace second-brand." in added.stdout
    client = sign_in(app, email="ann@example.com", password="a long enough passphrase")
    roles = {m["workspace"]["slug"]: m["role"] for m in client.get("/api/session").get_json()["memberships"]}
    assert roles == {"default": "analyst", "second-brand": "admin"}

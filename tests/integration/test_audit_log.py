"""The audit log: what is recorded (sign-ins, journey and settings changes, exports), in the transaction of the
change, scoped to the workspace, filtered and paged newest first, exported as CSV, and never changed."""

from __future__ import annotations

import copy
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.integration.accounts import OWNER_EMAIL, PASSWORD, make_member, sign_in
from tests.integration.journeys import GRAPH, publish
from wayfinder import audit, clock
from wayfinder.audit import AuditLogIsAppendOnly
from wayfinder.extensions import db
from wayfinder.models import DEFAULT_WORKSPACE_ID, AuditEntry, User
from wayfinder.transactions import unit_of_work
from wayfinder.workspaces.scoping import scoped_to


def entries(client, query: str = "") -> list[dict]:
    res = client.get(f"/api/audit{query}")
    assert res.status_code == 200, res.get_json()
    return res.get_json()["entries"]


def test_sign_ins_and_failures_are_recorded_in_every_workspace_of_the_account(app, client, workspaces):
    other = workspaces.create("other-brand")
    make_member(app, OWNER_EMAIL, "analyst", workspace_id=other)
    bad = app.test_client().post("/api/session", json={"email": OWNER_EMAIL, "password": "not the password at all"})
    assert bad.status_code == 401
    # An email no account has: nothing to record it against (the rate limiter still counts it).
    app.test_client().post("/api/session", json={"email": "ghost@example.com", "password": "whatever it is"})
    sign_in(app)

    # The `client` fixture signed in once before the account joined the other workspace.
    expected = {
        DEFAULT_WORKSPACE_ID: ["session.signed_in", "session.sign_in_failed", "session.signed_in"],
        other: ["session.signed_in", "session.sign_in_failed"],
    }
    for workspace_id, actions in expected.items():
        with workspaces.use(workspace_id):
            found = entries(client)
        assert [e["action"] for e in found] == actions
        failed = found[1]
        assert failed["actor"] == OWNER_EMAIL and failed["detail"] == {"reason": "invalid_credentials"}
        assert failed["ip"] == "127.0.0.1" and failed["target_type"] == "user"
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.actor == "ghost@example.com")) is None

    assert client.delete("/api/session").status_code == 204
    again = sign_in(app)
    assert entries(again, "?action=session.signed_out")[0]["actor"] == OWNER_EMAIL


def test_journey_actions_and_settings_changes_are_recorded(app, client):
    journey_id = publish(client)
    assert client.post(f"/api/journeys/{journey_id}/pause").status_code == 200
    assert client.post(f"/api/journeys/{journey_id}/resume").status_code == 200
    journey = client.get(f"/api/journeys/{journey_id}").get_json()
    graph = copy.deepcopy(journey["graph"])
    graph.setdefault("settings", {})["reentry"] = "once"
    saved = client.put(f"/api/journeys/{journey_id}", json={"revision": journey["revision"], "graph": graph})
    assert saved.status_code == 200, saved.get_json()
    # A save that changes no setting (moving a step) is not a settings change.
    moved = copy.deepcopy(saved.get_json()["graph"])
    moved["nodes"][0]["position"] = {"x": 5, "y": 5}
    client.put(f"/api/journeys/{journey_id}", json={"revision": saved.get_json()["revision"], "graph": moved})
    assert client.delete(f"/api/journeys/{journey_id}").status_code == 204
    draft = client.post("/api/journeys", json={"name": "Never ran", "graph": GRAPH}).get_json()
    assert client.delete(f"/api/journeys/{draft['id']}").status_code == 204
    assert client.patch("/api/workspace", json={"time_zone": "Asia/Tokyo"}).status_code == 200

    found = entries(client)
    actions = [e["action"] for e in found if not e["action"].startswith("session.")]
    assert actions == [
        "workspace.settings_changed",
        "journey.deleted",
        "journey.archived",
        "journey.settings_changed",
        "journey.resumed",
        "journey.paused",
        "journey.published",
    ]
    by_action = {e["action"]: e for e in found}
    assert by_action["journey.published"]["target_id"] == str(journey_id)
    assert by_action["journey.published"]["detail"] == {"name": "Cart", "version": 1}
    assert by_action["journey.settings_changed"]["detail"]["changed"] == ["reentry"]
    assert by_action["workspace.settings_changed"]["detail"]["changed"] == ["time_zone"]
    assert all(e["actor"] == OWNER_EMAIL for e in found)


def test_an_entry_is_written_with_its_change_or_not_at_all(app):
    make_member(app)
    with pytest.raises(RuntimeError, match="boom"), unit_of_work() as session:
        audit.record(session, "journey.published", "journey", 1, workspace_id=DEFAULT_WORKSPACE_ID)
        raise RuntimeError("boom")
    with unit_of_work() as session:
        assert session.scalars(select(AuditEntry)).all() == []
        with pytest.raises(ValueError, match="unknown audit action"):
            audit.record(session, "journey.teleported", workspace_id=DEFAULT_WORKSPACE_ID)


def test_entries_are_never_changed_or_deleted(app, client):
    publish(client)
    with app.app_context(), scoped_to(db.session, DEFAULT_WORKSPACE_ID):
        entry = db.session.scalars(select(AuditEntry)).first()
        entry.action = "session.signed_out"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(AuditEntry)).first())
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
    # And the API has no route that could.
    assert client.delete("/api/audit").status_code == 405
    assert client.put("/api/audit", json={}).status_code == 405


def test_filters_pages_and_another_workspace(app, client, workspaces):
    marketer_id = make_member(app, "max@shop.tw", "marketer")
    marketer = sign_in(app, "max@shop.tw")
    publish(marketer, name="By Max")
    publish(client, name="By the owner")
    with app.app_context():
        owner_id = db.session.scalar(select(User.id).where(User.email == OWNER_EMAIL))

    mine = entries(client, f"?member={owner_id}&action=journey.published")
    assert [e["detail"]["name"] for e in mine] == ["By the owner"]
    assert [e["detail"]["name"] for e in entries(client, f"?member={marketer_id}&action=journey.published")] == [
        "By Max"
    ]
    now = clock.now()
    future = (now + timedelta(hours=1)).isoformat()
    past = (now - timedelta(hours=1)).isoformat()
    assert entries(client, "?since=" + future.replace("+", "%2B")) == []
    assert len(entries(client, "?until=" + past.replace("+", "%2B"))) == 0
    assert len(entries(client, "?since=" + past.replace("+", "%2B"))) == 4  # 2 sign-ins, 2 publishes

    page = client.get("/api/audit?per_page=2&page=2").get_json()
    assert page["total"] == 4 and page["page"] == 2 and len(page["entries"]) == 2
    first = client.get("/api/audit?per_page=2").get_json()["entries"]
    assert first[0]["created_at"] >= first[1]["created_at"] >= page["entries"][0]["created_at"]

    bad = client.get("/api/audit?action=journey.teleported&since=2026-01-01T00:00:00&per_page=0")
    assert bad.status_code == 400 and set(bad.get_json()["fields"]) == {"action", "since", "per_page"}

    other = workspaces.create("other-brand")
    with workspaces.use(other):
        assert entries(client) == []


def test_csv_export_has_the_filters_neutralises_formulas_and_is_recorded(app, client):
    with unit_of_work() as session:
        audit.record(
            session,
            "journey.published",
            "journey",
            "=HYPERLINK(1)",
            {"name": "你好"},
            workspace_id=DEFAULT_WORKSPACE_ID,
        )
    publish(client, name="Cart")
    res = client.get("/api/audit.csv?action=journey.published")
    assert res.status_code == 200
    assert res.mimetype == "text/csv" and "attachment" in res.headers["Content-Disposition"]
    text = res.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["time", "actor", "ip", "action", "target_type", "target_id", "detail"]
    assert [r[3] for r in rows[1:]] == ["journey.published", "journey.published"]
    assert rows[2][5] == "'=HYPERLINK(1)" and "你好" in rows[2][6]
    exported = entries(client, "?action=audit.exported")
    assert exported[0]["detail"] == {"filters": {"action": "journey.published"}}


def test_the_password_is_never_in_the_log(app, client):
    sign_in(app)
    app.test_client().post("/api/session", json={"email": OWNER_EMAIL, "password": "wrong but secret words"})
    text = client.get("/api/audit.csv").get_data(as_text=True)
    assert PASSWORD not in text and "wrong but secret words" not in text

"""`Journey.status` is derived from the versions in one place (`Journey.refresh_status`): every lifecycle path
agrees with it, and a version status changed anywhere else is reflected at the next flush."""

from __future__ import annotations

from sqlalchemy import select, text

from tests.integration.journeys import GRAPH
from wayfinder.extensions import db
from wayfinder.models import Journey, JourneyStatus, JourneyVersion, VersionStatus


def _stored_status(journey_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(text("SELECT status FROM journeys WHERE id = :id"), {"id": journey_id})


def _derived(journey_id: int) -> str:
    return db.session.get(Journey, journey_id).derived_status()


def test_every_lifecycle_path_leaves_the_status_the_versions_give(client):
    created = client.post("/api/journeys", json={"name": "Lifecycle", "graph": GRAPH}).get_json()
    jid = created["id"]
    expected = [("created", "draft")]
    seen = [("created", created["status"])]
    for action, status in [("publish", "published"), ("pause", "paused"), ("resume", "published")]:
        answer = client.post(f"/api/journeys/{jid}/{action}")
        assert answer.status_code == 200, answer.get_json()
        expected.append((action, status))
        seen.append((action, answer.get_json()["status"]))
        assert _stored_status(jid) == _derived(jid) == status
    detail = client.get(f"/api/journeys/{jid}").get_json()
    saved = client.put(
        f"/api/journeys/{jid}", json={"revision": detail["revision"], "name": "Lifecycle 2", "graph": GRAPH}
    )
    assert saved.get_json()["status"] == "published"  # a draft beside a live version: still running
    assert client.post(f"/api/journeys/{jid}/publish").get_json()["status"] == "published"
    assert client.post(f"/api/journeys/{jid}/pause").status_code == 200
    assert client.delete(f"/api/journeys/{jid}").status_code == 204
    expected.append(("archive", "archived"))
    seen.append(("archive", client.get(f"/api/journeys/{jid}").get_json()["status"]))
    assert seen == expected
    assert _stored_status(jid) == _derived(jid) == "archived"
    versions = db.session.scalars(select(JourneyVersion.status).where(JourneyVersion.journey_id == jid)).all()
    assert sorted(versions) == ["archived", "archived"]


def test_a_version_status_changed_outside_the_service_is_reflected_at_the_next_flush(client):
    jid = client.post("/api/journeys", json={"name": "Direct", "graph": GRAPH}).get_json()["id"]
    assert client.post(f"/api/journeys/{jid}/publish").status_code == 200
    version = db.session.scalar(select(JourneyVersion).where(JourneyVersion.journey_id == jid))
    version.status = VersionStatus.PAUSED
    db.session.commit()
    assert _stored_status(jid) == "paused"
    version = db.session.scalar(select(JourneyVersion).where(JourneyVersion.journey_id == jid))
    version.status = VersionStatus.ARCHIVED
    db.session.commit()
    assert _stored_status(jid) == "archived"


def test_derived_status_of_each_combination_of_versions():
    def journey(*statuses: str) -> Journey:
        j = Journey(name="x")
        j.versions = [JourneyVersion(number=n, status=s, graph={}) for n, s in enumerate(statuses, 1)]
        return j

    assert journey().derived_status() == JourneyStatus.DRAFT
    assert journey("draft").derived_status() == JourneyStatus.DRAFT
    assert journey("archived", "published", "draft").derived_status() == JourneyStatus.PUBLISHED
    assert journey("archived", "paused").derived_status() == JourneyStatus.PAUSED
    assert journey("archived", "draft").derived_status() == JourneyStatus.ARCHIVED
    assert journey("archived").refresh_status() == JourneyStatus.ARCHIVED

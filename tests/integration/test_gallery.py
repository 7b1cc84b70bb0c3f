"""The journey gallery over the API: the templates listed in either language (the workspace's by default), a
draft created from each, publishable as it is; an unknown template is refused with the field named."""

from __future__ import annotations

import pytest

from wayfinder.journeys import gallery

KEYS = [t.key for t in gallery.templates()]


def test_the_list_comes_in_the_workspace_language_unless_asked(client):
    default = client.get("/api/journey-templates")
    assert default.status_code == 200
    listed = default.get_json()
    assert [t["key"] for t in listed] == KEYS
    s1 = listed[0]
    assert s1["name"] == "購物車未結帳提醒"  # the default workspace speaks zh-TW
    assert s1["channels"] == ["email", "line", "sms"]
    assert s1["steps"] == len(gallery.get(KEYS[0])("zh-TW")["graph"]["nodes"])

    english = client.get("/api/journey-templates?lang=en").get_json()
    assert english[0]["name"] == "Abandoned cart"
    assert [t["steps"] for t in english] == [t["steps"] for t in listed]
    assert client.get("/api/journey-templates?lang=fr").status_code == 400


def test_a_draft_from_a_template_carries_its_graph_and_name(client):
    response = client.post("/api/journeys", json={"template": "s6_coupon_offer", "lang": "en"})
    assert response.status_code == 201, response.get_json()
    journey = response.get_json()
    assert journey["name"] == "Limited-time coupon offer"
    assert journey["status"] == "draft"
    graph = client.get(f"/api/journeys/{journey['id']}").get_json()["graph"]
    expected = gallery.get("s6_coupon_offer")("en")["graph"]
    assert [n["id"] for n in graph["nodes"]] == [n["id"] for n in expected["nodes"]]
    assert {e["id"] for e in graph["edges"]} == {e["id"] for e in expected["edges"]}
    assert graph["settings"]["timezone"] == "Asia/Taipei"  # the workspace's

    named = client.post("/api/journeys", json={"template": "s7_store_opening", "name": "高雄巨蛋店開幕"}).get_json()
    assert named["name"] == "高雄巨蛋店開幕"


@pytest.mark.parametrize("key", KEYS)
def test_every_template_publishes_as_it_is(client, key):
    journey = client.post("/api/journeys", json={"template": key}).get_json()
    response = client.post(f"/api/journeys/{journey['id']}/publish")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "published"


def test_an_unknown_template_or_no_name_is_a_400_on_the_field(client):
    unknown = client.post("/api/journeys", json={"template": "s9_moon_landing"})
    assert unknown.status_code == 400
    assert "s9_moon_landing" in str(unknown.get_json())
    assert "template" in str(unknown.get_json())
    blank = client.post("/api/journeys", json={"description": "no name"})
    assert blank.status_code == 400
    assert "name" in str(blank.get_json())

"""Limits on what a client can send: body size and depth, graph and properties size, ids and integers beyond
what the database holds, text a database cannot store. Each answers a 4xx in the API's error shape, never a
500 (issue 5: a 10,000-deep body, a 10 MB graph or properties object, 2**64 in a URL or query string)."""

from __future__ import annotations

import json

import pytest

from tests.integration.journeys import GRAPH

BIG = 2**64 + 1


def assert_field_error(response, *path):
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["error"] == "validation_error"
    node = body["fields"]
    for key in path:
        assert key in node, body
        node = node[key]
    return node


def test_a_body_nested_10000_levels_deep_is_a_400(client):
    deep = '{"name": "x", "graph": {"settings": {"a": ' + "[" * 10_000 + "]" * 10_000 + "}}}"
    response = client.post("/api/journeys", data=deep, content_type="application/json")
    assert assert_field_error(response, "_schema") == ["The body is nested deeper than 64 levels."]
    starts_deep = "[" * 10_000 + "]" * 10_000
    response = client.post("/api/events", data=starts_deep, content_type="application/json")
    assert assert_field_error(response, "_schema") == ["The body is nested deeper than 64 levels."]


def test_a_body_over_the_size_limit_is_a_413_in_the_error_shape(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    payload = json.dumps({"name": "x", "graph": {"settings": {"pad": "a" * (10 * 1024 * 1024)}}})
    response = client.post("/api/journeys", data=payload, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"] == "request_entity_too_large"
    assert limit == 4 * 1024 * 1024


def test_a_padded_graph_is_refused_with_a_field_message(client):
    padded = {**GRAPH, "settings": {"pad": "a" * 9_000, **{f"k{i}": "b" * 9_000 for i in range(20)}}}
    response = client.post("/api/journeys", json={"name": "Padded", "graph": padded})
    [message] = assert_field_error(response, "graph", "settings")
    assert message.startswith("Too large:") and "at most 65536 bytes" in message

    # Many steps, each under its own bound, still cannot make a graph beyond 2 MB.
    nodes = [{"id": f"n{i}", "type": "exit", "data": {"settings": {"note": ["x" * 9_000] * 20}}} for i in range(14)]
    response = client.post("/api/journeys", json={"name": "Huge", "graph": {"nodes": nodes}})
    [message] = assert_field_error(response, "graph", "_schema")
    assert message.startswith("The journey is too large")


def test_event_properties_are_bounded(client):
    event = {"event_id": "e-1", "customer_id": "c", "name": "cart_updated"}
    big = {**event, "properties": {"pad": "a" * 9_000, **{f"k{i}": "b" * 9_000 for i in range(4)}}}
    [message] = assert_field_error(client.post("/api/events", json=big), "properties")
    assert "at most 32768 bytes" in message
    batch = client.post("/api/events/batch", json={"events": [event, big]})
    assert "at most 32768 bytes" in assert_field_error(batch, "events", "1", "properties")[0]
    too_long = {**event, "properties": {"note": "x" * 10_001}}
    assert "longer than 10000" in assert_field_error(client.post("/api/events", json=too_long), "properties")[0]
    deep: dict = {}
    node = deep
    for _ in range(20):
        node["a"] = {}
        node = node["a"]
    nested = {**event, "properties": deep}
    assert "Nested deeper" in assert_field_error(client.post("/api/events", json=nested), "properties")[0]
    assert client.post("/api/events", json={**event, "properties": {"ok": 1}}).status_code == 202
    ten_mb = json.dumps({**event, "event_id": "e-2", "properties": {"pad": "a" * (10 * 1024 * 1024)}})
    response = client.post("/api/events", data=ten_mb, content_type="application/json")
    assert response.status_code == 413 and response.get_json()["error"] == "request_entity_too_large"


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/journeys/{id}"),
        ("put", "/api/journeys/{id}"),
        ("delete", "/api/journeys/{id}"),
        ("post", "/api/journeys/{id}/validate"),
        ("post", "/api/journeys/{id}/publish"),
        ("post", "/api/journeys/{id}/pause"),
        ("post", "/api/journeys/{id}/resume"),
        ("get", "/api/journeys/{id}/counts"),
        ("post", "/api/journeys/{id}/enrol"),
        ("get", "/api/journeys/{id}/refusals"),
        ("get", "/api/journeys/{id}/flow"),
        ("get", "/api/journeys/{id}/nodes/wait/customers"),
    ],
)
@pytest.mark.parametrize("journey_id", [BIG, 2**63, 2**31, 0])
def test_ids_beyond_the_database_range_are_404(client, method, path, journey_id):
    bodies = {"/api/journeys/{id}/enrol": {"request_id": "r-1", "customer_ids": ["amy"]}}
    body = {"revision": 1} if method == "put" else bodies.get(path)
    kwargs = {"json": body} if body else {}
    response = getattr(client, method)(path.format(id=journey_id), **kwargs)
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_integers_beyond_range_in_query_strings_are_400(client):
    for path, name in [
        (f"/api/customers?offset={BIG}", "offset"),
        (f"/api/customers?limit={BIG}", "limit"),
        (f"/api/messages?journey_id={BIG}", "journey_id"),
        (f"/api/messages?journey_id={2**40}", "journey_id"),
        (f"/api/outbox?offset={2**63}", "offset"),
    ]:
        [message] = assert_field_error(client.get(path), name)
        assert message.startswith("Must be greater than or equal to")
    assert client.get("/api/messages?journey_id=12").status_code == 200


def test_text_a_database_cannot_store_is_a_400(client):
    [message] = assert_field_error(client.post("/api/journeys", json={"name": "a\x00b"}), "name")
    assert message == "Must not contain NUL characters."
    event = {"event_id": "e\x00", "customer_id": "c", "name": "x"}
    assert_field_error(client.post("/api/events", json=event), "event_id")
    customer = {"external_id": "c", "attributes": {"note": "a\x00"}}
    assert "NUL" in assert_field_error(client.post("/api/customers", json=customer), "attributes")[0]
    lone_surrogate = '{"external_id": "c-\\ud800"}'
    response = client.post("/api/customers", data=lone_surrogate, content_type="application/json")
    assert "surrogates" in assert_field_error(response, "external_id")[0]
    assert client.get("/api/customers/a%00b").status_code == 404


def test_json_without_numbers_json_has_is_refused(client):
    body = '{"event_id": "e", "customer_id": "c", "name": "x", "properties": {"total": NaN}}'
    response = client.post("/api/events", data=body, content_type="application/json")
    assert assert_field_error(response, "_schema") == ["The body must be a JSON object."]


def test_free_text_fields_are_bounded(client):
    assert_field_error(client.post("/api/journeys", json={"name": "n" * 201}), "name")
    assert_field_error(client.post("/api/journeys", json={"name": "n", "description": "d" * 2001}), "description")
    assert_field_error(client.post("/api/customers", json={"external_id": "c" * 129}), "external_id")
    long_email = {"external_id": "c", "email": "a" * 250 + "@x.example"}
    assert_field_error(client.post("/api/customers", json=long_email), "email")
    label = {"nodes": [{"id": "a", "type": "exit", "data": {"label": "l" * 121}}]}
    assert_field_error(client.post("/api/journeys", json={"name": "n", "graph": label}), "graph", "nodes", "0", "data")

"""Security headers on every kind of response, and the API docs served offline (issue 5: no headers; the
contract at /api/openapi.json with readable docs at /api/docs)."""

from __future__ import annotations

import re

import pytest

from wayfinder.security import CSP

PATHS = ["/", "/journeys/1", "/api/journeys", "/api/nope", "/api/openapi.json", "/api/docs", "/healthz"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_errors_carry_them_too(client):
    for response in (client.post("/api/journeys", json={}), client.put("/api/journeys"), client.get("/api/x")):
        assert response.status_code in (400, 404, 405)
        assert response.headers["Content-Security-Policy"] == CSP


def test_the_docs_page_uses_only_local_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>" not in html  # no inline script: script-src 'self' holds
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/api/") for source in sources), sources
    for source in sources:
        with client.get(source) as asset:  # a file response: closed, or its file stays open (ResourceWarning)
            assert asset.status_code == 200, source
            assert asset.content_length > 100
    assert client.get("/api/docs/assets/not-there.js").status_code == 404
    with client.get("/api/docs/init.js") as script:
        assert script.mimetype == "text/javascript"


def test_the_spec_describes_the_api_and_its_error_shape(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and {"message", "fields", "errors"} <= set(error["properties"])
    journey_id = spec["paths"]["/api/journeys/{journey_id}"]["parameters"][0]["schema"]
    assert journey_id == {"type": "integer", "format": "int32", "minimum": 1, "maximum": 2**31 - 1}
    props = spec["components"]["schemas"]["EventIn"]["properties"]
    assert props["event_id"]["maxLength"] == 128 and props["event_id"]["pattern"] == "^[^\\x00]*$"
    assert spec["paths"]["/api/events/batch"]["post"]["responses"]["400"]


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield f"{method.upper()} {path}", path, operation


def test_every_operation_has_a_one_line_summary_and_a_tag(client):
    spec = client.get("/api/openapi.json").get_json()
    tags = {tag["name"] for tag in spec["tags"]}
    operations = list(_operations(spec))
    assert len(operations) > 20
    for name, _path, operation in operations:
        summary = operation.get("summary") or ""
        assert summary and "\n" not in summary and len(summary) <= 120, (name, summary)
        assert operation.get("tags") and set(operation["tags"]) <= tags, name


def test_every_response_is_described_and_every_journey_route_documents_its_404(client):
    spec = client.get("/api/openapi.json").get_json()
    shared = spec["components"]["responses"]
    for name, path, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if "$ref" in response:
                response = shared[response["$ref"].rsplit("/", 1)[-1]]
            # A manual `@blp.doc` response keyed "201" rather than 201 replaced the generated one (no description,
            # no body schema) when the spec was written out.
            assert response.get("description"), (name, status)
        if "{journey_id}" in path:
            assert operation["responses"]["404"]["description"] == "No such journey", name
    created = spec["paths"]["/api/journeys"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/JourneyOut"}
    assert "GetJourney" in created["links"]
    upserted = spec["paths"]["/api/customers"]["post"]["responses"]
    assert {upserted[s]["description"] for s in ("200", "201")} == {"An existing customer, updated", "A new customer"}
    assert all("GetCustomer" in upserted[s]["links"] for s in ("200", "201"))


def test_text_fields_have_examples_rather_than_samples_made_up_from_their_pattern(client):
    # Swagger UI builds a sample from a field's `pattern` when there is no example: random symbols.
    spec = client.get("/api/openapi.json").get_json()
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in (schema.get("properties") or {}).items():
            items = prop.get("items") or {}
            for where in (prop, items):
                if "pattern" in where:
                    assert "example" in where, f"{name}.{field}"
    assert spec["components"]["schemas"]["EventIn"]["properties"]["name"]["example"] == "cart_updated"


def test_the_spec_gives_validation_one_problems_list_and_messages_their_journey_name(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert set(schemas["ValidationResult"]["properties"]) == {"valid", "problems"}
    assert schemas["LocatedError"]["properties"]["severity"]["enum"] == ["error", "warning"]
    assert {"journey_name", "step_name"} <= set(schemas["MessageOut"]["properties"])


def test_the_spec_is_built_on_first_use_once(app):
    """create_app leaves the document to its first reader (workers and the tests' apps never read it); every
    reader then gets the same one, tagged and with every operation."""
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    assert api._undocumented, "create_app documented the views already"
    first = app.test_client().get("/api/openapi.json").get_json()
    assert not api._undocumented
    assert app.test_client().get("/api/openapi.json").get_json() == first
    assert {tag["name"] for tag in first["tags"]} >= {"journeys", "customers", "events", "messages"}
    assert "Error" in first["components"]["schemas"] and "DEFAULT_ERROR" in first["components"]["responses"]

"""Small contract defects: what the OpenAPI document says is what the API does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

import wayfinder
from tests.integration.servers import APP, GUNICORN, http_session, served
from wayfinder.schemas.problem_codes import ERROR_CODES, WARNING_CODES


@pytest.mark.parametrize("path", ["/api/demo/traffic", "/api/email/preview", "/api/email/test", "/api/customers"])
def test_an_operation_whose_body_is_required_refuses_a_missing_body(client, path):
    response = client.post(path)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["fields"] == {"_schema": ["A JSON body is required."]}
    operation = client.get("/api/openapi.json").get_json()["paths"][path]["post"]
    assert operation["requestBody"]["required"] is True


def test_an_operation_whose_body_is_optional_still_takes_none(client):
    journey = client.post("/api/journeys", json={"name": "Empty"}).get_json()
    assert client.post(f"/api/journeys/{journey['id']}/validate").status_code == 200


def _codes_in_source() -> set[str]:
    """Every problem code the journey checks can produce, read from their source."""
    root = Path(wayfinder.__file__).parent
    codes: set[str] = set()
    for path in [*(root / "journeys").glob("*.py"), *(root / "steps").glob("*.py"), root / "engine" / "manual.py"]:
        text = path.read_text()
        codes |= set(re.findall(r'LocatedError\(\s*"([a-z_]+)"', text))
        # A step's check: problems.append((field, code, message)) or return [(field, code, message)].
        codes |= set(re.findall(r'(?:append\(\(|\[\()\s*"[a-z_]+",\s*"([a-z_]+)",', text))
        codes |= set(re.findall(r'"code":\s*"([a-z_]+)"', text))
    return codes


def test_every_problem_code_is_documented_on_publish_and_validate(client):
    spec = client.get("/api/openapi.json").get_json()
    publish_422 = spec["paths"]["/api/journeys/{journey_id}/publish"]["post"]["responses"]["422"]["description"]
    code_field = spec["components"]["schemas"]["LocatedError"]["properties"]["code"]
    found = _codes_in_source()
    assert len(found) >= 20, found  # the scan works
    for code in found:
        assert code in ERROR_CODES or code in WARNING_CODES, f"{code} is not documented"
        assert f"`{code}`" in publish_422
        assert code in code_field["enum"]
    validate = spec["paths"]["/api/journeys/{journey_id}/validate"]["post"]
    assert "422" in validate["description"]


def test_publish_refuses_a_schema_valid_graph_with_a_documented_code(client):
    graph = {
        "nodes": [{"id": "w", "type": "wait", "data": {"settings": {"amount": 1, "unit": "hours"}}}],
        "edges": [],
        "settings": {},
    }
    journey = client.post("/api/journeys", json={"name": "No trigger", "graph": graph}).get_json()
    response = client.post(f"/api/journeys/{journey['id']}/publish")
    assert response.status_code == 422
    codes = {e["code"] for e in response.get_json()["errors"]}
    assert codes and codes <= set(ERROR_CODES), codes


def test_an_over_long_url_gets_the_json_error_shape_from_the_real_server(app, client, tmp_path):
    argv = [*GUNICORN, "-c", "python:wayfinder.gunicorn_conf", "--worker-class", "gevent", APP]
    with served(app, tmp_path, argv) as server:
        base = server.base
        # Longer than gunicorn's default limit (4094) but within the configured one: the app answers, as JSON.
        within = http_session(client).get(f"{base}/api/journeys?q={'x' * 6000}", timeout=30)
        assert within.headers["Content-Type"].startswith("application/json"), within.text[:200]
        too_long = requests.get(f"{base}/api/journeys?q={'x' * 9000}", timeout=30)
        assert too_long.status_code == 414
        assert too_long.headers["Content-Type"] == "application/json"
        assert too_long.json()["error"] == "uri_too_long"
        assert too_long.json()["message"]

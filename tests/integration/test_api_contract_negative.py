"""schemathesis' negative cases (schema-invalid input) against the served OpenAPI document: each is refused
with a 4xx, never a 5xx (see test_api_contract.py for the positive cases, the stateful links and the checks)."""

from __future__ import annotations

import pytest
from schemathesis import GenerationMode

from tests.integration.test_api_contract import api_schema, auth_headers, check_every_operation  # noqa: F401
from wayfinder.extensions import db


def test_no_schema_invalid_request_yields_a_server_error(api_schema, auth_headers):  # noqa: F811
    if db.engine.dialect.name != "sqlite":
        # Schema-invalid input is refused by the schemas before any query, the same on every database; the
        # cases themselves cost most of the time (hypothesis generates them), so they run once. Schema-valid
        # input reaches the database, so the positive cases run on both.
        pytest.skip("negative cases are refused before the database: run on SQLite only")
    check_every_operation(api_schema, auth_headers, GenerationMode.NEGATIVE)

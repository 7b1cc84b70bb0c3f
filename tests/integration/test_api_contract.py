"""schemathesis against the served OpenAPI document: no input a client can send yields a 5xx.

Every operation (journeys, events and the batch endpoint, customers, messages, outbox, demo traffic) gets
schema-valid and schema-invalid (negative) cases; the stateful test follows the spec's links (create a journey
→ read, update, validate, publish, pause, resume, count, delete it; upsert a customer → read it). Responses must
conform to the documented schemas. Bounded: a fixed number of examples per operation, derandomized, so a run
takes the same time and finds the same things every time; both databases (PostgreSQL refuses NUL characters
that SQLite stores, so both matter).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.conftest import empty_tables
from wayfinder.extensions import db

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
CONFIG = {
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
    "seed": 5,
    # Free-form objects (event properties, customer attributes, step settings) refuse NUL characters anywhere
    # inside, which their JSON Schema (`type: object`) cannot express; so a "schema-valid" object with a NUL
    # deep inside is rightly a 400. Top-level text fields do document it (`pattern`).
    "checks": {"positive_data_acceptance": {"enabled": False}},
}


#: Left out of the generated calls: signing out would end the session the other calls are made with (the
#: sign-out is tested in test_accounts.py).
SKIPPED = {"DELETE /api/session"}
#: What the state machine's setup empties between sequences: everything but the signed-in member's rows.
KEPT_TABLES = {"users", "memberships"}  # the signed-in owner (the default workspace is always kept)


@pytest.fixture
def auth_headers(client):
    """The signed-in owner's session cookie and CSRF token, sent with every generated call."""
    cookie = client.get_cookie("wayfinder_session").value
    return {"Cookie": f"wayfinder_session={cookie}", "X-CSRF-Token": client.csrf_token}


@pytest.fixture
def api_schema(app):
    config = schemathesis.Config.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)


def _run(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # same cases every run: not flaky, and a failure reproduces
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure's own case is reported as is
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(checks=CHECKS, headers=headers)

    check()


# schemathesis' own pytest integration (`from_fixture` + `parametrize`) reads a pytest internal that pytest 9
# removed (`Function._nodeid`), so the operations are driven through hypothesis directly: the same strategies
# and checks, one test per generation mode, every failure reported with its operation. The negative mode is in
# test_api_contract_negative.py (its own file, so the test command's shards can run the two apart).
def test_no_request_yields_a_server_error(api_schema, auth_headers):
    check_every_operation(api_schema, auth_headers, GenerationMode.POSITIVE)


def check_every_operation(api_schema, auth_headers, mode: GenerationMode) -> None:
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        if operation.label in SKIPPED:
            continue
        try:
            _run(operation, mode, auth_headers)
        except Unsatisfiable:  # nothing to make invalid (e.g. GET /api/journeys has no parameters)
            assert mode == GenerationMode.NEGATIVE, operation.label
        except Exception as exc:  # noqa: BLE001 - collected, reported together below
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        empty_tables(conn, keep=KEPT_TABLES)


def test_stateful_sequences_follow_the_links(api_schema, auth_headers):
    class Machine(api_schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": auth_headers}

        def setup(self):
            # Each sequence starts from an empty database, so which transitions are possible depends only on
            # the sequence itself (hypothesis replays a failing one and needs it to behave the same).
            _empty_tables()

    machine = Machine
    # The spec's own links are there: create a journey → publish it, upsert a customer → read it.
    transitions = set(dir(machine))
    assert "POST_api_journeys___201_PublishJourney__POST_api_journeys_journey_id_publish" in transitions
    assert "POST_api_customers___201_GetCustomer__GET_api_customers_external_id_" in transitions
    machine.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=10,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_every_route_is_in_the_spec(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    documented = {
        (path, method.upper()) for path, ops in spec["paths"].items() for method in ops if method != "parameters"
    }
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint.startswith("api_docs.") or "openapi" in rule.rule:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<id:{name}>", f"{{{name}}}").replace(f"<string(maxlength=128):{name}>", f"{{{name}}}")
        served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented

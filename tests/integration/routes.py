"""The walk over every operation of the OpenAPI document, shared by the generated route tests (another
workspace's id answers 404: test_workspaces; role × route × workspace: test_permissions_matrix)."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Method order of a walk: deletes last, so the object a route names exists until then.
ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as in the document: /api/journeys/{journey_id}
    operation_id: str  # the Flask endpoint (api.OperationIdPlugin), with ".<method>" when a rule has several
    params: tuple[str, ...]
    body_required: bool

    @property
    def endpoint(self) -> str:
        head, _, tail = self.operation_id.rpartition(".")
        return head if tail in ORDER and head.count(".") else self.operation_id

    def url(self, values: dict) -> str:
        missing = set(self.params) - set(values)
        assert not missing, f"{self.method.upper()} {self.path}: no value for {sorted(missing)} in this test"
        return self.path.format(**values)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def api_operations(spec: dict) -> list[Operation]:
    """Every operation of the document, in the walk's order (by method, then path)."""
    operations = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in ORDER:
                continue
            body = operation.get("requestBody")
            operations.append(
                Operation(
                    method,
                    path,
                    operation["operationId"],
                    tuple(re.findall(r"{(\w+)}", path)),
                    bool(body is not None and body.get("required")),
                )
            )
    return sorted(operations, key=lambda op: (ORDER[op.method], op.path))

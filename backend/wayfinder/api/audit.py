"""/api/audit and /api/audit.csv: the workspace's audit log, filtered, for admins. Read-only by design."""

from __future__ import annotations

from flask import Response

from wayfinder import audit
from wayfinder.api.parser import Blueprint
from wayfinder.audit.query import csv_rows, page
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db
from wayfinder.schemas.accounts import AuditPageOutSchema, AuditPageQuerySchema, AuditQuerySchema

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/api",
    description="Who did what, when, from which IP address: sign-ins, publishing, member and key changes, exports. "
    "Append-only: there is no route to change or delete an entry.",
)


@blp.get("/audit")
@blp.arguments(AuditPageQuerySchema, location="query")
@blp.response(200, AuditPageOutSchema)
@requires("audit.read")
def list_audit(query: dict):
    """Entries newest first, a page at a time; filter by member (user id), action and time range."""
    return page(db.session, **query)


@blp.get("/audit.csv")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, description="The matching entries as CSV (UTF-8, a header line first, newest first)")
@blp.doc(
    responses={
        200: {
            "description": "The matching entries as CSV (UTF-8, a header line first, newest first)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
)
@requires("audit.read")
def export_audit(query: dict):
    """The same filters as GET /api/audit, as a CSV file; the export itself is recorded in the log."""
    body = "".join(csv_rows(db.session, **query))
    filters = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in query.items() if v is not None}
    audit.record(db.session, "audit.exported", None, None, {"filters": filters})
    db.session.commit()
    return Response(
        "\ufeff" + body,  # a byte-order mark, so spreadsheet programs read the UTF-8 (Chinese names) right
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="wayfinder-audit.csv"'},
    )

"""Reading the audit log: filtered, newest first, a page at a time or as CSV. Scoped like every ORM read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayfinder.models import AuditEntry

CSV_COLUMNS = ["time", "actor", "ip", "action", "target_type", "target_id", "detail"]
#: Most rows one CSV export holds (narrow the date range for more).
CSV_MAX_ROWS = 100_000
#: Cells a spreadsheet would run as a formula start with one of these (CSV injection): they get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filtered(member: int | None, action: str | None, since: datetime | None, until: datetime | None):
    stmt = select(AuditEntry)
    if member is not None:
        stmt = stmt.where(AuditEntry.actor_user_id == member)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if since is not None:
        stmt = stmt.where(AuditEntry.created_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.created_at < until)
    return stmt


def page(
    session: Session,
    *,
    member: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> dict[str, Any]:
    """One page of entries, newest first, and how many match in all."""
    stmt = _filtered(member, action, since, until)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(per_page).offset((page - 1) * per_page)
    )
    return {"entries": list(rows), "total": total, "page": page, "per_page": per_page}


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(
    session: Session,
    *,
    member: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[str]:
    """The matching entries as CSV text (a header line first), newest first, at most CSV_MAX_ROWS."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    stmt = _filtered(member, action, since, until).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    for entry in session.scalars(stmt.limit(CSV_MAX_ROWS)):
        writer.writerow(
            [
                entry.created_at.isoformat(),
                _cell(entry.actor),
                _cell(entry.ip),
                entry.action,
                _cell(entry.target_type),
                _cell(entry.target_id),
                _cell(json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else ""),
            ]
        )
        if out.tell() > 64 * 1024:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()

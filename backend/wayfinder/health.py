"""What is alive: database, Redis, the ticker's last pass, RQ workers and their heartbeats, queue depths and how
long the oldest due wait has been overdue. Served at GET /healthz and printed by `wayfinder doctor`.

Workers are RQ's own registrations (`Worker.all`, `last_heartbeat`). A worker heartbeats every
WORKER_HEARTBEAT_SECONDS (a thread beside the job loop, so a long batch does not look like a dead worker); one
whose last beat is older than two intervals (+1 s) is reported dead — a SIGKILLed worker stays registered in
RQ until its key expires, so its age is what tells. The ticker stamps a Redis hash after every pass.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select, text

from wayfinder import clock
from wayfinder.engine.heartbeat import ticker_key
from wayfinder.engine.queues import DELIVERY, ENGINE, queue
from wayfinder.extensions import redis_client
from wayfinder.models import Enrollment, EnrollmentStatus, utcnow
from wayfinder.transactions import unit_of_work

health_bp = Blueprint("health", __name__)


def _age(moment: datetime | float | None, now: float) -> float | None:
    if moment is None:
        return None
    stamp = moment if isinstance(moment, float) else moment.replace(tzinfo=moment.tzinfo or UTC).timestamp()
    return round(max(0.0, now - stamp), 1)


def _iso(stamp: float | None) -> str | None:
    return datetime.fromtimestamp(stamp, UTC).isoformat() if stamp else None


def collect() -> dict[str, Any]:
    """The whole report; `ok` is False when the database or Redis cannot be reached."""
    from rq import Worker

    now = clock.wall_seconds()
    heartbeat = float(current_app.config["WORKER_HEARTBEAT_SECONDS"])
    report: dict[str, Any] = {"ok": True, "checked_at": _iso(now)}

    database: dict[str, Any] = {"ok": True}
    try:
        # Read-only: on SQLite it never waits for the write lock, so a busy engine does not look like a dead one.
        with unit_of_work(read_only=True, lock_wait=float(current_app.config["DB_LOCK_WAIT_REQUEST"])) as session:
            session.execute(text("SELECT 1"))
            oldest = session.scalar(
                select(func.min(Enrollment.wake_at)).where(
                    Enrollment.status == EnrollmentStatus.WAITING,
                    Enrollment.wake_at <= utcnow(),
                )
            )
        report["oldest_due_wait_seconds"] = _age(oldest, now)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        database = {"ok": False, "error": str(exc).splitlines()[0][:300]}
        report["oldest_due_wait_seconds"] = None
    report["database"] = database

    redis_report: dict[str, Any] = {"ok": True}
    ticker: dict[str, Any] = {"alive": False, "last_pass": None, "last_ok": None, "age_seconds": None}
    workers: list[dict[str, Any]] = []
    queues: dict[str, Any] = {}
    try:
        conn = redis_client.conn
        conn.ping()
        stamp = {k.decode(): float(v) for k, v in conn.hgetall(ticker_key()).items()}
        if stamp.get("last_pass"):
            interval = stamp.get("interval", 1.0)
            age = _age(stamp["last_pass"], now)
            ticker = {
                "alive": age is not None and age <= max(10.0, 5 * interval),
                "last_pass": _iso(stamp["last_pass"]),
                "last_ok": _iso(stamp.get("last_ok")),
                "age_seconds": age,
                "interval_seconds": interval,
            }
        seen: set[str] = set()
        for name in (ENGINE, DELIVERY):
            q = queue(name)
            queues[name] = {"queued": q.count, "failed": q.failed_job_registry.count}
            for worker in Worker.all(queue=q):
                if worker.name in seen:
                    continue
                seen.add(worker.name)
                age = _age(worker.last_heartbeat, now)
                workers.append(
                    {
                        "name": worker.name,
                        "alive": age is not None and age <= 2 * heartbeat + 1,
                        "state": str(worker.get_state()),
                        "last_heartbeat": worker.last_heartbeat.isoformat() if worker.last_heartbeat else None,
                        "heartbeat_age_seconds": age,
                        "pid": worker.pid,
                        "hostname": worker.hostname,
                    }
                )
    except Exception as exc:  # noqa: BLE001
        redis_report = {"ok": False, "error": str(exc).splitlines()[0][:300]}
    report["redis"] = redis_report
    report["ticker"] = ticker
    report["workers"] = {
        "alive": sum(1 for w in workers if w["alive"]),
        "dead": sum(1 for w in workers if not w["alive"]),
        "heartbeat_seconds": heartbeat,
        "list": workers,
    }
    report["queues"] = queues
    report["ok"] = database["ok"] and redis_report["ok"]
    # What the journeys page warns about: without a live worker and ticker, nobody moves.
    report["customers_moving"] = bool(report["ok"] and ticker["alive"] and report["workers"]["alive"])
    report["problems"] = problems(report)
    return report


# Why customers are not moving, for the journeys page: a code the front end words for a marketer, and the
# command an operator runs (shown in a detail, never as the message itself).
PROBLEMS = {
    "services_down": "wayfinder doctor",
    "no_worker": "wayfinder worker",
    "no_ticker": "wayfinder ticker",
}


def problems(report: dict[str, Any]) -> list[dict[str, str]]:
    """The reasons customers are not moving, most fundamental first: the database or Redis unreachable (then
    nothing else can be told), else no live worker and / or no ticker."""
    if report["customers_moving"]:
        return []
    if not report["ok"]:
        codes = ["services_down"]
    else:
        codes = [
            c
            for c, down in (("no_worker", not report["workers"]["alive"]), ("no_ticker", not report["ticker"]["alive"]))
            if down
        ]
    return [{"code": code, "command": PROBLEMS[code]} for code in codes]


#: What a signed-in member without `health.detail` sees: whether customers move and why not, no process ids,
#: host names or error texts.
SUMMARY_KEYS = ("ok", "checked_at", "customers_moving", "problems")


def _caller_role() -> str | None:
    """The signed-in caller's role in their current workspace, or None (anonymous, or the check failed)."""
    from wayfinder.auth.sessions import check_session, current_membership

    try:
        user = check_session(touch=False).user
        if user is None:
            return None
        membership = current_membership(user).membership
        return membership.role if membership is not None else None
    except Exception:  # noqa: BLE001 - Redis or the database down: the caller is anonymous to us
        return None


def visible_report(report: dict[str, Any], role: str | None) -> dict[str, Any]:
    """The part of the report a caller may see: all of it with `health.detail` (owners, admins), the summary the
    journeys page needs for other members, only `ok` for anonymous callers (load balancers, probes)."""
    from wayfinder.auth.permissions import allowed

    if role is None:
        return {"ok": report["ok"]}
    if allowed(role, "health.detail"):
        return report
    return {key: report[key] for key in SUMMARY_KEYS if key in report}


@health_bp.get("/healthz")
def healthz():
    """200 when the database and Redis answer (look at `customers_moving` for the rest), else 503. Anonymous
    callers get `{"ok": …}` only; members the summary; process ids and host names only owners and admins."""
    report = collect()
    response = jsonify(visible_report(report, _caller_role()))
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if report["ok"] else 503


def format_report(report: dict[str, Any]) -> str:
    """`wayfinder doctor`'s readable form of `collect()`."""

    def mark(ok: bool) -> str:
        return "ok  " if ok else "FAIL"

    lines = [
        f"[{mark(report['database']['ok'])}] database" + _error(report["database"]),
        f"[{mark(report['redis']['ok'])}] redis" + _error(report["redis"]),
    ]
    ticker = report["ticker"]
    if ticker["last_pass"]:
        age, last = ticker["age_seconds"], ticker["last_pass"]
        lines.append(f"[{mark(ticker['alive'])}] ticker: last pass {age} s ago ({last})")
    else:
        lines.append("[FAIL] ticker: no pass recorded (is `wayfinder ticker` running?)")
    workers = report["workers"]
    lines.append(
        f"[{mark(workers['alive'] > 0)}] workers: {workers['alive']} alive, {workers['dead']} dead "
        f"(heartbeat every {workers['heartbeat_seconds']:g} s)"
    )
    for worker in workers["list"]:
        status = "alive" if worker["alive"] else "DEAD "
        lines.append(
            f"         {status} {worker['name']} pid {worker['pid']} on {worker['hostname']}: "
            f"{worker['state']}, last heartbeat {worker['heartbeat_age_seconds']} s ago"
        )
    for name, depth in report["queues"].items():
        lines.append(f"         queue {name}: {depth['queued']} queued, {depth['failed']} failed")
    overdue = report.get("oldest_due_wait_seconds")
    lines.append(
        "         no wait is overdue" if overdue is None else f"         oldest due wait: overdue by {overdue} s"
    )
    lines.append(
        "customers are moving" if report["customers_moving"] else "CUSTOMERS ARE NOT MOVING: see the failures above"
    )
    return "\n".join(lines)


def _error(part: dict[str, Any]) -> str:
    return f": {part['error']}" if part.get("error") else ""

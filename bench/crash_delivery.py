"""Crash-safe delivery benchmark: real `wayfinder worker` processes SIGKILLed while they deliver thousands of emails.

    python bench/crash_delivery.py                                  # 3,000 customers × 2 emails, 6 kills, SQLite
    python bench/crash_delivery.py --database-url postgresql://…    # the same on PostgreSQL
    python bench/crash_delivery.py --channel smtp                   # a real SMTP server (no idempotency key)

The journey (signed_up → email → email) is published and every customer's emails are rendered first (engine jobs
in this process); then `--workers` worker processes deliver them while this process runs the ticker, and each time
another `sent / (kills + 1)` messages have been sent one worker is SIGKILLed and restarted after `--restart-after`
seconds. Reported: messages never attempted and not delivered (must be 0), `unknown` ones (≤ 1 per kill per worker;
0 on the sandbox channel, which retries with its idempotency key), duplicates (arrivals counted by the provider:
the sandbox's Redis outbox, or the SMTP server by Message-ID; must be 0), and the recovery time: from a kill until
the dead worker's last claimed message is settled by another worker (≈ DELIVERY_LEASE_SECONDS + a tick).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack

import _stack  # noqa: F401  (puts backend/ on sys.path)
from _stack import add_stack_arguments, db_name, load_customers, start_stack
from rq import Queue
from rq.worker import SimpleWorker
from sqlalchemy import func, select

from wayfinder.channels.sandbox import outbox_counts
from wayfinder.devtools.mailcatcher import CountingHandler, counting_smtp
from wayfinder.engine import service
from wayfinder.engine.queues import ENGINE, enqueue_events
from wayfinder.extensions import db, redis_client
from wayfinder.journeys import service as journeys
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID, Message, utcnow
from wayfinder.tracking import track_events


def crash_graph() -> dict:
    """Sign-up → welcome email → tips email: two messages per customer."""
    g = GraphBuilder()
    g.chain(
        g.trigger("signup", event="signed_up"), g.email("welcome", "Welcome"), g.email("tips", "Tips", "<p>Tips</p>")
    )
    return g.build()


def statuses() -> Counter:
    counts = Counter(dict(db.session.execute(select(Message.status, func.count()).group_by(Message.status)).all()))
    db.session.remove()
    return counts


def prepare(app, customers: int) -> int:
    journey = journeys.create_journey(db.session, "Crash bench", graph=crash_graph())
    journeys.publish(db.session, journey)
    now = utcnow()
    load_customers(customers)
    ids = []
    for start in range(0, customers, 1000):
        events = [
            {"event_id": f"e{i}", "customer_id": f"c{i}", "name": "signed_up", "properties": {}}
            for i in range(start, min(customers, start + 1000))
        ]
        ids += track_events(db.session, events, now, workspace_id=DEFAULT_WORKSPACE_ID).event_ids
        db.session.commit()
    enqueue_events(ids)
    queue = Queue(f"{app.config['QUEUE_PREFIX']}{ENGINE}", connection=redis_client.conn)
    SimpleWorker([queue], connection=redis_client.conn).work(burst=True)
    db.session.remove()
    return sum(statuses().values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--channel", choices=["sandbox", "smtp"], default="sandbox")
    parser.add_argument("--latency-ms", type=int, default=2, help="sandbox provider latency per message")
    parser.add_argument("--restart-after", type=float, default=1.0, help="seconds before a killed worker restarts")
    parser.add_argument("--lease", type=int, default=30, help="DELIVERY_LEASE_SECONDS")
    add_stack_arguments(parser)
    args = parser.parse_args()

    with ExitStack() as stack:
        smtp = CountingHandler()
        extra: dict = {"DELIVERY_LEASE_SECONDS": args.lease}
        if args.channel == "smtp":
            port, smtp = stack.enter_context(counting_smtp())
            extra |= {"EMAIL_ADAPTER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port}
        else:
            extra |= {"SANDBOX_OUTBOX": "crashbench:outbox", "SANDBOX_LATENCY_MS": args.latency_ms}
        bench = start_stack(
            stack,
            args,
            queue_prefix="crashbench:",
            tmp_prefix="wayfinder-crash-",
            extra=extra,
        )
        app, env = bench.app, bench.worker_env()
        env["EMAIL_ADAPTER"] = args.channel
        app.config["EMAIL_ADAPTER"] = args.channel
        print(
            f"Wayfinder crash-delivery benchmark: {args.customers:,} customers × 2 emails, {args.kills} SIGKILLs, "
            f"{args.workers} worker(s), {args.channel}, {db_name(bench.database_url)}, lease {args.lease} s",
            flush=True,
        )
        with app.app_context():
            total = prepare(app, args.customers)
            print(f"  {total:,} messages rendered; delivering", flush=True)
            logs = tempfile.TemporaryFile()

            def start_worker() -> subprocess.Popen:
                command = [sys.executable, "-m", "wayfinder.cli", "worker"]
                return subprocess.Popen(command, env=env, stdout=logs, stderr=logs)

            workers = [start_worker() for _ in range(args.workers)]
            # Per kill: when, the claims the killed worker held (message id → claim token), when they were reclaimed.
            kills: list[dict] = []
            pickups: list[float] = []  # kill → the dead worker's claims taken back by the ticker
            recoveries: list[float] = []  # kill → every message it held settled (sent / unknown) by another worker
            kill_every = total // (args.kills + 1)
            next_kill = kill_every
            started = time.monotonic()
            try:
                while True:
                    service.tick()
                    db.session.remove()
                    counts = statuses()
                    for kill in list(kills):
                        rows = db.session.execute(
                            select(Message.id, Message.status, Message.claim_token).where(
                                Message.id.in_(list(kill["held"]))
                            )
                        ).all()
                        db.session.remove()
                        now = time.monotonic()
                        if kill["picked"] is None and not any(t == kill["held"][i] for i, _s, t in rows):
                            kill["picked"] = now
                            pickups.append(now - kill["at"])
                        if all(status in ("sent", "unknown", "failed") for _i, status, _t in rows):
                            recoveries.append(now - kill["at"])
                            kills.remove(kill)
                    if counts["pending"] + counts["sending"] == 0 and not kills:
                        break
                    if len(recoveries) + len(kills) < args.kills and counts["sent"] >= next_kill:
                        victim = workers.pop(0)
                        victim.send_signal(signal.SIGKILL)
                        victim.wait(30)
                        held = dict(
                            db.session.execute(
                                select(Message.id, Message.claim_token).where(Message.status == "sending")
                            ).all()
                        )
                        db.session.remove()
                        kills.append({"at": time.monotonic(), "held": held, "picked": None})
                        next_kill = counts["sent"] + kill_every
                        time.sleep(args.restart_after)
                        workers.append(start_worker())
                    time.sleep(0.25)
                    if time.monotonic() - started > 1800:
                        raise SystemExit(f"delivery did not finish: {counts}")
            finally:
                for worker in workers:
                    worker.kill()
                    worker.wait(30)
            elapsed = time.monotonic() - started

            counts = statuses()
            attempts = dict(db.session.execute(select(Message.id, Message.attempts)).all())
            db.session.remove()
            never_attempted_lost = sum(n for status, n in counts.items() if status not in ("sent", "unknown"))
            if args.channel == "smtp":
                duplicates = sum(n - 1 for n in smtp.arrived.values() if n > 1)
                repeated_calls = duplicates
            else:
                arrivals, calls = outbox_counts(redis_client.conn, "crashbench:outbox")
                duplicates = len(arrivals) - len(set(arrivals.values()))
                repeated_calls = sum(n - 1 for n in calls.values())
            retried = sum(1 for n in attempts.values() if n > 1)
            print()
            print(f"  statuses:                       {dict(counts)}")
            print(f"  never attempted, not delivered: {never_attempted_lost}")
            print(
                f"  unknown:                        {counts['unknown']} ({args.kills} kills × {args.workers} worker(s))"
            )
            print(
                f"  retried after a kill:           {retried} (provider calls repeated: {repeated_calls},"
                " de-duplicated by key)"
                if args.channel == "sandbox"
                else f"  retried after a kill:           {retried}"
            )
            print(f"  duplicates (arrived twice):     {duplicates}")
            for label, times in (("claims picked up after a kill", pickups), ("its messages all settled", recoveries)):
                times = sorted(times)
                figure = f"median {times[len(times) // 2]:.1f} s, max {times[-1]:.1f} s" if times else "(none held)"
                print(f"  {label + ':':<32}{figure}")
            print(f"  delivery wall time:             {elapsed:.1f} s ({total / elapsed:,.0f} messages/s)")
            assert never_attempted_lost == 0, "messages lost"
            assert counts["unknown"] <= args.kills * args.workers, "more than one unknown per kill"
            assert duplicates == 0, "duplicates"


if __name__ == "__main__":
    main()

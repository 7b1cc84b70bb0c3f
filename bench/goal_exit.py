"""Goal-exit latency: with N customers waiting in a journey, how long from a goal event being accepted (stored
and committed by the intake, its job enqueued) until that customer has left the journey (converted).

Real database (a fresh SQLite file, or --database-url), real Redis (--redis-url, else the embedded
redis-server), and a real `wayfinder worker` process working the queue. Goal events are sent one at a time
(--samples of them) to customers chosen at random among those waiting; prints p50 / p99 / max.

    python bench/goal_exit.py                     # 10,000 customers waiting, SQLite
    python bench/goal_exit.py --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack

from _stack import (  # also puts backend/ on sys.path: before any wayfinder import
    add_stack_arguments,
    db_name,
    drain_queues,
    load_customers,
    start_stack,
)
from sqlalchemy import select, text

from wayfinder.engine.queues import enqueue_events
from wayfinder.extensions import db
from wayfinder.journeys import service as journeys
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, Enrollment, EnrollmentStatus, utcnow
from wayfinder.tracking import track_events


def graph() -> dict:
    g = GraphBuilder()
    g.chain(g.trigger("cart", event="cart_updated"), g.wait("wait", days=3), g.exit("done"))
    g.chain(g.goal("bought", "purchase"), g.exit("converted"))
    return g.build()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    add_stack_arguments(parser)
    args = parser.parse_args()

    with ExitStack() as stack:
        bench = start_stack(stack, args, queue_prefix="goalbench:", tmp_prefix="wayfinder-goal-bench-")
        n = args.customers
        kind = db_name(bench.database_url)
        print(f"Wayfinder goal-exit benchmark: {n:,} customers waiting, {kind}, one worker process", flush=True)
        with bench.app.app_context():
            journey = journeys.create_journey(db.session, "Goal bench", graph=graph())
            journeys.publish(db.session, journey)
            db.session.commit()
            load_customers(n)
            ids = []
            for start in range(0, n, 1000):
                batch = [
                    {"event_id": f"cart-{i}", "customer_id": f"c{i}", "name": "cart_updated"}
                    for i in range(start, min(n, start + 1000))
                ]
                ids += track_events(db.session, batch, utcnow(), workspace_id=DEFAULT_WORKSPACE_ID).event_ids
                db.session.commit()
            enqueue_events(ids)
            drain_queues(bench.app)
            waiting = db.session.scalar(
                select(text("count(*)")).select_from(Enrollment).where(Enrollment.status == EnrollmentStatus.WAITING)
            )
            print(f"  customers waiting: {waiting:,}", flush=True)

            env = bench.worker_env()
            log = stack.enter_context(tempfile.TemporaryFile())
            worker = subprocess.Popen(
                [sys.executable, "-m", "wayfinder.cli", "worker"], env=env, stdout=log, stderr=log
            )
            stack.callback(worker.wait)
            stack.callback(worker.terminate)
            time.sleep(2)  # the worker process starts and connects

            rng = random.Random(7)
            chosen = rng.sample(range(n), args.samples)
            latencies = []
            for i in chosen:
                started = time.perf_counter()
                result = track_events(
                    db.session,
                    [{"event_id": f"buy-{i}", "customer_id": f"c{i}", "name": "purchase"}],
                    utcnow(),
                    workspace_id=DEFAULT_WORKSPACE_ID,
                )
                db.session.commit()
                enqueue_events(result.event_ids)
                accepted = time.perf_counter()
                enrollment = select(Enrollment.status).where(
                    Enrollment.customer_id
                    == select(Customer.id).where(Customer.external_id == f"c{i}").scalar_subquery()
                )
                while db.session.scalar(enrollment) != EnrollmentStatus.CONVERTED:
                    db.session.rollback()
                    if time.perf_counter() - started > 30:
                        raise SystemExit(f"customer c{i} did not leave within 30 s")
                    time.sleep(0.001)
                db.session.rollback()
                latencies.append(time.perf_counter() - accepted)
            latencies.sort()
            p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
            print(f"  samples:                  {len(latencies)}")
            print("  goal event accepted → customer left (converted):")
            print(f"    p50:                    {p(0.50):8.1f} ms")
            print(f"    p99:                    {p(0.99):8.1f} ms")
            print(f"    max:                    {latencies[-1] * 1000:8.1f} ms")
            print(f"    mean:                   {statistics.mean(latencies) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()

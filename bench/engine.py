"""Engine benchmark: N customers through trigger → wait → condition → email, on the real stack.

Real database (a fresh SQLite file by default, or --database-url), real Redis queues (--redis-url, else the
embedded redis-server), real RQ workers, the real ticker; email goes to the in-memory sandbox channel
(--smtp sends to a local aiosmtpd catcher instead). Prints the wall time of each phase and the engine's
throughput in steps per second, where a step is one customer entering one node.

    python bench/engine.py                      # 100,000 customers, SQLite
    python bench/engine.py --customers 20000 --database-url postgresql://postgres@127.0.0.1:5432/test
    python bench/engine.py --workers 2          # two worker processes instead of an in-process worker
"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack
from datetime import timedelta

from _stack import (  # also puts backend/ on sys.path: before any wayfinder import
    add_stack_arguments,
    db_name,
    load_customers,
    run_workers,
    start_stack,
)
from sqlalchemy import func, select

from wayfinder.engine import service
from wayfinder.extensions import db
from wayfinder.journeys import service as journeys
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID, Message, NodeCount, utcnow
from wayfinder.tracking import track_events


def bench_graph() -> dict:
    g = GraphBuilder()
    g.chain(g.trigger("cart", event="cart_updated"), g.wait("wait", hours=1), g.condition("bought", event="purchase"))
    g.connect("bought", g.exit("done"), handle="yes")
    g.connect(
        "bought",
        g.email(
            "email",
            subject="{{ customer.first_name }}, your {{ event.product }} is waiting",
            body="<p>Hi {{ customer.first_name }}, NT$ {{ event.total }}</p>",
        ),
        handle="no",
    )
    return g.build()


GRAPH = bench_graph()


class Phase:
    def __init__(self, name: str, results: list) -> None:
        self.name, self.results = name, results

    def __enter__(self):
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        elapsed, cpu = time.perf_counter() - self.started, time.process_time() - self.cpu_started
        self.results.append((self.name, elapsed, cpu))
        print(f"  {self.name:<44} {elapsed:8.2f} s  (CPU {cpu:.2f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--purchase-rate", type=float, default=0.3, help="share of customers who buy during the wait")
    add_stack_arguments(parser, batch=True)
    parser.add_argument("--workers", type=int, default=0, help="worker processes (0 = one in-process worker)")
    args = parser.parse_args()

    with ExitStack() as stack:
        bench = start_stack(stack, args, queue_prefix="bench:", tmp_prefix="wayfinder-bench-")
        app, env = bench.app, bench.worker_env()
        n = args.customers
        print(
            f"Wayfinder engine benchmark: {n:,} customers, {db_name(bench.database_url)}, "
            f"{args.workers or 'in-process'} worker(s), batch {args.batch}",
            flush=True,
        )
        results: list[tuple[str, float, float]] = []
        with app.app_context():
            journey = journeys.create_journey(db.session, "Bench", graph=GRAPH)
            journeys.publish(db.session, journey)
            db.session.commit()
            journey_id = journey.id
            now = utcnow()
            with Phase("load customers (bulk insert)", results):
                load_customers(n, lambda i: {"first_name": f"C{i}"})

            buyers = int(n * args.purchase_rate)
            with Phase(f"track {n + buyers:,} events (intake)", results):
                events = [
                    {
                        "event_id": f"cart-{i}",
                        "customer_id": f"c{i}",
                        "name": "cart_updated",
                        "properties": {"product": "Serum", "total": 1280},
                        # Carts a minute ago and purchases 5 s after each: in the past by the time the condition
                        # runs (it counts only events that have happened by the moment it is evaluated).
                        "timestamp": now - timedelta(minutes=1),
                    }
                    for i in range(n)
                ]
                events += [
                    {
                        "event_id": f"buy-{i}",
                        "customer_id": f"c{i}",
                        "name": "purchase",
                        "properties": {"total": 1280},
                        "timestamp": now - timedelta(minutes=1) + timedelta(seconds=5),
                    }
                    for i in range(buyers)
                ]
                event_ids = []
                for start in range(0, len(events), 1000):
                    event_ids += track_events(
                        db.session, events[start : start + 1000], utcnow(), workspace_id=DEFAULT_WORKSPACE_ID
                    ).event_ids
                    db.session.commit()
                from wayfinder.engine.queues import enqueue_events

                enqueue_events(event_ids)

            with Phase("enrol + advance to the wait", results):
                run_workers(app, args.workers, env)
            with Phase("ticker claims the due waits", results):
                stats = service.tick(now=utcnow() + timedelta(hours=2))
                db.session.remove()
            with Phase("condition + email render + delivery", results):
                run_workers(app, args.workers, env)

            counts = {
                row.node_id: row
                for row in db.session.scalars(select(NodeCount).where(NodeCount.journey_id == journey_id))
            }
            steps = sum(row.entered for row in counts.values())
            sent = db.session.scalar(select(func.count()).select_from(Message).where(Message.status == "sent"))
            engine = [(t, cpu) for name, t, cpu in results if not name.startswith(("load", "track"))]
            engine_time, engine_cpu = sum(t for t, _cpu in engine), sum(cpu for _t, cpu in engine)
            print()
            print(f"  woken by the ticker:      {stats['woken']:,}")
            print(f"  steps (node entries):     {steps:,}")
            print(f"  emails sent (sandbox):    {sent:,}")
            print(f"  engine wall time:         {engine_time:.2f} s")
            print(f"  engine CPU time (bench):  {engine_cpu:.2f} s  (this process: user + sys, not the database's)")
            print(f"  engine throughput:        {steps / engine_time:,.0f} steps/s")
            print(f"  total wall time:          {sum(t for _, t, _cpu in results):.2f} s")
            expected_email = n - buyers
            assert counts["email"].entered == expected_email and sent == expected_email, "lost or extra emails"
            assert all(r.entered == r.moved_on + r.exited for r in counts.values()), "counts do not conserve"


if __name__ == "__main__":
    main()

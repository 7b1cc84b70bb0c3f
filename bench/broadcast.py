"""Broadcast benchmark: a scheduled journey sends one message to every customer, on the real stack.

A journey "once at <time> → send email" with no audience filter (every customer of the workspace) is published; the
ticker fires it at its time; worker processes enrol the customers, step them to the send, render each message at
delivery and hand it to the sandbox provider (which records arrivals and does nothing else). Prints, for each
worker count, customers per second from the firing to the last message handed to the provider — the product's goal
is 1,000,000 customers in ≤ 60 s on one machine, i.e. ≥ 16,700 customers/s.

    python bench/broadcast.py --customers 20000 --database-url postgresql://postgres@127.0.0.1:5432/test
    python bench/broadcast.py --customers 100000 --workers 1 2 --database-url …
"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack
from datetime import timedelta
from zoneinfo import ZoneInfo

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
from wayfinder.models import Enrollment, Message, utcnow

TAIPEI = ZoneInfo("Asia/Taipei")


def broadcast_graph(at_local: str) -> dict:
    g = GraphBuilder()
    g.chain(
        g.schedule("launch", repeat="once", at=at_local),
        g.email("mail", subject="{{ customer.first_name }}，新品上市", body="<p>{{ customer.first_name }} 您好</p>"),
    )
    g.settings = {"timezone": "Asia/Taipei"}
    return g.build()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker process counts to run")
    add_stack_arguments(parser, batch=True)
    args = parser.parse_args()

    with ExitStack() as stack:
        bench = start_stack(stack, args, queue_prefix="bench:", tmp_prefix="wayfinder-broadcast-")
        app, env = bench.app, bench.worker_env()
        n = args.customers
        print(f"Wayfinder broadcast benchmark: {n:,} customers, {db_name(bench.database_url)}", flush=True)
        with app.app_context():
            load_customers(n, lambda i: {"first_name": f"C{i}"})
            for workers in args.workers:
                fire_at = utcnow().astimezone(TAIPEI).replace(second=0, microsecond=0) + timedelta(days=1)
                journey = journeys.create_journey(
                    db.session, f"Broadcast × {workers}", graph=broadcast_graph(fire_at.strftime("%Y-%m-%dT%H:%M"))
                )
                journeys.publish(db.session, journey)
                db.session.commit()
                journey_id = journey.id
                started = time.perf_counter()
                service.tick(now=fire_at + timedelta(seconds=30))  # the schedule fires
                db.session.remove()
                run_workers(app, workers, env)  # enrol, step, render, deliver until the queues are empty
                elapsed = time.perf_counter() - started
                enrolled = db.session.scalar(
                    select(func.count()).select_from(Enrollment).where(Enrollment.journey_id == journey_id)
                )
                sent = db.session.scalar(
                    select(func.count())
                    .select_from(Message)
                    .where(Message.journey_id == journey_id, Message.status == "sent")
                )
                db.session.remove()
                print(
                    f"  {workers} worker process(es): {sent:,} of {enrolled:,} customers handed to the provider in "
                    f"{elapsed:.1f} s = {sent / elapsed:,.0f} customers/s "
                    f"(1,000,000 would take ~{1_000_000 / (sent / elapsed):,.0f} s)",
                    flush=True,
                )
                assert enrolled == n and sent == n, "lost or extra messages"


if __name__ == "__main__":
    main()

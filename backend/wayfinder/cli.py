"""`wayfinder` command line: dev (the whole stack), web, worker, ticker, doctor, migrate, seed-demo, demo-traffic."""

from __future__ import annotations

import argparse
import logging
import sys


def _app():
    from wayfinder.app import create_app

    return create_app()


def cmd_web(args: argparse.Namespace) -> None:
    from wayfinder.devtools.webserver import serve

    print(f"Wayfinder web on http://{args.host}:{args.port}", flush=True)
    serve(args.host, args.port)


def cmd_worker(args: argparse.Namespace) -> None:
    from wayfinder.engine.queues import run_worker

    app = _app()
    with app.app_context():
        run_worker(burst=args.burst)


def cmd_ticker(args: argparse.Namespace) -> None:
    from wayfinder.engine.ticker import run_ticker

    app = _app()
    with app.app_context():
        run_ticker(interval=args.interval)


def cmd_doctor(args: argparse.Namespace) -> None:
    import json

    from wayfinder.health import collect, format_report

    app = _app()
    with app.app_context():
        report = collect()
    print(json.dumps(report, indent=2) if args.json else format_report(report), flush=True)
    sys.exit(0 if report["ok"] and report["customers_moving"] else 1)


def cmd_migrate(args: argparse.Namespace) -> None:
    from wayfinder.db_migrations import upgrade

    app = _app()
    upgrade(app.config["DATABASE_URL"])
    print("Database is at the latest revision.", flush=True)


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from wayfinder.demo.seed import seed_demo

    app = _app()
    with app.app_context():
        summary = seed_demo()
    print(summary, flush=True)


def cmd_demo_traffic(args: argparse.Namespace) -> None:
    from wayfinder.demo.traffic import emit_demo_traffic

    app = _app()
    with app.app_context():
        result = emit_demo_traffic(customers=args.customers)
    print(f"Emitted {result['events']} events for {args.customers} demo customers.", flush=True)


def cmd_dev(args: argparse.Namespace) -> None:
    from wayfinder.devtools.supervisor import run_dev

    sys.exit(run_dev(host=args.host, port=args.port, seed=not args.no_demo))


def cmd_mailcatcher(args: argparse.Namespace) -> None:
    from wayfinder.devtools.mailcatcher import serve

    serve(host=args.host, port=args.port, directory=args.dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wayfinder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    dev = sub.add_parser("dev", help="run web + worker + ticker + embedded Redis + mail catcher, with demo data")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=5000)
    dev.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    dev.set_defaults(func=cmd_dev)

    web = sub.add_parser("web", help="serve the API, the Socket.IO endpoint and the built front end")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=5000)
    web.set_defaults(func=cmd_web)

    worker = sub.add_parser("worker", help="run an RQ worker on the engine and delivery queues")
    worker.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    worker.set_defaults(func=cmd_worker)

    ticker = sub.add_parser("ticker", help="wake due enrollments, retry sends, publish live counts")
    ticker.add_argument("--interval", type=float, default=1.0)
    ticker.set_defaults(func=cmd_ticker)

    doctor = sub.add_parser("doctor", help="check database, Redis, ticker, workers and queues (as GET /healthz)")
    doctor.add_argument("--json", action="store_true", help="print the /healthz JSON instead")
    doctor.set_defaults(func=cmd_doctor)

    sub.add_parser("migrate", help="upgrade the database to the latest revision").set_defaults(func=cmd_migrate)
    sub.add_parser("seed-demo", help="load the demo customers and journeys").set_defaults(func=cmd_seed_demo)

    traffic = sub.add_parser("demo-traffic", help="emit realistic cart / purchase / open events")
    traffic.add_argument("--customers", type=int, default=20)
    traffic.set_defaults(func=cmd_demo_traffic)

    catcher = sub.add_parser("mailcatcher", help="a local SMTP server that stores mail in a Maildir")
    catcher.add_argument("--host", default="127.0.0.1")
    catcher.add_argument("--port", type=int, default=8025)
    catcher.add_argument("--dir", required=True)
    catcher.set_defaults(func=cmd_mailcatcher)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()

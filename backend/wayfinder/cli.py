"""`wayfinder` command line: dev (the whole stack), web, worker, ticker, doctor, migrate, seed-demo, demo-traffic,
create-workspace, create-user, demo-user."""

from __future__ import annotations

import argparse
import logging
import sys

DEMO_LANGUAGES = ("zh-TW", "en")  # as wayfinder.demo.seed.LANGUAGES (not imported here: the CLI starts light)


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
        summary = seed_demo(args.lang)
    print(summary, flush=True)


def cmd_demo_traffic(args: argparse.Namespace) -> None:
    from wayfinder.demo.traffic import emit_demo_traffic

    app = _app()
    with app.app_context():
        result = emit_demo_traffic(customers=args.customers, lang=args.lang)
    print(f"Emitted {result['events']} events for {args.customers} demo customers.", flush=True)


def cmd_create_workspace(args: argparse.Namespace) -> None:
    from wayfinder.errors import WayfinderError
    from wayfinder.extensions import db
    from wayfinder.workspaces.settings import create_workspace

    app = _app()
    with app.app_context():
        try:
            created = create_workspace(db.session, args.slug, args.name, args.time_zone, args.language)
        except (ValueError, WayfinderError) as exc:
            print(f"Not created: {getattr(exc, 'message', exc)}", file=sys.stderr, flush=True)
            sys.exit(2)
        db.session.commit()
    print(f"Workspace {created.slug!r} created (id {created.id}, {created.time_zone}, {created.language}).", flush=True)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        sys.exit("The passwords differ.")
    return first


def cmd_create_user(args: argparse.Namespace) -> None:
    from wayfinder.accounts.service import add_membership, create_user, workspace_by_slug
    from wayfinder.errors import WayfinderError
    from wayfinder.transactions import unit_of_work

    password = _read_password(args)
    app = _app()
    try:
        with app.app_context(), unit_of_work() as session:
            workspace = workspace_by_slug(session, args.workspace)
            user = create_user(session, email=args.email, password=password, display_name=args.name)
            add_membership(session, user, workspace.id, args.role)
            email = user.email
    except WayfinderError as exc:
        problems = exc.extra.get("fields", {}).get("password") or [exc.message]
        sys.exit("create-user: " + " ".join(problems))
    print(f"Created {email}, {args.role} of the workspace {args.workspace}.", flush=True)


def cmd_add_member(args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from wayfinder.accounts.service import add_membership, normalize_email, workspace_by_slug
    from wayfinder.errors import WayfinderError
    from wayfinder.models import User
    from wayfinder.transactions import unit_of_work

    app = _app()
    try:
        with app.app_context(), unit_of_work() as session:
            workspace = workspace_by_slug(session, args.workspace)
            user = session.scalar(select(User).where(User.email == normalize_email(args.email)))
            if user is None:
                sys.exit(f"add-member: no user has the email {args.email} (create-user makes one)")
            add_membership(session, user, workspace.id, args.role)
    except WayfinderError as exc:
        sys.exit(f"add-member: {exc.message}")
    print(f"{normalize_email(args.email)} is now {args.role} of the workspace {args.workspace}.", flush=True)


def cmd_demo_user(args: argparse.Namespace) -> None:
    from wayfinder.accounts.demo import DEMO_EMAIL, ensure_demo_user

    app = _app()
    with app.app_context():
        password = ensure_demo_user(app.config["INSTANCE_DIR"])
    if password:
        print(f"Sign in as {DEMO_EMAIL} with the password {password}", flush=True)
    else:
        print("Users exist already: sign in with your account (wayfinder create-user adds one).", flush=True)


def cmd_steps_manifest(args: argparse.Namespace) -> None:
    import json

    from wayfinder import steps

    text = json.dumps(steps.manifest(), indent=2, ensure_ascii=False) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def cmd_dev(args: argparse.Namespace) -> None:
    import os

    from wayfinder.devtools.supervisor import run_dev

    if args.lang:
        os.environ["DEMO_LANGUAGE"] = args.lang  # the seed, web and worker it starts inherit it

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
    dev.add_argument("--lang", choices=DEMO_LANGUAGES, help="language of the demo data (default: DEMO_LANGUAGE, zh-TW)")
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
    seed = sub.add_parser("seed-demo", help="load the demo customers and journeys")
    seed.add_argument("--lang", choices=DEMO_LANGUAGES, help="their language (default: DEMO_LANGUAGE, zh-TW)")
    seed.set_defaults(func=cmd_seed_demo)

    traffic = sub.add_parser("demo-traffic", help="emit realistic cart / purchase / open events")
    traffic.add_argument("--customers", type=int, default=20)
    traffic.add_argument("--lang", choices=DEMO_LANGUAGES, help="language of the product names")
    traffic.set_defaults(func=cmd_demo_traffic)

    workspace = sub.add_parser("create-workspace", help="create a workspace (one brand: its own customers, journeys)")
    workspace.add_argument("--slug", required=True, help="short handle, e.g. dforce-tw (lower case, digits, -)")
    workspace.add_argument("--name", required=True, help="the brand's name")
    workspace.add_argument("--time-zone", default="Asia/Taipei", help="IANA zone its journeys run in")
    workspace.add_argument("--language", choices=DEMO_LANGUAGES, default="zh-TW", help="its default language")
    workspace.set_defaults(func=cmd_create_workspace)

    from wayfinder.models.account import Role  # light: SQLAlchemy models only

    user = sub.add_parser("create-user", help="create a user with a role in a workspace")
    user.add_argument("--email", required=True)
    user.add_argument("--name", help="display name (default: the part of the email before @)")
    user.add_argument("--workspace", default="default", help="the workspace's slug (default: default)")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.set_defaults(func=cmd_create_user)

    member = sub.add_parser("add-member", help="give an existing user a role in a(nother) workspace")
    member.add_argument("--email", required=True)
    member.add_argument("--workspace", required=True, help="the workspace's slug")
    member.add_argument("--role", required=True, choices=[r.value for r in Role])
    member.set_defaults(func=cmd_add_member)

    demo_user = sub.add_parser("demo-user", help="on a database without users, create the demo owner and print it")
    demo_user.set_defaults(func=cmd_demo_user)

    manifest = sub.add_parser("steps-manifest", help="print the step manifest (what GET /api/steps/manifest serves)")
    manifest.add_argument("--out", help="write it to this file instead of standard output")
    manifest.set_defaults(func=cmd_steps_manifest)

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

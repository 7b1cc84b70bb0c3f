"""Alembic, driven from code: no alembic.ini at the top of the repo.

    upgrade(url)                    # to "head"
    downgrade(url, target="base")

and a small command line for developers (see migrations/README.md):

    python -m wayfinder.db_migrations revision --autogenerate -m add_x
    python -m wayfinder.db_migrations upgrade [REVISION] [--url URL]
    python -m wayfinder.db_migrations downgrade [REVISION] [--url URL]
    python -m wayfinder.db_migrations current | history | heads

The scripts live in the repository's `migrations/` folder, found next to the package when it is installed
in editable mode (`pip install -e .`), or at $WAYFINDER_MIGRATIONS_DIR (the Docker image sets it), or in
./migrations. `--url` defaults to Config().DATABASE_URL (env DATABASE_URL, else the instance SQLite file).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from wayfinder.config import PACKAGE_DIR

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

__all__ = ["alembic_config", "downgrade", "migrations_dir", "revision", "upgrade"]


def migrations_dir() -> Path:
    """The folder holding env.py and versions/."""
    candidates = []
    if os.environ.get("WAYFINDER_MIGRATIONS_DIR"):
        candidates.append(Path(os.environ["WAYFINDER_MIGRATIONS_DIR"]))
    candidates.append(PACKAGE_DIR.parent.parent / "migrations")  # <repo>/backend/wayfinder → <repo>/migrations
    candidates.append(Path.cwd() / "migrations")
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise RuntimeError(f"Alembic migrations folder not found (tried {tried}); set WAYFINDER_MIGRATIONS_DIR")


def _command() -> ModuleType:
    """`alembic.command`, imported late: importing it logs one INFO line per built-in plugin, which we mute."""
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from alembic import command

    return command


def _default_url() -> str:
    from wayfinder.config import Config

    return Config().DATABASE_URL


def _prepare_sqlite(url: str) -> None:
    """SQLite cannot create the file's folder (e.g. a fresh `instance/`); create it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        if not parsed.database.startswith("file:"):
            Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def alembic_config(url: str | None = None) -> AlembicConfig:
    """An Alembic Config with `script_location` = the repo's migrations folder and `sqlalchemy.url` set."""
    url = url or _default_url()
    folder = migrations_dir()
    _command()  # mutes the plugin log lines before alembic is first imported
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(folder))
    # ConfigParser interpolation: a literal % (e.g. in a URL-encoded password) must be doubled.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logging"] = False
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (default: the latest)."""
    url = url or _default_url()
    _prepare_sqlite(url)
    _command().upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, target: str = "base") -> None:
    """Step the database at `url` down to `target` (default: empty)."""
    url = url or _default_url()
    _command().downgrade(alembic_config(url), target)


def revision(message: str, autogenerate: bool = False, url: str | None = None) -> None:
    """Write a new revision file into migrations/versions (autogenerate compares the models with `url`)."""
    url = url or _default_url()
    (migrations_dir() / "versions").mkdir(exist_ok=True)
    if autogenerate:
        _prepare_sqlite(url)
    _command().revision(alembic_config(url), message=message, autogenerate=autogenerate)


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", help="database URL (default: DATABASE_URL, else the instance SQLite file)")
    parser = argparse.ArgumentParser(prog="python -m wayfinder.db_migrations", description="Wayfinder migrations")
    sub = parser.add_subparsers(dest="command", required=True)

    rev = sub.add_parser("revision", parents=[common], help="create a new revision file")
    rev.add_argument("-m", "--message", required=True)
    rev.add_argument("--autogenerate", action="store_true", help="diff the models against the database")

    up = sub.add_parser("upgrade", parents=[common], help="upgrade to a revision (default head)")
    up.add_argument("revision", nargs="?", default="head")

    down = sub.add_parser("downgrade", parents=[common], help="downgrade to a revision (default base; -1 = one step)")
    down.add_argument("revision", nargs="?", default="base")

    sub.add_parser("current", parents=[common], help="show the database's revision")
    sub.add_parser("history", parents=[common], help="list the revisions")
    sub.add_parser("heads", parents=[common], help="show the head revision(s)")

    args = parser.parse_args(argv)
    url = args.url or _default_url()

    if args.command == "revision":
        revision(args.message, autogenerate=args.autogenerate, url=url)
    elif args.command == "upgrade":
        upgrade(url, args.revision)
    elif args.command == "downgrade":
        downgrade(url, args.revision)
    elif args.command == "current":
        _command().current(alembic_config(url), verbose=True)
    elif args.command == "history":
        _command().history(alembic_config(url), verbose=True)
    elif args.command == "heads":
        _command().heads(alembic_config(url), verbose=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The demo owner `wayfinder dev` creates on a database without users, so a fresh clone can sign in at once.

Its password is WAYFINDER_DEMO_PASSWORD when set (the e2e suite sets it), else random; it is kept in the instance
folder (`demo-user.txt`, readable by its owner only) so every `wayfinder dev` start can print it again.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import func, select

from wayfinder.accounts.service import add_membership, create_user
from wayfinder.models import DEFAULT_WORKSPACE_ID, Role, User
from wayfinder.transactions import unit_of_work

DEMO_EMAIL = "demo@wayfinder.local"
DEMO_NAME = "Demo Owner"
PASSWORD_FILE = "demo-user.txt"


def ensure_demo_user(instance_dir: Path) -> str | None:
    """The demo owner's password: created with the user when there is no user at all; None when other users
    exist and the demo owner is not one of them."""
    path = Path(instance_dir) / PASSWORD_FILE
    with unit_of_work() as session:
        demo = session.scalar(select(User).where(User.email == DEMO_EMAIL))
        if demo is not None:
            return path.read_text().strip() if path.is_file() else None
        if session.scalar(select(func.count()).select_from(User)):
            return None
        password = os.environ.get("WAYFINDER_DEMO_PASSWORD") or "-".join(secrets.token_urlsafe(6) for _ in range(3))
        user = create_user(session, email=DEMO_EMAIL, password=password, display_name=DEMO_NAME, language="zh-TW")
        add_membership(session, user, DEFAULT_WORKSPACE_ID, Role.OWNER)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(password + "\n")
    return password

"""Secrets kept at rest (a user's second-factor key today; channel provider credentials next): sealed with Fernet
(AES-128-CBC + HMAC-SHA256, from `cryptography`), so a copy of the database alone does not give them away.

The keys come from the environment: `ENCRYPTION_KEYS` is a comma-separated list of Fernet keys (make one with
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`); the first seals,
every one of them opens, so a key is rotated by putting the new one first and re-sealing. Unset, one key is derived
from `SECRET_KEY` (which is itself random per installation unless set): then changing SECRET_KEY loses what was
sealed, so production sets ENCRYPTION_KEYS.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SealBroken(Exception):
    """A sealed value none of the keys opens (the keys changed, or the value was tampered with)."""


def _box() -> MultiFernet:
    config = current_app.config
    keys = [k.strip() for k in config.get("ENCRYPTION_KEYS", []) if k.strip()]
    if not keys:
        digest = hashlib.sha256(b"wayfinder secret box\0" + config["SECRET_KEY"].encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def seal(plain: str) -> str:
    return _box().encrypt(plain.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _box().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise SealBroken("A secret kept at rest cannot be opened with the configured keys.") from error

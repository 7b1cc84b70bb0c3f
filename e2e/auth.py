"""Signing in from the e2e suite: the demo owner the dev stack creates, through the real API."""

from __future__ import annotations

import requests

DEMO_EMAIL = "demo@wayfinder.local"  # the owner `wayfinder dev` creates on a fresh database
DEMO_PASSWORD = "e2e demo owner passphrase"  # given to it through WAYFINDER_DEMO_PASSWORD


def signed_in_session(base_url: str, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> requests.Session:
    """A requests session signed in through the API, sending the CSRF header as the SPA does."""
    http = requests.Session()
    response = http.post(f"{base_url}/api/session", json={"email": email, "password": password}, timeout=30)
    response.raise_for_status()
    http.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return http

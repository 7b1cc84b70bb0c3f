"""Reads never queue behind the writer; a request that cannot get a lock in time answers 503, never hangs.

The lock is really held, by another connection, for the whole test (no sleeps standing in for it).
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager

import psycopg
import pytest

from tests.integration.journeys import customer


@contextmanager
def write_lock_held(database_url: str):
    """Another connection holding a write lock: SQLite's database lock, or PostgreSQL's lock on every customer row."""
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None, timeout=0)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE customers SET email = email")
    else:
        conn = psycopg.connect(database_url)  # a transaction opens with the first statement
        conn.execute("SELECT id FROM customers FOR UPDATE").fetchall()
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


@pytest.fixture
def short_lock_wait(app, monkeypatch):
    monkeypatch.setitem(app.config, "DB_LOCK_WAIT_REQUEST", 0.3)
    return 0.3


def test_reads_answer_while_another_connection_holds_the_write_lock(client, database_url, short_lock_wait):
    customer(client, "cat", "Cat")
    with write_lock_held(database_url):
        # The lock is held for the whole block: a read that needed it would wait out the short limit and answer
        # 503 (as the write below does), so a 200 is the proof that reads never wait for it.
        response = client.get("/api/customers")
        assert response.status_code == 200
        assert response.get_json()["total"] == 1
        assert client.get("/api/customers/cat").status_code == 200
        assert client.get("/api/journeys").status_code == 200


def test_write_that_cannot_get_the_lock_answers_503_with_retry_after(client, database_url, short_lock_wait):
    customer(client, "dan", "Dan")
    with write_lock_held(database_url):
        started = time.monotonic()
        response = client.post("/api/customers", json={"external_id": "dan", "attributes": {"first_name": "Danny"}})
        waited = time.monotonic() - started
    assert response.status_code == 503, response.get_json()
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["error"] == "database_busy"
    assert response.get_json()["message"]
    assert waited >= short_lock_wait  # it waited its limit, and then gave up (no upper bound: a busy machine)
    # Once the lock is gone the same write goes through: the failed request left nothing behind.
    retry = client.post("/api/customers", json={"external_id": "dan", "attributes": {"first_name": "Danny"}})
    assert retry.status_code == 200
    assert retry.get_json()["attributes"]["first_name"] == "Danny"

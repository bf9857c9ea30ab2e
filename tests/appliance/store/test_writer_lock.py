"""Writers of one process queue on one lock per database file (appliance.store.db.writer_lock),
so the next write starts when the previous commits instead of in SQLite's sleep-and-retry busy
handler; past ``busy_timeout`` it is the same ``database is locked`` as SQLite's (a 503)."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from appliance.store.db import Database
from tests.waiting import DEADLINE


def _db(path, busy_timeout_ms: int = int(DEADLINE * 1000)) -> Database:
    db = Database(path, busy_timeout_ms)
    db.conn().execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    return db


def test_a_second_writer_waits_on_the_process_lock_not_in_sqlite(tmp_path):
    first, second = _db(tmp_path / "m.db"), _db(tmp_path / "m.db")  # two Database objects, one file
    inside, go, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        with first.write() as conn:
            conn.execute("INSERT INTO t VALUES (1)")
            inside.set()
            go.wait(DEADLINE)

    def follow() -> None:
        try:
            # SQLite would give up at once (busy_timeout 0): only the process lock can make it wait
            second.conn().execute("PRAGMA busy_timeout = 0")
            with second.write() as conn:
                conn.execute("INSERT INTO t VALUES (2)")
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        done.set()

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(DEADLINE)
    follower = threading.Thread(target=follow)
    follower.start()
    assert not done.wait(0.2)          # still queued behind the first writer
    go.set()
    holder.join()
    follower.join()
    assert errors == []
    assert [r[0] for r in first.conn().execute("SELECT x FROM t ORDER BY rowid")] == [1, 2]


def test_a_writer_held_past_busy_timeout_gives_database_locked(tmp_path):
    holder_db, waiter_db = _db(tmp_path / "m.db"), _db(tmp_path / "m.db", busy_timeout_ms=100)
    inside, failed = threading.Event(), threading.Event()

    def hold() -> None:
        with holder_db.write():
            inside.set()
            failed.wait(DEADLINE)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(DEADLINE)
        with pytest.raises(sqlite3.OperationalError, match="database is locked") as caught, waiter_db.write():
            pass
    finally:
        failed.set()
        holder.join()
    from appliance.web.errors import database_busy
    assert database_busy(caught.value)      # the web layer answers it 503 database_busy
    with waiter_db.write() as conn:         # free again
        conn.execute("INSERT INTO t VALUES (3)")

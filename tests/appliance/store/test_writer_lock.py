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


def test_a_journal_write_skips_the_fsync_and_the_next_write_has_it_again(tmp_path):
    db = _db(tmp_path / "m.db")
    with db.write(durable=False) as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1      # NORMAL: no fsync at commit
        conn.execute("INSERT INTO t VALUES (1)")
    with db.write() as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2      # FULL again
    with pytest.raises(ZeroDivisionError), db.write(durable=False) as conn:
        conn.execute("INSERT INTO t VALUES (2)")
        raise ZeroDivisionError
    assert db.conn().execute("PRAGMA synchronous").fetchone()[0] == 2
    assert [r[0] for r in db.conn().execute("SELECT x FROM t")] == [1]


def test_the_device_journals_are_written_without_fsync_and_survive_a_kill(tmp_path):
    """The printer's journal row is written from the request issuing the ticket: without its own
    fsync (one per ticket instead of four, measured with strace), yet kept when the process dies."""
    import os
    import signal

    from appliance.devices.journal import PageJournal, PrintJournal
    from appliance.store import device_journal
    from appliance.store.db import Database as Db
    path = tmp_path / "motcua.db"
    Db(path).open_checked()
    pid = os.fork()
    if pid == 0:   # the appliance's process: writes both journals, then is killed
        try:
            db = Db(path)
            statements: list[str] = []
            db.conn().set_trace_callback(statements.append)
            PrintJournal(db).save({"id": "0001-abcdef", "kind": "ticket", "number": "A001", "ticket_id": 1,
                                   "slip": {}, "state": "queued", "error": None, "attempts": 0, "bytes": 0,
                                   "submitted_ts": 1.0, "printed_ts": None, "reprint_of": None})
            PageJournal(db, lambda: 2.0).record({"pager": 7, "event": "ticket.called", "repeat": 1,
                                                 "result": "ok"})
            if sum(1 for s in statements if s == "PRAGMA synchronous = NORMAL") == 2:
                os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(3)   # never back into pytest
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL   # both written with NORMAL
    db = Db(path)
    assert device_journal.print_job(db.conn(), "0001-abcdef")["state"] == "queued"
    assert [r["pager"] for r in device_journal.pages_of(db.conn(), 7, 10)] == [7]

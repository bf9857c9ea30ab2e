"""The WAL checkpoint runs in its own thread while the appliance serves, not inside a request's
commit (appliance.store.checkpointer): SQLite's rule of 1,000 pages stays only as a backstop."""
from __future__ import annotations

import os
import sqlite3
import threading

from appliance.store.checkpointer import BACKSTOP_PAGES, WalCheckpointer
from appliance.store.db import Database
from tests.waiting import DEADLINE

ROW = "x" * 3000  # about one page per commit


def _db(path) -> Database:
    db = Database(path)
    db.conn().execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")
    return db


def _commit(db: Database, n: int) -> None:
    for _ in range(n):
        with db.write() as conn:
            conn.execute("INSERT INTO t VALUES (?)", (ROW,))


def _wal_pages(path) -> int:
    return os.path.getsize(f"{path}-wal") // 4096


def test_without_the_checkpointer_a_commit_checkpoints_at_1000_pages(tmp_path):
    """The state before: the WAL is reused from its start once a commit has passed 1,000 pages."""
    db = _db(tmp_path / "m.db")
    _commit(db, 1500)
    assert _wal_pages(tmp_path / "m.db") < 1200
    db.close()


def test_with_the_checkpointer_commits_leave_the_copy_to_its_thread(tmp_path):
    path = tmp_path / "m.db"
    db = _db(path)
    runs: list[tuple[int, int]] = []
    ran = threading.Condition()

    def seen(frames: int, copied: int) -> None:
        with ran:
            runs.append((frames, copied))
            ran.notify_all()

    worker = WalCheckpointer(db, interval_s=0.01, on_checkpoint=seen)
    worker.db.set_autocheckpoint(BACKSTOP_PAGES)
    _commit(db, 1500)  # the checkpointer not started yet: no commit copied anything
    assert _wal_pages(path) >= 1500
    frames, copied = worker.run_once()
    assert frames >= 1500 and copied == frames

    worker.start()
    _commit(db, 20)
    with ran:  # its thread copies the new frames (the WAL restarted at its start) with no commit's help
        assert ran.wait_for(lambda: bool(runs) and runs[-1][0] == runs[-1][1] >= 20, DEADLINE), runs
    _commit(db, 5)
    worker.stop()  # its last checkpoint: nothing left in the WAL that the database lacks
    frames, copied = WalCheckpointer(db).run_once()
    assert frames == copied
    db.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 1525


def test_the_appliance_serves_with_the_backstop_rule_and_checkpoints_in_the_background(appliance):
    appliance.start()
    try:
        assert appliance.db.autocheckpoint == BACKSTOP_PAGES
        conn = appliance.db.conn()
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
        threads = {t.name for t in threading.enumerate()}
        assert "wal-checkpoint" in threads
    finally:
        appliance.stop()
    assert "wal-checkpoint" not in {t.name for t in threading.enumerate()}

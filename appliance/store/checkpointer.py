"""The WAL checkpoint, taken off the request path.

SQLite's own rule (``wal_autocheckpoint``, 1,000 pages) runs a checkpoint inside the commit that
passes the limit: that request copies ~4 MB from the WAL into the database and waits for two
``fsync`` calls, 30–100 ms, so one ticket issue in a few hundred answered many times slower than
the rest. While the appliance serves, :class:`WalCheckpointer` does it instead, on a connection
of its own in a thread of its own: a ``PASSIVE`` checkpoint (it never waits for a reader or a
writer, and they never wait for it) at most every ``interval_s`` when there is something to copy.
The connections' own rule stays as a backstop at :data:`BACKSTOP_PAGES` (~40 MB of WAL): should
this thread stop or fall behind, SQLite checkpoints in a commit again, as before.

A checkpoint changes nothing a commit acknowledged: the frames were ``fsync``-ed to the WAL at
their commit; they are copied and the database file is ``fsync``-ed before the WAL is reused.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

from .db import Database

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 10000
INTERVAL_S = 1.0


class WalCheckpointer:
    def __init__(self, db: Database, interval_s: float = INTERVAL_S,
                 on_checkpoint: Callable[[int, int], None] | None = None):
        self.db = db
        self.interval_s = interval_s
        self.on_checkpoint = on_checkpoint  # (frames in the WAL, frames copied), after each run
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None
        self.last_error: str | None = None

    def run_once(self) -> tuple[int, int]:
        """One ``PASSIVE`` checkpoint: (frames in the WAL, frames now copied into the database);
        (-1, -1) when the database is not in WAL mode."""
        if self._conn is None:
            self._conn = self.db.connect()
        busy, frames, copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(frames), int(copied)

    def start(self) -> None:
        """Checkpoint in the background; the serving connections keep only the backstop rule."""
        if self._thread is not None:
            return
        self.db.set_autocheckpoint(BACKSTOP_PAGES)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._conn is not None:
            try:
                self.run_once()  # the last frames into the database before the process ends
            except sqlite3.Error as exc:
                log.warning("last WAL checkpoint failed: %s", exc)
            self._conn.close()
            self._conn = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                frames, copied = self.run_once()
            except sqlite3.Error as exc:  # disk full, I/O error: SQLite's backstop still holds
                if str(exc) != self.last_error:
                    log.warning("WAL checkpoint failed: %s", exc)
                self.last_error = str(exc)
                continue
            self.last_error = None
            if self.on_checkpoint is not None:
                self.on_checkpoint(frames, copied)

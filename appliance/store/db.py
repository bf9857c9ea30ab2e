"""SQLite connection setup, transactions, migrations, integrity check and backup.

A thread uses one connection at a time (:meth:`Database.conn`). Long-lived worker threads keep
theirs; a web request gives its connection back at the end (:meth:`Database.release`), so 24
server threads share as many connections as requests actually run at once (each SQLite
connection costs a few hundred KB: with one per thread the panel alone passed 80 MB). Every
write is a ``BEGIN IMMEDIATE`` transaction so two writers never interleave, and
``synchronous=FULL`` makes a commit durable before the caller answers.

Writers of one process queue on a lock of their own (one per database file) before
``BEGIN IMMEDIATE``: the next one starts the moment the previous commits. Left to SQLite, a writer
that finds the database locked sleeps and retries (1, 2, 5, 10, 15, 20 ms… in its busy handler),
so a ticket issued while a satisfaction press commits waited 3–18 ms for a 2 ms transaction.
Other processes (``motcua sync``, the command line) still meet SQLite's ``busy_timeout``.
"""
from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Collection, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import MotcuaError
from ..files import create_private

log = logging.getLogger(__name__)


class StoreError(MotcuaError):
    """The database cannot be used; the message says what to do, in Vietnamese."""


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row an ``INSERT`` just wrote through ``cursor``."""
    if cursor.lastrowid is None:
        raise StoreError("Không ghi được dòng mới vào cơ sở dữ liệu.")
    return cursor.lastrowid


def update_by_id(conn: sqlite3.Connection, table: str, row_id: int, allowed: Collection[str],
                 values: Mapping[str, Any]) -> None:
    """``UPDATE table SET … WHERE id = row_id`` for ``values`` (column → value); a column not in
    ``allowed`` is a programming error (ValueError), never written: the names go into the SQL."""
    bad = set(values) - set(allowed)
    if bad:
        raise ValueError(f"not {table} columns: {sorted(bad)}")
    sets = ", ".join(f"{k} = ?" for k in values)
    conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values.values(), row_id))


FOREIGN_KEYS_OFF = "-- motcua: foreign_keys off"

_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_LOCK = threading.Lock()


def writer_lock(path: Path) -> threading.RLock:
    """The lock this process's writers of the database at ``path`` queue on (shared by every
    :class:`Database` open on that file)."""
    key = str(path) if str(path) == ":memory:" else str(path.resolve())
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(key, threading.RLock())


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every numbered migration, in order."""
    folder = resources.files("appliance.store") / "migrations"
    out = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            out.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    out.sort()
    versions = [v for v, _, _ in out]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"Các tệp migration phải đánh số liên tục từ 0001: {versions}")
    return out


def latest_version() -> int:
    return len(migration_scripts())


class Database:
    def __init__(self, path: str | Path, busy_timeout_ms: int = 5000):
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writer = writer_lock(self.path)
        self.autocheckpoint: int | None = None  # wal_autocheckpoint pages; None: SQLite's 1,000

    # connections -------------------------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=self.busy_timeout_ms / 1000, cached_statements=48)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            # One connection per server thread: a small page cache each keeps RSS low; the OS
            # page cache holds the hot pages for all of them.
            conn.execute("PRAGMA cache_size = -128")
            if self.autocheckpoint is not None:
                conn.execute(f"PRAGMA wal_autocheckpoint = {int(self.autocheckpoint)}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không mở được cơ sở dữ liệu {self.path}: {exc}. "
                             "Kiểm tra quyền ghi thư mục, hoặc khôi phục từ bản sao lưu.") from exc
        return conn

    def conn(self) -> sqlite3.Connection:
        """This thread's connection: an idle one from the pool, or a new one."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = self.connect()
                with self._lock:
                    self._all.append(conn)
            self._local.conn = conn
        return conn

    def release(self) -> None:
        """Give this thread's connection back to the pool (the end of a web request)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        if conn.in_transaction:  # a request that died mid-transaction must not leak it
            conn.execute("ROLLBACK")
        with self._lock:
            self._idle.append(conn)

    def set_autocheckpoint(self, pages: int) -> None:
        """The WAL size (pages) at which a commit checkpoints, for new connections, the pooled ones
        and this thread's (see :mod:`.checkpointer`); a connection a worker thread holds keeps its own."""
        self.autocheckpoint = pages
        mine = getattr(self._local, "conn", None)
        with self._lock:  # an idle connection is not taken while it is changed
            for conn in self._idle + ([mine] if mine is not None else []):
                conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")

    def connections(self) -> int:
        with self._lock:
            return len(self._all)

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
            self._idle.clear()
        self._local = threading.local()

    @contextlib.contextmanager
    def write(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One durable write transaction: committed when the block ends without an exception.

        Waits for this process's other writers on :func:`writer_lock` (at most ``busy_timeout``;
        then the same ``database is locked`` error SQLite gives, a 503 ``database_busy``).

        ``durable=False`` is for a device's journal (what was printed or paged), never for a fact
        the appliance acknowledges: that commit is written to the WAL without waiting for its
        ``fsync`` (``synchronous = NORMAL``). It survives the process being killed; a power cut
        may lose it until the next durable commit, whose ``fsync`` carries it too."""
        conn = self.conn()
        if not self._writer.acquire(timeout=self.busy_timeout_ms / 1000):
            raise sqlite3.OperationalError("database is locked (another writer of this process "
                                           f"held it for more than {self.busy_timeout_ms} ms)")
        try:
            if not durable:
                conn.execute("PRAGMA synchronous = NORMAL")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")  # a COMMIT refused (disk full) leaves the transaction open
                except BaseException:
                    if conn.in_transaction:  # SQLite may have rolled back already (SQLITE_FULL)
                        conn.execute("ROLLBACK")
                    raise
            finally:
                if not durable:
                    conn.execute("PRAGMA synchronous = FULL")
        finally:
            self._writer.release()

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        conn = self.conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def secure_delete(self) -> Iterator[None]:
        """While the block runs, this thread's connection overwrites deleted content (the purge)."""
        conn = self.conn()
        previous = int(conn.execute("PRAGMA secure_delete").fetchone()[0])
        conn.execute("PRAGMA secure_delete = ON")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA secure_delete = {previous}")

    def checkpoint_truncate(self) -> None:
        """Copy the WAL into the database and truncate it (no deleted page survives in it)."""
        self.conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # schema ------------------------------------------------------------------------------
    def version(self) -> int:
        return self.conn().execute("PRAGMA user_version").fetchone()[0]

    def migrate(self, target: int | None = None) -> list[str]:
        """Apply every migration above the current ``user_version``; returns the files applied."""
        scripts = migration_scripts()
        target = len(scripts) if target is None else target
        current = self.version()
        if current > len(scripts):
            raise StoreError(f"Cơ sở dữ liệu ở phiên bản {current}, mới hơn phần mềm ({len(scripts)}). "
                             "Hãy cài bản motcua mới hơn hoặc khôi phục bản sao lưu.")
        applied = []
        conn = self.conn()
        for version, name, sql in scripts:
            if current < version <= target:
                # a script that rebuilds a table other tables point at asks for foreign keys off
                # (they cannot be switched inside a transaction) and is checked before its commit
                rebuild = FOREIGN_KEYS_OFF in sql
                if rebuild:
                    conn.execute("PRAGMA foreign_keys = OFF")
                try:
                    conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};")
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall() if rebuild else []
                    if broken:
                        raise sqlite3.IntegrityError(f"{len(broken)} dòng trỏ tới dòng không còn "
                                                     f"(bảng {broken[0][0]} → {broken[0][2]})")
                    conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise StoreError(f"Nâng cấp cơ sở dữ liệu thất bại ở {name}: {exc}") from exc
                finally:
                    if rebuild:
                        conn.execute("PRAGMA foreign_keys = ON")
                applied.append(name)
                log.info("migration %s applied", name)
        return applied

    def quick_check(self) -> str:
        rows = self.conn().execute("PRAGMA quick_check").fetchall()
        result = "; ".join(r[0] for r in rows)
        return result

    def open_checked(self) -> Database:
        """Start-up: integrity check, then migrations. Raises StoreError with what to do."""
        result = self.quick_check()
        if result != "ok":
            raise StoreError(f"Cơ sở dữ liệu {self.path} bị hỏng ({result}). "
                             "Dừng dịch vụ và khôi phục bản sao lưu gần nhất (motcua backup).")
        self.migrate()
        return self

    def backup(self, target: str | Path) -> Path:
        """A consistent copy with ``VACUUM INTO`` (safe while the panel runs)."""
        target = Path(target)
        if target.exists():
            raise StoreError(f"Tệp {target} đã có; chọn tên khác để không ghi đè bản sao lưu cũ.")
        target.parent.mkdir(parents=True, exist_ok=True)
        # it holds citizens' personal data (docs/privacy.md): created 0600 before a byte is written;
        # VACUUM INTO fills an existing empty file
        try:
            create_private(target)
        except FileExistsError:
            raise StoreError(f"Tệp {target} đã có; chọn tên khác để không ghi đè bản sao lưu cũ.") from None
        try:
            self.conn().execute("VACUUM INTO ?", (str(target),))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

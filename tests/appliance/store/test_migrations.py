"""Numbered migrations tracked by user_version: an empty database and every earlier version
upgrade to the newest; the store's pragmas; quick_check; backups."""
import sqlite3

import pytest

from appliance.store.db import Database, StoreError, latest_version, migration_scripts


def schema(path):
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                        "ORDER BY type, name").fetchall()
    conn.close()
    return rows


def test_scripts_are_numbered_without_gaps():
    versions = [v for v, _, _ in migration_scripts()]
    assert versions == list(range(1, latest_version() + 1))
    assert latest_version() >= 2


def test_empty_database_upgrades_to_newest(tmp_path):
    db = Database(tmp_path / "a.db")
    applied = db.migrate()
    assert len(applied) == latest_version() and db.version() == latest_version()
    assert db.migrate() == []  # idempotent


@pytest.mark.parametrize("start", range(1, latest_version()))
def test_every_earlier_version_upgrades_to_newest(tmp_path, start):
    fresh = Database(tmp_path / "fresh.db")
    fresh.migrate()
    old = Database(tmp_path / "old.db")
    old.migrate(target=start)
    assert old.version() == start
    # data written at the old version survives the upgrade
    with old.write() as conn:
        conn.execute("INSERT INTO services (code, name, prefix) VALUES ('HT', 'Hộ tịch', 'A')")
    old.migrate()
    assert old.version() == latest_version()
    assert schema(tmp_path / "old.db") == schema(tmp_path / "fresh.db")
    assert old.conn().execute("SELECT name FROM services").fetchone()[0] == "Hộ tịch"


def test_pragmas(tmp_path):
    db = Database(tmp_path / "p.db", busy_timeout_ms=4321)
    conn = db.conn()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 4321


def test_newer_database_than_software_is_refused(tmp_path):
    db = Database(tmp_path / "n.db")
    db.conn().execute(f"PRAGMA user_version = {latest_version() + 5}")
    with pytest.raises(StoreError, match="mới hơn phần mềm"):
        db.migrate()


def test_quick_check_detects_corruption(tmp_path):
    path = tmp_path / "c.db"
    db = Database(path)
    db.migrate()
    with db.write() as conn:
        conn.executemany("INSERT INTO kv (key, value) VALUES (?, ?)",
                         [(f"k{i}", "x" * 500) for i in range(400)])
    db.conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096):  # scribble over b-tree pages
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    broken = Database(path)
    with pytest.raises((StoreError, sqlite3.DatabaseError)):
        broken.open_checked()


def test_backup_is_a_consistent_copy_and_never_overwrites(tmp_path):
    db = Database(tmp_path / "b.db")
    db.migrate()
    with db.write() as conn:
        conn.execute("INSERT INTO kv VALUES ('x', 'một')")
    target = db.backup(tmp_path / "backups" / "copy.db")
    assert target.stat().st_mode & 0o777 == 0o600
    copy = Database(target)
    assert copy.version() == latest_version()
    assert copy.conn().execute("SELECT value FROM kv").fetchone()[0] == "một"
    with pytest.raises(StoreError):
        db.backup(target)


def test_threads_share_released_connections(tmp_path):
    """A request gives its connection back, so many server threads need few connections."""
    import threading
    db = Database(tmp_path / "pool.db")
    db.migrate()
    db.release()

    def request():
        db.conn().execute("SELECT count(*) FROM kv").fetchone()
        db.release()
    for _ in range(20):
        t = threading.Thread(target=request)
        t.start()
        t.join()
    assert db.connections() == 1
    conn = db.conn()
    conn.execute("BEGIN")
    db.release()  # a connection never goes back with a transaction open
    assert not conn.in_transaction

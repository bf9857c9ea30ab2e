"""Backups, the first admin password and the demo logins are created 0600: never world-readable,
not even for the moment between writing and a later chmod (checked under umask 022 with chmod
disabled, as if the process had died right after writing)."""
from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from appliance.files import create_private, write_private
from appliance.store.db import Database, StoreError


@pytest.fixture
def umask_022_without_chmod(monkeypatch):
    """The usual umask, and every after-the-fact chmod turned into a no-op."""
    old = os.umask(0o022)
    monkeypatch.setattr(os, "chmod", lambda *a, **k: None)
    monkeypatch.setattr(Path, "chmod", lambda *a, **k: None)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_is_born_private(tmp_path, umask_022_without_chmod):
    db = Database(tmp_path / "a.db")
    db.migrate()
    with db.write() as conn:
        conn.execute("INSERT INTO kv VALUES ('x', 'Nguyễn Văn A')")
    target = db.backup(tmp_path / "saoluu" / "a-copy.db")
    assert mode(target) == 0o600
    assert Database(target).conn().execute("SELECT value FROM kv").fetchone()[0] == "Nguyễn Văn A"
    with pytest.raises(StoreError, match="đã có"):
        db.backup(target)
    assert Database(target).conn().execute("SELECT value FROM kv").fetchone()[0] == "Nguyễn Văn A"


def test_a_failed_backup_leaves_no_empty_file(tmp_path):
    db = Database(tmp_path / "a.db")
    db.migrate()
    db.conn().execute("BEGIN")  # VACUUM cannot run inside a transaction
    try:
        with pytest.raises(sqlite3.OperationalError, match="VACUUM"):
            db.backup(tmp_path / "b.db")
    finally:
        db.conn().execute("ROLLBACK")
    assert not (tmp_path / "b.db").exists()


def test_init_writes_the_admin_password_private(tmp_path, umask_022_without_chmod):
    from appliance import cli
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\npath = "{tmp_path / "state" / "motcua.db"}"\n[gpio]\nfactory = "none"\n',
                   encoding="utf-8")
    assert cli.main(["--config", str(cfg), "init"]) == 0
    secret = tmp_path / "state" / "admin-password.txt"
    assert mode(secret) == 0o600 and secret.read_text(encoding="utf-8").startswith("admin: ")
    assert not list((tmp_path / "state").glob("*.tmp"))


def test_demo_logins_are_private(settings, clock, umask_022_without_chmod):
    from appliance import demo
    from appliance.runtime import Appliance
    appliance = Appliance(settings, clock_fn=clock)
    try:
        demo.seed(appliance)
        logins = appliance.state_dir / "demo-logins.txt"
        assert mode(logins) == 0o600 and "admin: " in logins.read_text(encoding="utf-8")
        demo.seed(appliance)  # idempotent, still private
        assert mode(logins) == 0o600
    finally:
        appliance.stop()


def test_a_stale_world_readable_temporary_file_is_not_reused(tmp_path):
    old = os.umask(0o022)
    try:
        stale = tmp_path / "secret.txt.tmp"
        stale.write_text("cũ", encoding="utf-8")
        assert mode(stale) == 0o644
        write_private(tmp_path / "secret.txt", "mới")
        assert mode(tmp_path / "secret.txt") == 0o600 and not stale.exists()
        assert (tmp_path / "secret.txt").read_text(encoding="utf-8") == "mới"
        create_private(tmp_path / "empty")
        assert mode(tmp_path / "empty") == 0o600
        with pytest.raises(FileExistsError):
            create_private(tmp_path / "empty")
    finally:
        os.umask(old)


def test_the_session_signing_key_is_born_private(appliance, umask_022_without_chmod):
    """The panel's session key is written 0600 from its first byte (it signs every login cookie)."""
    from appliance.web import create_app
    path = appliance.state_dir / "secret_key"
    assert not path.exists()
    app = create_app(appliance, {"TESTING": True})
    assert mode(path) == 0o600
    assert app.config["SECRET_KEY"] == path.read_text().strip() and len(app.config["SECRET_KEY"]) == 64
    assert create_app(appliance, {"TESTING": True}).config["SECRET_KEY"] == app.config["SECRET_KEY"]

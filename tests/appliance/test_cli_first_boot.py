"""`motcua init --browser-setup` (the image's first boot) leaves no administrator and keeps a
setup code for the browser; `motcua hostname` names the device's own motcua-XXXX.local."""
import sqlite3

from test_crash_and_cli import office, run  # noqa: F401  (the fixture and the runner)


def test_init_for_browser_setup(office, tmp_path):  # noqa: F811
    cfg, port, env = office
    r = run(["init", "--browser-setup"], env)
    assert r.returncode == 0, r.stderr
    assert "mã cài đặt" in r.stdout
    db = sqlite3.connect(tmp_path / "state" / "motcua.db")
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    code = db.execute("SELECT value FROM kv WHERE key = 'setup_code'").fetchone()[0]
    assert len(code) == 8 and code not in r.stdout  # never printed to a log
    assert not (tmp_path / "state" / "admin-password.txt").exists()
    assert run(["init", "--browser-setup"], env).returncode == 0  # idempotent: the same code
    assert db.execute("SELECT value FROM kv WHERE key = 'setup_code'").fetchone()[0] == code
    # a package upgrade runs plain `init`: the browser setup stays, no admin password appears
    r = run(["init"], env)
    assert r.returncode == 0 and "mã cài đặt" in r.stdout
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    assert not (tmp_path / "state" / "admin-password.txt").exists()


def test_hostname_names_the_device(office):  # noqa: F811
    cfg, port, env = office
    r = run(["hostname"], env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("motcua-") and ".local" in r.stdout

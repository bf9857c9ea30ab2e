"""After `make run` (`motcua demo`), the README's `motcua token add` / `user add` act on the demo's
database through the config file the demo writes and names; a busy port is one line, not a traceback."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tomllib

import requests
from waiting import DEADLINE

MOTCUA = [sys.executable, "-m", "appliance.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}


def start_demo(cwd, port):
    proc = subprocess.Popen(MOTCUA + ["demo", "--port", str(port)], cwd=cwd, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "MOTCUA_CONFIG=" in line:
            return proc, lines
    proc.kill()
    raise AssertionError(f"the demo stopped before naming its config file: {lines}")


def test_cli_acts_on_the_demo_it_names(tmp_path):
    port = free_port()
    proc, lines = start_demo(tmp_path, port)
    try:
        hint = lines[-1]
        assert "MOTCUA_CONFIG=var/motcua.toml motcua token add" in hint
        assert "--config var/motcua.toml" in hint
        cfg = tmp_path / "var" / "motcua.toml"
        data = tomllib.loads(cfg.read_text(encoding="utf-8"))
        assert data["storage"]["path"] == str(tmp_path / "var" / "motcua.db")
        assert data["web"]["port"] == port and data["gpio"]["factory"] == "mock"
        assert cfg.stat().st_mode & 0o077 == 0

        # The README's commands, as the hint says, from the same directory.
        env = {**clean_env(), "MOTCUA_CONFIG": "var/motcua.toml"}
        token = subprocess.run(MOTCUA + ["token", "add", "tv-sanh", "--role", "display"], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=DEADLINE)
        assert token.returncode == 0, token.stderr
        added = subprocess.run(MOTCUA + ["--config", "var/motcua.toml", "user", "add", "canbo9",
                                         "--role", "officer"], cwd=tmp_path, env=clean_env(),
                               input="Mat-khau-rat-dai-9\n", capture_output=True, text=True,
                               timeout=DEADLINE)
        assert added.returncode == 0, added.stderr

        # The running demo accepts the new token; the user is in the demo's database.
        page = requests.get(f"http://127.0.0.1:{port}/display", params={"token": token.stdout.strip()},
                            timeout=DEADLINE)
        assert page.status_code == 200
        refused = requests.get(f"http://127.0.0.1:{port}/display", params={"token": "x" * 40},
                               timeout=DEADLINE)
        assert refused.status_code != 200 or refused.text != page.text
        db = sqlite3.connect(tmp_path / "var" / "motcua.db")
        assert db.execute("SELECT role FROM users WHERE login = 'canbo9'").fetchone() == ("officer",)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=DEADLINE) == 0


def test_busy_port_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(MOTCUA + ["demo", "--port", str(port)], cwd=tmp_path, env=clean_env(),
                              capture_output=True, text=True, timeout=DEADLINE)
    assert proc.returncode == 1
    # Besides the log (a fresh demo's migrations), one line says what is wrong.
    err = [line for line in proc.stderr.strip().splitlines() if not line.startswith("INFO ")]
    assert len(err) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"Không mở được cổng 127.0.0.1:{port}" in err[0] and "--port" in err[0]
    assert "bản trình diễn" not in proc.stdout  # it never claimed to be serving

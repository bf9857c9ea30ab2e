"""Real processes: `motcua` commands, and SIGKILL during a burst loses no acknowledged ticket."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from waiting import DEADLINE, wait_until

MOTCUA = [sys.executable, "-m", "appliance.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def office(tmp_path):
    """A config file for a real office in tmp_path, initialised with `motcua init`."""
    cfg = tmp_path / "config.toml"
    port = free_port()
    cfg.write_text(f'[storage]\npath = "{tmp_path / "state" / "motcua.db"}"\n'
                   f'[web]\nhost = "127.0.0.1"\nport = {port}\n[gpio]\nfactory = "none"\n', encoding="utf-8")
    env = {**os.environ, "MOTCUA_CONFIG": str(cfg)}
    return cfg, port, env


def run(args, env, input_=None):
    return subprocess.run(MOTCUA + args, env=env, input=input_, capture_output=True, text=True, timeout=60)


def test_init_user_token_backup(office, tmp_path):
    cfg, port, env = office
    r = run(["init"], env)
    assert r.returncode == 0, r.stderr
    assert "Đã tạo tài khoản quản trị 'admin'" in r.stdout
    secret = tmp_path / "state" / "admin-password.txt"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert "Đã có tài khoản quản trị" in run(["init"], env).stdout  # idempotent
    r = run(["user", "add", "canbo1", "--role", "officer", "--full-name", "Nguyễn Thị Hoa"], env,
            "mat-khau-manh\n")
    assert r.returncode == 0 and "canbo1" in r.stdout
    r = run(["user", "add", "canbo1", "--role", "officer"], env, "mat-khau-manh\n")
    assert r.returncode == 1 and "đã tồn tại" in r.stderr
    r = run(["user", "add", "ngan", "--role", "officer"], env, "ngan\n")
    assert r.returncode == 1 and "ít nhất 8" in r.stderr
    r = run(["token", "add", "man-hinh-sanh", "--role", "display"], env)
    assert r.returncode == 0 and r.stdout.strip().startswith("mc_")
    r = run(["backup", str(tmp_path / "saoluu.db")], env)
    assert r.returncode == 0 and (tmp_path / "saoluu.db").exists()
    r = run(["backup", str(tmp_path / "saoluu.db")], env)
    assert r.returncode == 1 and "đã có" in r.stderr


def start_server(env, port):
    proc = subprocess.Popen(MOTCUA + ["serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(proc.stdout.read())


def test_sigkill_during_burst_loses_no_acknowledged_ticket(office):
    cfg, port, env = office
    assert run(["init"], env).returncode == 0
    assert run(["service", "add", "HT", "Hộ tịch", "--prefix", "A"], env).returncode == 0
    r = run(["counter", "add", "1", "Quầy 1", "--services", "HT,XX"], env)
    assert r.returncode == 1 and "Không có lĩnh vực 'XX'" in r.stderr
    assert run(["counter", "add", "1", "Quầy 1", "--services", "HT"], env).returncode == 0
    token = run(["token", "add", "kiosk", "--role", "kiosk"], env).stdout.strip()
    proc = start_server(env, port)
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()

    def burst():
        session = requests.Session()
        while not stop.is_set():
            try:
                r = session.post(f"http://127.0.0.1:{port}/api/v1/tickets", json={"service": "HT"},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=30)
            except requests.RequestException:
                return
            if r.status_code == 201:
                with lock:
                    acknowledged.append((r.json()["id"], r.json()["number"]))

    threads = [threading.Thread(target=burst) for _ in range(4)]
    for t in threads:
        t.start()
    wait_until(lambda: len(acknowledged) > 20, message="more than 20 acknowledged tickets")  # well under way
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=5)
    assert len(acknowledged) > 20
    proc = start_server(env, port)
    try:
        got = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).json()
        assert got["database"]["state"] == "ok"
        import sqlite3
        db = sqlite3.connect(Path(cfg.read_text().split('"')[1]))
        stored = dict(db.execute("SELECT id, number FROM tickets"))
        outboxed = {row[0] for row in db.execute("SELECT json_extract(payload, '$.ticket.id') FROM outbox "
                                                 "WHERE type = 'ticket.issued'")}
        for ticket_id, number in acknowledged:
            assert stored.get(ticket_id) == number
            assert ticket_id in outboxed
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_sigterm_stops_cleanly_with_an_sse_client_connected(office):
    cfg, port, env = office
    run(["init"], env)
    token = run(["token", "add", "tv", "--role", "display"], env).stdout.strip()
    proc = start_server(env, port)
    r = requests.get(f"http://127.0.0.1:{port}/api/v1/events", headers={"Authorization": f"Bearer {token}"},
                     stream=True, timeout=5)
    assert r.status_code == 200
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert time.monotonic() - started < 8
    r.close()


def test_demo_serves_and_is_idempotent(tmp_path):
    """`motcua demo` creates var/, serves the panel, prints the admin login; a re-run reuses both."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    printed = []
    for _ in range(2):
        port = free_port()
        proc = subprocess.Popen(MOTCUA + ["demo", "--dir", str(tmp_path / "var"), "--port", str(port)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            lines = []
            for line in proc.stdout:
                lines.append(line)
                if "admin login" in line:
                    break
            assert requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).json()["status"] == "ok"
            devices = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).json()["devices"]
            assert {"printer", "pager", "gpio"} <= set(devices)
            printed.append([line for line in lines if "admin login" in line][0])
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
    assert printed[0] == printed[1] and "admin / " in printed[0]
    import sqlite3
    db = sqlite3.connect(tmp_path / "var" / "motcua.db")
    assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 4
    assert (tmp_path / "var" / "devices").is_dir()


def test_init_flags_the_placeholder_agency_code_and_refuses_it_for_a_delegated_code_space(office, tmp_path):
    cfg, port, env = office
    r = run(["init"], env)
    assert r.returncode == 0 and "000.00.00.H00" in r.stdout and "là mã mẫu" in r.stdout
    cfg.write_text(cfg.read_text(encoding="utf-8") + '[office]\ncode_space = "delegated"\n', encoding="utf-8")
    r = run(["init"], env)
    assert r.returncode != 0 and "giao dải mã" in r.stderr
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('code_space = "delegated"\n',
                                                           'code_space = "delegated"\nagency_code = "000.00.06.H56"\n'),
                   encoding="utf-8")
    r = run(["init"], env)
    assert r.returncode == 0 and "là mã mẫu" not in r.stdout

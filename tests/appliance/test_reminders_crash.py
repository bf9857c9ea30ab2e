"""Reminders survive a crash (issue 12), with real processes: a dossier readied just before a
SIGKILL still gets its repeats after the restart, on the simulated pager (``sim://``) and, for a
citizen without a pager, on the hall display's event stream; the result handed over stops them."""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from sse_client import start_reader, wait_for
from waiting import DEADLINE, wait_until

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

MOTCUA = [sys.executable, "-m", "appliance.cli"]
PROCEDURE = "1.001193"
REPEAT_S = 2          # short, so the repeat falls due while the appliance is down


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, env):
    r = subprocess.run(MOTCUA + args, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def start_server(env, port):
    proc = subprocess.Popen(MOTCUA + ["serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("the server did not start")


def pages(path):
    if not path.exists():
        return []
    return [json.loads(line)["pager"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def reminders(db_path):
    with sqlite3.connect(db_path) as db:
        return {r[0]: r[1:] for r in db.execute("SELECT dossier_code, kind, pager, left FROM reminders")}


def submit(base, headers, pager):
    values = sample_values(load_catalog().get(PROCEDURE), datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date())
    draft = str(uuid.uuid4())
    r = requests.put(f"{base}/api/v1/drafts/{draft}", headers=headers, timeout=30,
                     json={"counter_id": 1, "procedure": PROCEDURE, "values": values})
    assert r.status_code == 200 and r.json()["errors"] == {}, r.text
    r = requests.post(f"{base}/api/v1/drafts/{draft}/submit", headers=headers, json={"pager": pager}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_dossier_readied_before_a_sigkill_is_reminded_after_the_restart(tmp_path):
    port = free_port()
    db_path = tmp_path / "state" / "motcua.db"
    record = tmp_path / "pager" / "pages.jsonl"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\npath = "{db_path}"\n[web]\nhost = "127.0.0.1"\nport = {port}\n'
                   f'[gpio]\nfactory = "none"\n[queue]\npager_pool = 5\n'
                   f'[pager]\nurl = "sim://{tmp_path / "pager"}"\nprotocol = "jtech-j1901"\n'
                   f'repeat_after_s = {REPEAT_S}\nrepeat_max = 3\n', encoding="utf-8")
    env = {**os.environ, "MOTCUA_CONFIG": str(cfg)}
    run(["init"], env)
    run(["service", "add", "HT", "Hộ tịch", "--prefix", "A"], env)
    run(["counter", "add", "1", "Quầy 1", "--services", "HT"], env)
    officer = {"Authorization": f"Bearer {run(['token', 'add', 'canbo', '--role', 'officer'], env)}"}
    display = {"Authorization": f"Bearer {run(['token', 'add', 'tv', '--role', 'display'], env)}"}
    base = f"http://127.0.0.1:{port}"

    proc = start_server(env, port)
    try:
        with_pager = submit(base, officer, "auto")
        without = submit(base, officer, None)
        assert with_pager["pager"] == 1 and without["pager"] is None
        for d in (with_pager, without):
            assert requests.post(f"{base}/api/v1/dossiers/{d['code']}/ready", headers=officer, json={},
                                 timeout=30).status_code == 200
        wait_until(lambda: pages(record) == [1], message="the first buzz of pager 1")
    finally:
        os.kill(proc.pid, signal.SIGKILL)          # readied just before the crash
        proc.wait(timeout=10)
    # the schedule is on disk, committed with "ready"
    assert reminders(db_path) == {with_pager["code"]: ("pager", 1, 3), without["code"]: ("call", None, 3)}

    proc = start_server(env, port)
    try:
        out, stop = start_reader(f"{base}/api/v1/events", display)
        try:
            # the display's stream: the pagerless dossier is called again, by number, without a name
            _, event, _ = wait_for(out, lambda e: e.get("event") == "dossier.call")
            payload = event["data"]["payload"]
            assert payload["code"] == without["code"] and payload["repeat"] >= 1 and payload["counter_id"] == 1
            assert payload["number"] == int(without["code"].rsplit("-", 1)[1])
            assert "applicant_name" not in payload and without["applicant"]["name"] not in json.dumps(event)
        finally:
            stop.set()
        wait_until(lambda: len(pages(record)) >= 2, message="a repeat of pager 1 after the restart")
        assert set(pages(record)) == {1}
        health = requests.get(f"{base}/api/v1/health", headers=officer, timeout=10).json()
        assert health["devices"]["reminders"]["state"] == "ok"

        # handing the results over stops the reminders, on disk and in the worker
        for d in (with_pager, without):
            r = requests.post(f"{base}/api/v1/dossiers/{d['code']}/return", headers=officer, json={}, timeout=30)
            assert r.status_code == 200, r.text
        assert reminders(db_path) == {}
        assert requests.get(f"{base}/api/v1/health", headers=officer,
                            timeout=10).json()["devices"]["reminders"]["pending"] == 0
        pool = requests.get(f"{base}/api/v1/pagers/pool", headers=officer, timeout=10).json()
        assert pool["free"] == 5 and pool["calling"] == []
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0

"""The hub served by waitress in a real subprocess (``python -m district.cli serve``), over HTTP."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from waiting import DEADLINE

from district.simulate import SimulatedCommune, gzip_json

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(db_url, hub_app):
    port = free_port()
    env = dict(os.environ, MOTCUA_HUB_DATABASE_URL=db_url, MOTCUA_HUB_NAME="Tỉnh Bắc Ninh", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "district.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + DEADLINE
    while True:
        try:
            if requests.get(base + "/api/v1/health", timeout=5).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or too busy starting to answer
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("motcua-hub serve không khởi động: " + (proc.stdout.read() or ""))
        time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def test_gzip_batches_over_http(served, enrol, staff_token, hub_app):
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    sim = SimulatedCommune("xa-duong-xa", "000.00.06.H56", seed=5)
    events = sim.day_events(hub_app.extensions["motcua_hub"].today(), tickets=40)
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"}
    for doc in sim.batches(events, size=100):
        r = session.post(f"{served}/api/v1/devices/xa-duong-xa/events:batch", data=gzip_json(doc), headers=headers)
        assert r.status_code == 200, r.text
    assert r.json() == {"acked_through": len(events), "quarantined": 0}
    r = session.post(f"{served}/api/v1/devices/xa-duong-xa/events:batch", data=b"{}", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "device_id"
    communes = session.get(f"{served}/api/v1/communes", headers={"Authorization": f"Bearer {staff_token}"}).json()
    assert communes["hub"]["name"] == "Tỉnh Bắc Ninh"
    assert communes["communes"][0]["events_received"] == len(events)
    page = session.get(f"{served}/tra-cuu")
    assert page.status_code == 200 and "Tra cứu tình trạng hồ sơ" in page.text

"""The serving process keeps out of memory what only some requests or commands need (issue 15's
80 MB): openpyxl (a report workbook), cryptography (``motcua tls enable`` and the /tls page),
requests (an HTTP SMS gateway), the doctor's and the support bundle's tarfile. Each cost
several MB at start (98 MB measured before they were loaded on demand). Checked in a fresh
interpreter running the demo's office up to the moment it serves."""
from __future__ import annotations

import subprocess
import sys

from tests.waiting import DEADLINE

SERVE = r"""
import json, os, signal, socket, sys
from pathlib import Path
from appliance import demo, server
from appliance.runtime import Appliance
var = Path(sys.argv[1])
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
app = Appliance(demo.demo_settings(var, port=port, extra=json.loads(sys.argv[3])))
demo.seed(app)
def ready(urls):
    print("LOADED", ",".join(sorted(m for m in sys.argv[2].split(",") if m in sys.modules)), flush=True)
    os.kill(os.getpid(), signal.SIGTERM)
server.run(app, port=port, on_ready=ready)
"""

HEAVY = ("openpyxl", "cryptography", "requests", "tarfile")


def _loaded_when_serving(tmp_path, extra: dict[str, dict] | None = None) -> list[str]:
    import json
    import os
    env = {**os.environ, "MOTCUA_GPIO_FACTORY": "mock"}
    extra = {"web": {"pdf_warm": False}, **(extra or {})}
    done = subprocess.run([sys.executable, "-c", SERVE, str(tmp_path / "var"), ",".join(HEAVY), json.dumps(extra)],
                          env=env, capture_output=True, text=True, timeout=DEADLINE * 6)
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED")]
    assert lines, done.stdout + done.stderr
    return [m for m in lines[0].removeprefix("LOADED ").split(",") if m]


def test_the_serving_process_loads_no_workbook_certificate_or_http_client_library(tmp_path):
    assert _loaded_when_serving(tmp_path) == []


def test_an_office_with_an_http_sms_gateway_loads_its_client(tmp_path):
    """The check above can fail: the same office with a gateway configured loads requests."""
    loaded = _loaded_when_serving(tmp_path, {"sms": {"url": "https://sms.example.vn/send", "token": "t"}})
    assert "requests" in loaded

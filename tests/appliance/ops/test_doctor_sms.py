"""motcua doctor on SMS: the modem's SIM and signal asked over a pty, or read from the running
worker's state file; the queue's backlog from the database."""
from __future__ import annotations

import json
import time

from appliance.config import load
from appliance.ops.check import FAIL, OK, SKIP, WARN
from appliance.ops.checks import sms
from appliance.ops.checks.context import Context
from appliance.sms.fake_modem import FakeModem
from appliance.store.db import Database


def settings(tmp_path, url: str):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\npath = "{tmp_path / "state" / "motcua.db"}"\n[sms]\nurl = "{url}"\n',
                   encoding="utf-8")
    return load(cfg, env={})


def ctx(s) -> Context:
    return Context(s, clock_synced=lambda: True)


def test_no_sms_is_skipped(tmp_path):
    [check] = sms.run(ctx(settings(tmp_path, "")))
    assert check.status == SKIP


def test_the_modem_is_asked_when_the_service_does_not_run(tmp_path):
    with FakeModem(link=tmp_path / "modem") as fake:
        [check] = sms.run(ctx(settings(tmp_path, fake.url)))
        assert check.status == OK and "sóng 18/31" in check.message
    with FakeModem(link=tmp_path / "modem2", sim="missing") as fake:
        [check] = sms.run(ctx(settings(tmp_path, fake.url)))
        assert check.status == FAIL and "SIM" in check.message and "lắp thẻ SIM" in check.action
    with FakeModem(link=tmp_path / "modem3", signal=99) as fake:
        [check] = sms.run(ctx(settings(tmp_path, fake.url)))
        assert check.status == FAIL and "sóng" in check.message and "cửa sổ" in check.action


def test_the_running_workers_state_and_the_backlog(tmp_path):
    s = settings(tmp_path, "serial:///dev/motcua-modem")
    db = Database(s.storage.path).open_checked()
    with db.write() as conn:
        for i, state in enumerate(["queued", "queued", "failed", "sent"]):
            conn.execute("INSERT INTO sms_messages (key, kind, phone, text, state, created_ts, next_try_ts) "
                         "VALUES (?, 'test', '0912345678', 'x', ?, 0, 0)", (f"k{i}", state))
    db.close()
    folder = s.state_dir / "devices"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sms-status.json").write_text(json.dumps({
        "state": "error", "message": "Modem không bắt được sóng di động", "sim": "ready", "signal": None,
        "at": time.time()}), encoding="utf-8")
    link, backlog = sms.run(ctx(s))
    assert link.status == FAIL and "sóng" in link.message
    assert backlog.status == WARN and backlog.message == "2 tin chờ gửi, 1 tin không gửi được"

"""The rehearsal clock for training (issue 12): ``[training]`` (``motcua demo --clock … --speed …``) runs
the appliance on a shifted, faster clock; the rules (2 working hours across lunch, 15:00, holidays)
apply as on that day; every page says 'CHẾ ĐỘ TẬP HUẤN' ('TRAINING MODE'); off by default; a restart
continues the same rehearsal; ``serve`` refuses it on a production database unless asked twice."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from waiting import DEADLINE, wait_until

from appliance import clock as clock_module
from appliance import config, demo
from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values
from appliance.runtime import Appliance

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MOTCUA = [sys.executable, "-m", "appliance.cli"]
CATALOG = load_catalog()


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


# --- the clock itself ---------------------------------------------------------------------------------

def test_the_rehearsal_clock_is_shifted_and_faster():
    wall = [1_000_000.0]
    start = local("2026-12-08 07:30").timestamp()
    rehearsal = clock_module.RehearsalClock(start, 20, wall=lambda: wall[0])
    assert rehearsal() == start
    wall[0] += 30                                     # half a real minute …
    assert rehearsal() == start + 600                 # … is ten rehearsal minutes
    assert datetime.fromtimestamp(rehearsal(), TZ).strftime("%H:%M") == "07:40"
    with pytest.raises(ValueError):
        clock_module.RehearsalClock(start, 0)


@pytest.mark.parametrize("text", ["2026-12-08 07:30", "2026-12-08T07:30", "08/12/2026 07:30"])
def test_the_clock_setting_is_read_in_the_offices_zone(text):
    assert clock_module.parse_training_clock(text, TZ) == local("2026-12-08 07:30").timestamp()


def test_a_wrong_clock_setting_is_refused_in_vietnamese():
    with pytest.raises(config.ConfigError, match="Cấu hình sai \\[training\\].clock.*YYYY-MM-DD HH:MM"):
        config.load(env={}, default_path=Path("/nonexistent.toml"), overrides={"training": {"clock": "8/12 7h"}})
    with pytest.raises(config.ConfigError, match="\\[training\\].speed"):
        config.load(env={}, default_path=Path("/nonexistent.toml"),
                    overrides={"training": {"clock": "2026-12-08 07:30", "speed": 0.5}})


def test_a_restart_continues_the_same_rehearsal_and_a_new_one_starts_again():
    start = local("2026-12-08 07:30").timestamp()
    kept = {"clock": "2026-12-08 07:30", "speed": 20.0, "origin": 5000.0}
    assert clock_module.rehearsal_anchor(kept, "2026-12-08 07:30", 20.0, start, 5000.0 + 60) == 5000.0
    # more than a rehearsal day later (12 h at 20×: 36 real minutes): a new rehearsal from 07:30
    assert clock_module.rehearsal_anchor(kept, "2026-12-08 07:30", 20.0, start, 5000.0 + 37 * 60) == 5000.0 + 37 * 60
    assert clock_module.rehearsal_anchor(kept, "2026-12-09 07:30", 20.0, start, 5060.0) == 5060.0   # another day
    assert clock_module.rehearsal_anchor(kept, "2026-12-08 07:30", 10.0, start, 5060.0) == 5060.0   # another speed
    assert clock_module.rehearsal_anchor(None, "2026-12-08 07:30", 20.0, start, 5060.0) == 5060.0


# --- the whole appliance on the rehearsal clock ---------------------------------------------------------

def training_settings(tmp_path: Path, clock: str, speed: float = 1.0):
    return config.load(env={}, default_path=tmp_path / "none.toml", overrides={
        "storage": {"path": str(tmp_path / "motcua.db")}, "queue": {"pager_pool": 10},
        "training": {"clock": clock, "speed": speed}})


@pytest.fixture
def training_app(tmp_path):
    made = []

    def make(clock: str, speed: float = 1.0):
        from appliance.web import create_app
        app_ = Appliance(training_settings(tmp_path, clock, speed))
        demo.seed(app_)
        made.append(app_)
        return app_, create_app(app_, {"TESTING": True}).test_client()
    yield make
    for app_ in made:
        app_.stop()


def officer_headers(appliance) -> dict:
    from appliance.services import accounts
    with appliance.units() as tx:
        return {"Authorization": f"Bearer {accounts.add_token(tx, f'officer-{uuid.uuid4().hex[:6]}', 'officer')}"}


def receive(client, headers, code: str, today) -> dict:
    draft = str(uuid.uuid4())
    saved = client.put(f"/api/v1/drafts/{draft}", headers=headers, json={
        "counter_id": 1, "procedure": code, "values": sample_values(CATALOG.get(code), today)})
    assert saved.status_code == 200 and saved.get_json()["errors"] == {}, saved.get_json()
    answer = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(TZ)


def test_the_two_hour_rule_runs_across_lunch_as_on_the_model_day(training_app):
    appliance, client = training_app("2026-12-08 10:45")          # a Tuesday, the model day
    assert isinstance(appliance.clock, clock_module.RehearsalClock) and appliance.training
    assert appliance.today() == "2026-12-08"
    dossier = receive(client, officer_headers(appliance), "1.001193", local("2026-12-08 10:45").date())
    received = at(dossier["received_at"])
    assert local("2026-12-08 10:45") <= received < local("2026-12-08 10:50")
    target = at(dossier["target_due_at"])
    # 45 minutes before lunch (11:30), 13:30 onwards the other 75: 14:45 (+ the seconds since 10:45)
    assert received + timedelta(hours=4) == target
    assert target.strftime("%Y-%m-%d %H") == "2026-12-08 14"
    ticket = client.post("/api/v1/tickets", json={"service": "HT"}, headers=officer_headers(appliance)).get_json()
    assert ticket["day"] == "2026-12-08" and at(ticket["issued_at"]).date().isoformat() == "2026-12-08"


def test_after_15_00_a_same_day_procedure_is_due_the_next_working_day(training_app):
    appliance, client = training_app("2026-12-11 15:20")          # a Friday afternoon
    dossier = receive(client, officer_headers(appliance), "2.000635", local("2026-12-11 15:20").date())
    assert at(dossier["received_at"]).date().isoformat() == "2026-12-11"
    assert at(dossier["due_at"]).date().isoformat() == "2026-12-14"   # Monday: the weekend skipped


def test_a_holiday_is_skipped_as_on_the_day(training_app):
    appliance, client = training_app("2026-12-31 09:00")          # the day before Tết Dương lịch
    dossier = receive(client, officer_headers(appliance), "1.004873", local("2026-12-31 09:00").date())
    received = at(dossier["received_at"])
    due = at(dossier["due_at"])
    calendar = appliance.calendar()
    assert calendar.holiday_name(datetime(2027, 1, 1).date()) == "Tết Dương lịch"
    assert due == calendar.due_for_procedure(CATALOG.get("1.004873"), received).astimezone(TZ)
    assert due.date().isoformat() == "2027-01-06"   # 31/12, then 4 and 5/1: 1/1 and the weekend skipped


def test_a_restart_continues_the_rehearsal(tmp_path):
    first = Appliance(training_settings(tmp_path, "2026-12-08 07:30", 20))
    origin = first.clock.origin
    first.stop()
    again = Appliance(training_settings(tmp_path, "2026-12-08 07:30", 20))
    assert again.clock.origin == origin and again.clock() >= local("2026-12-08 07:30").timestamp()
    again.stop()
    other = Appliance(training_settings(tmp_path, "2026-12-09 07:30", 20))
    assert other.clock.origin > origin and other.today() == "2026-12-09"
    other.stop()


PAGES = {"admin": ["/", "/dossiers", "/dossiers/new?procedure=1.001193&counter=1", "/counter/1", "/admin/devices",
                   "/reports", "/thu-tuc"],
         "display": ["/display"], "kiosk": ["/kiosk"]}


def test_every_page_says_training_mode_in_both_languages_and_nothing_when_off(training_app, tmp_path):
    from appliance.services import accounts
    appliance, client = training_app("2026-12-08 07:30", 20)
    with appliance.units() as tx:
        tokens = {role: accounts.add_token(tx, f"t-{role}", role) for role in PAGES}
    seen = 0
    for role, urls in PAGES.items():
        for url in urls:
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            vi = client.get(url + ("&" if "?" in url else "?") + "lang=vi", headers=headers)
            assert vi.status_code == 200, (role, url, vi.status_code)
            page = vi.get_data(as_text=True)
            assert "CHẾ ĐỘ TẬP HUẤN" in page and "08/12/2026" in page and "nhanh gấp 20 lần" in page, (role, url)
            en = client.get(url + ("&" if "?" in url else "?") + "lang=en", headers=headers).get_data(as_text=True)
            assert "TRAINING MODE" in en and "20× faster" in en and "CHẾ ĐỘ TẬP HUẤN" not in en, (role, url)
            seen += 1
    assert seen == sum(len(v) for v in PAGES.values())

    from appliance.web import create_app
    off = Appliance(config.load(env={}, default_path=tmp_path / "none.toml", overrides={
        "storage": {"path": str(tmp_path / "off" / "motcua.db")}}))
    try:
        demo.seed(off)
        assert off.settings.training.clock == "" and not off.training     # off by default
        assert not isinstance(off.clock, clock_module.RehearsalClock)
        with off.units() as tx:
            token = accounts.add_token(tx, "t-admin", "admin")
        page = create_app(off, {"TESTING": True}).test_client().get(
            "/", headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True)
        assert "CHẾ ĐỘ TẬP HUẤN" not in page and "training-bar" not in page
    finally:
        off.stop()


# --- the command line ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, env):
    return subprocess.run(MOTCUA + args, env=env, capture_output=True, text=True, timeout=120)


def wait_up(proc, base: str) -> None:
    def up():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            return requests.get(f"{base}/api/v1/health", timeout=5).status_code == 200
        except requests.RequestException:
            return False
    wait_until(up, DEADLINE, 0.1, "the server")


def stop(proc) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def test_serve_refuses_training_on_a_production_database_unless_asked_twice(tmp_path):
    port = free_port()
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\npath = "{tmp_path / "state" / "motcua.db"}"\n[web]\nhost = "127.0.0.1"\nport = {port}\n'
                   '[gpio]\nfactory = "none"\n[training]\nclock = "2026-12-08 07:30"\nspeed = 20\n', encoding="utf-8")
    env = {**os.environ, "MOTCUA_CONFIG": str(cfg)}
    assert run(["init"], env).returncode == 0
    refused = run(["serve"], env)
    assert refused.returncode == 2
    assert "Không chạy chế độ tập huấn" in refused.stderr and "--yes-training" in refused.stderr
    proc = subprocess.Popen(MOTCUA + ["serve", "--yes-training"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_up(proc, f"http://127.0.0.1:{port}")
        token = run(["token", "add", "tv", "--role", "display"], env).stdout.strip()
        queue = requests.get(f"http://127.0.0.1:{port}/api/v1/queue", headers={"Authorization": f"Bearer {token}"},
                             timeout=10).json()
        assert queue["day"] == "2026-12-08"
    finally:
        stop(proc)
    assert "TRAINING MODE" in proc.stdout.read()


def test_demo_runs_on_the_rehearsal_clock(tmp_path):
    port = free_port()
    var = tmp_path / "var"
    proc = subprocess.Popen(MOTCUA + ["demo", "--dir", str(var), "--port", str(port), "--clock", "2026-12-08 07:30",
                                      "--speed", "20"], env={**os.environ, "MOTCUA_CLOCK_SYNCED": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_up(proc, f"http://127.0.0.1:{port}")
        env = {**os.environ, "MOTCUA_CONFIG": str(var / "motcua.toml")}
        token = run(["token", "add", "tv", "--role", "display"], env).stdout.strip()
        queue = requests.get(f"http://127.0.0.1:{port}/api/v1/queue", headers={"Authorization": f"Bearer {token}"},
                             timeout=10).json()
        assert queue["day"] == "2026-12-08"
        # the demo made this database: serve may run training on it without being asked twice
        assert demo_database_is_training(var)
    finally:
        stop(proc)
    out = proc.stdout.read()
    assert "CHẾ ĐỘ TẬP HUẤN / TRAINING MODE" in out and "2026-12-08 07:30" in out
    bad = run(["demo", "--dir", str(var), "--port", str(port), "--speed", "20"], os.environ)
    assert bad.returncode == 2 and "--clock" in bad.stderr


def demo_database_is_training(var: Path) -> bool:
    from appliance.runtime import is_training_database
    return is_training_database(config.load(var / "motcua.toml", env={}))

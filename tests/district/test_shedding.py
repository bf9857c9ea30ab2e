"""The hub under a province-wide catch-up: batches that would wait past the devices' timeout get
503 + Retry-After at once and nothing of them is stored; ``serve --workers N`` runs N processes on
one port and replaces one that dies."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from waiting import DEADLINE, wait_until

from district.admission import Admission, Shed
from district.simulate import SimulatedCommune, gzip_json

ROOT = Path(__file__).resolve().parents[2]


def test_admits_while_slots_are_free_then_sheds_what_would_wait_too_long():
    gate = Admission(concurrency=2, max_wait_s=8, first_guess_s=5)
    with gate.slot(), gate.slot():  # both slots busy: a third would wait 5 s + work 5 s > 8 s
        with pytest.raises(Shed) as shed:
            with gate.slot():
                raise AssertionError("must not be admitted")
        assert shed.value.retry_after_s == 8  # the 3 batches ahead / 2 slots × 5 s, rounded up
        assert gate.state()["shed"] == 1 and gate.state()["waiting"] == 0
    with gate.slot():
        assert gate.state()["running"] == 1
    assert gate.state()["admitted"] == 3 and gate.state()["running"] == 0


def test_a_batch_that_can_wait_in_time_waits_for_a_slot():
    gate = Admission(concurrency=1, max_wait_s=8, first_guess_s=0.5)
    inside, release, second_in = threading.Event(), threading.Event(), threading.Event()

    def first():
        with gate.slot():
            inside.set()
            release.wait(DEADLINE)

    def second():
        with gate.slot():
            second_in.set()

    a = threading.Thread(target=first)
    a.start()
    inside.wait(DEADLINE)
    b = threading.Thread(target=second)
    b.start()
    wait_until(lambda: gate.state()["waiting"] == 1, message="the second batch waiting")
    assert not second_in.is_set()
    release.set()
    a.join(DEADLINE)
    b.join(DEADLINE)
    assert second_in.is_set() and gate.state()["shed"] == 0


def test_retry_after_is_bounded():
    gate = Admission(concurrency=1, max_wait_s=1, first_guess_s=0.01)
    with gate.slot():
        gate.per_batch_s = 1000.0
        with pytest.raises(Shed) as shed:
            with gate.slot():
                pass
    assert shed.value.retry_after_s == gate.retry_max_s


def test_overloaded_hub_answers_503_and_stores_nothing(hub_app, hub_client, enrol):
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    hub = hub_app.extensions["motcua_hub"]
    hub.admission = Admission(concurrency=1, max_wait_s=8, first_guess_s=5)
    sim = SimulatedCommune("xa-duong-xa", "000.00.06.H56", seed=3)
    doc = next(iter(sim.batches(sim.day_events(hub.today(), tickets=10), size=100)))
    headers = {"Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"}
    with hub.admission.slot():  # another commune's batch is being stored
        r = hub_client.post("/api/v1/devices/xa-duong-xa/events:batch", data=gzip_json(doc), headers=headers)
    assert r.status_code == 503 and r.headers["Retry-After"] == "10"
    error = r.json["error"]
    assert error["code"] == "overloaded" and "chưa được lưu" in error["message"]
    with hub.engine.connect() as conn:
        from sqlalchemy import text
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0
    r = hub_client.post("/api/v1/devices/xa-duong-xa/events:batch", data=gzip_json(doc), headers=headers)
    assert r.status_code == 200 and r.json["acked_through"] == len(doc["events"])


def children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def test_several_workers_behind_one_port_and_a_dead_one_is_replaced(db_url):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, MOTCUA_HUB_DATABASE_URL=db_url, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "district.cli", "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--workers", "3"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1/health"

    def answers() -> bool:
        try:
            return requests.get(base, timeout=5).status_code == 200
        except requests.RequestException:
            return False
    try:
        workers = wait_until(lambda: len(children(proc.pid)) == 3 and children(proc.pid),
                             message="three workers")
        wait_until(answers, message="the hub answering")
        victim = sorted(workers)[0]
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: victim not in children(proc.pid) and len(children(proc.pid)) == 3,
                   message="the dead worker replaced")
        for _ in range(20):  # every connection lands on a live worker
            wait_until(answers, message="the hub answering after the restart")
        remaining = children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=DEADLINE)
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in remaining), message="workers stopped")


def test_no_more_batches_wait_than_there_are_threads_for_them():
    gate = Admission(concurrency=1, max_wait_s=1000, first_guess_s=0.001, max_waiting=2)
    gate.waiting = 2  # two batches already hold a thread each, waiting for the slot
    with pytest.raises(Shed):
        with gate.slot():
            pass
    gate.waiting = 1
    with gate.slot():
        assert gate.state()["running"] == 1


def test_an_admitted_batch_has_a_deadline_from_when_it_arrived():
    now = [100.0]
    gate = Admission(concurrency=1, max_wait_s=8, clock=lambda: now[0], deadline_s=12)
    with gate.slot() as deadline:
        assert deadline.remaining_s() == 12
        now[0] = 111.5
        assert deadline.check() == 0.5
        now[0] = 112.0
        from district.admission import DeadlinePassed
        with pytest.raises(DeadlinePassed):
            deadline.check()
    with gate.slot(started=90.0) as deadline:   # counted from when the request was read
        assert deadline.remaining_s() == -10


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_batch_not_stored_by_its_deadline_is_rolled_back_and_answered_503(hub_app, hub_client, enrol):
    """A batch admitted but held up (here: the device's row locked by another transaction, as a
    starved database would hold it) is cancelled at its deadline by PostgreSQL, stores nothing and
    gets 503 + Retry-After, well before the devices' 15 s timeout; sent again later, it is stored."""
    from sqlalchemy import text
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    hub = hub_app.extensions["motcua_hub"]
    hub.admission = Admission(concurrency=4, max_wait_s=8, deadline_s=1)
    sim = SimulatedCommune("xa-duong-xa", "000.00.06.H56", seed=3)
    doc = next(iter(sim.batches(sim.day_events(hub.today(), tickets=10), size=100)))
    headers = {"Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"}
    answers = []
    with hub.engine.connect() as other:
        other.execute(text("SELECT * FROM devices WHERE id = 'xa-duong-xa' FOR UPDATE"))
        sender = threading.Thread(target=lambda: answers.append(hub_client.post(
            "/api/v1/devices/xa-duong-xa/events:batch", data=gzip_json(doc), headers=headers)))
        sender.start()
        sender.join(DEADLINE)   # without the deadline it waits for the lock as long as it is held
        other.rollback()
    sender.join(DEADLINE)
    r = answers[0]
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 2
    assert r.json["error"]["code"] == "overloaded"
    with hub.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0
        assert conn.execute(text("SELECT acked_through FROM devices WHERE id = 'xa-duong-xa'")).scalar() == 0
    hub.admission = Admission(concurrency=4, max_wait_s=8, deadline_s=12)
    r = hub_client.post("/api/v1/devices/xa-duong-xa/events:batch", data=gzip_json(doc), headers=headers)
    assert r.status_code == 200 and r.json["acked_through"] == len(doc["events"])


def test_deadline_setting_reaches_the_admission():
    from district.settings import SettingsError, load
    assert load(env={}).ingest_deadline_s == 12
    assert load(env={"MOTCUA_HUB_INGEST_DEADLINE_S": "10"}).ingest_deadline_s == 10
    with pytest.raises(SettingsError):
        load(env={"MOTCUA_HUB_INGEST_DEADLINE_S": "0"})

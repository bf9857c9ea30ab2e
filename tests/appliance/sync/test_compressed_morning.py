"""The compressed morning (issue 12, "Tests and figures"): a real ``motcua serve`` on the rehearsal
clock (Tuesday 8 December 2026, the model day, 07:30 onwards, 60× faster), its ``motcua sync``
process and a real hub on PostgreSQL, driven through the public API only.

108 citizens over the 9 pilot procedures (every tenth with priority) take a ticket at the kiosk,
are called and served at three counters, and leave with a dossier bound to their ticket; results
are readied in waves and handed back. On the way: the printer runs out of paper (the tickets it
held are reprinted through ``POST /api/v1/printer/jobs/{id}/reprint``), the pager transmitter is
unplugged (a pseudo-terminal that vanishes) then plugged back, the appliance is killed with
SIGKILL and started again, the hub is stopped then started. A hall display's event stream
(a display token, reconnecting with Last-Event-ID as a browser does) watches throughout.

Asserted at the end: every citizen called and served once, with exactly one dossier; every ticket
printed (or reprinted); every ready result paged with reminders (the pager's history) or, without a
pager, called on the display (and again as a reminder); the display stream saw every call; the hub
holds every outbox event of the appliance exactly once.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
import requests
from waiting import DEADLINE, wait_until

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values
from appliance.pager.fake_transmitter import FakeTransmitter, waveware_responder
from appliance.sync import identity

MOTCUA = [sys.executable, "-m", "appliance.cli"]
CATALOG = load_catalog()
# the pilot set of Dương Xá: 7 justice procedures (hộ tịch, chứng thực) and 2 of social protection
PILOT = [("1.001193", "HT"), ("1.000656", "HT"), ("1.000894", "HT"), ("1.004873", "HT"), ("2.000635", "HT"),
         ("2.000815", "CT"), ("2.000884", "CT"), ("1.001776", "XH"), ("1.001731", "XH")]
CITIZENS = 108
WAVE = 12
POOL = 30
DAY = date(2026, 12, 8)
SPEED = 60
REPEAT_AFTER_S = 180      # rehearsal seconds: 3 real seconds at 60×


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Office:
    """The appliance and its sync process, as systemd would run them on the Pi."""

    def __init__(self, tmp: Path, link: Path):
        self.tmp = tmp
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db_path = tmp / "state" / "motcua.db"
        self.printer_dir = tmp / "printer"
        cfg = tmp / "config.toml"
        cfg.write_text(f'''
[storage]
path = "{self.db_path}"
[web]
host = "127.0.0.1"
port = {self.port}
[gpio]
factory = "none"
[audio]
enabled = false
[queue]
pager_pool = {POOL}
[printer]
url = "sim://{self.printer_dir}"
options = {{ poll_s = 0.2, retry_s = 1.0, status_timeout_s = 0.5 }}
[pager]
url = "serial://{link}"
protocol = "waveware"
repeat_after_s = {float(REPEAT_AFTER_S)}
repeat_max = 2
options = {{ dedup_s = 0, capcode_base = 145677 }}
[sync]
interval_s = 0.5
[training]
clock = "{DAY.isoformat()} 07:30"
speed = {SPEED}
''', encoding="utf-8")
        self.env = {**os.environ, "MOTCUA_CONFIG": str(cfg), "MOTCUA_CLOCK_SYNCED": "1"}
        self.proc: subprocess.Popen | None = None
        self.sync: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}

    def cli(self, *args: str) -> str:
        r = subprocess.run(MOTCUA + list(args), env=self.env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, (args, r.stderr)
        return r.stdout

    def set_up(self, hub, device) -> None:
        self.cli("init")
        for code, name, prefix in (("HT", "Hộ tịch", "A"), ("CT", "Chứng thực", "B"), ("XH", "Bảo trợ xã hội", "C")):
            self.cli("service", "add", code, name, "--prefix", prefix)
        for counter, name, services in ((1, "Quầy 1", "HT"), (2, "Quầy 2", "CT,HT"), (3, "Quầy 3", "XH")):
            self.cli("counter", "add", str(counter), name, "--services", services)
        for role in ("kiosk", "display", "officer"):
            self.tokens[role] = self.cli("token", "add", f"t-{role}", "--role", role).strip()
        self.cli("enroll", hub.base, device.token)

    def start(self) -> None:
        # training on an office's own database: asked twice ([training] in the file, and the flag)
        self.proc = subprocess.Popen(MOTCUA + ["serve", "--yes-training"], env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

        def up():
            assert self.proc.poll() is None, "motcua serve exited"
            try:
                return requests.get(f"{self.base}/api/v1/health", timeout=5).status_code == 200
            except requests.RequestException:
                return False
        wait_until(up, DEADLINE, 0.05, "motcua serve")

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def start_sync(self) -> None:
        self.sync = subprocess.Popen(MOTCUA + ["sync"], env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        for proc in (self.sync, self.proc):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()

    # --- the public API ---------------------------------------------------------------------
    def call(self, method: str, path: str, role: str = "officer", **kw) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.tokens[role]}", **kw.pop("headers", {})}
        return requests.request(method, f"{self.base}/api/v1{path}", headers=headers, timeout=60, **kw)

    def ok(self, method: str, path: str, role: str = "officer", status: int = 200, **kw) -> dict:
        r = self.call(method, path, role, **kw)
        assert r.status_code == status, (method, path, r.status_code, r.text[:500])
        return r.json()


class DisplayStream:
    """A hall display's event stream, reconnecting with Last-Event-ID as an EventSource does."""

    def __init__(self, office: Office):
        self.office = office
        self.events: list[dict] = []
        self.resyncs = 0
        self.connections = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last: int | None = None
        while not self._stop.is_set():
            headers = {"Authorization": f"Bearer {self.office.tokens['display']}"}
            if last is not None:
                headers["Last-Event-ID"] = str(last)
            try:
                with requests.get(f"{self.office.base}/api/v1/events", headers=headers, stream=True,
                                  timeout=(5, 30)) as r:
                    if r.status_code != 200:
                        raise requests.RequestException(r.status_code)
                    self.connections += 1
                    event: dict = {}
                    for line in r.iter_lines(chunk_size=1, decode_unicode=True):
                        if self._stop.is_set():
                            return
                        if line.startswith("id: "):
                            event["id"] = int(line[4:])
                        elif line.startswith("event: "):
                            event["event"] = line[7:]
                        elif line.startswith("data: "):
                            event["data"] = json.loads(line[6:])
                        elif line == "" and event:
                            if "id" in event:
                                last = event["id"]
                            if event.get("event") == "resync":
                                self.resyncs += 1
                            with self._lock:
                                self.events.append(event)
                            event = {}
            except (requests.RequestException, ValueError):
                pass
            self._stop.wait(0.2)   # the browser's reconnection delay

    def of(self, kind: str) -> list[dict]:
        with self._lock:
            return [e for e in self.events if e.get("event") == kind]

    def data(self, event: dict) -> dict:
        data = event.get("data") or {}
        return data.get("payload", data) if isinstance(data, dict) else {}

    def called_ids(self) -> set[int]:
        return {self.data(e)["ticket"]["id"] for e in self.of("ticket.called")}

    def dossier_calls(self, code: str) -> int:
        return sum(1 for e in self.of("dossier.call") if self.data(e).get("code") == code)

    def close(self) -> None:
        self._stop.set()


@pytest.fixture
def transmitter(tmp_path):
    fake = FakeTransmitter(waveware_responder(ack=True), link=tmp_path / "pager-link").start()
    yield fake
    fake.close()


@pytest.fixture
def office(tmp_path, hub, device, transmitter):
    office = Office(tmp_path, tmp_path / "pager-link")
    office.set_up(hub, device)
    yield office
    office.stop()


def outbox(office: Office) -> list[tuple[int, str]]:
    with sqlite3.connect(f"file:{office.db_path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT seq, event_id FROM outbox ORDER BY seq").fetchall()


@pytest.mark.slow
def test_a_compressed_morning(office, hub, device, transmitter):
    office.start()
    office.start_sync()
    stream = DisplayStream(office)
    wait_until(lambda: stream.connections >= 1, message="the display's stream")
    for counter in (1, 2, 3):                        # the counters open for the morning
        assert office.ok("get", f"/counters/{counter}")["state"] == "open"

    citizens = [{"n": i, "procedure": PILOT[i % len(PILOT)][0], "service": PILOT[i % len(PILOT)][1],
                 "priority": i % 10 == 9} for i in range(CITIZENS)]
    by_ticket: dict[int, dict] = {}
    served: list[int] = []
    ready: dict[str, dict] = {}          # dossier code → {pager, at, citizen}
    returned: set[str] = set()
    reprinted: dict[str, str] = {}       # failed job id → its reprint's id

    def issue(citizen: dict) -> None:
        body = {"service": citizen["service"], "priority": citizen["priority"]}
        if citizen["priority"]:
            body["priority_reason"] = "người cao tuổi"
        ticket = office.ok("post", "/tickets", "kiosk", status=201, json=body)
        assert ticket["day"] == DAY.isoformat()                      # the rehearsal's day
        citizen["ticket"] = ticket
        by_ticket[ticket["id"]] = citizen

    def serve_waiting() -> None:
        """The three counters call, serve, enter the dossier bound to the ticket, finish."""
        while True:
            progressed = False
            for counter in (1, 2, 3):
                r = office.call("post", f"/counters/{counter}/call-next", json={})
                if r.status_code == 404 and r.json()["error"]["code"] == "nobody_waiting":
                    continue
                assert r.status_code == 200, r.text
                ticket = r.json()
                citizen = by_ticket[ticket["id"]]
                assert "dossier" not in citizen, "a citizen called twice"
                office.ok("post", f"/counters/{counter}/serve", json={"ticket": ticket["id"]})
                draft = str(uuid.uuid4())
                saved = office.ok("put", f"/drafts/{draft}", json={
                    "counter_id": counter, "procedure": citizen["procedure"],
                    "values": sample_values(CATALOG.get(citizen["procedure"]), DAY, seed=citizen["n"])})
                assert saved["errors"] == {}, saved["errors"]
                dossier = office.ok("post", f"/drafts/{draft}/submit", status=201,
                                    json={"ticket_id": ticket["id"], "pager": "auto"})
                assert dossier["ticket_id"] == ticket["id"] and dossier["state"] == "received"
                citizen["dossier"] = dossier
                office.ok("post", f"/counters/{counter}/done", json={"ticket": ticket["id"]})
                served.append(ticket["id"])
                progressed = True
            if not progressed:
                return

    def make_ready(citizens_: list[dict]) -> None:
        for citizen in citizens_:
            code = citizen["dossier"]["code"]
            answer = office.ok("post", f"/dossiers/{code}/ready", json={})
            assert answer["state"] == "ready"
            ready[code] = {"pager": answer["pager"], "citizen": citizen, "at": answer["ready_at"]}

    def reminded(code: str) -> bool:
        """A pager result: a reminder sent to its pager after it was readied; otherwise the display
        called its number at least twice (the call, then a reminder)."""
        entry = ready[code]
        if entry["pager"] is None:
            return stream.dossier_calls(code) >= 2
        pages = office.ok("get", f"/pagers/{entry['pager']}/pages?limit=50")["pages"]
        since = datetime.fromisoformat(entry["at"]).timestamp() - 1
        return any(p["event"] == "dossier.ready" and p["repeat"] >= 1 and p["result"] == "sent"
                   and p["dossier_code"] == code
                   and datetime.fromisoformat(p["at"]).timestamp() >= since for p in pages)

    def hand_back(codes: list[str]) -> None:
        for code in codes:
            try:
                wait_until(lambda c=code: reminded(c), message=f"a reminder for {code}")
            except AssertionError:
                entry = ready[code]
                detail = (office.ok("get", f"/pagers/{entry['pager']}/pages")["pages"] if entry["pager"]
                          else [e for e in stream.of("dossier.call")][-5:])
                raise AssertionError(f"no reminder for {code}: {entry['pager']} {entry['at']} {detail} "
                                     f"{office.ok('get', '/health')['devices'].get('reminders')}") from None
            office.ok("post", f"/dossiers/{code}/return", json={})
            returned.add(code)
            if ready[code]["pager"] is not None:
                office.ok("post", f"/pagers/{ready[code]['pager']}/return", "kiosk")

    def printed_all() -> bool:
        return office.ok("get", "/printer/jobs?limit=200")["printer"]["queue"] == 0

    def reprint_failed() -> None:
        for job in office.ok("get", "/printer/jobs?limit=200")["jobs"]:
            if job["kind"] == "ticket" and job["state"] == "failed" and job["id"] not in reprinted:
                again = office.ok("post", f"/printer/jobs/{job['id']}/reprint", status=202)
                assert again["reprint_of"] == job["id"] and again["ticket_id"] == job["ticket_id"]
                reprinted[job["id"]] = again["id"]

    waves = [citizens[i:i + WAVE] for i in range(0, CITIZENS, WAVE)]
    unplugged: list[str] = []
    for k, wave in enumerate(waves):
        if k == 1:                                   # the roll runs out as the second wave arrives
            (office.printer_dir / "status").write_text("out", encoding="utf-8")
            wait_until(lambda: office.ok("get", "/printer/jobs")["printer"]["paper"] == "out", message="paper out")
        for citizen in wave:
            issue(citizen)
        if k == 1:
            ids = {c["ticket"]["id"] for c in wave}
            wait_until(lambda ids=ids: {j["ticket_id"] for j in office.ok("get", "/printer/jobs?limit=200")["jobs"]
                                        if j["state"] == "failed"} >= ids, message="the tickets held, then failed")
            (office.printer_dir / "status").write_text("ok", encoding="utf-8")    # a new roll
            wait_until(lambda: office.ok("get", "/printer/jobs")["printer"]["paper"] == "ok", message="paper back")
            reprint_failed()
        serve_waiting()
        if k == 2:                                   # the pager transmitter's USB cable is pulled
            transmitter.unplug()
        if k >= 1:
            make_ready(waves[k - 1])
        if k == 2:
            unplugged += [c["dossier"]["code"] for c in waves[1] if ready[c["dossier"]["code"]]["pager"]]
            assert unplugged
            wait_until(lambda: office.ok("get", "/health")["devices"]["pager"]["state"] == "error",
                       message="the pager transmitter reported unreachable")
            transmitter.replug()                     # plugged back: the held page goes out, then the rest
            wait_until(lambda: office.ok("get", "/health")["devices"]["pager"]["state"] == "ok",
                       message="the pager transmitter back")
        if k >= 3:
            hand_back([c["dossier"]["code"] for c in waves[k - 3]])
        if k == 4:                                   # a power cut: everything the display saw, then SIGKILL
            wait_until(lambda: stream.called_ids() >= set(served), message="the display saw every call so far")
            office.kill()
            office.start()
            wait_until(lambda: stream.connections >= 2, message="the display reconnected")
        if k == 5:                                   # the province's hub goes down for a while
            hub.stop()
            wait_until(lambda: office.ok("get", "/health")["outbox"].get("backlog", 0) > 0
                       and office.ok("get", "/health")["outbox"].get("last_error"), message="the sync failing")
        if k == 7:
            hub.start()

    make_ready(waves[-1])
    hand_back([code for code in ready if code not in returned])
    wait_until(printed_all, message="the printer's queue drained")
    reprint_failed()                                 # anything the kill left unprinted
    wait_until(printed_all, message="the reprints printed")

    # --- every citizen served once, with a dossier bound to the ticket -------------------------
    assert len(citizens) == CITIZENS and sum(c["priority"] for c in citizens) == CITIZENS // 10
    assert sorted(served) == sorted(by_ticket) and len(set(served)) == CITIZENS
    codes = [c["dossier"]["code"] for c in citizens]
    assert len(set(codes)) == CITIZENS
    listed = office.ok("get", f"/dossiers?limit=200&from={DAY.isoformat()}&to={DAY.isoformat()}")
    assert listed["total"] == CITIZENS
    for citizen in citizens:
        ticket = office.ok("get", f"/tickets/{citizen['ticket']['id']}")
        assert ticket["state"] == "done"
        dossier = office.ok("get", f"/dossiers/{citizen['dossier']['code']}")
        assert dossier["ticket_id"] == citizen["ticket"]["id"] and dossier["state"] == "returned"
        assert dossier["procedure"] == citizen["procedure"]
    assert {c["procedure"] for c in citizens} == {code for code, _s in PILOT}

    # --- every ticket printed, or reprinted ----------------------------------------------------
    jobs = office.ok("get", "/printer/jobs?limit=200")["jobs"]
    printed = {j["ticket_id"] for j in jobs if j["kind"] == "ticket" and j["state"] == "printed"}
    assert printed >= set(by_ticket), sorted(set(by_ticket) - printed)
    held = {c["ticket"]["id"] for c in waves[1]}
    assert len(reprinted) >= len(held)
    assert {j["ticket_id"] for j in jobs if j["reprint_of"] and j["state"] == "printed"} >= held
    assert len(list(office.printer_dir.glob("*.bin"))) >= CITIZENS

    # --- every ready result paged with reminders, or called on the display ----------------------
    assert len(ready) == CITIZENS and returned == set(ready)
    by_pager = [code for code, e in ready.items() if e["pager"] is not None]
    by_display = [code for code, e in ready.items() if e["pager"] is None]
    assert by_pager and by_display, (len(by_pager), len(by_display))     # the pool ran out at the peak
    for code in by_display:
        assert stream.dossier_calls(code) >= 2, code
    for code in by_pager:
        assert reminded(code), code
    for code in unplugged:                           # held while unplugged, delivered once plugged back
        pages = office.ok("get", f"/pagers/{ready[code]['pager']}/pages?limit=200")["pages"]
        since = datetime.fromisoformat(ready[code]["at"]).timestamp() - 1
        assert any(p["event"] == "dossier.ready" and p["repeat"] == 0 and p["result"] == "sent"
                   and datetime.fromisoformat(p["at"]).timestamp() >= since for p in pages), code
    sent = bytes(transmitter.received)
    assert sent, "the transmitter received the pages"
    health = office.ok("get", "/health")
    assert health["devices"]["reminders"]["pending"] == 0                  # every reminder stopped at return

    # --- the display stream saw every call -------------------------------------------------------
    wait_until(lambda: stream.called_ids() >= set(by_ticket), message="the display saw every call")
    assert stream.connections >= 2 and stream.resyncs >= 1     # told to resync after the restart

    # --- the hub holds every event once -----------------------------------------------------------
    kept = outbox(office)
    ident = identity.load(office.db_path.parent)
    wait_until(lambda: len(hub.events(ident.device_id)) == len(kept), message="the hub caught up")
    stored = hub.events(ident.device_id)
    assert [(seq, str(event_id)) for seq, event_id, _t, _w in stored] == [(seq, eid) for seq, eid in kept]
    assert office.ok("get", "/health")["outbox"]["backlog"] == 0
    stream.close()

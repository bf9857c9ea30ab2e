"""A simulated commune appliance: produces the outbox events and batches an appliance would push
(docs/events.md), with realistic queues, dossiers, returns and ratings. Used by ``motcua-hub demo``,
the tests and the benchmark; never by the ingest path itself.
"""
from __future__ import annotations

import gzip
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SERVICES = (("HT", "Hộ tịch", 0.55), ("CT", "Chứng thực", 0.35), ("BTXH", "Bảo trợ xã hội", 0.10))
PROCEDURES = {
    "HT": (("1.001193", "Đăng ký khai sinh", 0), ("1.000656", "Đăng ký khai tử", 0),
           ("1.000894", "Đăng ký kết hôn", 0), ("1.004873", "Xác nhận tình trạng hôn nhân", 3),
           ("2.000635", "Cấp bản sao trích lục hộ tịch", 0)),
    "CT": (("2.000815", "Chứng thực bản sao từ bản chính", 0), ("2.000884", "Chứng thực chữ ký", 0)),
    "BTXH": (("1.001776", "Trợ cấp xã hội hằng tháng", 12), ("1.001731", "Hỗ trợ chi phí mai táng", 5)),
}
CHANNELS = (("truc_tiep", 0.45), ("truc_tuyen_toan_trinh", 0.25), ("truc_tuyen_mot_phan", 0.15), ("buu_chinh", 0.15))
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Văn Hùng", "Thu Hương", "Đức Long",
         "Thị Mai", "Thanh Tùng")
LEVELS = (("very_satisfied", 0.45), ("satisfied", 0.40), ("neutral", 0.08), ("unsatisfied", 0.05),
          ("very_unsatisfied", 0.02))


def _pick(rng: random.Random, weighted):
    return rng.choices([w[0] for w in weighted], [w[-1] for w in weighted])[0]


def add_working_days(start: datetime, days: int) -> datetime:
    out = start
    while days > 0:
        out += timedelta(days=1)
        if out.weekday() < 5:
            days -= 1
    return out


@dataclass
class SimulatedCommune:
    device_id: str
    agency_code: str
    officers: tuple[str, ...] = ("can_bo_lan", "can_bo_minh", "can_bo_tuan")
    seed: int = 1
    clock_synced: bool = True
    clock_offset: timedelta = timedelta(0)   # device clock − true time (when not synced)
    boot_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    seq: int = 0
    ticket_id: int = 0
    rng: random.Random = field(init=False)
    open_dossiers: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def _event(self, kind: str, payload: dict, at: datetime) -> dict:
        self.seq += 1
        wall = at + (timedelta(0) if self.clock_synced else self.clock_offset)
        return {"seq": self.seq, "event_id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), "type": kind,
                "payload": payload, "wall_time": wall.astimezone(VN).isoformat(timespec="seconds"),
                "clock_synced": self.clock_synced, "boot_id": self.boot_id, "_true": at}

    def day_events(self, day: date, tickets: int = 60, until: datetime | None = None) -> list[dict]:
        """Events of one office day in time order; with ``until``, only what happened before it."""
        rng = self.rng
        out: list[tuple[datetime, int, str, dict]] = []
        served_by_counter = {1: "HT", 2: "CT", 3: "BTXH"}
        counters = {v: k for k, v in served_by_counter.items()}
        numbers = {s[0]: 0 for s in SERVICES}
        opening = datetime.combine(day, time(7, 30), VN)
        for i in range(tickets):
            service, service_name, _w = SERVICES[[s[0] for s in SERVICES].index(_pick(rng, SERVICES))]
            issued = opening + timedelta(minutes=rng.uniform(0, 480))
            if issued.hour in (11, 12) or (issued.hour == 13 and issued.minute < 30):
                issued += timedelta(hours=2)
            self.ticket_id += 1
            numbers[service] += 1
            letter = {"HT": "A", "CT": "B", "BTXH": "C"}[service]
            ticket = {"id": self.ticket_id, "number": f"{letter}{numbers[service]:03d}", "service": service,
                      "service_name": service_name, "day": day.isoformat(), "seq": numbers[service],
                      "priority": rng.random() < 0.08, "state": "waiting", "counter_id": None, "pager": None,
                      "issued_at": issued.isoformat(timespec="seconds"), "called_at": None, "recalls": 0}
            counter = counters[service]
            wait = rng.uniform(60, 1500)
            service_time = rng.uniform(180, 1200)
            called = issued + timedelta(seconds=wait)
            done = called + timedelta(seconds=service_time)
            steps: list[tuple[datetime, str, dict[str, Any]]] = [(issued, "ticket.issued", {"ticket": dict(ticket)})]
            t2 = dict(ticket, state="called", counter_id=counter, called_at=called.isoformat(timespec="seconds"))
            steps.append((called, "ticket.called", {"ticket": t2, "counter_id": counter}))
            if rng.random() < 0.05:
                steps.append((called + timedelta(minutes=3), "ticket.no_show", {"ticket": dict(t2, state="no_show"),
                                                                                "counter_id": counter}))
            else:
                steps.append((called + timedelta(seconds=20), "ticket.serving",
                              {"ticket": dict(t2, state="serving"), "counter_id": counter}))
                steps.append((done, "ticket.done", {"ticket": dict(t2, state="done"), "counter_id": counter,
                                                    "wait_s": round(wait, 1), "service_s": round(service_time, 1)}))
                officer = self.officers[(counter - 1) % len(self.officers)]
                if rng.random() < 0.7:
                    steps.append((done + timedelta(seconds=15), "rating.given", {
                        "counter_id": counter, "ticket_id": self.ticket_id, "level": _pick(rng, LEVELS),
                        "officer": officer, "at": (done + timedelta(seconds=15)).isoformat(timespec="seconds")}))
                if rng.random() < 0.8:
                    steps.extend(self._dossier(day, service, done - timedelta(seconds=service_time / 2), officer, i))
            out.extend((at, k, kind, p) for k, (at, kind, p) in enumerate(steps, start=len(out)))
        for d in list(self.open_dossiers):   # earlier multi-day dossiers come due
            if d["return_at"].date() == day:
                out.append((d["return_at"], len(out), "dossier.returned", d["returned"]))
                self.open_dossiers.remove(d)
        out.sort(key=lambda x: (x[0], x[1]))
        return [self._event(kind, payload, at) for at, _k, kind, payload in out if until is None or at <= until]

    def _dossier(self, day: date, service: str, at: datetime, officer: str, n: int):
        rng = self.rng
        procedure_code, procedure_name, days = rng.choice(PROCEDURES[service])
        channel = _pick(rng, CHANNELS)
        code = f"{self.agency_code}-{day:%y%m%d}-{n + 1:04d}"
        due = at + timedelta(hours=2) if days == 0 else add_working_days(at, days).replace(hour=16, minute=30)
        by_post = channel == "buu_chinh" or rng.random() < 0.2
        dossier = {"code": code, "procedure_code": procedure_code, "procedure_name": procedure_name,
                   "field_code": service, "channel": channel, "received_at": at.isoformat(timespec="seconds"),
                   "due_at": due.isoformat(timespec="seconds"), "state": "received", "return_by_post": by_post,
                   "applicant": {"name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}".upper(),
                                 "id_number": f"0{rng.randint(1, 96):02d}{rng.choice('0123')}{rng.randint(0, 99):02d}"
                                              f"{rng.randint(0, 999999):06d}",
                                 "phone": f"09{rng.randint(0, 99999999):08d}"}}
        yield at, "dossier.received", {"dossier": dossier}
        yield at + timedelta(minutes=1), "dossier.state", {"code": code, "state": "processing", "at": (
            at + timedelta(minutes=1)).isoformat(timespec="seconds"), "by": officer, "note": "Chuyển xử lý"}
        r = rng.random()
        returned_at = due - timedelta(minutes=rng.uniform(10, 90)) if r < 0.55 else (
            due if r < 0.9 else due + timedelta(hours=rng.uniform(1, 30)))
        outcome = "early" if r < 0.55 else ("on_time" if r < 0.9 else "late")
        returned = {"code": code, "at": returned_at.isoformat(timespec="seconds"), "outcome": outcome,
                    "by_post": by_post}
        if returned_at.date() == day:
            yield returned_at - timedelta(minutes=5), "dossier.ready", {
                "code": code, "pager": None, "counter_id": 1, "at": (returned_at - timedelta(minutes=5)).isoformat()}
            yield returned_at, "dossier.returned", returned
        elif rng.random() < 0.97:
            self.open_dossiers.append({"return_at": returned_at, "returned": returned})

    def batches(self, events: list[dict], size: int = 500, sent_at: datetime | None = None,
                backlog: bool = True) -> list[dict]:
        """Split events into batch documents; ``sent_at`` is true time (shifted like the clock)."""
        out = []
        for i in range(0, len(events), size):
            chunk = events[i:i + size]
            true_sent = sent_at or max(e["_true"] for e in chunk) + timedelta(seconds=5)
            wall_sent = true_sent + (timedelta(0) if self.clock_synced else self.clock_offset)
            doc = {"device_id": self.device_id, "sent_at": wall_sent.astimezone(VN).isoformat(timespec="seconds"),
                   "boot_id": self.boot_id, "clock_synced": self.clock_synced,
                   "events": [{k: v for k, v in e.items() if k != "_true"} for e in chunk]}
            if backlog:
                doc["backlog"] = max(0, len(events) - i - len(chunk))
            out.append(doc)
        return out


def gzip_json(doc: dict) -> bytes:
    return gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


"""Appointments (issue 17, docs/appointments.md): every command in one unit of work.

- the administrator cuts slots from the working calendar (``create_slots``) and removes unused ones;
- the office books (an officer on the phone, the kiosk for later today), changes and cancels;
- the hub's public bookings and slot hand-backs arrive through ``motcua sync`` (``apply_hub``);
- the citizen checks in by code or phone at the kiosk or the counter (``check_in``): the ticket is
  issued in the same transaction, called from the booked time (``appliance.domain.queue``), or as a
  walk-in when they come more than ``[appointments].grace_min`` late;
- bookings never checked in are counted no-shows (``mark_no_shows``);
- "booked", "changed", "cancelled" and the two reminders are queued as SMS in the same transaction
  (``appliance.services.messages``; a reminder waits in the queue until its time and expires at the
  appointment's start).

Who may book a slot is decided by its owner (``appliance.domain.appointments``): the office books
only slots it owns, the hub only its own; ownership moves only when the hub hands a slot back.
"""
from __future__ import annotations

import logging
import random
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..domain import appointments as rules_mod
from ..domain import messages as texts
from ..domain.appointments import Rules, Slot
from ..domain.calendar import WorkCalendar
from ..domain.errors import Conflict, DomainError, NotFound
from ..domain.queue import Issued
from ..store import appointment_store as store
from ..store import sms_store
from . import messages
from .queue import QueueEngine
from .uow import UnitOfWork, Units

log = logging.getLogger(__name__)
DAY_S = 86400.0


@dataclass(frozen=True)
class CheckedIn:
    appointment: dict[str, Any]
    issued: Issued
    late: bool


def rules_from(settings: Any) -> Rules:
    a = settings.appointments
    return Rules(grace_min=a.grace_min, online_close_min=a.online_close_min,
                 reminder_day_before=time.fromisoformat(a.reminder_day_before),
                 reminder_before_min=a.reminder_before_min, days_ahead=a.days_ahead)


class AppointmentService:
    def __init__(self, units: Units, db: Any, engine: QueueEngine | None, settings: Callable[[], Any],
                 tz: Callable[[], ZoneInfo], calendar: Callable[[], WorkCalendar],
                 rng: random.Random | None = None) -> None:
        self.units = units
        self.db = db
        self.engine = engine
        self._settings = settings
        self._tz = tz
        self._calendar = calendar
        self.rng = rng or random.SystemRandom()

    @property
    def settings(self) -> Any:
        return self._settings()

    @property
    def rules(self) -> Rules:
        return rules_from(self.settings)

    @property
    def tz(self) -> ZoneInfo:
        return self._tz()

    def at(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self.tz)

    def day_bounds(self, day: date) -> tuple[float, float]:
        start = datetime.combine(day, time(0), self.tz)
        return start.timestamp(), (start + timedelta(days=1)).timestamp()

    # --- rows as the pages and the API show them -----------------------------------------------
    def as_json(self, row: sqlite3.Row, lang: str = "vi") -> dict[str, Any]:
        i = 1 if lang == "en" else 0
        start = self.at(row["start_ts"])
        return {
            "id": row["id"], "code": row["code"], "slot_id": row["slot_id"], "service": row["service_code"],
            "service_name": row["service_name_en"] if lang == "en" and row["service_name_en"] else row["service_name"],
            "counter_id": row["counter_id"], "start": start.isoformat(timespec="minutes"),
            "end": self.at(row["end_ts"]).isoformat(timespec="minutes"), "day": start.date().isoformat(),
            "time": f"{start:%H:%M}", "phone": texts.mask_phone(row["phone"]), "channel": row["channel"],
            "channel_label": rules_mod.CHANNEL_NAMES[row["channel"]][i], "state": row["state"],
            "state_label": rules_mod.STATE_NAMES[row["state"]][i], "ticket": row["ticket_number"],
            "owner": row["owner"]}

    def slot_json(self, row: sqlite3.Row, lang: str = "vi") -> dict[str, Any]:
        start = self.at(row["start_ts"])
        return {"id": row["id"], "service": row["service_code"],
                "service_name": row["service_name_en"] if lang == "en" and row["service_name_en"]
                else row["service_name"],
                "counter_id": row["counter_id"], "start": start.isoformat(timespec="minutes"),
                "end": self.at(row["end_ts"]).isoformat(timespec="minutes"), "day": start.date().isoformat(),
                "time": f"{start:%H:%M}", "end_time": f"{self.at(row['end_ts']):%H:%M}",
                "capacity": row["capacity"], "booked": row["booked"], "free": max(0, row["capacity"] - row["booked"]),
                "owner": row["owner"]}

    def _slot_fact(self, row: sqlite3.Row) -> dict[str, Any]:
        return {"slot_id": row["id"], "service": row["service_code"], "service_name": row["service_name"],
                "counter_id": row["counter_id"], "start": self.at(row["start_ts"]).isoformat(timespec="seconds"),
                "end": self.at(row["end_ts"]).isoformat(timespec="seconds"), "capacity": row["capacity"],
                "owner": row["owner"],
                "closes_at": self.at(rules_mod.hub_closes_at(row["start_ts"], self.rules)).isoformat(
                    timespec="seconds")}

    @staticmethod
    def _fact(row: sqlite3.Row, **extra: Any) -> dict[str, Any]:
        """What the hub is told of a booking: never the phone."""
        return {"code": row["code"], "slot_id": row["slot_id"], "channel": row["channel"], "state": row["state"],
                "hub_id": row["hub_id"], **extra}

    # --- slots (the administrator) -------------------------------------------------------------
    def create_slots(self, service_code: str, counter_id: int | None, first: date, last: date, start: time,
                     end: time, minutes: int, capacity: int, online: bool = False,
                     weekdays: Iterable[int] | None = None, user: str | None = None) -> int:
        """Cut slots from the working calendar; those that exist already are left as they are.
        ``online``: offered on the hub's public page (owned by the hub), when the office syncs."""
        if capacity < 1 or capacity > 50:
            raise DomainError("invalid", "capacity", detail=("số người mỗi khung từ 1 đến 50", "1 to 50 people a slot"))
        online = online and bool(self.settings.sync.url.strip())
        with self.units() as tx:
            service = tx.conn.execute("SELECT id, code FROM services WHERE code = ?", (service_code,)).fetchone()
            if service is None:
                raise NotFound("unknown_service", "service", service=service_code)
            if counter_id is not None:
                served = tx.conn.execute("SELECT 1 FROM counter_services WHERE counter_id = ? AND service_id = ?",
                                         (counter_id, service["id"])).fetchone()
                if served is None:
                    raise DomainError("counter_not_serving", "counter", counter=counter_id, service=service_code)
            today = self.at(tx.now).date()
            if first < today or last > today + timedelta(days=92):
                raise DomainError("invalid", "first", detail=("từ hôm nay đến ba tháng tới",
                                                              "from today to three months ahead"))
            planned = rules_mod.plan_slots(self._calendar(), first, last, start, end, minutes, weekdays)
            made = 0
            for s_start, s_end in planned:
                if s_start.timestamp() <= tx.now:
                    continue
                slot_id = store.add_slot(tx.conn, service["id"], counter_id, s_start.timestamp(), s_end.timestamp(),
                                         capacity, "hub" if online else "office", tx.now)
                if slot_id is None:
                    continue
                made += 1
                if online:
                    row = store.slot(tx.conn, slot_id)
                    assert row is not None
                    tx.emit("appointment.slot", self._slot_fact(row))
            tx.audit(user, "appointment.slots", f"service:{service_code}",
                     f"{made} khung giờ {first:%d/%m}–{last:%d/%m} {start:%H:%M}–{end:%H:%M}, {capacity} người"
                     + (", đặt qua trang công khai" if online else ""))
        return made

    def delete_slot(self, slot_id: int, user: str | None = None) -> None:
        with self.units() as tx:
            row = self._slot_row(tx, slot_id)
            if row["owner"] != "office":
                raise Conflict("slot_not_owned", "slot", owner=("máy chủ cấp trên (đặt qua trang công khai)",
                                                                "the hub (booked on the public page)"))
            if row["booked"]:
                raise Conflict("slot_has_bookings", "slot", count=row["booked"])
            store.delete_slot(tx.conn, slot_id)
            tx.audit(user, "appointment.slot_delete", f"slot:{slot_id}", f"{self.at(row['start_ts']):%H:%M %d/%m/%Y}")

    def _slot_row(self, tx: UnitOfWork, slot_id: int) -> sqlite3.Row:
        row = store.slot(tx.conn, slot_id)
        if row is None:
            raise NotFound("unknown_slot", "slot", slot=slot_id)
        return row

    # --- booking (the office) ------------------------------------------------------------------
    def _new_code(self, tx: UnitOfWork, owner: str = "office") -> str:
        for _ in range(50):
            code = rules_mod.make_code(owner, self.rng.randint)
            if not store.code_taken(tx.conn, code):
                return code
        raise Conflict("duplicate", "code", value="mã lịch hẹn")   # 40,000 codes a side: never in practice

    def book(self, slot_id: int, phone: str | None, channel: str = "phone", user: str | None = None,
             note: str | None = None) -> dict[str, Any]:
        """Book a seat in an office-owned slot; the kiosk books only later today."""
        if channel not in ("phone", "kiosk", "counter"):
            raise ValueError(channel)
        number = texts.clean_phone(phone)
        if number is None:
            raise DomainError("phone_required", "phone")
        with self.units() as tx:
            row = self._slot_row(tx, slot_id)
            slot = store.slot_from_row(row)
            rules_mod.check_bookable(slot, tx.now, "office", today_only=channel == "kiosk",
                                     tz_day=lambda ts: self.at(ts).date())
            code = self._new_code(tx)
            appt_id = store.add(tx.conn, code=code, slot_id=slot_id, phone=number, channel=channel, now=tx.now,
                                user_login=user, note=(note or "").strip() or None)
            appt = store.get(tx.conn, appt_id)
            assert appt is not None
            self._booked_messages(tx, appt)
            tx.emit("appointment.booked", self._fact(appt, start=self.at(row["start_ts"]).isoformat()))
            tx.audit(user, "appointment.book", f"appointment:{code}",
                     f"{row['service_code']} {self.at(row['start_ts']):%H:%M %d/%m/%Y}, {texts.mask_phone(number)}")
            return self.as_json(appt)

    def _booked_messages(self, tx: UnitOfWork, appt: sqlite3.Row, kind: str = "appointment_booked") -> None:
        settings = self.settings
        start = self.at(appt["start_ts"])
        office = settings.office.name
        if kind == "appointment_changed":
            text = texts.appointment_changed(office, appt["code"], appt["service_name"], start)
        else:
            text = texts.appointment_booked(office, appt["code"], appt["service_name"], start)
        key = f"{kind}:{appt['id']}:{appt['slot_id']}"
        messages.queue(tx, settings, key=key, kind=kind, phone=appt["phone"], text=text, appointment_id=appt["id"],
                       expires=appt["start_ts"])
        for reminder, when in rules_mod.reminder_times(start, self.at(tx.now), self.rules):
            text = texts.appointment_reminder(office, appt["code"], appt["service_name"], start, when)
            messages.queue(tx, settings, key=f"{reminder}:{appt['id']}:{appt['slot_id']}", kind=reminder,
                           phone=appt["phone"], text=text, not_before=when.timestamp(), expires=appt["start_ts"],
                           appointment_id=appt["id"])

    def _open(self, tx: UnitOfWork, code: str) -> sqlite3.Row:
        clean = rules_mod.clean_code(code)
        row = store.by_code(tx.conn, clean) if clean else None
        if row is None:
            raise NotFound("unknown_appointment", "code", ref=code)
        if row["state"] != "booked":
            raise Conflict("appointment_closed", "code", ref=row["code"], state=row["state"])
        return row

    def change(self, code: str, slot_id: int, user: str | None = None) -> dict[str, Any]:
        """Move a booking to another office-owned slot (the old one must be the office's too)."""
        with self.units() as tx:
            appt = self._open(tx, code)
            if appt["owner"] != "office":
                raise Conflict("slot_not_owned", "slot", owner=("máy chủ cấp trên (đặt qua trang công khai)",
                                                                "the hub (booked on the public page)"))
            if slot_id == appt["slot_id"]:
                return self.as_json(appt)
            row = self._slot_row(tx, slot_id)
            rules_mod.check_bookable(store.slot_from_row(row), tx.now, "office")
            sms_store.cancel_open(tx.conn, appointment_id=appt["id"])
            store.update(tx.conn, appt["id"], slot_id=slot_id)
            moved = store.get(tx.conn, appt["id"])
            assert moved is not None
            self._booked_messages(tx, moved, "appointment_changed")
            tx.emit("appointment.changed", self._fact(moved, start=self.at(row["start_ts"]).isoformat(),
                                                      from_slot_id=appt["slot_id"]))
            tx.audit(user, "appointment.change", f"appointment:{appt['code']}",
                     f"{self.at(appt['start_ts']):%H:%M %d/%m} → {self.at(row['start_ts']):%H:%M %d/%m/%Y}")
            return self.as_json(moved)

    def cancel(self, code: str, user: str | None = None, notify: bool = True) -> dict[str, Any]:
        """Cancel a booking (also one made on the hub: it frees the seat, which only the slot's owner
        may give again, so no seat is ever given twice)."""
        with self.units() as tx:
            appt = self._open(tx, code)
            store.update(tx.conn, appt["id"], state="cancelled", closed_ts=tx.now)
            sms_store.cancel_open(tx.conn, appointment_id=appt["id"])
            if notify:
                messages.queue(tx, self.settings, key=f"appointment_cancelled:{appt['id']}",
                               kind="appointment_cancelled", phone=appt["phone"],
                               text=texts.appointment_cancelled(self.settings.office.name, appt["code"],
                                                                self.at(appt["start_ts"])),
                               appointment_id=appt["id"])
            done = store.get(tx.conn, appt["id"])
            assert done is not None
            tx.emit("appointment.cancelled", self._fact(done))
            tx.audit(user, "appointment.cancel", f"appointment:{appt['code']}", "")
            return self.as_json(done)

    # --- check-in ------------------------------------------------------------------------------
    def find_today(self, code: str | None = None, phone: str | None = None) -> sqlite3.Row:
        """The booking a citizen names at the kiosk or counter: by code, or by phone (today's only one)."""
        with self.db.read() as conn:
            return self._find(conn, code, phone, self.units.clock())

    def _find(self, conn: sqlite3.Connection, code: str | None, phone: str | None, now: float) -> sqlite3.Row:
        if code and code.strip():
            clean = rules_mod.clean_code(code)
            row = store.by_code(conn, clean) if clean else None
            if row is None:
                raise NotFound("unknown_appointment", "code", ref=code.strip()[:20])
            if row["state"] != "booked":
                raise Conflict("appointment_closed", "code", ref=row["code"], state=row["state"])
            return row
        number = texts.clean_phone(phone)
        if number is None:
            raise DomainError("phone_required", "phone")
        lo, hi = self.day_bounds(self.at(now).date())
        rows = store.open_for_phone(conn, number, lo, hi)
        if not rows:
            raise NotFound("unknown_appointment", "phone", ref=texts.mask_phone(number))
        if len(rows) > 1:
            raise Conflict("several_appointments", "phone", count=len(rows))
        return rows[0]

    def check_in(self, code: str | None = None, phone: str | None = None, channel: str = "kiosk",
                 user: str | None = None, pager: int | str | None = None) -> CheckedIn:
        """The citizen is here: a ticket called from the booked time, or a walk-in ticket when late."""
        with self.units() as tx:
            appt = self._find(tx.conn, code, phone, tx.now)
            start = self.at(appt["start_ts"])
            kind = rules_mod.arrival(start, self.at(tx.now), self.rules)
            late = kind == "late"
            if self.engine is None:
                raise RuntimeError("check-in needs the queue engine")
            issued = self.engine.issue_in(
                tx, appt["service_code"], pager=pager, channel=channel, user_login=user,
                appointment_id=appt["id"], appointment_ts=None if late else appt["start_ts"],
                target_counter_id=None if late else appt["counter_id"])
            store.update(tx.conn, appt["id"], state="late" if late else "checked_in", checked_in_ts=tx.now,
                         ticket_id=issued.ticket.id)
            sms_store.cancel_open(tx.conn, appointment_id=appt["id"])
            done = store.get(tx.conn, appt["id"])
            assert done is not None
            tx.emit("appointment.checked_in", self._fact(done, ticket_id=issued.ticket.id, late=late,
                                                         number=issued.ticket.number))
            tx.emit("queue.changed", {})
            tx.audit(user, "appointment.check_in", f"appointment:{appt['code']}",
                     f"số {issued.ticket.number}" + (" (đến trễ: số thường)" if late else ""))
            return CheckedIn(self.as_json(done), issued, late)

    def mark_no_shows(self) -> int:
        """Bookings not checked in ``grace_min`` after their start are counted no-shows."""
        with self.units() as tx:
            rows = store.overdue(tx.conn, tx.now - self.rules.grace_min * 60)
            for row in rows:
                store.update(tx.conn, row["id"], state="no_show", closed_ts=tx.now)
                sms_store.cancel_open(tx.conn, appointment_id=row["id"])
                tx.emit("appointment.no_show", self._fact(row, state="no_show"))
            return len(rows)

    # --- the hub's side (motcua sync) ----------------------------------------------------------
    def apply_hub(self, doc: dict[str, Any]) -> dict[str, int]:
        """What the hub sent down: its public bookings (new or cancelled) and the slots it handed
        back. Idempotent: a booking is known by the hub's id, a release changes a hub slot once."""
        bookings = doc.get("bookings") or []
        released = doc.get("released") or []
        added = cancelled = freed = 0
        with self.units() as tx:
            for b in bookings:
                try:
                    hub_id, slot_id, state = int(b["id"]), int(b["slot_id"]), str(b["state"])
                    code = str(b["code"])
                except (KeyError, TypeError, ValueError):
                    log.warning("hub booking ignored (unreadable): %r", b)
                    continue
                known = store.by_hub_id(tx.conn, hub_id)
                if known is None:
                    if state != "booked" or rules_mod.code_owner(code) != "hub":
                        continue
                    slot = store.slot(tx.conn, slot_id)
                    if slot is None or store.code_taken(tx.conn, code):
                        log.warning("hub booking %s for unknown slot %s or taken code ignored", hub_id, slot_id)
                        continue
                    appt_id = store.add(tx.conn, code=code, slot_id=slot_id, phone=texts.clean_phone(b.get("phone")),
                                        channel="hub", now=tx.now, hub_id=hub_id)
                    appt = store.get(tx.conn, appt_id)
                    assert appt is not None
                    self._booked_messages(tx, appt)
                    tx.emit("appointment.received", {"code": code, "slot_id": slot_id, "hub_id": hub_id})
                    added += 1
                elif state == "cancelled" and known["state"] == "booked":
                    store.update(tx.conn, known["id"], state="cancelled", closed_ts=tx.now)
                    sms_store.cancel_open(tx.conn, appointment_id=known["id"])
                    messages.queue(tx, self.settings, key=f"appointment_cancelled:{known['id']}",
                                   kind="appointment_cancelled", phone=known["phone"],
                                   text=texts.appointment_cancelled(self.settings.office.name, known["code"],
                                                                    self.at(known["start_ts"])),
                                   appointment_id=known["id"])
                    tx.emit("appointment.cancelled", self._fact(known, state="cancelled"))
                    cancelled += 1
            for slot_id in released:
                try:
                    if store.release(tx.conn, int(slot_id), tx.now):
                        freed += 1
                except (TypeError, ValueError):
                    continue
            if added or cancelled or freed:
                tx.audit("motcua-sync", "appointment.hub", "appointments",
                         f"{added} lịch đặt qua trang công khai, {cancelled} hủy, {freed} khung giờ trả lại")
        return {"added": added, "cancelled": cancelled, "released": freed}

    # --- reads ---------------------------------------------------------------------------------
    def day(self, day: date, lang: str = "vi") -> dict[str, Any]:
        lo, hi = self.day_bounds(day)
        with self.db.read() as conn:
            slots = [self.slot_json(r, lang) for r in store.slots_between(conn, lo, hi)]
            items = [self.as_json(r, lang) for r in store.between(conn, lo, hi)]
            counts = store.counts(conn, lo, hi)
        return {"day": day.isoformat(), "slots": slots, "appointments": items, "counts": counts}

    def open_slots(self, first: date, days: int, service_code: str | None = None, owner: str = "office",
                   after: float | None = None, lang: str = "vi") -> list[dict[str, Any]]:
        lo, _ = self.day_bounds(first)
        _, hi = self.day_bounds(first + timedelta(days=max(0, days - 1)))
        now = self.units.clock() if after is None else after
        with self.db.read() as conn:
            rows = store.slots_between(conn, max(lo, now), hi, service_code, owner)
        return [self.slot_json(r, lang) for r in rows if r["capacity"] > r["booked"]]

    def report(self, first: date, last: date, lang: str = "vi") -> dict[str, Any]:
        """The period's bookings per service and state (the reports page): booked (still open),
        checked in, late (a walk-in ticket), no-shows, cancelled; the no-show rate among those due."""
        lo, _ = self.day_bounds(first)
        _, hi = self.day_bounds(last)
        with self.db.read() as conn:
            rows = store.counts_by_service(conn, lo, hi)
        by: dict[str, dict[str, Any]] = {}
        for r in rows:
            name = r["name_en"] if lang == "en" and r["name_en"] else r["name"]
            entry = by.setdefault(r["code"], {"service": r["code"], "service_name": name,
                                             **{state: 0 for state in rules_mod.STATES}})
            entry[r["state"]] += r["n"]
        items = list(by.values())
        total = {state: sum(i[state] for i in items) for state in rules_mod.STATES}
        for entry in [*items, total]:
            came = entry["checked_in"] + entry["late"]
            due = came + entry["no_show"]
            entry["no_show_rate"] = 100.0 * entry["no_show"] / due if due else None
        return {"rows": items, "total": total}

    def slot_from(self, slot_id: int) -> Slot | None:
        with self.db.read() as conn:
            row = store.slot(conn, slot_id)
        return store.slot_from_row(row) if row else None

    def counts(self, start_ts: float, end_ts: float) -> dict[str, int]:
        with self.db.read() as conn:
            return store.counts(conn, start_ts, end_ts)

"""Appointments (issue 17): slots, booking codes, who owns a slot, check-in, no-shows, reminders. Pure.

A **slot** is a service (and optionally one counter) at a time on a working day, with a capacity.
Slots are cut from the working calendar (``WorkCalendar``): never on a day off, never across the
lunch break or past closing. The queue order of a checked-in appointment is
:func:`appliance.domain.queue.choose_with_appointments`.

**One owner per slot** (docs/appointments.md): a slot is booked by exactly one side at a time,
never both, so there is nothing to merge and no last write to win:

- ``office``: the appliance books it (the officer on the phone, the kiosk for later today);
- ``hub``: the hub's public page books it; the appliance shows its bookings as the hub sends
  them down and does not book into it. The hub stops booking a slot ``online_close_min`` before
  it starts and hands it back (``released``); only when the appliance has received that release
  does it become ``office`` and may the office fill its free seats.

Ownership only ever moves by a message from the current owner, so an appliance that is offline
simply keeps not booking into a hub slot. Booking codes are 6 digits (a kiosk's keypad): an
office code starts with 1–4, a hub code with 5–9, so the two owners never hand out the same code.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .calendar import WorkCalendar
from .errors import Conflict, DomainError

OWNERS = ("office", "hub")
STATES = ("booked", "checked_in", "late", "no_show", "cancelled")
OPEN_STATES = ("booked",)
CHANNELS = ("phone", "kiosk", "hub", "counter")
CODE_RE = re.compile(r"^[1-9]\d{5}$")
FIRST_DIGITS = {"office": "1234", "hub": "56789"}
STATE_NAMES: dict[str, tuple[str, str]] = {
    "booked": ("Đã đặt", "Booked"), "checked_in": ("Đã đến, có số", "Checked in"),
    "late": ("Đến trễ, lấy số thường", "Late, a walk-in ticket"), "no_show": ("Không đến", "No-show"),
    "cancelled": ("Đã hủy", "Cancelled"),
}
CHANNEL_NAMES: dict[str, tuple[str, str]] = {
    "phone": ("Gọi điện", "Phone call"), "kiosk": ("Máy lấy số", "Kiosk"),
    "hub": ("Trang công khai", "Public page"), "counter": ("Tại quầy", "At the counter"),
}


@dataclass(frozen=True)
class Slot:
    id: int
    service_code: str
    counter_id: int | None
    start_ts: float
    end_ts: float
    capacity: int
    owner: str
    booked: int = 0          # open or used bookings (booked, checked in, late, no-show): not cancelled

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


@dataclass(frozen=True)
class Rules:
    """``[appointments]`` in the settings."""
    grace_min: int = 15              # later than this after the slot's start: a walk-in
    online_close_min: int = 120      # the hub stops booking a slot this long before it starts
    reminder_day_before: time = time(17, 0)
    reminder_before_min: int = 60
    days_ahead: int = 30             # how far ahead a slot may be created or booked


# --- codes -------------------------------------------------------------------------------------
def make_code(owner: str, draw: Callable[[int, int], int]) -> str:
    """A fresh 6-digit code of ``owner``'s range; ``draw(a, b)`` is ``random.randint`` (or a test's)."""
    firsts = FIRST_DIGITS[owner]
    return firsts[draw(0, len(firsts) - 1)] + "".join(str(draw(0, 9)) for _ in range(5))


def code_owner(code: str) -> str | None:
    if not CODE_RE.match(code):
        return None
    return "office" if code[0] in FIRST_DIGITS["office"] else "hub"


def clean_code(text: str | None) -> str | None:
    """What a citizen typed (spaces, dashes) as a code, or None when it is not one."""
    digits = re.sub(r"[\s\-.]", "", text or "")
    return digits if CODE_RE.match(digits) else None


# --- slots -------------------------------------------------------------------------------------
def plan_slots(calendar: WorkCalendar, first: date, last: date, start: time, end: time, minutes: int,
               weekdays: Iterable[int] | None = None) -> list[tuple[datetime, datetime]]:
    """Slots of ``minutes`` from ``start`` to ``end`` on every working day from ``first`` to ``last``
    (only ``weekdays`` when given, 0 = Monday), each wholly inside one working session: none on a
    holiday or a weekend, none across lunch or past closing."""
    if minutes < 5 or minutes > 240:
        raise DomainError("invalid", "minutes", detail=("mỗi khung từ 5 đến 240 phút", "5 to 240 minutes a slot"))
    if start >= end:
        raise DomainError("invalid", "end", detail=("giờ kết thúc phải sau giờ bắt đầu",
                                                    "the end must follow the start"))
    if last < first:
        raise DomainError("invalid", "last", detail=("ngày cuối phải từ ngày đầu trở đi",
                                                     "the last day is before the first"))
    if (last - first).days > 92:
        raise DomainError("invalid", "last", detail=("tối đa ba tháng một lần", "at most three months at a time"))
    days = None if weekdays is None else frozenset(weekdays)
    step = timedelta(minutes=minutes)
    out: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        if days is None or day.weekday() in days:
            for s_start, s_end in calendar.sessions_on(day):
                lo = max(s_start, datetime.combine(day, start, calendar.tz))
                hi = min(s_end, datetime.combine(day, end, calendar.tz))
                at = s_start
                while at + step <= hi:        # aligned on the session's start (07:30, 07:50, …)
                    if at >= lo:
                        out.append((at, at + step))
                    at += step
        day += timedelta(days=1)
    return out


def within_working_time(calendar: WorkCalendar, start: datetime, end: datetime) -> bool:
    """The slot lies inside one working session of a working day."""
    return any(s <= start and end <= e for s, e in calendar.sessions_on(calendar.local(start).date()))


def hub_closes_at(slot_start: float, rules: Rules) -> float:
    """When the hub stops booking a slot it owns (then it hands it back to the office)."""
    return slot_start - rules.online_close_min * 60


def check_bookable(slot: Slot, now: float, by: str, *, today_only: bool = False, tz_day: Callable[[float], date]
                   | None = None) -> None:
    """May ``by`` (``office`` or ``hub``) book a seat of ``slot`` at ``now``? Raises the reason."""
    if slot.owner != by:
        raise Conflict("slot_not_owned", "slot", owner=(("máy chủ cấp trên (đặt qua trang công khai)",
                                                         "the hub (booked on the public page)")
                                                        if slot.owner == "hub" else ("bộ phận một cửa", "the office")))
    if slot.start_ts <= now:
        raise Conflict("slot_past", "slot")
    if today_only and tz_day is not None and tz_day(slot.start_ts) != tz_day(now):
        raise Conflict("slot_not_today", "slot")
    if slot.free <= 0:
        raise Conflict("slot_full", "slot")


# --- arrival -----------------------------------------------------------------------------------
def arrival(slot_start: datetime, now: datetime, rules: Rules) -> str:
    """At check-in: ``on_time`` (called at the booked time: early is fine, the queue waits for it)
    or ``late`` (more than ``grace_min`` after the start: the citizen gets a walk-in ticket).
    Another day is refused."""
    if now.date() < slot_start.date():
        raise Conflict("appointment_other_day", "code", day=f"{slot_start:%d/%m/%Y}", at=f"{slot_start:%H:%M}")
    if now.date() > slot_start.date():
        raise Conflict("appointment_passed", "code", day=f"{slot_start:%d/%m/%Y}")
    return "late" if now > slot_start + timedelta(minutes=rules.grace_min) else "on_time"


def no_show_after(slot_start: float, rules: Rules) -> float:
    """A booking not checked in by then is counted a no-show."""
    return slot_start + rules.grace_min * 60


# --- reminders ---------------------------------------------------------------------------------
def reminder_times(start: datetime, booked_at: datetime, rules: Rules) -> list[tuple[str, datetime]]:
    """``(kind, when)`` of the reminders still worth sending: the day before at
    ``reminder_day_before`` and ``reminder_before_min`` before the start; none already past at
    booking, and no day-before reminder for an appointment booked that late."""
    out = []
    day_before = datetime.combine(start.date() - timedelta(days=1), rules.reminder_day_before, start.tzinfo)
    if day_before > booked_at:
        out.append(("appointment_reminder_day", day_before))
    hour_before = start - timedelta(minutes=rules.reminder_before_min)
    if hour_before > booked_at:
        out.append(("appointment_reminder_hour", hour_before))
    return out

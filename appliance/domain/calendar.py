"""Working calendar of a commune office: sessions, weekends, holidays, model days, due times. Pure.

All datetimes are timezone-aware; results are in the office's zone (``Asia/Ho_Chi_Minh``).
Vietnam has no daylight saving time, so wall-clock arithmetic is exact.

Rules (see docs/catalog.md):

- working time = a working day (a working weekday that is not a holiday, or a make-up Saturday)
  inside a session (morning ``07:30-11:30``, afternoon ``13:30-17:00``); sessions are half-open
  ``[start, end)`` for "is it working time", and a due time may fall *on* a session's end;
- ``N working hours``: the instant when N hours of working time have passed since receipt;
- ``N working days``: N full days' worth of working time from receipt (received Monday 10:00,
  3 days → Thursday 10:00; received before opening or outside hours → counted from the next
  opening, so the due time is the close of the Nth working day);
- ``same_day`` / ``immediate``: the close of the day of receipt, or of the next working day when
  received after the cut-off (15:00) or on a day off;
- ``days_from_next_day`` (a province's reading): N working days are counted from the working day
  after the day of receipt, so the due time is the close of the Nth working day after it (received
  Monday 10:00, 3 days → Thursday 17:00);
- on a model day, a procedure under the 2-hour model is due 2 working hours after receipt
  (or earlier if its own time limit is shorter): the *target*, never the legal due time;
- Saturday-morning reception (``saturday_reception``): the office receives, but a Saturday is not a
  working day, so the legal clock starts at the next opening (an "immediate" procedure received then
  is due at the close of the next working day).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from appliance.errors import MotcuaError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_MAX_DAYS = 3 * 366  # search horizon: a due date further away means the calendar is misconfigured


class CalendarError(MotcuaError):
    """Misconfigured calendar or a naive datetime; the message is Vietnamese."""


def _hhmm(text: str, what: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise CalendarError(f"{what} '{text}' không đúng dạng HH:MM.") from None


def parse_session(text: str, what: str = "Buổi làm việc") -> tuple[time, time]:
    """``'07:30-11:30'`` → ``(time(7, 30), time(11, 30))``."""
    try:
        start, end = str(text).split("-")
    except ValueError:
        raise CalendarError(f"{what} '{text}' không đúng dạng HH:MM-HH:MM.") from None
    return _hhmm(start, what), _hhmm(end, what)


@dataclass(frozen=True)
class TimeLimitSpec:
    kind: str
    value: float | None = None
    extended_value: int | None = None


def _time_limit(limit: Any) -> TimeLimitSpec:
    """Accept a catalog :class:`TimeLimit` or a mapping ``{'kind': 'days', 'value': 3}``."""
    if isinstance(limit, Mapping):
        get = limit.get
    else:
        def get(key: str, default: Any = None) -> Any:
            return getattr(limit, key, default)
    kind = get("kind")
    if kind not in ("immediate", "same_day", "hours", "days", "none"):
        raise CalendarError(f"Loại thời hạn '{kind}' không hợp lệ: immediate, same_day, hours, days, none.")
    value = get("value")
    if kind in ("hours", "days") and (not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0):
        raise CalendarError(f"Thời hạn '{kind}' cần một số dương, đang là {value!r}.")
    return TimeLimitSpec(kind, value, get("extended_value"))


class WorkCalendar:
    """Working time of one office. Immutable after construction."""

    def __init__(self, sessions: Iterable[tuple[time, time]] = ((time(7, 30), time(11, 30)),
                                                                 (time(13, 30), time(17, 0))),
                 working_weekdays: Iterable[int] = (0, 1, 2, 3, 4),
                 holidays: Mapping[date, str] | None = None,
                 makeup_days: Mapping[date, str] | None = None,
                 model_weekdays: Iterable[int] = (1,),
                 same_day_cutoff: time = time(15, 0),
                 timezone: str = "Asia/Ho_Chi_Minh",
                 saturday_reception: tuple[time, time] | None = None,
                 days_from_next_day: bool = False):
        self.sessions = tuple(sorted(sessions))
        if not self.sessions:
            raise CalendarError("Cần ít nhất một buổi làm việc.")
        for index, (start, end) in enumerate(self.sessions):
            if start >= end:
                raise CalendarError(f"Buổi làm việc {start:%H:%M}-{end:%H:%M}: giờ bắt đầu phải trước giờ kết thúc.")
            if index and self.sessions[index - 1][1] > start:
                raise CalendarError("Các buổi làm việc không được chồng lên nhau.")
        self.working_weekdays = frozenset(working_weekdays)
        if not self.working_weekdays:
            raise CalendarError("Cần ít nhất một ngày làm việc trong tuần.")
        self.holidays = dict(holidays or {})
        self.makeup_days = dict(makeup_days or {})
        self.model_weekdays = frozenset(model_weekdays)
        self.same_day_cutoff = same_day_cutoff
        self.tz = ZoneInfo(timezone)
        if saturday_reception is not None and saturday_reception[0] >= saturday_reception[1]:
            raise CalendarError("Giờ tiếp nhận thứ Bảy: giờ bắt đầu phải trước giờ kết thúc.")
        self.saturday_reception = saturday_reception
        self.days_from_next_day = bool(days_from_next_day)
        self._day_seconds = sum(_seconds(s, e) for s, e in self.sessions)

    def __repr__(self) -> str:
        sessions = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.sessions)
        days = ",".join(WEEKDAYS[d] for d in sorted(self.working_weekdays))
        return f"<WorkCalendar {sessions} {days} holidays={len(self.holidays)}>"

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def from_settings(cls, office: Any, holidays: Iterable[Any]) -> WorkCalendar:
        """From an ``appliance.config.Office``-like object (``morning``, ``afternoon``,
        ``same_day_cutoff``, ``working_days``, ``model_days``, ``timezone``) and the holidays in force.

        ``holidays``: :class:`~appliance.domain.catalog.Holiday` items. Choosing them is the caller's
        job (``office.holidays_file`` when set, else the catalog's): see
        :meth:`appliance.runtime.Appliance.calendar` and :func:`appliance.catalog.loader.load_holidays`.
        """
        sessions = [parse_session(getattr(office, "morning", "07:30-11:30"), "Buổi sáng"),
                    parse_session(getattr(office, "afternoon", "13:30-17:00"), "Buổi chiều")]
        cutoff = _hhmm(getattr(office, "same_day_cutoff", "15:00"), "Giờ chốt trả trong ngày")

        def days(names: Iterable[Any], what: str) -> list[int]:
            try:
                return [WEEKDAYS.index(str(n).lower()) for n in names]
            except ValueError:
                raise CalendarError(f"{what}: chỉ dùng {', '.join(WEEKDAYS)}.") from None

        saturday = str(getattr(office, "saturday_reception", "") or "").strip()
        working = days(getattr(office, "working_days", WEEKDAYS[:5]), "Ngày làm việc")
        model = days(getattr(office, "model_days", ("tue",)), "Ngày áp dụng mô hình")
        off: dict[date, str] = {}
        makeup: dict[date, str] = {}
        for h in holidays:
            (makeup if getattr(h, "working", False) else off)[h.day] = h.name
        return cls(sessions, working, off, makeup, model, cutoff, getattr(office, "timezone", "Asia/Ho_Chi_Minh"),
                   parse_session(saturday, "Giờ tiếp nhận thứ Bảy") if saturday else None,
                   bool(getattr(office, "count_days_from_next_day", False)))

    # --- days -----------------------------------------------------------------------------

    def local(self, dt: datetime) -> datetime:
        if not isinstance(dt, datetime):
            raise CalendarError(f"Cần một thời điểm (datetime), nhận được {dt!r}.")
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise CalendarError("Thời điểm phải có múi giờ (ví dụ Asia/Ho_Chi_Minh).")
        return dt.astimezone(self.tz)

    def holiday_name(self, d: date) -> str | None:
        return self.holidays.get(d)

    def is_working_day(self, d: date) -> bool:
        if d in self.makeup_days:
            return True
        return d.weekday() in self.working_weekdays and d not in self.holidays

    def is_model_day(self, d: date) -> bool:
        """A working day whose weekday is a model day ('không viết, không giấy hẹn')."""
        return d.weekday() in self.model_weekdays and self.is_working_day(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        for offset in range(1, _MAX_DAYS):
            candidate = d + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError("Không tìm thấy ngày làm việc nào trong 3 năm tới: kiểm tra lịch ngày nghỉ.")

    def sessions_on(self, d: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(d):
            return []
        return [(datetime.combine(d, s, self.tz), datetime.combine(d, e, self.tz)) for s, e in self.sessions]

    def opening(self, d: date) -> datetime:
        return datetime.combine(d, self.sessions[0][0], self.tz)

    def closing(self, d: date) -> datetime:
        return datetime.combine(d, self.sessions[-1][1], self.tz)

    @property
    def hours_per_day(self) -> float:
        return self._day_seconds / 3600

    # --- instants -------------------------------------------------------------------------

    def is_reception_time(self, dt: datetime) -> bool:
        """The office receives: working time, or the Saturday-morning reception (not on a holiday)."""
        if self.is_working_time(dt):
            return True
        dt = self.local(dt)
        if self.saturday_reception is None or dt.weekday() != 5 or dt.date() in self.holidays:
            return False
        start, end = self.saturday_reception
        return start <= dt.time() < end

    def is_working_time(self, dt: datetime) -> bool:
        dt = self.local(dt)
        return any(start <= dt < end for start, end in self.sessions_on(dt.date()))

    def next_working_time(self, dt: datetime) -> datetime:
        """``dt`` itself when it is working time, else the start of the next session."""
        dt = self.local(dt)
        day = dt.date()
        for _ in range(_MAX_DAYS):
            for start, end in self.sessions_on(day):
                if dt < end:
                    return max(start, dt)
            day = self.next_working_day(day)
            dt = self.opening(day)
        raise CalendarError("Không tìm thấy giờ làm việc nào trong 3 năm tới.")

    def add_working_hours(self, dt: datetime, hours: float) -> datetime:
        """The instant when ``hours`` of working time have passed after ``dt``."""
        if hours < 0:
            raise CalendarError("Số giờ làm việc không được âm.")
        remaining = timedelta(hours=hours)
        cursor = self.next_working_time(dt)
        if not remaining:
            return cursor
        day = cursor.date()
        for _ in range(_MAX_DAYS * 4):
            for start, end in self.sessions_on(day):
                if end <= cursor:
                    continue
                begin = max(start, cursor)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)
        raise CalendarError("Thời hạn vượt quá 3 năm: kiểm tra lịch ngày nghỉ.")

    def add_working_days(self, dt: datetime, days: int) -> datetime:
        """``days`` full working days after ``dt`` (same clock time; the close of the Nth working
        day when received outside working hours)."""
        if days < 0:
            raise CalendarError("Số ngày làm việc không được âm.")
        if self.days_from_next_day and days:
            day = self.local(dt).date()
            for _ in range(days):
                day = self.next_working_day(day)
            return self.closing(day)
        return self.add_working_hours(dt, days * self._day_seconds / 3600)

    def end_of_day_rule(self, received_at: datetime, cutoff: time | None = None) -> datetime:
        """Close of the day of receipt; close of the next working day when received after the
        cut-off or on a day off ('trong ngày; sau 15 giờ thì ngày làm việc tiếp theo')."""
        received = self.local(received_at)
        cutoff = cutoff or self.same_day_cutoff
        day = received.date()
        if self.is_working_day(day) and received.time() <= cutoff:
            return self.closing(day)
        return self.closing(self.next_working_day(day))

    def due_for(self, time_limit: Any, received_at: datetime, *, two_hour_model: bool = False,
                extended: bool = False, cutoff: time | str | None = None) -> datetime | None:
        """Due time for a catalog time limit (``{'kind': 'hours', 'value': 2}``, ``{'kind':
        'same_day'}``, ``{'kind': 'days', 'value': 3}``, ``{'kind': 'immediate'}``, ``{'kind':
        'none'}`` → None). ``extended``: the longer limit when verification is needed
        (``extended_value`` working days). ``two_hour_model``: on a model day, 2 working hours."""
        limit = _time_limit(time_limit)
        if isinstance(cutoff, str):
            cutoff = _hhmm(cutoff, "Giờ chốt trả trong ngày")
        received = self.local(received_at)
        if extended and limit.extended_value:
            due: datetime | None = self.add_working_days(received, int(limit.extended_value))
        elif limit.kind in ("immediate", "same_day"):
            due = self.end_of_day_rule(received, cutoff)
        elif limit.kind == "hours":
            due = self.add_working_hours(received, float(limit.value))  # type: ignore[arg-type]  # parser: hours have a value
        elif limit.kind == "days":
            due = self.add_working_days(received, int(limit.value))  # type: ignore[arg-type]  # parser: days have a value
        else:
            due = None
        if two_hour_model and not extended and self.is_model_day(received.date()):
            two = self.add_working_hours(received, 2)
            due = two if due is None else min(due, two)
        return due

    def due_for_procedure(self, procedure: Any, received_at: datetime, *, extended: bool = False) -> datetime | None:
        """:meth:`due_for` with a catalog procedure's time limit, 2-hour flag and cut-off."""
        return self.due_for(procedure.time_limit, received_at, two_hour_model=procedure.two_hour_model,
                            extended=extended, cutoff=getattr(procedure, "same_day_cutoff", None))

    def legal_due_for_procedure(self, procedure: Any, received_at: datetime, *,
                                extended: bool = False) -> datetime | None:
        """The legal due time (catalog limit, 15:00 rule, working calendar): what Mẫu 01 prints, what
        the outcome and every report are measured against. Never the 2-hour target."""
        return self.due_for(procedure.time_limit, received_at, extended=extended,
                            cutoff=getattr(procedure, "same_day_cutoff", None))

    def target_due_for_procedure(self, procedure: Any, received_at: datetime) -> datetime | None:
        """The model day's service goal: 2 working hours after receipt for a procedure under the
        2-hour model received on a model day (never later than the legal due time); None otherwise.
        It drives the pager and the countdown; missing it is not "late"."""
        received = self.local(received_at)
        if not getattr(procedure, "two_hour_model", False) or not self.is_model_day(received.date()):
            return None
        target = self.add_working_hours(received, 2)
        legal = self.legal_due_for_procedure(procedure, received)
        return target if legal is None else min(target, legal)

    def working_seconds_between(self, a: datetime, b: datetime) -> float:
        """Working time from ``a`` to ``b`` in seconds; negative when ``b`` is before ``a``
        (a countdown that has run out)."""
        a, b = self.local(a), self.local(b)
        if b < a:
            return -self.working_seconds_between(b, a)
        total = timedelta()
        day = a.date()
        while day <= b.date():
            for start, end in self.sessions_on(day):
                lo, hi = max(start, a), min(end, b)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds()

    def outcome(self, due_at: datetime | None, returned_at: datetime) -> str:
        """``'early'`` (returned on an earlier day than due), ``'on_time'`` or ``'late'``
        (returned after the due time). No due time (no time limit): ``'on_time'``."""
        returned = self.local(returned_at)
        if due_at is None:
            return "on_time"
        due = self.local(due_at)
        if returned > due:
            return "late"
        if returned.date() < due.date():
            return "early"
        return "on_time"


OUTCOME_NAMES = {"early": ("Trước hạn", "Early"), "on_time": ("Đúng hạn", "On time"), "late": ("Quá hạn", "Late")}


def _seconds(start: time, end: time) -> int:
    return (end.hour * 3600 + end.minute * 60 + end.second) - (start.hour * 3600 + start.minute * 60 + start.second)

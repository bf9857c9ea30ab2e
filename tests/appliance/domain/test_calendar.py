"""Working calendar: sessions, weekends, holidays, make-up days, due times, outcomes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from appliance.catalog.loader import load_catalog, load_holidays
from appliance.config import Office
from appliance.domain.calendar import CalendarError, WorkCalendar, parse_session
from appliance.domain.catalog import Holiday
from appliance.runtime import office_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=8, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN)


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar.from_settings(Office(), load_holidays())


def test_from_settings_reads_office_sessions_and_days(cal):
    assert cal.sessions == ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
    assert cal.hours_per_day == 7.5
    assert cal.same_day_cutoff == time(15, 0)
    assert cal.is_model_day(date(2026, 3, 3))          # a Tuesday
    assert not cal.is_model_day(date(2026, 3, 4))


def test_from_settings_accepts_other_settings():
    office = Office(morning="08:00-12:00", afternoon="13:00-17:30", same_day_cutoff="16:00",
                    working_days=("mon", "tue", "wed", "thu", "fri", "sat"), model_days=("mon", "wed"))
    cal = WorkCalendar.from_settings(office, load_holidays())
    assert cal.is_working_day(date(2026, 3, 7))        # Saturday is now a working day
    assert cal.is_model_day(date(2026, 3, 2)) and cal.is_model_day(date(2026, 3, 4))
    assert cal.end_of_day_rule(at(2026, 3, 2, 15, 30)) == at(2026, 3, 2, 17, 30)


def test_weekends_and_holidays_are_not_working_days(cal):
    assert cal.is_working_day(date(2026, 3, 2))
    assert not cal.is_working_day(date(2026, 3, 7))    # Saturday
    assert not cal.is_working_day(date(2026, 3, 8))    # Sunday
    for d in (date(2026, 1, 1), date(2026, 2, 17), date(2026, 4, 27), date(2026, 9, 2), date(2026, 11, 24)):
        assert not cal.is_working_day(d), d
    assert "Tết" in cal.holiday_name(date(2026, 2, 17))


def test_makeup_saturday_is_a_working_day(cal):
    assert cal.is_working_day(date(2026, 8, 22))       # làm bù cho 31/8/2026
    assert not cal.is_working_day(date(2026, 8, 31))
    assert cal.is_working_day(date(2025, 4, 26))
    assert not cal.is_model_day(date(2026, 8, 22))


def test_is_working_time_half_open_sessions(cal):
    assert cal.is_working_time(at(2026, 3, 2, 7, 30))
    assert cal.is_working_time(at(2026, 3, 2, 11, 29, 59))
    assert not cal.is_working_time(at(2026, 3, 2, 11, 30))
    assert not cal.is_working_time(at(2026, 3, 2, 12, 15))
    assert cal.is_working_time(at(2026, 3, 2, 13, 30))
    assert not cal.is_working_time(at(2026, 3, 2, 17, 0))
    assert not cal.is_working_time(at(2026, 3, 2, 7, 29))
    assert not cal.is_working_time(at(2026, 2, 17, 9, 0))  # Tết


def test_other_timezones_are_converted(cal):
    utc = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    assert cal.is_working_time(utc)
    due = cal.add_working_hours(utc, 1)
    assert due == at(2026, 3, 2, 9, 0) and due.tzinfo == VN


def test_naive_datetime_is_refused(cal):
    with pytest.raises(CalendarError, match="múi giờ"):
        cal.is_working_time(datetime(2026, 3, 2, 8, 0))


@pytest.mark.parametrize("start, hours, due", [
    (at(2026, 3, 2, 8, 0), 2, at(2026, 3, 2, 10, 0)),
    (at(2026, 3, 2, 10, 0), 2, at(2026, 3, 2, 14, 0)),        # across lunch
    (at(2026, 3, 2, 12, 0), 2, at(2026, 3, 2, 15, 30)),       # received during lunch
    (at(2026, 3, 2, 16, 0), 2, at(2026, 3, 3, 8, 30)),        # across the night
    (at(2026, 3, 6, 16, 30), 2, at(2026, 3, 9, 9, 0)),        # Friday → Monday
    (at(2026, 3, 2, 9, 30), 2, at(2026, 3, 2, 11, 30)),       # ends exactly at session end
    (at(2026, 3, 2, 18, 0), 0.5, at(2026, 3, 3, 8, 0)),       # received after hours
    (at(2026, 2, 13, 16, 0), 2, at(2026, 2, 23, 8, 30)),      # Friday before Tết 2026
    (at(2026, 8, 21, 16, 0), 2, at(2026, 8, 22, 8, 30)),      # make-up Saturday counts
])
def test_add_working_hours(cal, start, hours, due):
    assert cal.add_working_hours(start, hours) == due


def test_add_zero_hours_moves_to_next_working_time(cal):
    assert cal.add_working_hours(at(2026, 3, 2, 12, 0), 0) == at(2026, 3, 2, 13, 30)
    assert cal.add_working_hours(at(2026, 3, 2, 9, 0), 0) == at(2026, 3, 2, 9, 0)


@pytest.mark.parametrize("start, days, due", [
    (at(2026, 3, 2, 10, 0), 3, at(2026, 3, 5, 10, 0)),        # Mon 10:00 + 3 → Thu 10:00
    (at(2026, 3, 2, 7, 0), 3, at(2026, 3, 4, 17, 0)),         # before opening: 3 full days
    (at(2026, 3, 2, 20, 0), 3, at(2026, 3, 5, 17, 0)),        # received online in the evening
    (at(2026, 3, 5, 14, 0), 3, at(2026, 3, 10, 14, 0)),       # over a weekend
    (at(2026, 2, 12, 9, 0), 3, at(2026, 2, 24, 9, 0)),        # over Tết Bính Ngọ
    (at(2026, 4, 24, 9, 0), 3, at(2026, 5, 4, 9, 0)),         # 27/4 (nghỉ bù), 30/4, 1/5
    (at(2026, 3, 2, 12, 0), 1, at(2026, 3, 3, 11, 30)),       # at lunch: the earliest equal instant
])
def test_add_working_days(cal, start, days, due):
    assert cal.add_working_days(start, days) == due


@pytest.mark.parametrize("received, due", [
    (at(2026, 3, 3, 9, 0), at(2026, 3, 3, 17, 0)),
    (at(2026, 3, 3, 15, 0), at(2026, 3, 3, 17, 0)),           # exactly 15:00 is not "after"
    (at(2026, 3, 3, 15, 0, 1), at(2026, 3, 4, 17, 0)),
    (at(2026, 3, 3, 16, 45), at(2026, 3, 4, 17, 0)),
    (at(2026, 3, 3, 12, 0), at(2026, 3, 3, 17, 0)),           # lunch, before cut-off
    (at(2026, 3, 3, 6, 30), at(2026, 3, 3, 17, 0)),           # before opening
    (at(2026, 3, 7, 10, 0), at(2026, 3, 9, 17, 0)),           # Saturday (online) → Monday
    (at(2026, 2, 13, 16, 0), at(2026, 2, 23, 17, 0)),         # after cut-off before Tết
])
def test_same_day_rule(cal, received, due):
    assert cal.due_for({"kind": "same_day"}, received) == due
    assert cal.due_for({"kind": "immediate"}, received) == due


def test_due_for_kinds(cal):
    received = at(2026, 3, 2, 10, 0)                          # Monday, not a model day
    assert cal.due_for({"kind": "hours", "value": 2}, received) == at(2026, 3, 2, 14, 0)
    assert cal.due_for({"kind": "days", "value": 3}, received) == at(2026, 3, 5, 10, 0)
    assert cal.due_for({"kind": "none"}, received) is None
    assert cal.due_for({"kind": "days", "value": 3, "extended_value": 8}, received, extended=True) \
        == at(2026, 3, 12, 10, 0)
    assert cal.due_for({"kind": "same_day"}, received, cutoff="09:00") == at(2026, 3, 3, 17, 0)


def test_two_hour_model_applies_on_model_days_only(cal):
    tuesday, monday = at(2026, 3, 3, 10, 0), at(2026, 3, 2, 10, 0)
    limit = {"kind": "days", "value": 3}
    assert cal.due_for(limit, tuesday, two_hour_model=True) == at(2026, 3, 3, 14, 0)
    assert cal.due_for(limit, monday, two_hour_model=True) == at(2026, 3, 5, 10, 0)
    assert cal.due_for(limit, tuesday, two_hour_model=False) == at(2026, 3, 6, 10, 0)
    assert cal.due_for({"kind": "none"}, tuesday, two_hour_model=True) == at(2026, 3, 3, 14, 0)
    # late on a model day: 2 working hours run into the next morning, still before the same-day rule
    assert cal.due_for({"kind": "immediate"}, at(2026, 3, 3, 16, 30), two_hour_model=True) \
        == at(2026, 3, 4, 9, 0)


def test_due_for_procedure_uses_catalog_values(cal):
    catalog = load_catalog()
    khai_sinh, giam_ho = catalog.get("1.001193"), catalog.get("1.004837")
    assert cal.due_for_procedure(khai_sinh, at(2026, 3, 3, 10, 0)) == at(2026, 3, 3, 14, 0)
    assert cal.due_for_procedure(khai_sinh, at(2026, 3, 2, 10, 0)) == at(2026, 3, 2, 17, 0)
    assert cal.due_for_procedure(giam_ho, at(2026, 3, 3, 10, 0)) == at(2026, 3, 6, 10, 0)
    ket_hon = catalog.get("1.000894")
    assert cal.due_for_procedure(ket_hon, at(2026, 3, 2, 10, 0), extended=True) == at(2026, 3, 9, 10, 0)


def test_bad_time_limits_are_refused(cal):
    with pytest.raises(CalendarError, match="Loại thời hạn"):
        cal.due_for({"kind": "weeks", "value": 1}, at(2026, 3, 2))
    with pytest.raises(CalendarError, match="số dương"):
        cal.due_for({"kind": "days"}, at(2026, 3, 2))


def test_working_seconds_between(cal):
    assert cal.working_seconds_between(at(2026, 3, 2, 10, 0), at(2026, 3, 2, 14, 0)) == 2 * 3600
    assert cal.working_seconds_between(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 8, 30)) == 2 * 3600
    assert cal.working_seconds_between(at(2026, 3, 2, 14, 0), at(2026, 3, 2, 10, 0)) == -2 * 3600
    assert cal.working_seconds_between(at(2026, 2, 16, 8, 0), at(2026, 2, 20, 17, 0)) == 0  # Tết
    assert cal.working_seconds_between(at(2026, 3, 2, 0, 0), at(2026, 3, 3, 0, 0)) == 7.5 * 3600


def test_outcome(cal):
    due = at(2026, 3, 5, 10, 0)
    assert cal.outcome(due, at(2026, 3, 4, 16, 0)) == "early"
    assert cal.outcome(due, at(2026, 3, 5, 9, 0)) == "on_time"
    assert cal.outcome(due, due) == "on_time"
    assert cal.outcome(due, due + timedelta(seconds=1)) == "late"
    assert cal.outcome(None, at(2026, 3, 5)) == "on_time"


def test_holidays_from_a_pushed_catalog_replace_the_file():
    extra = [Holiday(date(2026, 3, 3), "Ngày nghỉ đột xuất"), Holiday(date(2026, 3, 7), "Làm bù", working=True)]
    cal = WorkCalendar.from_settings(Office(), holidays=extra)
    assert not cal.is_working_day(date(2026, 3, 3))
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.is_working_day(date(2026, 2, 17))               # the file was not read


def test_holidays_file_setting(tmp_path):
    file = tmp_path / "ngay_nghi.toml"
    file.write_text('[[days_off]]\ndate = 2026-03-03\nname = "Lễ hội làng"\n', encoding="utf-8")
    cal = office_calendar(Office(holidays_file=str(file)), load_holidays)
    assert cal.holiday_name(date(2026, 3, 3)) == "Lễ hội làng"
    bad = tmp_path / "sai.toml"
    bad.write_text('[[days_off]]\ndate = "2026-02-30"\nname = "x"\n', encoding="utf-8")
    with pytest.raises(CalendarError, match=r"sai.toml, khóa days_off\[0\].date"):
        office_calendar(Office(holidays_file=str(bad)), load_holidays)


def test_misconfiguration_messages():
    with pytest.raises(CalendarError, match="HH:MM-HH:MM"):
        parse_session("7h30")
    with pytest.raises(CalendarError, match="bắt đầu phải trước"):
        WorkCalendar(sessions=[(time(11, 0), time(8, 0))])
    with pytest.raises(CalendarError, match="chồng lên nhau"):
        WorkCalendar(sessions=[(time(8, 0), time(12, 0)), (time(11, 0), time(13, 0))])
    with pytest.raises(CalendarError, match="ít nhất một ngày"):
        WorkCalendar(working_weekdays=())

    @dataclass
    class Odd:
        working_days: tuple = ("monday",)
    with pytest.raises(CalendarError, match="Ngày làm việc"):
        WorkCalendar.from_settings(Odd(), ())

"""Golden due times (#13): each rule of shared/domain.md on the shipped 2026 holidays — the legal due
time (catalog limit, 15:00 rule, working calendar) and, apart, the model day's 2-hour target;
lunch, Saturday-morning reception, Hà Nội's hours and counting N days from the next day."""
from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from appliance.catalog.loader import load_catalog, load_holidays
from appliance.domain.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CATALOG = load_catalog()
KHAI_SINH = CATALOG.get("1.001193")       # immediate, 2-hour model
GIAM_HO = CATALOG.get("1.004837")         # 3 working days


def at(y, mo, d, h=8, mi=0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def office(**over):
    base = dict(morning="07:30-11:30", afternoon="13:30-17:00", same_day_cutoff="15:00",
                working_days=("mon", "tue", "wed", "thu", "fri"), model_days=("tue",), timezone="Asia/Ho_Chi_Minh",
                saturday_reception="", count_days_from_next_day=False)
    base.update(over)
    return WorkCalendar.from_settings(SimpleNamespace(**base), load_holidays())


CAL = office()
HANOI = office(morning="08:00-12:00", afternoon="13:00-17:00")


@pytest.mark.parametrize("received,legal,target", [
    # khai sinh on a model day: legal = the close of the day, target = 2 working hours
    (at(2026, 12, 1, 8, 0), at(2026, 12, 1, 17, 0), at(2026, 12, 1, 10, 0)),
    # 2 working hours across lunch: 11:00 → 30 min before lunch + 1 h 30 after = 15:00
    (at(2026, 12, 1, 11, 0), at(2026, 12, 1, 17, 0), at(2026, 12, 1, 15, 0)),
    # 15:00 exactly is still "before 15:00"; the target is capped at the legal due time
    (at(2026, 12, 1, 15, 0), at(2026, 12, 1, 17, 0), at(2026, 12, 1, 17, 0)),
    # after 15:00: the next working day's close; the target runs into the next morning
    # (1 h 59 min this afternoon, 1 min after Wednesday's 07:30 opening)
    (at(2026, 12, 1, 15, 1), at(2026, 12, 2, 17, 0), at(2026, 12, 2, 7, 31)),
    # not a model day: no target
    (at(2026, 12, 2, 8, 0), at(2026, 12, 2, 17, 0), None),
])
def test_khai_sinh_legal_due_and_target(received, legal, target):
    assert CAL.legal_due_for_procedure(KHAI_SINH, received) == legal
    assert CAL.target_due_for_procedure(KHAI_SINH, received) == target


@pytest.mark.parametrize("received,legal", [
    # Tết Dương lịch 2026: Thu 1/1 off, Fri 2/1 swapped off, weekend: after 15:00 on 31/12 → Mon 5/1
    (at(2025, 12, 31, 16, 0), at(2026, 1, 5, 17, 0)),
    # received on the holiday itself → the next working day
    (at(2026, 1, 2, 9, 0), at(2026, 1, 5, 17, 0)),
    # Sat 10/1/2026 is worked (make-up for 2/1): received after 15:00 on Friday 9/1 → Saturday's close
    (at(2026, 1, 9, 15, 30), at(2026, 1, 10, 17, 0)),
    # 24/11/2026 (tentative, counted as off until confirmed otherwise): Mon 23/11 16:00 → Wed 25/11
    (at(2026, 11, 23, 16, 0), at(2026, 11, 25, 17, 0)),
    # 2/9 Quốc khánh (Tue 1/9 and Wed 2/9 off): Mon 31/8 is a swapped day off too → Thu 3/9
    (at(2026, 8, 28, 15, 30), at(2026, 9, 3, 17, 0)),
])
def test_same_day_rule_on_the_2026_holidays(received, legal):
    assert CAL.legal_due_for_procedure(KHAI_SINH, received) == legal


@pytest.mark.parametrize("received,legal", [
    (at(2026, 12, 7, 10, 0), at(2026, 12, 10, 10, 0)),          # Monday 10:00 + 3 days → Thursday 10:00
    (at(2025, 12, 30, 10, 0), at(2026, 1, 6, 10, 0)),           # over Tết Dương lịch: 31/12, 5/1, 6/1
    (at(2026, 1, 8, 10, 0), at(2026, 1, 12, 10, 0)),            # Sat 10/1 is worked: 9/1, 10/1, 12/1
    (at(2026, 12, 5, 9, 0), at(2026, 12, 9, 17, 0)),            # a Saturday: from Monday's opening
])
def test_working_days(received, legal):
    assert CAL.legal_due_for_procedure(GIAM_HO, received) == legal
    assert CAL.target_due_for_procedure(GIAM_HO, received) is None


def test_counting_n_days_from_the_next_day():
    cal = office(count_days_from_next_day=True)
    assert cal.legal_due_for_procedure(GIAM_HO, at(2026, 12, 7, 10, 0)) == at(2026, 12, 10, 17, 0)
    assert cal.legal_due_for_procedure(GIAM_HO, at(2026, 12, 7, 16, 30)) == at(2026, 12, 10, 17, 0)
    assert cal.legal_due_for_procedure(GIAM_HO, at(2025, 12, 31, 10, 0)) == at(2026, 1, 7, 17, 0)
    # same-day procedures are untouched by the option
    assert cal.legal_due_for_procedure(KHAI_SINH, at(2026, 12, 7, 10, 0)) == at(2026, 12, 7, 17, 0)


def test_hanoi_hours_and_lunch():
    assert HANOI.hours_per_day == 8
    tuesday = at(2026, 12, 1, 11, 0)
    assert HANOI.target_due_for_procedure(KHAI_SINH, tuesday) == at(2026, 12, 1, 14, 0)   # 1 h + lunch + 1 h
    # received at lunch: counted from the 13:00 opening; 24 working hours later is Thursday's lunch
    # (the due time falls on the morning session's end, the same working instant as 13:00)
    assert HANOI.legal_due_for_procedure(GIAM_HO, at(2026, 12, 7, 12, 30)) == at(2026, 12, 10, 12, 0)
    assert not HANOI.is_working_time(at(2026, 12, 1, 12, 30)) and HANOI.is_working_time(at(2026, 12, 1, 13, 0))


def test_saturday_morning_reception_does_not_make_saturday_a_working_day():
    cal = office(saturday_reception="08:00-12:00")
    saturday = at(2026, 12, 5, 9, 0)
    assert cal.saturday_reception == (time(8, 0), time(12, 0))
    assert cal.is_reception_time(saturday) and not cal.is_working_time(saturday)
    assert not cal.is_reception_time(at(2026, 12, 5, 13, 0)) and not cal.is_reception_time(at(2026, 12, 6, 9, 0))
    assert not CAL.is_reception_time(saturday)
    assert cal.legal_due_for_procedure(KHAI_SINH, saturday) == at(2026, 12, 7, 17, 0)
    assert cal.target_due_for_procedure(KHAI_SINH, saturday) is None
    assert cal.is_working_day(date(2026, 12, 5)) is False


def test_outcome_is_legal_not_the_target():
    received = at(2026, 12, 1, 8, 0)
    legal = CAL.legal_due_for_procedure(KHAI_SINH, received)
    assert CAL.outcome(legal, at(2026, 12, 1, 14, 0)) == "on_time"
    assert CAL.outcome(CAL.target_due_for_procedure(KHAI_SINH, received), at(2026, 12, 1, 14, 0)) == "late"

"""Property tests (hypothesis): due times never fall in a break, on a day off or before receipt."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.catalog.loader import load_holidays
from appliance.config import Office
from appliance.domain.calendar import WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar.from_settings(Office(), load_holidays())
MODEL_EVERY_DAY = WorkCalendar.from_settings(Office(model_days=("mon", "tue", "wed", "thu", "fri")), load_holidays())

instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 11, 30)).map(
    lambda d: d.replace(microsecond=0, tzinfo=VN))
limits = st.one_of(
    st.just({"kind": "immediate"}), st.just({"kind": "same_day"}),
    st.builds(lambda v: {"kind": "hours", "value": v}, st.sampled_from([0.5, 1, 2, 4, 8, 16])),
    st.builds(lambda v: {"kind": "days", "value": v}, st.integers(1, 15)),
)


def in_session_closed(cal: WorkCalendar, dt: datetime) -> bool:
    """Inside a session, its end included (a due time may be the close of a session)."""
    return any(start <= dt <= end for start, end in cal.sessions_on(dt.date()))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(instants, limits, st.booleans())
def test_due_is_never_in_a_break_or_on_a_day_off(received, limit, model):
    for cal in (CAL, MODEL_EVERY_DAY):
        due = cal.due_for(limit, received, two_hour_model=model)
        assert due is not None and due > received
        assert cal.is_working_day(due.date()), (received, limit, due)
        assert cal.holiday_name(due.date()) is None or due.date() in cal.makeup_days
        assert in_session_closed(cal, due), (received, limit, due)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(instants, st.integers(1, 60 * 40))
def test_working_seconds_round_trip(start, minutes):
    due = CAL.add_working_hours(start, minutes / 60)
    assert CAL.working_seconds_between(start, due) == minutes * 60
    assert CAL.working_seconds_between(due, start) == -minutes * 60


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(instants, st.integers(0, 600), st.integers(0, 600))
def test_add_working_hours_is_monotonic_and_additive(start, a, b):
    first = CAL.add_working_hours(start, a / 60)
    both = CAL.add_working_hours(start, (a + b) / 60)
    assert first <= both
    if a:
        assert CAL.add_working_hours(first, b / 60) == both


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(instants, st.integers(1, 10))
def test_working_days_are_whole_days_of_work(start, days):
    due = CAL.add_working_days(start, days)
    assert CAL.working_seconds_between(start, due) == days * CAL.hours_per_day * 3600
    assert CAL.outcome(due, due) == "on_time"
    assert CAL.outcome(due, due + timedelta(minutes=1)) == "late"


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(instants)
def test_next_working_time_is_working_time(dt):
    nxt = CAL.next_working_time(dt)
    assert nxt >= dt and CAL.is_working_time(nxt)
    assert CAL.working_seconds_between(dt, nxt) == 0

"""Pure appointment rules: slots cut from the calendar, codes, arrival, reminders, and the queue's
fairness between appointments and walk-ins (property tests over random days)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.domain import appointments as ap
from appliance.domain.calendar import WorkCalendar
from appliance.domain.errors import Conflict, DomainError  # noqa: F401 (Conflict: the kind raised)
from appliance.domain.queue import Ratio, Runs, Ticket, choose_with_appointments

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar(holidays={date(2026, 12, 2): "Ngày nghỉ thử"})


def code_of(call):
    with pytest.raises(DomainError) as err:
        call()
    return err.value.code


def at(day, hh, mm=0):
    return datetime.combine(day, time(hh, mm), TZ)


# --- slots -----------------------------------------------------------------------------------
def test_slots_skip_lunch_weekend_holiday_and_closing():
    mon, sun = date(2026, 11, 30), date(2026, 12, 6)
    slots = ap.plan_slots(CAL, mon, sun, time(7, 30), time(17, 0), 60)
    days = sorted({s.date() for s, _ in slots})
    # no Wednesday (a holiday), no weekend
    assert days == [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 3), date(2026, 12, 4)]
    monday = [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in slots if s.date() == mon]
    assert monday == [("07:30", "08:30"), ("08:30", "09:30"), ("09:30", "10:30"), ("10:30", "11:30"),
                      ("13:30", "14:30"), ("14:30", "15:30"), ("15:30", "16:30")]   # 16:30–17:30 would pass closing
    for s, e in slots:
        assert ap.within_working_time(CAL, s, e)


def test_slots_within_the_asked_hours_and_weekdays():
    slots = ap.plan_slots(CAL, date(2026, 11, 30), date(2026, 12, 4), time(8, 0), time(10, 0), 30, weekdays=[0])
    assert [s.strftime("%a %H:%M") for s, _ in slots] == ["Mon 08:00", "Mon 08:30", "Mon 09:00", "Mon 09:30"]


@pytest.mark.parametrize("minutes,start,end,last", [(2, time(8), time(9), date(2026, 12, 1)),
                                                    (30, time(9), time(8), date(2026, 12, 1)),
                                                    (30, time(8), time(9), date(2026, 11, 1))])
def test_slot_plans_that_make_no_sense_are_refused(minutes, start, end, last):
    with pytest.raises(DomainError):
        ap.plan_slots(CAL, date(2026, 11, 30), last, start, end, minutes)


@given(st.integers(5, 240), st.integers(0, 40))
def test_every_planned_slot_lies_in_working_time(minutes, offset_days):
    first = date(2026, 11, 30) + timedelta(days=offset_days)
    for s, e in ap.plan_slots(CAL, first, first + timedelta(days=6), time(0), time(23, 59), minutes):
        assert e - s == timedelta(minutes=minutes)
        assert ap.within_working_time(CAL, s, e)


# --- codes -----------------------------------------------------------------------------------
@given(st.randoms(use_true_random=False))
def test_office_and_hub_codes_never_meet(rnd):
    office, hub = ap.make_code("office", rnd.randint), ap.make_code("hub", rnd.randint)
    assert ap.code_owner(office) == "office" and ap.code_owner(hub) == "hub"
    assert len(office) == len(hub) == 6 and office.isdigit()


def test_typed_codes_are_cleaned():
    assert ap.clean_code(" 123 456 ") == "123456"
    assert ap.clean_code("123-456") == "123456"
    assert ap.clean_code("023456") is None and ap.clean_code("12345") is None and ap.clean_code(None) is None


# --- ownership, arrival, reminders -----------------------------------------------------------
def slot(owner="office", start=None, capacity=2, booked=0):
    start = start or at(date(2026, 11, 30), 9).timestamp()
    return ap.Slot(1, "HT", None, start, start + 1800, capacity, owner, booked)


def test_only_the_owner_books_a_slot():
    now = at(date(2026, 11, 30), 8).timestamp()
    ap.check_bookable(slot("office"), now, "office")
    ap.check_bookable(slot("hub"), now, "hub")
    for owner, by in (("hub", "office"), ("office", "hub")):
        with pytest.raises(Conflict) as err:
            ap.check_bookable(slot(owner), now, by)
        assert err.value.code == "slot_not_owned"
    assert code_of(lambda: ap.check_bookable(slot(booked=2), now, "office")) == "slot_full"
    assert code_of(lambda: ap.check_bookable(slot(), now + 7200, "office")) == "slot_past"


def test_a_kiosk_books_only_later_today():
    now = at(date(2026, 11, 30), 8).timestamp()
    tomorrow = slot(start=at(date(2026, 12, 1), 9).timestamp())
    def day(ts):
        return datetime.fromtimestamp(ts, TZ).date()
    assert code_of(lambda: ap.check_bookable(tomorrow, now, "office", today_only=True, tz_day=day)) == "slot_not_today"


def test_arrival_on_time_early_late_and_other_days():
    rules = ap.Rules(grace_min=15)
    start = at(date(2026, 11, 30), 9)
    assert ap.arrival(start, at(date(2026, 11, 30), 8), rules) == "on_time"        # early: waits for its time
    assert ap.arrival(start, at(date(2026, 11, 30), 9, 15), rules) == "on_time"
    assert ap.arrival(start, at(date(2026, 11, 30), 9, 16), rules) == "late"
    assert code_of(lambda: ap.arrival(start, at(date(2026, 11, 29), 9), rules)) == "appointment_other_day"
    assert code_of(lambda: ap.arrival(start, at(date(2026, 12, 1), 9), rules)) == "appointment_passed"


def test_reminders_the_day_before_and_an_hour_before_unless_past():
    rules = ap.Rules()
    start = at(date(2026, 12, 1), 9)
    both = ap.reminder_times(start, at(date(2026, 11, 30), 8), rules)
    assert [(k, w.strftime("%d %H:%M")) for k, w in both] == [("appointment_reminder_day", "30 17:00"),
                                                               ("appointment_reminder_hour", "01 08:00")]
    assert [k for k, _ in ap.reminder_times(start, at(date(2026, 11, 30), 18), rules)] == ["appointment_reminder_hour"]
    assert ap.reminder_times(start, at(date(2026, 12, 1), 8, 30), rules) == []


# --- the queue: appointments and walk-ins ------------------------------------------------------
def ticket(id_, issued, priority=False, booked=None):
    return Ticket(id=id_, service_id=1, service_code="HT", service_name="Hộ tịch", day="2026-11-30", seq=id_,
                  number=f"{id_:03d}", priority=priority, state="waiting", issued_ts=issued, appointment_ts=booked)


def test_a_due_appointment_goes_ahead_of_walk_ins_who_came_earlier():
    waiting = [ticket(1, 0), ticket(2, 10), ticket(3, 20, booked=100)]
    chosen, runs = choose_with_appointments(waiting, Ratio(1, 2), Runs(), now=100)
    assert chosen.id == 3 and runs.appointment == 1


def test_an_early_appointment_waits_for_its_time_unless_nobody_else_waits():
    early = ticket(3, 20, booked=500)
    chosen, _ = choose_with_appointments([ticket(1, 0), early], Ratio(1, 2), Runs(), now=100)
    assert chosen.id == 1
    chosen, _ = choose_with_appointments([early], Ratio(1, 2), Runs(), now=100)
    assert chosen.id == 3


def test_after_two_appointments_in_a_row_a_walk_in_is_called():
    waiting = [ticket(1, 0)] + [ticket(10 + i, 5, booked=50 + i) for i in range(4)]
    order, runs = [], Runs()
    while waiting:
        chosen, runs = choose_with_appointments(waiting, Ratio(1, 2), runs, now=100, in_a_row=2)
        waiting.remove(chosen)
        order.append("A" if chosen.appointment_ts is not None else "W")
    assert "".join(order) == "AAWAA"


# a day at one counter: arrivals (walk-ins, priority walk-ins, appointments that check in some time
# before or after their booked time) and calls every few minutes
arrival_st = st.tuples(st.sampled_from(["walk", "prio", "appt"]), st.integers(0, 400), st.integers(-60, 60))


def simulate(arrivals, step, in_a_row, ratio):
    """Returns the calls as (time, ticket, waiting-at-the-call) in order."""
    tickets = []
    for i, (kind, t_arrive, early_by) in enumerate(arrivals, start=1):
        if kind == "appt":
            booked = t_arrive + early_by                      # checked in early_by before (or after) the time
            tickets.append(ticket(i, t_arrive, booked=float(max(0, booked))))
        else:
            tickets.append(ticket(i, t_arrive, priority=kind == "prio"))
    pending = sorted(tickets, key=lambda t: t.issued_ts)
    waiting, calls, runs, now = [], [], Runs(), 0
    while pending or waiting:
        while pending and pending[0].issued_ts <= now:
            waiting.append(pending.pop(0))
        if waiting:
            chosen, runs = choose_with_appointments(waiting, ratio, runs, float(now), in_a_row)
            assert chosen is not None                         # work-conserving: someone waits, someone is called
            calls.append((now, chosen, list(waiting)))
            waiting.remove(chosen)
        now += step
    return calls


@settings(max_examples=300, deadline=None)
@given(st.lists(arrival_st, min_size=1, max_size=40), st.integers(1, 30), st.integers(1, 3),
       st.sampled_from([Ratio(1, 2), Ratio(1, 1), Ratio(2, 3)]))
def test_fairness_between_appointments_and_walk_ins(arrivals, step, in_a_row, ratio):
    calls = simulate(arrivals, step, in_a_row, ratio)
    assert len(calls) == len(arrivals)                        # everyone is called
    is_appt = [c[1].appointment_ts is not None for c in calls]
    for i, (now, chosen, waiting) in enumerate(calls):
        others = [t for t in waiting if t is not chosen]
        due = [t for t in others if t.appointment_ts is not None and t.appointment_ts <= now]
        walk = [t for t in others if t.appointment_ts is None]
        if chosen.appointment_ts is not None and chosen.appointment_ts > now:
            # an appointment called before its time only when nobody else could be
            assert not due and not walk
        if chosen.appointment_ts is not None and chosen.appointment_ts <= now:
            # appointments in booked order
            assert all((chosen.appointment_ts, chosen.issued_ts, chosen.id) <= (t.appointment_ts, t.issued_ts, t.id)
                       for t in due)
        if chosen.appointment_ts is None:
            # walk-ins in arrival order within their class
            assert all((chosen.issued_ts, chosen.id) <= (t.issued_ts, t.id)
                       for t in walk if t.priority == chosen.priority)
            # a walk-in goes before a due appointment only after in_a_row appointment calls in a row
            if due:
                run = 0
                for j in range(i - 1, -1, -1):
                    if not is_appt[j]:
                        break
                    run += 1
                assert run >= in_a_row
        # walk-ins are not starved: never more than in_a_row appointment calls in a row while one waits
        if chosen.appointment_ts is not None and walk:
            run = 1
            for j in range(i - 1, -1, -1):
                if not is_appt[j] or not [t for t in calls[j][2] if t.appointment_ts is None]:
                    break
                run += 1
            assert run <= in_a_row


@settings(max_examples=200, deadline=None)
@given(st.lists(arrival_st, min_size=1, max_size=40), st.integers(1, 30), st.integers(1, 3))
def test_a_due_appointment_waits_at_most_one_walk_in_between_appointment_calls(arrivals, step, in_a_row):
    calls = simulate(arrivals, step, in_a_row, Ratio(1, 2))
    for i in range(1, len(calls)):
        now, chosen, waiting = calls[i]
        prev_now, prev, prev_waiting = calls[i - 1]
        due_then = [t for t in prev_waiting if t is not prev and t.appointment_ts is not None
                    and t.appointment_ts <= prev_now]
        if prev.appointment_ts is None and due_then:
            assert chosen.appointment_ts is not None          # never two walk-ins in a row past a due appointment

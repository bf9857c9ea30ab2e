"""Pure queue rules: numbering, the priority ratio, waiting-time estimates."""
from hypothesis import given
from hypothesis import strategies as st

from appliance.domain.queue import Ratio, Service, Ticket, choose_next, estimate_wait_minutes


def t(id_, ts, priority=False):
    return Ticket(id=id_, service_id=1, service_code="HT", service_name="Hộ tịch", day="2026-11-30",
                  seq=id_, number=f"A{id_:03d}", priority=priority, state="waiting", issued_ts=ts)


def test_numbers_use_prefix_and_wrap_inside_the_range():
    s = Service(1, "HT", "Hộ tịch", prefix="A", range_start=1, range_end=999)
    assert s.number_for(15) == "A015"
    assert s.number_for(999) == "A999"
    assert s.number_for(1000) == "A001"
    plain = Service(2, "CT", "Chứng thực", prefix="", range_start=1001, range_end=1999)
    assert plain.number_for(1) == "1001"
    assert plain.number_for(1000) == "1001"


def test_earliest_arrival_first_within_a_class():
    chosen, _, _ = choose_next([t(3, 30), t(1, 10), t(2, 20)], Ratio(1, 2), 0, 0)
    assert chosen.id == 1


def run_calls(tickets, ratio, calls):
    waiting = list(tickets)
    p_run = n_run = 0
    order = []
    for _ in range(calls):
        chosen, p_run, n_run = choose_next(waiting, ratio, p_run, n_run)
        if chosen is None:
            break
        waiting.remove(chosen)
        order.append("P" if chosen.priority else "N")
    return "".join(order)


def test_ratio_one_priority_per_two_normal_while_both_wait():
    tickets = [t(i, i, priority=i % 2 == 0) for i in range(1, 13)]  # 6 priority, 6 normal
    assert run_calls(tickets, Ratio(1, 2), 12) == "PNNPNNPNNPPP"


def test_strict_priority_with_zero_normals():
    tickets = [t(1, 1), t(2, 2, True), t(3, 3, True)]
    assert run_calls(tickets, Ratio(1, 0), 3) == "PPN"


def test_when_one_class_is_empty_the_other_is_called():
    assert run_calls([t(1, 1, True), t(2, 2, True)], Ratio(1, 2), 2) == "PP"
    assert run_calls([t(1, 1), t(2, 2)], Ratio(1, 2), 2) == "NN"


@given(st.lists(st.booleans(), min_size=1, max_size=60), st.integers(1, 3), st.integers(1, 4))
def test_neither_side_starves(flags, p, n):
    """Every ticket is called, and while normal tickets still wait, priority calls never exceed
    p for every n normal calls made so far (plus the first p)."""
    tickets = [t(i + 1, i + 1, f) for i, f in enumerate(flags)]
    order = run_calls(tickets, Ratio(p, n), len(tickets))
    assert sorted(order) == sorted("P" if f else "N" for f in flags)
    total_normals = order.count("N")
    for k in range(1, len(order) + 1):
        prefix = order[:k]
        if prefix.count("N") < total_normals:  # normals still waiting after this call
            assert prefix.count("P") <= p * (prefix.count("N") // n + 1)


def test_wait_estimate_uses_median_and_counters():
    assert estimate_wait_minutes(0, [600], 1, 6) == 0
    assert estimate_wait_minutes(4, [], 2, 6) == 12
    assert estimate_wait_minutes(3, [120, 240, 10_000], 1, 6) == 12

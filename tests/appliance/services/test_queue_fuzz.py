"""Random sequences of queue commands through the service layer (``QueueEngine`` over SQLite on
disk): whatever the officers, the kiosk and the clock do, a command either works or is refused with
a ``MotcuaError`` (a clear Vietnamese 4xx on the API), never anything else (an IntegrityError is a
500), and after every step the queue's invariants hold:

- a counter holds at most one ticket; a waiting ticket is at no counter, a called or served one at one;
- a ticket keeps the number it was issued with (the paper, the hall display, the pager), and that
  number is its issuing service's for its seq;
- each service's numbers of a day are 1..n with no gap and none twice (transfers neither take nor
  skip one);
- the report summaries (migration 0021's triggers) equal a count over the rows.
"""
from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.errors import MotcuaError

SERVICES = ["HT", "CT", "XH", "ZZ", ""]          # ZZ: unknown; "": no change of service
COUNTERS = [1, 1, 2, 2, 3, 4]                        # 4: unknown
#: mostly "the counter's current ticket" (None), sometimes a guess at any ticket id
ticket_ref = st.one_of(st.none(), st.none(), st.none(), st.integers(-1, 60))
counter = st.sampled_from(COUNTERS)
ARGS = {
    "issue": st.tuples(st.sampled_from(SERVICES[:4]), st.booleans(),
                       st.one_of(st.none(), st.none(), st.integers(0, 12))),
    "call": st.tuples(counter, st.sampled_from([False, True, "serving"])),
    "recall": st.tuples(counter, ticket_ref),
    "serve": st.tuples(counter, ticket_ref),
    "done": st.tuples(counter, ticket_ref),
    "no_show": st.tuples(counter, ticket_ref),
    "transfer": st.tuples(counter, st.sampled_from(SERVICES), st.sampled_from([None, None, 1, 2, 3, 9]),
                          ticket_ref),
    "call_transfer": st.tuples(counter, st.sampled_from(SERVICES), st.sampled_from([None, None, 1, 2, 3, 9])),
    "desk": st.tuples(counter, st.sampled_from(["open", "open", "pause", "close"])),
    "undo": st.tuples(counter),
    "rate": st.tuples(counter, st.sampled_from(["satisfied", "neutral"])),
    "return_pager": st.tuples(st.integers(0, 12)),
    "toggle_service": st.tuples(st.sampled_from(SERVICES[:3])),
    "clock": st.tuples(st.sampled_from([1, 7, 60, 60, 3600, 86400])),
}
#: how often each command comes (the busy ones more often)
KINDS = (["issue"] * 6 + ["call"] * 5 + ["transfer"] * 3 + ["call_transfer"] * 4 + ["serve"] * 2
         + ["recall"] * 2 + ["done"] * 2
         + ["no_show", "desk", "undo", "rate", "return_pager", "toggle_service", "clock", "clock"])
command = st.sampled_from(KINDS).flatmap(lambda kind: ARGS[kind].map(lambda args: (kind, *args)))


def run(appliance, clock, step) -> None:
    engine = appliance.engine
    kind, *args = step
    if kind == "issue":
        service, priority, pager = args
        engine.issue(service, priority=priority, priority_reason="người cao tuổi" if priority else None,
                     pager=pager)
    elif kind == "call":
        engine.call_next(args[0], finish_current=args[1], user_login="canbo1")
    elif kind == "recall":
        engine.recall(*args)
    elif kind == "serve":
        engine.serve(*args)
    elif kind == "done":
        engine.done(args[0], args[1], "canbo1")
    elif kind == "no_show":
        engine.no_show(args[0], args[1], "canbo1")
    elif kind == "transfer":
        counter, service, to_counter, ticket = args
        engine.transfer(counter, service, to_counter, ticket)
    elif kind == "call_transfer":    # "G" then "C" at once: the officer sends the citizen just called on
        counter, service, to_counter = args
        engine.call_next(counter, finish_current=True)
        engine.transfer(counter, service, to_counter)
    elif kind == "desk":
        engine.set_counter_state(args[0], args[1], "admin", "admin")
    elif kind == "undo":
        engine.undo(args[0], None, "canbo1")
    elif kind == "rate":
        engine.rate(args[0], args[1])
    elif kind == "return_pager":
        engine.return_pager(args[0], detach=True)
    elif kind == "toggle_service":   # an administrator stops or resumes a service (not the path under test)
        with appliance.db.write() as conn:
            conn.execute("UPDATE services SET active = 1 - active WHERE code = ?", (args[0],))
    elif kind == "clock":
        clock.advance(args[0])


def check_invariants(appliance, numbers: dict[int, str]) -> None:
    conn = appliance.db.conn()
    active = conn.execute("SELECT counter_id, count(*) FROM tickets WHERE state IN ('called', 'serving') "
                          "GROUP BY counter_id HAVING count(*) > 1").fetchall()
    assert active == [], "a counter holds two tickets"
    assert conn.execute("SELECT count(*) FROM tickets WHERE state = 'waiting' AND counter_id IS NOT NULL"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM tickets WHERE state IN ('called', 'serving') AND counter_id IS NULL"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM tickets WHERE state IN ('done', 'no_show') AND finished_ts IS NULL"
                        ).fetchone()[0] == 0
    services = {s.id: s for s in map(appliance_service(conn), conn.execute("SELECT * FROM services"))}
    seqs: dict[tuple[int, str], list[int]] = defaultdict(list)
    for row in conn.execute("SELECT id, number, seq, day, coalesce(issued_service_id, service_id) AS origin "
                            "FROM tickets"):
        assert row["number"] == services[row["origin"]].number_for(row["seq"]), row["id"]
        if row["id"] in numbers:
            assert row["number"] == numbers[row["id"]], "a ticket's number changed"
        else:
            numbers[row["id"]] = row["number"]
        seqs[(row["origin"], row["day"])].append(row["seq"])
    for key, got in seqs.items():
        assert sorted(got) == list(range(1, len(got) + 1)), key
    raw = conn.execute("SELECT day, service_id, count(*), sum(state = 'done'), sum(state = 'no_show'), "
                       "sum(transfers > 0), sum(state IN ('waiting', 'called', 'serving')) FROM tickets "
                       "GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
    summed = conn.execute("SELECT day, service_id, sum(issued), sum(served), sum(no_show), sum(transferred), "
                          "sum(waiting) FROM report_ticket_days GROUP BY 1, 2 HAVING sum(issued) != 0 "
                          "ORDER BY 1, 2").fetchall()
    assert [tuple(r) for r in raw] == [tuple(r) for r in summed]


def start_example(appliance) -> None:
    """Each example starts with every service taking tickets and every counter open (the tickets of
    the earlier examples stay: the invariants hold over all of them)."""
    with appliance.db.write() as conn:
        conn.execute("UPDATE services SET active = 1")
        conn.execute("UPDATE counters SET state = 'open'")


def appliance_service(conn):
    from appliance.store.queue_store import service_from_row
    return service_from_row


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(command, min_size=20, max_size=60))
def test_random_queue_commands_only_refuse_and_keep_the_invariants(appliance, clock, steps):
    numbers = appliance.__dict__.setdefault("_fuzz_numbers", {})
    start_example(appliance)
    for step in steps:
        try:
            run(appliance, clock, step)
        except MotcuaError:
            pass
        check_invariants(appliance, numbers)


def test_transfers_between_services_that_issued_the_same_numbers(appliance, clock):
    """The collision the fuzz found first, as a fixed sequence: every service has issued 1..5, and
    tickets go round the services, there and back, twice."""
    numbers: dict[int, str] = {}
    engine = appliance.engine
    for _ in range(5):
        for code in ("HT", "CT", "XH"):
            engine.issue(code)
    for step in range(12):
        counter, to = [(1, "CT"), (2, "XH"), (3, "HT")][step % 3]
        try:
            engine.call_next(counter, finish_current=True)
        except MotcuaError:
            continue
        engine.transfer(counter, to)
        check_invariants(appliance, numbers)

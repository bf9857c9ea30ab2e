"""The queue engine over a real SQLite file: life cycle, transfer, priority, pagers, outbox, events."""
import json

import pytest

from appliance.domain.errors import DomainError
from appliance.store import outbox
from appliance.web.errors import http_status


def drain(appliance):
    """Issue nothing new; call every demo ticket away so tests start from an empty queue."""
    conn = appliance.db.conn()
    with appliance.db.write() as w:
        w.execute("UPDATE tickets SET state = 'done' WHERE state != 'done'")
    return conn


@pytest.fixture
def engine(appliance):
    drain(appliance)
    return appliance.engine


def test_numbers_per_service_per_day_reset_daily_keep_history(appliance, engine, clock):
    day1 = [engine.issue("HT").ticket.number for _ in range(2)]
    other = engine.issue("CT").ticket.number
    clock.advance(24 * 3600)
    day2 = engine.issue("HT").ticket
    # demo seeding issued A001..A003 and B001 on day 1
    assert day1 == ["A004", "A005"] and other == "B002"
    assert day2.number == "A001" and day2.day == "2026-12-01"
    assert appliance.db.conn().execute("SELECT count(*) FROM tickets WHERE day = '2026-11-30'").fetchone()[0] == 8


def test_full_life_cycle_and_events(appliance, engine, clock):
    seen = []
    appliance.bus.subscribe(lambda e: seen.append(e.type))
    issued = engine.issue("HT")
    assert issued.ahead == 0
    clock.advance(60)
    called = engine.call_next(1)
    assert called.id == issued.ticket.id and called.state == "called" and called.counter_id == 1
    clock.advance(5)
    assert engine.recall(1).recalls == 1
    assert engine.serve(1).state == "serving"
    clock.advance(300)
    done = engine.done(1)
    assert done.state == "done"
    assert seen == ["ticket.issued", "queue.changed", "ticket.called", "queue.changed", "ticket.recalled",
                    "queue.changed", "ticket.serving", "queue.changed", "ticket.done", "rating.requested",
                    "queue.changed"]   # rating.requested: the counter's citizen screen asks for a rating (#18)
    rows = outbox.pending(appliance.db.conn(), 500)
    done_row = [r for r in rows if r["type"] == "ticket.done"][-1]
    assert done_row["payload"]["service_s"] == 300.0 and done_row["payload"]["wait_s"] == 60.0


def test_counter_only_calls_its_services(engine):
    engine.issue("XH")
    with pytest.raises(DomainError) as err:
        engine.call_next(1)
    assert err.value.code == "nobody_waiting" and http_status(err.value) == 404
    assert engine.call_next(3).service_code == "XH"


def test_double_call_is_refused_and_changes_nothing(appliance, engine):
    engine.issue("HT")
    engine.issue("HT")
    first = engine.call_next(1)
    before = appliance.db.conn().execute("SELECT count(*) FROM outbox").fetchone()[0]
    with pytest.raises(DomainError) as err:
        engine.call_next(1)
    assert err.value.code == "counter_busy" and http_status(err.value) == 409
    assert "A" in err.value.message()
    assert appliance.db.conn().execute("SELECT count(*) FROM outbox").fetchone()[0] == before
    nxt = engine.call_next(1, finish_current=True)
    assert nxt.id != first.id


def test_no_show_after_recalls(engine):
    engine.issue("HT")
    engine.call_next(1)
    for _ in range(3):
        engine.recall(1)
    with pytest.raises(DomainError) as err:
        engine.recall(1)
    assert err.value.code == "too_many_recalls"
    assert engine.no_show(1).state == "no_show"


def test_transfer_keeps_place_by_arrival(engine, clock):
    a = engine.issue("HT").ticket
    clock.advance(10)
    engine.issue("CT")
    clock.advance(10)
    engine.call_next(1)  # calls a
    moved = engine.transfer(1, to_service="CT")
    assert moved.state == "waiting" and moved.service_code == "CT" and moved.number == a.number
    # counter 2 serves CT and HT: the transferred ticket arrived first, so it is called first
    assert engine.call_next(2).id == a.id


def test_transfer_to_a_counter_only_that_counter_calls_it(engine):
    t = engine.issue("HT").ticket
    engine.call_next(1)
    engine.transfer(1, to_counter=2)
    with pytest.raises(DomainError):
        engine.call_next(1)
    assert engine.call_next(2).id == t.id


def test_transfer_to_itself_is_refused(engine):
    engine.issue("HT")
    engine.call_next(1)
    with pytest.raises(DomainError) as err:
        engine.transfer(1, to_service="HT")
    assert err.value.code == "transfer_to_itself"
    with pytest.raises(DomainError) as err:
        engine.transfer(1, to_counter=3)  # counter 3 does not serve HT
    assert err.value.code == "counter_not_serving"


def test_priority_ratio_is_kept_per_counter(engine, clock):
    for i in range(6):
        engine.issue("HT", priority=(i % 2 == 0))
        clock.advance(1)
    order = []
    for _ in range(6):
        order.append("P" if engine.call_next(1, finish_current=True).priority else "N")
    assert "".join(order) == "PNNPNP"


def test_pager_pool_assign_busy_return_lost(appliance, engine):
    t = engine.issue("HT", pager=3).ticket
    assert t.pager == 3
    with pytest.raises(DomainError) as err:
        engine.issue("HT", pager=3)
    assert err.value.code == "pager_busy"
    with pytest.raises(DomainError) as err:
        engine.issue("HT", pager=11)
    assert err.value.code == "pager_out_of_pool"
    assert engine.issue("HT", pager="auto").ticket.pager == 1
    engine.return_pager(3)
    engine.mark_pager_lost(1)
    states = dict(appliance.db.conn().execute("SELECT number, state FROM pagers WHERE number IN (1, 3)"))
    assert states == {1: "lost", 3: "free"}


def test_estimated_wait_from_recent_service_times(engine, clock):
    for _ in range(3):
        engine.issue("XH")
        engine.call_next(3)
        clock.advance(600)
        engine.done(3)
    engine.issue("XH")
    issued = engine.issue("XH")
    assert issued.ahead == 1 and issued.estimated_wait_min == 10


def test_outbox_written_in_the_same_transaction(appliance, engine, monkeypatch):
    """If the transaction fails after the fact, neither the ticket nor its outbox row remain."""
    conn = appliance.db.conn()
    tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    rows = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]

    def boom(conn, type, payload, clock_synced):
        raise RuntimeError("disk full")
    monkeypatch.setattr(outbox, "append_outbox", boom)
    with pytest.raises(RuntimeError):
        engine.issue("HT")
    assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == tickets
    assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == rows


def test_events_published_only_after_commit(appliance, engine):
    seen_in_db = []

    def listener(event):
        if event.type == "ticket.issued":
            other = appliance.db.connect()  # a different connection sees only committed data
            seen_in_db.append(other.execute("SELECT count(*) FROM tickets WHERE id = ?",
                                            (event.payload["ticket"]["id"],)).fetchone()[0])
            other.close()
    appliance.bus.subscribe(listener)
    engine.issue("HT")
    assert seen_in_db == [1]


def test_rating_goes_to_last_served_ticket_and_officer(appliance, engine):
    t = engine.issue("HT").ticket
    engine.call_next(1, user_login="canbo1")
    engine.done(1)
    engine.rate(1, "very_satisfied")
    row = appliance.db.conn().execute("SELECT ticket_id, user_login, level FROM ratings").fetchone()
    assert tuple(row) == (t.id, "canbo1", "very_satisfied")
    payload = json.loads(appliance.db.conn().execute(
        "SELECT payload FROM outbox WHERE type = 'rating.given'").fetchone()[0])
    assert payload["officer"] == "canbo1"


def test_done_and_next_with_nobody_waiting_still_closes_the_current_ticket(appliance, engine):
    t = engine.issue("XH").ticket
    engine.call_next(3)
    with pytest.raises(DomainError) as err:
        engine.call_next(3, finish_current=True)  # the counter button at the end of the queue
    assert err.value.code == "nobody_waiting"
    state = appliance.db.conn().execute("SELECT state FROM tickets WHERE id = ?", (t.id,)).fetchone()[0]
    assert state == "done"
    with pytest.raises(DomainError) as err:
        engine.done(3)  # already finished by the button press
    assert err.value.code == "counter_idle"

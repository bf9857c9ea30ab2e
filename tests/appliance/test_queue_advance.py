"""'Next' at a counter as one engine command (finish the ticket being served, call the next, in one
transaction), the counter console's read, and who finished a ticket."""
import pytest

from appliance.domain.errors import DomainError
from appliance.store import outbox, queue_store


@pytest.fixture
def engine(appliance):
    with appliance.db.write() as w:
        w.execute("UPDATE tickets SET state = 'done' WHERE state != 'done'")
    return appliance.engine


def ticket_state(appliance, ticket_id):
    return appliance.db.conn().execute("SELECT state FROM tickets WHERE id = ?", (ticket_id,)).fetchone()[0]


def test_advance_finishes_only_a_served_ticket(appliance, engine):
    a, b = engine.issue("HT").ticket, engine.issue("HT").ticket
    first = engine.advance(1, user_login="canbo1")
    assert first.finished is None and first.called.id == a.id
    with pytest.raises(DomainError) as err:  # still being called: serve, mark absent or transfer first
        engine.advance(1, finish_current="serving", user_login="canbo1")
    assert err.value.code == "counter_busy" and ticket_state(appliance, a.id) == "called"
    engine.serve(1)
    step = engine.advance(1, finish_current="serving", user_login="canbo2")
    assert (step.finished.id, step.finished.state, step.called.id) == (a.id, "done", b.id)
    done = [r for r in outbox.pending(appliance.db.conn(), 500) if r["type"] == "ticket.done"]
    assert done[-1]["payload"]["officer"] == "canbo2"


def test_advance_with_nobody_waiting_finishes_and_calls_nobody(appliance, engine):
    a = engine.issue("HT").ticket
    engine.call_next(1)
    engine.serve(1)
    step = engine.advance(1, finish_current="serving")
    assert step.called is None and step.finished.id == a.id
    assert ticket_state(appliance, a.id) == "done"  # "done, next please" at the end of the queue
    before = appliance.db.conn().execute("SELECT count(*) FROM outbox").fetchone()[0]
    with pytest.raises(DomainError) as err:  # nothing to finish and nobody waiting: nothing changes
        engine.advance(1, finish_current="serving")
    assert err.value.code == "nobody_waiting"
    assert appliance.db.conn().execute("SELECT count(*) FROM outbox").fetchone()[0] == before


def test_bad_finish_current_is_a_programming_error(engine):
    with pytest.raises(ValueError):
        engine.advance(1, finish_current="called")


def test_done_records_who_finished(appliance, engine):
    engine.issue("HT")
    engine.call_next(1, user_login="canbo1")
    engine.done(1, user_login="canbo2")
    row = [r for r in outbox.pending(appliance.db.conn(), 500) if r["type"] == "ticket.done"][-1]
    assert row["payload"]["officer"] == "canbo2"
    assert row["payload"]["ticket"]["state"] == "done"


def test_counter_view_reads_the_counter_its_ticket_and_who_waits(appliance, engine):
    a = engine.issue("HT").ticket
    b = engine.issue("HT").ticket
    elsewhere = engine.issue("HT").ticket
    engine.call_next(1)  # a
    engine.transfer(1, to_counter=2, ticket_id=a.id)
    engine.call_next(1)  # b
    view = queue_store.counter_view(appliance.db, 1, engine.today())
    assert view.counter.id == 1 and view.current.id == b.id
    assert [t.id for t in view.waiting] == [elsewhere.id]  # a now waits for counter 2 only
    assert {s["code"] for s in view.services} >= {"HT", "CT", "XH"}
    assert [c["id"] for c in view.counters][:2] == [1, 2]
    assert queue_store.counter_view(appliance.db, 99, engine.today()) is None

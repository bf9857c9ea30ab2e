"""The officer's own counter over a real SQLite file: open / pause ("Tạm nghỉ") / close, who may
open it, what call-next does then, the state surviving a restart, its audit rows, events and outbox
rows; and the undo of V, G and X (one transaction, exactly the rows as they were)."""
from __future__ import annotations

import pytest

from appliance.domain.counter_desk import UNDO_COLUMNS
from appliance.domain.errors import DomainError
from appliance.store import counter_store, outbox
from appliance.web.errors import http_status


@pytest.fixture
def engine(appliance):
    with appliance.db.write() as w:  # start from an empty queue (the demo seeds a few tickets)
        w.execute("UPDATE tickets SET state = 'done' WHERE state != 'done'")
    return appliance.engine


def refused(code: str, fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as err:
        fn(*args, **kwargs)
    assert err.value.code == code, err.value.message()
    return err.value


def rows(appliance, *ids) -> dict:
    with appliance.db.read() as conn:
        return counter_store.ticket_rows(conn, ids)


def test_pause_and_close_stop_the_calls_and_open_resumes(appliance, engine):
    seen = []
    appliance.bus.subscribe(lambda e: seen.append((e.type, e.payload)), ["counter.state"])
    a = engine.issue("HT").ticket
    state = engine.set_counter_state(1, "pause", user_login="canbo1", role="officer")
    assert state["state"] == "paused" and state["previous"] == "open" and state["by_name"] == "Nguyễn Thị Hoa"
    err = refused("counter_paused", engine.call_next, 1)
    assert http_status(err) == 409 and "tạm nghỉ" in err.message("vi") and "break" in err.message("en")
    assert engine.call_next(2).id == a.id  # the other counter of the service takes the citizen
    engine.done(2)
    b = engine.issue("HT").ticket
    engine.set_counter_state(1, "close", user_login="canbo1", role="officer")
    refused("counter_closed", engine.call_next, 1)
    refused("counter_closed", engine.advance, 1, "serving")
    engine.set_counter_state(1, "open", user_login="canbo1", role="officer")
    assert engine.call_next(1).id == b.id
    assert [p["state"] for _t, p in seen] == ["paused", "closed", "open"]
    conn = appliance.db.conn()
    audit = conn.execute("SELECT action, object, user_login FROM audit_log WHERE action LIKE 'counter.%' "
                         "ORDER BY id").fetchall()
    assert [tuple(r) for r in audit][-3:] == [("counter.pause", "counter:1", "canbo1"),
                                              ("counter.close", "counter:1", "canbo1"),
                                              ("counter.open", "counter:1", "canbo1")]
    hub = [r for r in outbox.pending(conn, 500) if r["type"] == "counter.state"]
    assert [r["payload"]["state"] for r in hub] == ["paused", "closed", "open"]


def test_a_counter_with_a_citizen_at_it_cannot_be_paused_or_closed(engine):
    engine.issue("HT")
    called = engine.call_next(1)
    err = refused("counter_has_ticket", engine.set_counter_state, 1, "pause", "canbo1", "officer")
    assert called.number in err.message("vi") and "tạm nghỉ" in err.message("vi")
    assert "pause" in err.message("en")
    refused("counter_has_ticket", engine.set_counter_state, 1, "close", "canbo1", "officer")
    engine.no_show(1)
    assert engine.set_counter_state(1, "pause", "canbo1", "officer")["state"] == "paused"
    refused("counter_already", engine.set_counter_state, 1, "pause", "canbo1", "officer")
    refused("invalid", engine.set_counter_state, 1, "sleep", "canbo1", "officer")
    refused("unknown_counter", engine.set_counter_state, 42, "open", "canbo1", "officer")


def test_only_an_assigned_officer_or_an_admin_opens_an_assigned_counter(appliance, engine):
    with appliance.units() as tx:
        counter_store.set_officers(tx.conn, 1, ["canbo1"])
    engine.set_counter_state(1, "close", "canbo1", "officer")
    err = refused("counter_not_assigned", engine.set_counter_state, 1, "open", "canbo2", "officer")
    assert http_status(err) == 403 and "Quản trị → Quầy" in err.message("vi")
    assert engine.set_counter_state(1, "open", "admin", "admin")["state"] == "open"
    engine.set_counter_state(1, "close", "canbo2", "officer")   # anyone of the office may shut a desk left open
    assert engine.set_counter_state(1, "open", "canbo1", "officer")["by"] == "canbo1"
    # a counter nobody is assigned to is opened by any officer
    engine.set_counter_state(3, "close", "canbo1", "officer")
    assert engine.set_counter_state(3, "open", "canbo2", "officer")["state"] == "open"
    with appliance.db.read() as conn:
        assert counter_store.counters_of(conn, "canbo1") == [1]


def test_closing_lets_go_of_the_tickets_sent_to_this_counter(engine):
    engine.issue("HT")
    engine.call_next(1)
    moved = engine.transfer(1, to_counter=2)
    assert moved.target_counter_id == 2
    state = engine.set_counter_state(2, "close", "canbo2", "officer")
    assert state["released"] == [moved.number]
    assert engine.call_next(1).id == moved.id  # back in the service's queue: counter 1 calls it


def test_paused_counter_is_not_counted_closed_one_is_for_the_wait_estimate(engine):
    engine.set_counter_state(2, "close", "canbo2", "officer")
    for _ in range(3):
        engine.issue("HT")
    closed_two = engine.issue("HT").estimated_wait_min
    engine.set_counter_state(2, "open", "canbo2", "officer")
    assert engine.issue("HT").estimated_wait_min < closed_two


def test_the_state_survives_a_restart(settings, clock, appliance, engine):
    from appliance.runtime import Appliance
    engine.set_counter_state(1, "pause", "canbo1", "officer")
    appliance.stop()
    again = Appliance(settings, clock_fn=clock)
    try:
        again.engine.issue("HT")
        refused("counter_paused", again.engine.call_next, 1)
    finally:
        again.stop()


def test_undo_absent_restores_the_called_ticket_exactly(appliance, engine, clock):
    seen = []
    appliance.bus.subscribe(lambda e: seen.append((e.type, e.payload)), ["ticket.undone"])
    engine.issue("HT")
    called = engine.call_next(1)
    engine.recall(1)
    before = rows(appliance, called.id)
    clock.advance(4)
    engine.no_show(1, user_login="canbo1")
    record = counter_store.load_undo(appliance.db.conn(), 1)
    assert record.action == "no_show" and record.summary == {"absent": called.number}
    clock.advance(5)
    _record, restored = engine.undo(1, record.token, user_login="canbo1")
    assert [t.id for t in restored] == [called.id] and restored[0].state == "called"
    assert rows(appliance, called.id) == before
    assert engine.recall(1).recalls == 2   # it is the counter's current ticket again
    assert [(t, p["undone"]) for t, p in seen] == [("ticket.undone", ["ticket.no_show"])]
    hub = [r for r in outbox.pending(appliance.db.conn(), 500) if r["type"] == "ticket.undone"]
    assert hub[-1]["payload"]["ticket"]["state"] == "called"
    assert appliance.db.conn().execute("SELECT 1 FROM audit_log WHERE action = 'counter.undo'").fetchone()
    refused("nothing_to_undo", engine.undo, 1, record.token)   # once only


def test_undo_of_g_puts_the_called_citizen_back_in_line_and_the_served_one_at_the_desk(appliance, engine):
    first = engine.issue("HT").ticket
    second = engine.issue("HT", priority=True).ticket
    third = engine.issue("HT").ticket
    engine.call_next(1)
    engine.serve(1)
    counter_runs = appliance.db.conn().execute("SELECT priority_run, normal_run FROM counters WHERE id = 1").fetchone()
    before = rows(appliance, first.id, second.id, third.id)
    step = engine.advance(1, "serving", user_login="canbo1")
    assert step.finished.state == "done" and step.called is not None
    record = counter_store.load_undo(appliance.db.conn(), 1)
    assert record.action == "call" and record.summary["called"] == step.called.number
    _r, restored = engine.undo(1, record.token, "canbo1")
    assert [t.state for t in restored] == ["waiting", "serving"]
    assert rows(appliance, first.id, second.id, third.id) == before
    assert tuple(appliance.db.conn().execute("SELECT priority_run, normal_run FROM counters WHERE id = 1")
                 .fetchone()) == tuple(counter_runs)
    again = engine.advance(1, "serving", user_login="canbo1")   # the same call, as if the first never happened
    assert again.called.id == step.called.id


def test_undo_of_x_and_the_window(appliance, engine, clock):
    engine.issue("HT")
    engine.call_next(1)
    done = engine.done(1, user_login="canbo1")
    token = counter_store.load_undo(appliance.db.conn(), 1).token
    clock.advance(engine.rules.undo_window_s + 0.5)
    err = refused("undo_expired", engine.undo, 1, token)
    assert "10" in err.message("vi")
    assert rows(appliance, done.id)[str(done.id)]["state"] == "done"


def test_undo_refused_after_another_step_or_with_another_token(appliance, engine):
    engine.issue("HT")
    engine.issue("HT")
    engine.call_next(1)
    engine.no_show(1)
    token = counter_store.load_undo(appliance.db.conn(), 1).token
    refused("nothing_to_undo", engine.undo, 1, "not-the-token")
    engine.call_next(1)      # the next citizen is called: the absent one cannot come back over them
    refused("nothing_to_undo", engine.undo, 1, token)
    # rows changed behind the record's back (another writer) are never overwritten
    engine.no_show(1)
    token = counter_store.load_undo(appliance.db.conn(), 1).token
    with appliance.db.write() as w:
        w.execute("UPDATE tickets SET recalls = recalls + 1 WHERE state = 'no_show'")
    refused("undo_stale", engine.undo, 1, token)


def test_a_failed_undo_changes_nothing(appliance, engine):
    engine.issue("HT")
    called = engine.call_next(1)
    engine.no_show(1)
    token = counter_store.load_undo(appliance.db.conn(), 1).token
    snapshot = rows(appliance, called.id)
    with appliance.db.write() as w:   # make the restore fail halfway: the audit table refuses rows
        w.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit full'); END")
    with pytest.raises(Exception, match="audit full"):
        engine.undo(1, token)
    with appliance.db.write() as w:
        w.execute("DROP TRIGGER no_audit")
    assert rows(appliance, called.id) == snapshot   # still absent: the whole undo rolled back
    assert counter_store.load_undo(appliance.db.conn(), 1).token == token
    assert engine.undo(1, token)[1][0].state == "called"


def test_undo_columns_cover_what_the_steps_change():
    assert {"state", "counter_id", "called_ts", "serving_ts", "finished_ts", "recalls"} <= set(UNDO_COLUMNS)

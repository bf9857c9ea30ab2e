"""Every queue path is O(log n) in history: no statement run by a queue command (issue, call,
recall, serve, done, no-show, transfer, rating) or by the queue snapshot and counter view scans
the tickets table. Checked with EXPLAIN QUERY PLAN over the statements SQLite really ran."""
from __future__ import annotations

import sqlite3

import pytest

from appliance.domain.errors import Conflict
from appliance.store import queue_store


def seed_history(appliance, analyze: bool, days: int = 30, per_day: int = 40) -> None:
    """Finished tickets on earlier days, spread over every counter, plus ratings."""
    conn = appliance.db.conn()
    services = [r[0] for r in conn.execute("SELECT id FROM services")]
    counters = [r[0] for r in conn.execute("SELECT id FROM counters")]
    with appliance.db.write() as w:
        w.execute("UPDATE tickets SET state = 'done', finished_ts = issued_ts + 60 WHERE state != 'done'")
        for d in range(days):
            day = f"2026-10-{d + 1:02d}"
            for i in range(per_day):
                ts = 1790000000.0 + d * 86400 + i * 60
                w.execute("INSERT INTO tickets (service_id, day, seq, number, state, counter_id, issued_ts, "
                          "called_ts, serving_ts, finished_ts) VALUES (?, ?, ?, ?, 'done', ?, ?, ?, ?, ?)",
                          (services[i % len(services)], day, i + 1, f"H{i:03d}", counters[i % len(counters)],
                           ts, ts + 5, ts + 10, ts + 50))
    if analyze:  # the planner's choice with statistics (after PRAGMA optimize) and without
        conn.execute("ANALYZE")


class Statements:
    """Every statement the calling thread's connection runs, with its parameters bound."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.seen: list[str] = []

    def __enter__(self):
        self.conn.set_trace_callback(self.seen.append)
        return self

    def __exit__(self, *exc):
        self.conn.set_trace_callback(None)

    def scans_of_tickets(self) -> list[tuple[str, str]]:
        bad = []
        for sql in self.seen:
            head = sql.lstrip().split(None, 1)[0].upper()
            if head not in ("SELECT", "UPDATE", "INSERT", "DELETE", "WITH"):
                continue
            for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql):
                detail = row[3]
                words = detail.split()
                if words[0] == "SCAN" and words[1] in ("t", "tickets"):
                    bad.append((detail, sql))
        return bad


@pytest.fixture(params=[False, True], ids=["no-stats", "analyzed"])
def history(appliance, request):
    seed_history(appliance, analyze=request.param)
    return appliance


def test_the_history_indexes_exist(history):
    names = {r[0] for r in history.db.conn().execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"tickets_counter_done", "tickets_called_day"} <= names


def test_queue_commands_never_scan_the_tickets(history, clock):
    engine = history.engine
    conn = history.db.conn()
    with Statements(conn) as st:
        engine.issue("HT")
        engine.issue("HT", priority=True, priority_reason="người cao tuổi")
        engine.issue("HT")
        engine.issue("HT")
        engine.call_next(1)
        engine.recall(1)
        engine.serve(1)
        engine.rate(1, "satisfied")          # rates the ticket being served
        engine.done(1)
        with pytest.raises(Conflict):        # finds the last finished ticket of the counter: rated already
            engine.rate(1, "very_satisfied")
        engine.advance(1, finish_current=True)
        engine.no_show(1)
        engine.call_next(1)
        engine.transfer(1, to_service="CT")
        engine.rate(2, "neutral")            # counter 2's last finished ticket is in history
    assert len(st.seen) > 40
    assert st.scans_of_tickets() == []


def test_snapshot_and_counter_view_never_scan_the_tickets(history):
    history.engine.issue("HT")
    history.engine.call_next(1)
    conn = history.db.conn()
    with Statements(conn) as st:
        snap = queue_store.snapshot(history.db, history.today())
        view = queue_store.counter_view(history.db, 1, history.today())
        queue_store.waiting_list(history.db, history.today(), [1, 2])
    assert snap["recent"] and view is not None and view.current is not None
    assert [c["ticket"].counter_id for c in snap["counters"] if c["ticket"]] == [1]
    assert st.scans_of_tickets() == []


def test_rating_finds_the_latest_finished_ticket_among_history(history, clock):
    engine = history.engine
    t = engine.issue("HT").ticket
    clock.advance(30)
    engine.call_next(1, user_login="canbo1")
    clock.advance(30)
    engine.done(1)
    engine.rate(1, "unsatisfied")
    row = history.db.conn().execute("SELECT ticket_id, level FROM ratings ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(row) == (t.id, "unsatisfied")


def test_the_check_catches_a_scan(history):
    """The detector itself: a query without a usable index is reported."""
    conn = history.db.conn()
    with Statements(conn) as st:
        conn.execute("SELECT count(*) FROM tickets WHERE number = 'A001'").fetchone()
    assert st.scans_of_tickets()

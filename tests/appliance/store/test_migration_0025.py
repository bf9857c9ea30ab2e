"""Migration 0025 rebuilds tickets (a transferred ticket keeps its number): every row, its id and
what points at it survive, the report summaries stay equal to the rows and their triggers go on
following them, and the uniqueness is per issuing service."""
import sqlite3

import pytest

from appliance.store.db import Database

V = 25   # this migration


def summaries(conn):
    return conn.execute("SELECT * FROM report_ticket_days WHERE issued OR served OR no_show OR waiting "
                        "ORDER BY 1, 2, 3, 4").fetchall()


@pytest.fixture
def old(tmp_path):
    db = Database(tmp_path / "old.db")
    db.migrate(target=V - 1)
    with db.write() as conn:
        conn.execute("INSERT INTO services (id, code, name, prefix) VALUES (1, 'HT', 'Hộ tịch', 'A'), "
                     "(2, 'CT', 'Chứng thực', 'B')")
        conn.execute("INSERT INTO counters (id, name) VALUES (1, 'Quầy 1')")
        for i in range(1, 6):
            conn.execute("INSERT INTO tickets (id, service_id, day, seq, number, state, counter_id, issued_ts, "
                         "called_ts, finished_ts, user_login, transfers) VALUES (?, ?, '2026-03-02', ?, ?, ?, 1, "
                         "?, ?, ?, 'canbo1', ?)", (i, 1 + i % 2, i, f"X{i:03d}", "done" if i < 5 else "waiting",
                                                   1000.0 + i, 1010.0 + i, 1100.0 + i if i < 5 else None, i == 3))
        conn.execute("INSERT INTO pagers (number, state, ticket_id) VALUES (7, 'assigned', 5)")
        conn.execute("INSERT INTO ratings (counter_id, ticket_id, level, source, ts) "
                     "VALUES (1, 2, 'satisfied', 'button', 1200)")
    return db


def test_rows_ids_references_and_summaries_survive(old):
    rows = "SELECT id, service_id, day, seq, number, state FROM tickets ORDER BY id"
    before_rows = old.conn().execute(rows).fetchall()
    before_sums = summaries(old.conn())
    assert before_sums
    old.migrate()
    conn = old.conn()
    assert conn.execute(rows).fetchall() == before_rows
    assert conn.execute("SELECT count(*) FROM tickets WHERE issued_service_id = service_id").fetchone()[0] == 5
    assert summaries(conn) == before_sums           # DROP TABLE fired none of the old triggers
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT ticket_id FROM pagers WHERE number = 7").fetchone()[0] == 5
    # the recreated triggers follow the rows
    with old.write() as w:
        w.execute("UPDATE tickets SET state = 'done', finished_ts = 1200 WHERE id = 5")
    served = conn.execute("SELECT sum(served), sum(waiting) FROM report_ticket_days").fetchone()
    assert tuple(served) == (5, 0)


def test_numbers_are_unique_per_issuing_service(old):
    old.migrate()
    with old.write() as w:
        w.execute("UPDATE tickets SET service_id = 1 WHERE id = 3")   # CT's seq 3 onto HT: allowed now
    with pytest.raises(sqlite3.IntegrityError), old.write() as w:
        w.execute("INSERT INTO tickets (service_id, issued_service_id, day, seq, number, issued_ts) "
                  "VALUES (1, 2, '2026-03-02', 3, 'B003', 1)")   # CT issuing its seq 3 twice: refused
    with pytest.raises(sqlite3.IntegrityError), old.write() as w:
        w.execute("INSERT INTO tickets (service_id, day, seq, number, issued_ts) "
                  "VALUES (1, '2026-03-02', 2, 'A002', 1)")      # a row without issued_service_id: its service's

"""The daily summaries of the reports (migration 0021) give exactly the figures of the raw rows:
after the real services' writes (tickets issued, called, served, transferred, marked absent, rated;
dossiers received, ready, returned, by post, refused, paused), after random inserts, updates and
deletes straight into the tables (the triggers), and after the migration fills them from rows that
were already there. ``use_summaries = False`` makes the service read every figure from the raw rows."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.domain import report_periods as periods
from appliance.store.db import Database, migration_scripts


def both(appliance, period):
    service = appliance.reports
    service.use_summaries = True
    fast = service.local(period)
    service.use_summaries = False
    try:
        slow = service.local(period)
    finally:
        service.use_summaries = True
    return fast, slow


def assert_same(appliance, period):
    fast, slow = both(appliance, period)
    for a, b in zip(fast.tables, slow.tables, strict=True):
        assert a == b, (period.key, a.key)
    assert fast.ii06a == slow.ii06a, period.key
    assert fast.headline == slow.headline, period.key
    return fast


def periods_around(today: date) -> list[periods.Period]:
    return [periods.day(today), periods.week(today), periods.month(today.year, today.month),
            periods.current("report_month", today), periods.current("report_quarter", today),
            periods.current("report_half", today), periods.current("report_year", today),
            periods.day(today - timedelta(days=1)), periods.day_range(today - timedelta(days=40), today),
            periods.day_range(today - timedelta(days=3), today - timedelta(days=1))]


def test_summaries_follow_the_services_writes(appliance, make_dossier, clock):
    engine = appliance.engine
    rng = random.Random(14)
    made = 0
    for day in range(4):                     # Monday 30/11 to Thursday 03/12
        for i in range(9):
            engine.issue(rng.choice(("HT", "CT", "XH")), priority=i % 4 == 0,
                         priority_reason="người cao tuổi" if i % 4 == 0 else None)
            clock.advance(60)
        for step in range(12):
            counter = 1 + step % 3
            login = ("canbo1", "canbo2")[step % 2]
            clock.advance(240)
            try:
                called = engine.call_next(counter, finish_current=True, user_login=login)
            except Exception:            # noqa: BLE001 - nobody waiting for this counter
                continue
            what = step % 5
            if what == 0:
                engine.no_show(counter, user_login=login)
            elif what == 1 and called.service_code == "HT" and counter in (1, 2):
                engine.transfer(counter, to_counter=3 - counter)      # counters 1 and 2 both serve HT
            else:
                engine.serve(counter)
                clock.advance(300)
                engine.done(counter, user_login=login)
                engine.rate(counter, rng.choice(("very_satisfied", "satisfied", "unsatisfied")))
        for k in range(3):
            dossier = make_dossier(("1.004837", "1.001193", "1.004873")[k],
                                   **({"channel": "truc_tuyen_mot_phan", "portal_code": f"G22-{day}{k}",
                                       "it_familiarity": "co_ban", "vneid_created": True} if k == 1 else {}))
            made += 1
            code = dossier["code"]
            if k == 0 and day < 3:
                appliance.dossiers.act(code, "ready", user="canbo1")
                appliance.dossiers.act(code, "return", user="canbo1")
            elif k == 2 and day == 1:
                appliance.dossiers.act(code, "refuse", {"reason": "Không thuộc thẩm quyền"}, user="canbo1")
            elif k == 2 and day == 2:
                appliance.dossiers.act(code, "supplement", {"reason": "Thiếu giấy tờ"}, user="canbo1")
        if day < 3:
            clock.advance(86400 - 9 * 60 - 12 * 240 - 3000)
    today = appliance.reports.today()
    assert today == date(2026, 12, 3)
    for period in periods_around(today):
        assert_same(appliance, period)
    year = assert_same(appliance, periods.current("report_year", today))
    tickets = appliance.db.conn().execute(
        "SELECT count(*) FROM tickets WHERE day >= '2026-11-30'").fetchone()[0]
    assert year.headline["issued"] == tickets >= 36
    assert year.ii06a.total.received == made
    assert year.headline["ballots"] > 0 and year.table("phieu-theo-can-bo").rows
    # a later day: yesterday's figures now come from the summaries alone
    clock.advance(86400)
    for period in periods_around(appliance.reports.today()):
        assert_same(appliance, period)


# --- random rows ----------------------------------------------------------------------------------

TZ_OFFSET = 7 * 3600
BASE = datetime(2025, 12, 1).timestamp()         # a local-midnight-ish start, far enough back
SPAN = 370 * 86400
STATES = ("waiting", "called", "serving", "done", "no_show")
D_STATES = ("received", "processing", "supplement_requested", "ready", "returned", "refused", "stopped",
            "withdrawn")
CHANNELS = ("truc_tiep", "truc_tuyen_toan_trinh", "truc_tuyen_mot_phan", "buu_chinh")


def local_day(ts: float) -> str:
    return datetime.utcfromtimestamp(ts + TZ_OFFSET).date().isoformat()


def ticket_row(rng: random.Random, i: int) -> dict:
    issued = BASE + rng.random() * SPAN
    state = rng.choice(STATES)
    called = None if state == "waiting" else issued + rng.choice((-5, 0, 0.4, 3.0, 2.9999, 61, 900.5, 7200))
    serving = called + rng.uniform(0, 90) if state in ("serving", "done") and rng.random() < 0.8 else None
    finished = (serving or called) + rng.choice((-1, 0, 3, 299.7, 3000)) if state in ("done", "no_show") else None
    # seq far above the demo's own tickets of the fixture's day: (service, day, seq) is unique (0025)
    return {"id": 100_000 + i, "service_id": rng.choice((1, 2, 3)), "day": local_day(issued), "seq": 10_000 + i,
            "number": f"A{i:03d}", "priority": rng.choice((0, 0, 1)), "state": state,
            "counter_id": None if state == "waiting" else rng.choice((1, 2, 3)), "issued_ts": issued,
            "called_ts": called, "serving_ts": serving, "finished_ts": finished,
            "user_login": rng.choice((None, "canbo1", "canbo2", "nobody")), "transfers": rng.choice((0, 0, 1, 2))}


def dossier_row(rng: random.Random, i: int) -> dict:
    received = BASE + rng.random() * SPAN
    state = rng.choice(D_STATES)
    due = None if rng.random() < 0.1 else received + rng.choice((7200, 86400, 3 * 86400, 40 * 86400))
    resolved = received + rng.choice((-60, 0, 3600, 2 * 86400, 5 * 86400, 60 * 86400))
    ready = resolved if state in ("ready", "returned") else None
    closed = (resolved + rng.choice((0, 3600, 30 * 86400))) if state in ("returned", "refused", "stopped",
                                                                      "withdrawn") else None
    return {"id": 100_000 + i, "code": f"X-{i}", "day": local_day(received), "day_seq": i + 1,
            "procedure": "1.004837", "procedure_name": "Thủ tục", "field_code": rng.choice(("G05-HT", "HT", "CT")),
            "catalog_version": "t", "state": state, "channel": rng.choice(CHANNELS),
            "portal_code": rng.choice((None, "G22.1")), "received_ts": received, "due_ts": due,
            "new_due_ts": None if due is None or rng.random() < 0.7 else due + 86400,
            "target_met": rng.choice((None, None, 0, 1)), "ready_ts": ready, "closed_ts": closed,
            "outcome": rng.choice((None, "early", "on_time", "late")) if closed or ready else None,
            "return_by_post": rng.choice((0, 1)), "returned_by_post": rng.choice((None, 0, 1)),
            "it_familiarity": rng.choice((None, "thanh_thao", "co_ban", "chua_biet")),
            "vneid_created": rng.choice((0, 1))}


def rating_row(rng: random.Random, i: int) -> dict:
    return {"id": 100_000 + i, "counter_id": rng.choice((1, 2, 3)), "ticket_id": None,
            "user_login": rng.choice((None, "canbo1", "canbo2")),
            "level": rng.choice(("very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied")),
            "source": "button", "ts": BASE + rng.random() * SPAN}


def insert(conn, table: str, row: dict) -> None:
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))


def fill_random(conn, rng: random.Random, n: int) -> None:
    for i in range(n):
        insert(conn, "tickets", ticket_row(rng, i))
        insert(conn, "dossiers", dossier_row(rng, i))
        insert(conn, "ratings", rating_row(rng, i))


def change_random(conn, rng: random.Random, n: int) -> None:
    """Rows move as a life would move them (and some as no life would): every reported column."""
    for _ in range(n):
        pick = rng.randrange(n)
        kind = rng.randrange(4)
        if kind == 0:
            new = ticket_row(rng, pick)
            cols = rng.sample(["state", "counter_id", "called_ts", "serving_ts", "finished_ts", "user_login",
                               "transfers", "priority"], 3)
            conn.execute(f"UPDATE tickets SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                         (*(new[c] for c in cols), 100_000 + pick))
        elif kind == 1:
            new = dossier_row(rng, pick)
            cols = rng.sample(["state", "ready_ts", "closed_ts", "outcome", "returned_by_post", "new_due_ts",
                               "target_met", "field_code", "channel", "it_familiarity", "due_ts"], 4)
            conn.execute(f"UPDATE dossiers SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                         (*(new[c] for c in cols), 100_000 + pick))
        elif kind == 2:
            conn.execute("DELETE FROM ratings WHERE id = ?", (100_000 + pick,))
        else:
            conn.execute("DELETE FROM tickets WHERE id = ? AND id NOT IN (SELECT ticket_id FROM ratings "
                         "WHERE ticket_id IS NOT NULL)", (100_000 + pick,))


def random_periods(rng: random.Random, today: date) -> list[periods.Period]:
    out = periods_around(today) + [periods.report_year(2026), periods.report_quarter(2026, 1),
                                   periods.report_month(2026, 3), periods.report_half(2026, 2)]
    for _ in range(4):
        first = date(2025, 12, 1) + timedelta(days=rng.randrange(370))
        out.append(periods.day_range(first, first + timedelta(days=rng.randrange(120))))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 120))
def test_random_rows_inserted_changed_deleted(appliance, seed, n):
    rng = random.Random(seed)
    with appliance.db.write() as conn:
        conn.execute("DELETE FROM ratings WHERE id >= 100000")
        conn.execute("DELETE FROM dossiers WHERE id >= 100000")
        conn.execute("DELETE FROM tickets WHERE id >= 100000")
        fill_random(conn, rng, n)
    with appliance.db.write() as conn:
        change_random(conn, rng, n)
    for period in random_periods(rng, appliance.reports.today()):
        assert_same(appliance, period)


def test_emptied_tables_leave_empty_summaries(appliance):
    with appliance.db.write() as conn:
        fill_random(conn, random.Random(3), 50)
        conn.execute("DELETE FROM ratings")
        conn.execute("DELETE FROM dossiers")
        conn.execute("DELETE FROM tickets")
    conn = appliance.db.conn()
    for table in ("report_ticket_days", "report_times", "report_rating_hours", "report_dossier_received",
                  "report_dossier_resolved", "report_dossier_posted"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE "
                            f"{'issued' if table == 'report_ticket_days' else 'n'} != 0").fetchone()[0] == 0, table


def test_the_migration_fills_the_summaries_from_the_rows_already_there(settings, clock):
    ours = next(v for v, name, _sql in migration_scripts() if name.endswith("_report_summaries.sql"))
    old = Database(settings.storage.path)      # the appliance's own file, at the version before ours
    old.migrate(target=ours - 1)
    with old.write() as conn:
        for sid, code in ((1, "HT"), (2, "CT"), (3, "XH")):
            conn.execute("INSERT INTO services (id, code, name, prefix) VALUES (?, ?, ?, ?)",
                         (sid, code, code, chr(64 + sid)))
        for cid in (1, 2, 3):
            conn.execute("INSERT INTO counters (id, name) VALUES (?, ?)", (cid, f"Quầy {cid}"))
        fill_random(conn, random.Random(19), 300)
    old.close()
    from appliance.runtime import Appliance
    appliance = Appliance(settings, clock_fn=clock)      # opens and migrates to the latest version
    try:
        assert appliance.db.version() >= ours
        rng = random.Random(20)
        for period in random_periods(rng, appliance.reports.today()):
            assert_same(appliance, period)
        year = appliance.reports.local(periods.report_year(2026))
        assert year.headline["issued"] > 0 and year.ii06a.total.received > 0
    finally:
        appliance.stop()


@pytest.mark.parametrize("tz", ["Asia/Ho_Chi_Minh", "Asia/Kolkata"])
def test_a_time_zone_off_the_hour_reads_the_raw_rows_with_the_same_result(appliance, tz):
    from zoneinfo import ZoneInfo
    appliance.tz = ZoneInfo(tz)
    with appliance.db.write() as conn:
        fill_random(conn, random.Random(5), 80)
    for period in periods_around(appliance.reports.today()):
        assert_same(appliance, period)


def test_every_summary_trigger_survives_the_later_migrations(appliance):
    """A later migration that rebuilds tickets, dossiers or ratings drops their triggers: they must be
    created again, or the summaries stop following the rows."""
    names = {r[0] for r in appliance.db.conn().execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    expected = {f"report_{t}_{op}" for t in ("tickets", "dossiers", "ratings") for op in ("insert", "update", "delete")}
    assert expected <= names

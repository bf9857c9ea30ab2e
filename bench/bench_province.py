"""A province's year on the hub (issue 14): 300 communes × one reporting year on PostgreSQL —
dossiers (5,000 a commune: 1.5 million), ballots (8,000 a commune: 2.4 million), the per-day queue
summary (``ticket_days``, 300 × 260 days × 3 services) and the officers' names, generated in the
database (``generate_series``, fixed seed). Then, through the hub's Flask app logged in as staff,
the median of 3 runs after one warm-up of:

- ``/bao-cao/?tu=…&den=…`` — the report page over the year (fields, postal, ballots, officers, 2-hour,
  queue per commune);
- ``/bao-cao/ii06a`` — Biểu II.06a, a row per commune and per field (HTML), and its Excel file;
- ``/bao-cao/qd766`` — the QĐ 766 components of every commune for 12 reporting months, with trends.

Target: ≤ 5 s each. Run: ``.venv/bin/python -m bench.bench_province [COMMUNES DOSSIERS_PER_COMMUNE]``.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
import uuid

import psycopg

PG = os.environ.get("MOTCUA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
FIRST, LAST = "2024-12-15", "2025-12-14"          # reporting year 2025


def fill(url: str, communes: int, per_commune: int, ballots: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT setseed(0.14)")
        conn.execute("""
            INSERT INTO devices (id, commune_code, commune_name, created_at, config, acked_through, events_received)
            SELECT 'xa-' || lpad(g::text, 3, '0'), 'xa-' || lpad(g::text, 3, '0'), 'Xã số ' || g,
                   timestamptz '2024-12-01', '{}', 0, 0
            FROM generate_series(1, %s) AS g""", (communes,))
        conn.execute("""
            INSERT INTO officers (device_id, login, full_name, seen_at)
            SELECT d.id, 'canbo' || k, 'Cán bộ ' || k || ' ' || d.commune_name, timestamptz '2024-12-01'
            FROM devices d CROSS JOIN generate_series(1, 3) AS k""")
        # received on a working day between 07:30 and 16:30 local time (UTC+7)
        conn.execute("""
            INSERT INTO dossiers (code, device_id, field_code, channel, received_at, due_at, state, ready_at,
                                  returned_at, closed_at, outcome, return_by_post, returned_by_post, target_met,
                                  digitised, last_seq)
            SELECT 'D' || g, 'xa-' || lpad((1 + g %% %(c)s)::text, 3, '0'),
                   (ARRAY['G05-HT', 'G05-CT', 'G18-BTXH', 'DD'])[1 + (g / 7) %% 4],
                   (ARRAY['truc_tiep', 'truc_tiep', 'truc_tiep', 'truc_tuyen_mot_phan', 'truc_tuyen_toan_trinh',
                          'buu_chinh'])[1 + (g / 3) %% 6],
                   r.received, r.received + r.limit_, s.state,
                   CASE WHEN s.state IN ('ready', 'returned') THEN r.received + r.limit_ * r.speed END,
                   CASE WHEN s.state = 'returned' THEN r.received + r.limit_ * r.speed + interval '2 hours' END,
                   CASE WHEN s.state IN ('returned', 'refused', 'withdrawn')
                        THEN r.received + r.limit_ * r.speed + interval '2 hours' END,
                   CASE WHEN s.state IN ('returned', 'refused', 'withdrawn')
                        THEN CASE WHEN r.speed < 0.6 THEN 'early' WHEN r.speed <= 1 THEN 'on_time' ELSE 'late' END END,
                   g %% 13 = 0, s.state = 'returned' AND g %% 13 = 0,
                   CASE WHEN r.limit_ = interval '2 hours' AND s.state = 'returned' THEN r.speed <= 1 END,
                   g %% 3 <> 0, 1
            FROM generate_series(1, %(n)s) AS g
            CROSS JOIN LATERAL (
                SELECT d + time '00:30' + (random() * interval '9 hours') AS received,
                       (ARRAY[interval '2 hours', interval '1 day', interval '3 days', interval '5 days',
                              interval '15 days'])[1 + floor(random() * 5)::int] AS limit_,
                       0.3 + random() * 0.9 AS speed
                FROM (SELECT timestamptz '2024-12-15 00:00+07' + (floor(random() * 365) || ' days')::interval AS d)
                     AS day_
            ) AS r
            CROSS JOIN LATERAL (
                SELECT CASE WHEN r.received + r.limit_ * r.speed > now() THEN 'processing'
                            WHEN random() < 0.02 THEN 'refused' WHEN random() < 0.01 THEN 'withdrawn'
                            WHEN random() < 0.03 THEN 'ready' WHEN random() < 0.01 THEN 'processing'
                            ELSE 'returned' END AS state
            ) AS s""", {"c": communes, "n": communes * per_commune})
        conn.execute("""
            INSERT INTO ratings (device_id, seq, day, at, level, officer, counter_id)
            SELECT 'xa-' || lpad((1 + g %% %(c)s)::text, 3, '0'), g, (t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, t,
                   (ARRAY['very_satisfied', 'very_satisfied', 'satisfied', 'satisfied', 'satisfied', 'neutral',
                          'unsatisfied'])[1 + g %% 7], 'canbo' || (1 + g %% 3), 1
            FROM generate_series(1, %(n)s) AS g
            CROSS JOIN LATERAL (SELECT timestamptz '2024-12-15 08:00+07' + (floor(random() * 365) || ' days')::interval
                                       + random() * interval '8 hours' AS t) AS x""",
                     {"c": communes, "n": communes * ballots})
        conn.execute("""
            INSERT INTO ticket_days (device_id, day, service, issued, priority, served, no_show, waiting, wait_n,
                                     wait_sum_s, wait_15, service_n, service_sum_s)
            SELECT d.id, day::date, s, 20 + (random() * 40)::int, 3, 18, 2, 0, 18, 18 * 600 * (0.5 + random()),
                   12, 18, 18 * 420.0
            FROM devices d CROSS JOIN generate_series(date '2024-12-15', date '2025-12-14', interval '1 day') AS day
            CROSS JOIN unnest(ARRAY['HT', 'CT', 'XH']) AS s
            WHERE extract(isodow FROM day) < 6""")
        conn.execute("VACUUM ANALYZE")
        n = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("devices", "dossiers", "ratings", "ticket_days")}
    print("  filled: " + ", ".join(f"{v:,} {k}" for k, v in n.items()))


def timed(client, url: str, runs: int = 3) -> tuple[float, float, int]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    size = len(r.data)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = client.get(url)
        samples.append(time.perf_counter() - t0)
        assert r.status_code == 200
    return statistics.median(samples), max(samples), size


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    communes = int(argv[0]) if argv else 300
    per_commune = int(argv[1]) if len(argv) > 1 else 5_000
    from district.app import create_app
    from district.db.engine import make_engine
    from district.db.migrate import upgrade
    from district.store import staff

    name = f"motcua_bench_province_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG}/{name}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as conn:
            staff.add_user(conn, "thongke", "mat-khau-du-dai")
        engine.dispose()
        t0 = time.perf_counter()
        fill(url, communes, per_commune, 8_000)
        print(f"  generated in {time.perf_counter() - t0:.0f} s")
        app = create_app({"database_url": url, "name": "Tỉnh Bắc Ninh", "level": "province", "TESTING": True})
        client = app.test_client()
        client.get("/dang-nhap")
        with client.session_transaction() as s:
            csrf = s["csrf_token"]
        r = client.post("/dang-nhap", data={"name": "thongke", "password": "mat-khau-du-dai", "csrf_token": csrf})
        assert r.status_code == 302
        year = f"tu={FIRST}&den={LAST}"
        for label, path in (("report page, the year (6 tables)", f"/bao-cao/?{year}"),
                            ("Biểu II.06a, a row per commune and field (HTML)", f"/bao-cao/ii06a?{year}"),
                            ("Biểu II.06a, Excel", f"/bao-cao/ii06a.xlsx?{year}"),
                            ("QĐ 766, 12 reporting months, every commune", "/bao-cao/qd766?den=2025-12&so=12"),
                            ("one commune's II.06a", f"/bao-cao/ii06a?{year}&xa=xa-007")):
            median, worst, size = timed(client, path)
            print(f"  {label:<50} median {median * 1000:7.0f} ms   max {worst * 1000:7.0f} ms   {size / 1024:6.0f} KiB")
        print("  target: ≤ 5000 ms each")
        app.extensions["motcua_hub"].engine.dispose()
    finally:
        with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

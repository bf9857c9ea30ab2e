"""One reporting year of one busy commune on the appliance (issue 14): 150,000 tickets and 60,000
dossiers (with ratings) over the 250 working days of the year, straight into the tables as the
services write them (the daily summaries of migration 0021_report_summaries maintained by its triggers, as in
production). Times ``GET /reports?ky=report_year`` (every table, every chart, the full page) and Biểu
II.06a, each the median of a few runs after one warm-up; then the same with the summaries bypassed
(every figure computed from the raw rows), which is what the page cost before the summaries.

Target: the year's page ≤ 1 s. Run: ``.venv/bin/python -m bench.bench_reports [TICKETS DOSSIERS]``.
"""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from appliance.domain import report_periods

OUTCOMES = ["early"] * 30 + ["on_time"] * 62 + ["late"] * 8
CHANNELS = ["truc_tiep"] * 70 + ["truc_tuyen_mot_phan"] * 15 + ["truc_tuyen_toan_trinh"] * 8 + ["buu_chinh"] * 7
LEVELS = ["very_satisfied"] * 5 + ["satisfied"] * 3 + ["neutral", "unsatisfied"]


def working_days(first: date, last: date) -> list[date]:
    out, day = [], first
    while day <= last:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def fill(appliance, period: report_periods.Period, n_tickets: int, n_dossiers: int, rng: random.Random) -> None:
    """Tickets, ratings and dossiers over the working days of ``period`` up to today."""
    tz = appliance.tz
    conn0 = appliance.db.conn()
    services = [r[0] for r in conn0.execute("SELECT id FROM services")]
    counters = [r[0] for r in conn0.execute("SELECT id FROM counters")]
    logins = [r[0] for r in conn0.execute("SELECT login FROM users WHERE role = 'officer'")] or ["canbo1"]
    catalog = appliance.dossiers.catalog
    procedures = list(catalog.procedures.values())
    agency = appliance.settings.office.agency_code
    now = appliance.clock()
    days = [d for d in working_days(period.first, period.last)
            if datetime.combine(d, datetime.min.time(), tz).timestamp() + 17 * 3600 < now] or [period.first]
    tickets, ratings, dossiers = [], [], []
    per_day = n_tickets // len(days) + 1
    first_id = conn0.execute("SELECT coalesce(max(id), 0) FROM tickets").fetchone()[0]
    tid = 0
    for day in days:
        base = datetime.combine(day, datetime.min.time(), tz).timestamp()
        seq: dict[int, int] = {}
        for _ in range(per_day):
            tid += 1
            if tid > n_tickets:
                break
            service = rng.choice(services)
            seq[service] = seq.get(service, 0) + 1
            issued = base + 7.5 * 3600 + rng.random() * 9 * 3600
            counter, login = rng.choice(counters), rng.choice(logins)
            fate = rng.random()
            if fate < 0.06:
                state, called, serving, finished = "no_show", issued + rng.expovariate(1 / 900), None, None
                finished = called + 120
            else:
                state = "done"
                called = issued + rng.expovariate(1 / 900)
                serving = called + rng.uniform(5, 60)
                finished = serving + rng.expovariate(1 / 420)
            tickets.append((first_id + tid, service, day.isoformat(), seq[service], f"A{seq[service]:03d}",
                            int(rng.random() < 0.12), state, counter, issued, called, serving, finished, login,
                            int(rng.random() < 0.04)))
            if state == "done" and rng.random() < 0.4:
                ratings.append((counter, first_id + tid, login, rng.choice(LEVELS), finished + 10))
    d_per_day = n_dossiers // len(days) + 1
    first_dossier = conn0.execute("SELECT coalesce(max(id), 0) FROM dossiers").fetchone()[0]
    did = 0
    for day in days:
        base = datetime.combine(day, datetime.min.time(), tz).timestamp()
        for k in range(1, d_per_day + 1):
            did += 1
            if did > n_dossiers:
                break
            proc = rng.choice(procedures)
            received = base + 7.5 * 3600 + rng.random() * 9 * 3600
            due = received + rng.choice((2 * 3600, 86400, 3 * 86400, 5 * 86400, 15 * 86400))
            r = rng.random()
            outcome = rng.choice(OUTCOMES)
            resolved = received + (due - received) * {"early": 0.5, "on_time": 0.95, "late": 1.4}[outcome]
            if resolved > now or r < 0.01:
                state, ready, closed, outcome = "processing", None, None, None
            elif r < 0.03:
                state, ready, closed, outcome = "refused", None, resolved, "on_time"
            elif r < 0.035:
                state, ready, closed, outcome = "withdrawn", None, resolved, "on_time"
            elif r < 0.05:
                state, ready, closed = "ready", resolved, None
            else:
                state, ready, closed = "returned", resolved, resolved + 3600
            target = 1 if due - received == 2 * 3600 else None
            target_met = None if target is None or ready is None else int(outcome != "late")
            channel = rng.choice(CHANNELS)
            dossiers.append((first_dossier + did, f"{agency}-{day:%y%m%d}-{k:04d}", day.isoformat(), k, proc.code,
                             proc.name, proc.field_of_work, catalog.version, state, channel,
                             f"G22.{did}" if channel != "truc_tiep" and rng.random() < 0.5 else None,
                             rng.choice(counters), received, due, ready, closed if state == "returned" else None,
                             closed, outcome, int(rng.random() < 0.1),
                             rng.choice(("thanh_thao", "co_ban", "chua_biet", None)),
                             int(rng.random() < 0.05), target, target_met,
                             int(channel == "buu_chinh" or rng.random() < 0.05),
                             None if closed is None else int(channel == "buu_chinh")))
    with appliance.db.write() as conn:
        conn.executemany(
            "INSERT INTO tickets (id, service_id, day, seq, number, priority, state, counter_id, issued_ts, called_ts, "
            "serving_ts, finished_ts, user_login, transfers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tickets)
        conn.executemany("INSERT INTO ratings (counter_id, ticket_id, user_login, level, ts) VALUES (?, ?, ?, ?, ?)",
                         ratings)
        conn.executemany(
            "INSERT INTO dossiers (id, code, day, day_seq, procedure, procedure_name, field_code, catalog_version, "
            "state, channel, portal_code, counter_id, received_ts, due_ts, ready_ts, returned_ts, closed_ts, outcome, "
            "vneid_created, it_familiarity, digitised, target_due_ts, target_met, return_by_post, returned_by_post) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*d[:21], None if d[21] is None else d[12] + 7200, *d[22:]) for d in dossiers])
    appliance.db.conn().execute("ANALYZE")
    print(f"  filled: {len(tickets):,} tickets, {len(ratings):,} ratings, {len(dossiers):,} dossiers "
          f"over {len(days)} working days ({period.first:%d/%m/%Y} – {period.last:%d/%m/%Y})")


def timed(fn, runs: int = 5) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), max(samples)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    n_tickets = int(argv[0]) if argv else 150_000
    n_dossiers = int(argv[1]) if len(argv) > 1 else 60_000
    from appliance import config, demo
    from appliance.runtime import Appliance
    from appliance.services import accounts
    from appliance.web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = config.load(env={}, default_path=Path(tmp) / "none.toml",
                               overrides={"storage": {"path": str(Path(tmp) / "motcua.db")}})
        appliance = Appliance(settings)
        demo.seed(appliance)
        with appliance.units() as tx:
            token = accounts.add_token(tx, "bench", "officer")
        headers = {"Authorization": f"Bearer {token}"}
        client = create_app(appliance, {"TESTING": True}).test_client()
        today = appliance.reports.today()
        # the reporting year that has ended most recently holds a full year of working days
        year = report_periods.report_year(report_periods.reporting_month_of(today)[0] - 1)
        rng = random.Random(14)
        t0 = time.perf_counter()
        fill(appliance, year, n_tickets, n_dossiers, rng)
        print(f"  inserted in {time.perf_counter() - t0:.1f} s "
              f"(database {Path(settings.storage.path).stat().st_size / 1e6:.0f} MB)")

        def page(url: str) -> None:
            r = client.get(url, headers=headers)
            assert r.status_code == 200, (url, r.status_code)

        year_url = f"/reports?ky=report_year&ma={year.key}"
        ii06a_url = f"/reports/ii06a?ky=report_year&ma={year.key}"
        xlsx_url = f"/reports/tat-ca.xlsx?ky=report_year&ma={year.key}"
        figures = []
        for label, url in (("year page GET /reports (every table and chart)", year_url),
                           ("Biểu II.06a, the year (HTML)", ii06a_url),
                           ("every table of the year as one Excel workbook", xlsx_url),
                           ("reporting month page", f"/reports?ky=report_month&ma={year.last:%Y-%m}"),
                           ("today's page", "/reports?ky=today")):
            median, worst = timed(lambda url=url: page(url))
            figures.append((label, median, worst))
        service = appliance.reports
        service.use_summaries = False
        raw_median, raw_worst = timed(lambda: page(year_url), runs=3)
        service.use_summaries = True
        same = service.local(year).figures() == _raw(service, year).figures()
        for label, median, worst in figures:
            print(f"  {label:<52} median {median * 1000:7.0f} ms   max {worst * 1000:7.0f} ms")
        print(f"  {'year page from the raw rows (summaries bypassed)':<52} median {raw_median * 1000:7.0f} ms   "
              f"max {raw_worst * 1000:7.0f} ms")
        print(f"  figures from the summaries equal the raw computation: {same}   target: year page ≤ 1000 ms")
        appliance.stop()


def _raw(service, period):
    service.use_summaries = False
    try:
        return service.local(period)
    finally:
        service.use_summaries = True


if __name__ == "__main__":
    main()

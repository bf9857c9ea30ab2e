"""The same figures on the appliance and on the hub after a real sync (the real sync client, the hub
process on PostgreSQL): Biểu II.06a per field, tickets issued / served / absent / priority, ballots
per level with the officer's full name, dossiers digitised and online (QĐ 766)."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from appliance.catalog.loader import load_catalog
from appliance.domain import report_periods
from appliance.domain.dossier_samples import sample_values
from appliance.sync.client import SyncClient, enroll
from appliance.sync.identity import Identity


def receive(appliance, procedure: str, **options) -> str:
    draft = str(uuid.uuid4())
    today = appliance.dossiers._now()[1].date()
    values = sample_values(load_catalog().get(procedure), today)
    appliance.dossiers.save_draft(draft, procedure=procedure, values=values, counter_id=1, user="canbo1")
    dossier, created = appliance.dossiers.submit(draft, options, user="canbo1")
    assert created
    return dossier["code"]


def office_days(appliance, clock) -> None:
    """Three office days of tickets, ratings and dossiers through the services."""
    engine = appliance.engine
    rng = random.Random(14)
    for day in range(3):
        for i in range(8):
            engine.issue(("HT", "CT", "XH")[i % 3], priority=i == 0,
                         priority_reason="người cao tuổi" if i == 0 else None)
            clock.advance(45)
        for step in range(9):
            counter = 1 + step % 3
            clock.advance(200)
            try:
                engine.call_next(counter, finish_current=True, user_login="canbo1" if counter != 2 else "canbo2")
            except Exception:       # noqa: BLE001 - nobody waiting for this counter
                continue
            if step % 4 == 3:
                engine.no_show(counter)
            else:
                engine.serve(counter)
                clock.advance(240)
                engine.done(counter)
                engine.rate(counter, rng.choice(("very_satisfied", "satisfied", "unsatisfied")))
        codes = [receive(appliance, "1.004837", digitised=True),
                 receive(appliance, "1.001193", channel="truc_tuyen_mot_phan", portal_code=f"G22-{day}"),
                 receive(appliance, "1.004873")]
        appliance.dossiers.act(codes[0], "ready", user="canbo1")
        appliance.dossiers.act(codes[0], "return", user="canbo1")
        if day == 1:
            appliance.dossiers.act(codes[2], "refuse", {"reason": "Không thuộc thẩm quyền"}, user="canbo1")
        clock.advance(86400 - 8 * 45 - 9 * 440)


def test_the_hub_shows_the_appliances_figures_after_a_sync(appliance, clock, hub, device):
    from district.db.engine import make_engine
    from district.store import province

    ident = enroll(hub.base, device.token, appliance.state_dir)
    office_days(appliance, clock)
    client = SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir,
                        Identity(hub_url=hub.base, device_id=ident.device_id, device_token=ident.device_token),
                        sleep=lambda s: None, rng=random.Random(1))
    client.cycle()          # drains the whole outbox
    period = report_periods.day_range(date(2026, 11, 30), date(2026, 12, 2))
    local = appliance.reports.local(period)
    tz = appliance.tz
    start = datetime.combine(period.first, datetime.min.time(), tz)
    end = datetime.combine(period.last + timedelta(days=1), datetime.min.time(), tz)
    as_of = min(end, datetime.fromtimestamp(clock(), tz))
    engine = make_engine(hub.db_url, pool_size=1)
    try:
        with engine.connect() as conn:
            counts = province.ii06a_counts(conn, start, end, as_of, [ident.device_id])
            queue = province.queue_counts(conn, period.first, period.last, [ident.device_id])
            votes = province.rating_counts(conn, period.first, period.last, [ident.device_id])
            months = province.monthly_components(conn, [("p", start, end)], [("p", period.first, period.last)],
                                                 [ident.device_id])
    finally:
        engine.dispose()
    hub_fields: dict[str, list[int]] = {}
    for _commune, code, received, second, n in counts:
        cells = hub_fields.setdefault(code, [0] * 8)
        for col in (received, second):
            cells[("online", "direct_postal", "carried_over", "early", "on_time", "late", "within_deadline",
                   "overdue").index(col)] += n
    appliance_fields = {r.field_code: [r.online, r.direct_postal, r.carried_over, r.early, r.on_time, r.late,
                                       r.within_deadline, r.overdue] for r in local.ii06a.rows if r.kind == "field"}
    assert appliance_fields and hub_fields == appliance_fields
    assert sum(v[3] + v[4] + v[5] for v in appliance_fields.values()) >= 3       # resolved ones are there
    [(_code, _name, q)] = queue
    head = local.headline
    assert (int(q[0]), int(q[2]), int(q[3])) == (head["issued"], head["served"], head["no_show"]) and q[0] >= 20
    assert int(q[1]) == sum(row[6] for row in local.table("phieu-theo-linh-vuc").rows)
    per_level = {}
    for level, _officer, n in votes:
        per_level[level] = per_level.get(level, 0) + n
    assert sum(per_level.values()) == head["ballots"] > 0
    officers = {officer for _level, officer, _n in votes}
    assert "Nguyễn Thị Hoa" in officers           # canbo1's full name, not the login
    local_officers = {row[0] for row in local.table("hai-long-can-bo").rows}
    assert officers == local_officers
    cell = months[(next(iter({c for c, _k in months})), "p")]
    assert cell["received"] == local.ii06a.total.new == 9
    assert cell["digitised"] == 3 and cell["online"] == 3


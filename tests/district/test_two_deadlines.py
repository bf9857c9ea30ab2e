"""The hub keeps both deadlines (#13): legal due time and 2-hour target through ingest, closing
states counted with the outcome the appliance gave them, a recomputed outcome applied, and the
"trong 2 giờ" table apart from the legal on-time rate."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from district.db.schema import dossier_steps, dossiers
from district.domain import reports
from tests.district.conftest import VN, batch, event, post_batch

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=VN)   # a Tuesday, a model day


def received(code: str, at: datetime, legal: datetime, target: datetime | None, **extra) -> dict:
    return {"dossier": {"code": code, "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
                        "field_code": "HT", "channel": "truc_tiep", "received_at": at.isoformat(),
                        "due_at": legal.isoformat(), "legal_due_at": legal.isoformat(),
                        "target_due_at": target.isoformat() if target else None, "state": "received",
                        "return_by_post": False, **extra}}


def test_both_deadlines_closing_outcomes_and_a_recomputed_outcome(hub_client, enrol, engine):
    token = enrol("xa-gia-lam")
    dev = "xa-gia-lam"
    a, b, c = "G01.01-261201-0001", "G01.01-261201-0002", "G01.01-261201-0003"
    legal, target = T0.replace(hour=17), T0 + timedelta(hours=2)
    events = [
        event(1, "dossier.received", received(a, T0, legal, target, province_code="H01.01-261201-0042"), T0),
        event(2, "dossier.returned", {"code": a, "at": (T0 + timedelta(hours=6)).isoformat(), "outcome": "on_time",
                                      "by_post": False, "target_met": False}, T0 + timedelta(hours=6)),
        event(3, "dossier.received", received(b, T0, legal, None), T0),
        event(4, "dossier.state", {"code": b, "state": "withdrawn", "action": "withdraw", "outcome": "on_time",
                                   "at": (T0 + timedelta(hours=1)).isoformat(), "by": "canbo1"},
              T0 + timedelta(hours=1)),
        event(5, "dossier.received", received(c, T0, legal, target), T0),
        event(6, "dossier.state", {"code": c, "state": "processing", "action": "extend",
                                   "new_due_at": "2026-12-04T17:00:00+07:00",
                                   "extended_due_at": "2026-12-04T17:00:00+07:00",
                                   "at": (T0 + timedelta(hours=1)).isoformat()}, T0 + timedelta(hours=1)),
    ]
    r = post_batch(hub_client, dev, token, batch(dev, events, T0 + timedelta(hours=7)))
    assert r.status_code == 200, r.json
    # a correction sent later: the appliance recomputed an outcome stored before the two deadlines
    fix = event(7, "dossier.deadlines", {"code": a, "legal_due_at": legal.isoformat(),
                                         "target_due_at": target.isoformat(), "outcome": "early",
                                         "target_met": True}, T0 + timedelta(hours=8))
    code = event(8, "dossier.province_code", {"code": b, "province_code": "000.00.06.H56-261201-0009"},
                 T0 + timedelta(hours=8))
    r = post_batch(hub_client, dev, token, batch(dev, [fix, code], T0 + timedelta(hours=8)))
    assert r.status_code == 200 and r.json["acked_through"] == 8, r.json
    with engine.connect() as conn:
        rows = {x.code: x for x in conn.execute(select(dossiers))}
        steps = conn.execute(select(dossier_steps.c.kind).where(dossier_steps.c.code == a)).scalars().all()
    assert rows[a].due_at == legal and rows[a].target_due_at == target
    assert rows[a].outcome == "early" and rows[a].target_met is True and rows[a].state == "returned"
    assert rows[a].province_code == "H01.01-261201-0042"
    assert sorted(steps) == ["received", "returned"]       # the correction adds no step
    assert rows[b].state == "withdrawn" and rows[b].outcome == "on_time"
    assert rows[b].closed_at == T0 + timedelta(hours=1)
    assert rows[b].province_code == "000.00.06.H56-261201-0009"
    assert rows[c].extended_due_at == datetime(2026, 12, 4, 17, 0, tzinfo=VN) and rows[c].due_at == legal


def rec(code, state, returned=None, outcome=None, closed=None, target_met=None, received=T0):
    return reports.DossierRecord(code, "HT", "truc_tiep", received, T0.replace(hour=17), state, False, returned,
                                 outcome, False, closed, None, target_met)


def test_closing_states_count_with_their_outcome_and_the_target_table_is_apart():
    start, end = T0 - timedelta(days=1), T0 + timedelta(days=1)
    records = [
        rec("1", "returned", T0 + timedelta(hours=6), "on_time", target_met=False),
        rec("2", "returned", T0 + timedelta(hours=1), "on_time", target_met=True),
        rec("3", "withdrawn", outcome="on_time", closed=T0 + timedelta(hours=1)),
        rec("4", "refused", closed=T0 + timedelta(hours=1)),          # excluded by the rules: no outcome
        rec("5", "stopped", outcome="on_time", closed=T0 - timedelta(days=2),   # closed before the period
            received=T0 - timedelta(days=3)),
    ]
    rows = {r.field_code: r for r in reports.field_report(records, start, end, end)}
    assert (rows["HT"].resolved, rows["HT"].on_time, rows["HT"].pending, rows["HT"].on_time_rate) == (3, 3, 0, 100.0)
    target = {r.field_code: r for r in reports.target_report(records, start, end)}
    assert (target["HT"].with_target, target["HT"].within_target, target["HT"].rate) == (2, 1, 50.0)
    assert target["TONG"].with_target == 2


def test_the_public_lookup_finds_a_dossier_by_the_provinces_code(hub_client, enrol):
    token = enrol("xa-gia-lam")
    legal = T0.replace(hour=17)
    events = [event(1, "dossier.received", received("G01.01-261201-0001", T0, legal, None,
                                                    province_code="000.00.06.H56-261201-0042"), T0)]
    assert post_batch(hub_client, "xa-gia-lam", token, batch("xa-gia-lam", events, T0)).status_code == 200
    by_local = hub_client.get("/api/v1/dossiers/G01.01-261201-0001/status")
    by_province = hub_client.get("/api/v1/dossiers/000.00.06.H56-261201-0042/status")
    assert by_local.status_code == by_province.status_code == 200
    assert by_province.json["state"] == by_local.json["state"] == "received"
    assert "applicant" not in by_province.json

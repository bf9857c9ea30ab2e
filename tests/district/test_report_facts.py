"""What the province's reports need reaches the hub (#14): fees, papers, assisted online filing,
digitisation, VNeID, IT familiarity, officers' full names and the queue figures; an older
appliance's payload (none of these keys) and a malformed new key are both accepted."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from district.db.schema import dossiers, officers, ticket_days
from district.domain import provincial
from district.store import reports as report_store
from tests.district.conftest import VN, batch, event, post_batch, ticket

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=VN)
CODE = "000.00.06.H56-261130-0001"


def received(code: str = CODE, **extra) -> dict:
    d = {"code": code, "procedure_code": "2.000815", "procedure_name": "Chứng thực bản sao từ bản chính",
         "field_code": "G05-CT", "channel": "truc_tuyen_mot_phan", "received_at": T0.isoformat(),
         "due_at": (T0 + timedelta(hours=8)).isoformat(), "state": "received", "return_by_post": False,
         "applicant": {"name": "TRẦN THỊ MAI", "id_number": "001199012345", "phone": "0912000111"}}
    d.update(extra)
    return d


NEW_KEYS = {
    "portal_code": "G22.99-261130-0007", "fee": 9000, "digitised": True, "it_familiarity": "chua_biet",
    "vneid_created": True, "received_by": "lan", "received_by_name": "Nguyễn Thị Lan", "counter_id": 2,
    "fees": [{"name": "Chứng thực bản sao (3 trang × 2 bản)", "amount": 8000, "exempt_reason": None},
             {"name": "Phí bổ sung", "amount": 1000}],
    "documents": [{"name": "Bản chính giấy tờ", "mode": "show", "required": True},
                  {"name": "Bản sao cần chứng thực", "mode": "submit", "required": True}],
}


def test_new_facts_reach_the_summary_tables_and_the_provincial_export(engine, hub_client, enrol):
    token = enrol("xa-gia-lam", "Xã Gia Lâm")
    t = ticket(1, "2026-11-30", T0, number="B001", service="CT")
    evs = [
        event(1, "ticket.issued", {"ticket": t}, T0),
        event(2, "ticket.called", {"ticket": t, "counter_id": 2}, T0 + timedelta(minutes=10)),
        event(3, "dossier.received", {"dossier": received(**NEW_KEYS)}, T0 + timedelta(minutes=14)),
        event(4, "ticket.done", {"ticket": t, "counter_id": 2, "wait_s": 600.0, "service_s": 300.0,
                                 "officer": "lan", "officer_name": "Nguyễn Thị Lan"}, T0 + timedelta(minutes=15)),
        event(5, "rating.given", {"counter_id": 2, "ticket_id": 1, "level": "very_satisfied", "officer": "lan",
                                  "officer_name": "Nguyễn Thị Lan", "at": (T0 + timedelta(minutes=16)).isoformat()},
              T0 + timedelta(minutes=16)),
    ]
    r = post_batch(hub_client, "xa-gia-lam", token, batch("xa-gia-lam", evs, T0 + timedelta(minutes=20)))
    assert r.status_code == 200, r.json
    with engine.connect() as conn:
        d = conn.execute(select(dossiers).where(dossiers.c.code == CODE)).mappings().one()
        names = conn.execute(select(officers.c.login, officers.c.full_name)).all()
        days = conn.execute(select(ticket_days)).mappings().all()
        rows = report_store.provincial_rows(conn, T0, T0 + timedelta(days=1))
    assert (d["portal_code"], d["fee"], d["digitised"], d["it_familiarity"], d["vneid_created"], d["received_by"],
            d["counter_id"]) == ("G22.99-261130-0007", 9000, True, "chua_biet", True, "lan", 2)
    assert names == [("lan", "Nguyễn Thị Lan")]
    assert [(x["day"], x["service"], x["issued"], x["served"], x["no_show"], x["waiting"], x["wait_n"],
             x["wait_sum_s"], x["wait_15"], x["service_n"], x["service_sum_s"]) for x in days] == [
        (date(2026, 11, 30), "CT", 1, 1, 0, 0, 1, 600.0, 1, 1, 300.0)]
    export = provincial.to_provincial(rows[0][0], rows[0][1], rows[0][2], VN)
    assert export["DanhSachLePhi"] == [
        {"TenPhiLePhi": "Chứng thực bản sao (3 trang × 2 bản)", "MaPhiLePhi": "2.000815", "LoaiPhiLePhi": 1,
         "HinhThucThu": 1, "Gia": 8000, "MienGiam": False, "LyDoMienGiam": ""},
        {"TenPhiLePhi": "Phí bổ sung", "MaPhiLePhi": "2.000815", "LoaiPhiLePhi": 1, "HinhThucThu": 1, "Gia": 1000,
         "MienGiam": False, "LyDoMienGiam": ""}]
    assert export["TaiLieuNop"] == [
        {"TenTaiLieu": "Bản chính giấy tờ", "HinhThucNop": "Xuất trình (đối chiếu)", "BatBuoc": True,
         "DuocSoHoa": True},
        {"TenTaiLieu": "Bản sao cần chứng thực", "HinhThucNop": "Nộp", "BatBuoc": True, "DuocSoHoa": True}]


def test_an_older_appliance_and_malformed_new_keys_are_accepted(engine, hub_client, enrol):
    token = enrol("xa-cu", "Xã Cũ")
    evs = [event(1, "dossier.received", {"dossier": received("OLD-261130-0001")}, T0),
           event(2, "dossier.received", {"dossier": received("OLD-261130-0002", fee=2000)}, T0),
           event(3, "dossier.received", {"dossier": received(
               "OLD-261130-0003", fees="nhiều", documents={"a": 1}, digitised="có", it_familiarity="rất giỏi",
               vneid_created=1, portal_code="x" * 500, received_by=["lan"], counter_id=-4)}, T0)]
    r = post_batch(hub_client, "xa-cu", token, batch("xa-cu", evs, T0 + timedelta(minutes=1)))
    assert r.status_code == 200, r.json
    with engine.connect() as conn:
        got = {row.code: row for row in conn.execute(select(dossiers))}
    assert got["OLD-261130-0001"].fees is None and got["OLD-261130-0001"].documents is None
    assert got["OLD-261130-0002"].fees == [{"name": "Lệ phí", "amount": 2000, "exempt_reason": None}]
    bad = got["OLD-261130-0003"]
    assert (bad.fees, bad.documents, bad.digitised, bad.it_familiarity, bad.vneid_created, bad.portal_code,
            bad.received_by, bad.counter_id) == (None, None, None, None, None, None, None, None)
    assert provincial.fee_items({"fees": got["OLD-261130-0002"].fees, "procedure_code": "x"})[0]["Gia"] == 2000


def test_a_recomputed_day_follows_later_events(engine, hub_client, enrol):
    """The day summary is recomputed, not incremented: a ticket called then marked absent in a later
    batch moves from waiting to no-show, counted once."""
    token = enrol("xa-ngay", "Xã Ngày")
    t = ticket(7, "2026-11-30", T0, number="A007")
    first = [event(1, "ticket.issued", {"ticket": t}, T0),
             event(2, "ticket.called", {"ticket": t, "counter_id": 1}, T0 + timedelta(minutes=3))]
    r = post_batch(hub_client, "xa-ngay", token, batch("xa-ngay", first, T0 + timedelta(minutes=4)))
    assert r.status_code == 200
    with engine.connect() as conn:
        assert conn.execute(select(ticket_days.c.issued, ticket_days.c.waiting, ticket_days.c.no_show)).all() == [
            (1, 1, 0)]
    later = [event(3, "ticket.no_show", {"ticket": t, "counter_id": 1}, T0 + timedelta(minutes=6))]
    r = post_batch(hub_client, "xa-ngay", token, batch("xa-ngay", later, T0 + timedelta(minutes=7)))
    assert r.status_code == 200
    with engine.connect() as conn:
        assert conn.execute(select(ticket_days.c.issued, ticket_days.c.waiting, ticket_days.c.no_show)).all() == [
            (1, 0, 1)]

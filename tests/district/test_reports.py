"""Report tables against the hand-computed fixture: pure, then end to end through ingest, the
report page, the Excel file (opened with openpyxl) and the CSV."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from district.domain import report_tables, reports
from district.store import staff
from tests.district import report_fixture as fx
from tests.district.conftest import batch, post_batch


def records():
    return [reports.DossierRecord(fx.code(no), field, channel, received, due, state or (
        "returned" if returned else "received"), by_post, returned, outcome, returned_by_post)
        for no, field, channel, received, due, returned, outcome, state, by_post, returned_by_post in fx.DOSSIERS]


def row_tuple(r: reports.FieldRow) -> tuple:
    return (r.received, r.online, r.direct_postal, r.carried_over, r.resolved, r.early, r.on_time, r.late,
            r.pending, r.within_deadline, r.overdue, r.on_time_rate, r.online_rate)


def test_field_report_matches_the_hand_computed_numbers():
    rows = reports.field_report(records(), fx.START, fx.END, fx.END)
    assert {r.field_code: row_tuple(r) for r in rows} == fx.FIELD_ROWS
    assert [r.field_code for r in rows] == ["CT", "HT", "TONG"]
    assert rows[1].field_name == "Hộ tịch"
    for r in rows:   # the identities of the domain doc hold on every row
        assert r.received == r.online + r.direct_postal + r.carried_over == r.resolved + r.pending


def test_pending_is_judged_at_as_of_when_the_period_has_not_ended():
    as_of = fx.at(11, 4)   # before #2's due date (5 Nov) and #9's
    rows = {r.field_code: r for r in reports.field_report(records(), fx.START, fx.END, as_of)}
    assert (rows["HT"].within_deadline, rows["HT"].overdue) == (3, 0)


def test_postal_and_satisfaction_tables():
    postal = reports.postal_report(records(), fx.START, fx.END)
    assert {r.field_code: (r.received_by_post, r.registered_post_return, r.returned_by_post)
            for r in postal} == fx.POSTAL_ROWS
    votes = [reports.RatingRecord(level, officer) for level, officer in fx.RATINGS]
    levels = reports.satisfaction_levels(votes)
    assert [x.count for x in levels] == fx.LEVEL_COUNTS
    assert [x.percent for x in levels] == fx.LEVEL_PERCENTS
    assert levels[0].label == "Rất hài lòng"
    officers = reports.satisfaction_by_officer(votes)
    assert [(o.officer, o.total, o.satisfied_rate) for o in officers] == [
        ("(không ghi cán bộ)", 1, 0.0), ("can_bo_lan", 2, 100.0), ("can_bo_minh", 2, 100.0)]
    table = report_tables.officers_table(officers)
    assert table.headers[1:6] == tuple(reports.RATING_LABELS.values())


@pytest.fixture
def loaded(hub_app, hub_client, enrol):
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    evs = fx.as_events()
    r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", evs, fx.at(12, 5)))
    assert r.status_code == 200 and r.json == {"acked_through": len(evs), "quarantined": 0}
    with hub_app.extensions["motcua_hub"].engine.begin() as conn:
        staff.add_user(conn, "thongke", "mat-khau-du-dai")
    login = hub_client.get("/dang-nhap")
    assert login.status_code == 200
    with hub_client.session_transaction() as s:
        csrf = s["csrf_token"]
    r = hub_client.post("/dang-nhap", data={"name": "thongke", "password": "mat-khau-du-dai", "csrf_token": csrf})
    assert r.status_code == 302
    return hub_client


PERIOD = "tu=2025-11-01&den=2025-11-30"


def test_excel_export_opens_and_holds_the_numbers(loaded):
    r = loaded.get(f"/bao-cao/excel?{PERIOD}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].endswith('.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert len(wb.sheetnames) == 6   # the 2-hour table (#13), then the queue per commune (#14)
    assert wb.sheetnames[4] == "Có kết quả trong 2 giờ làm việc"
    ws = wb[wb.sheetnames[0]]
    assert ws["A1"].value == "Báo cáo kết quả giải quyết thủ tục hành chính – Tỉnh Bắc Ninh"
    assert ws["A3"].value == "Từ ngày 01/11/2025 đến ngày 30/11/2025"
    header = [c.value for c in ws[5]]
    assert header[:3] == ["Mã lĩnh vực", "Lĩnh vực", "Tổng số tiếp nhận"]
    body = {row[0]: tuple(row[2:]) for row in ws.iter_rows(min_row=6, values_only=True)}
    assert body == fx.FIELD_ROWS
    postal = wb[wb.sheetnames[1]]
    assert {row[0]: tuple(row[2:]) for row in postal.iter_rows(min_row=6, values_only=True)} == fx.POSTAL_ROWS
    sat = wb[wb.sheetnames[2]]
    counts = [row[1] for row in sat.iter_rows(min_row=6, values_only=True)]
    assert counts == fx.LEVEL_COUNTS + [5]


def test_csv_export_and_report_page(loaded):
    r = loaded.get(f"/bao-cao/csv/linh-vuc?{PERIOD}")
    assert r.status_code == 200 and r.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã lĩnh vực"
    total = [x for x in rows if x[0] == "TONG"][0]
    assert total[2:6] == ["8", "2", "4", "2"] and total[13:] == ["60.0", "33.33"]
    page = loaded.get(f"/bao-cao/?{PERIOD}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tình hình tiếp nhận và giải quyết hồ sơ theo lĩnh vực" in html and "66,67" in html


def test_a_commune_filter_limits_the_report(loaded, enrol):
    enrol("xa-long-son", "Xã Long Sơn")
    r = loaded.get(f"/bao-cao/csv/linh-vuc?{PERIOD}&xa=xa-long-son")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[1][0] == "TONG" and rows[1][2] == "0"


def test_provincial_export_shape(loaded):
    r = loaded.get(f"/bao-cao/tinh.json?{PERIOD}")
    assert r.status_code == 200
    doc = r.get_json(force=True)
    by_code = {d["MaHoSo"]: d for d in doc["HoSo"]}
    d5 = by_code[fx.code(5)]
    assert list(d5)[:4] == ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc"]
    assert d5["MaTTHC"] == "1.001193" and d5["KenhThucHien"] == 1 and d5["TrangThaiHoSo"] == 10
    assert d5["NgayTiepNhan"] == "20251112090000" and d5["NgayTra"] == "20251120090000"
    assert d5["ChuHoSo"] == "NGUYỄN VĂN BÍ MẬT" and d5["DonViXuLy"] == "Xã Dương Xá"
    assert [s["NoiDungXuLy"] for s in d5["QuaTrinhXuLy"]] == ["Tiếp nhận hồ sơ", "Trả kết quả"]
    assert by_code[fx.code(6)]["KenhThucHien"] == 3 and by_code[fx.code(6)]["HinhThuc"] == 1
    assert fx.code(8) not in by_code   # received after the period
    r = loaded.get(f"/bao-cao/tinh.csv?{PERIOD}")
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert len(rows) == len(doc["HoSo"]) and rows[0]["MaHoSo"]


def test_national_field_codes_are_named_without_a_hub_catalog():
    assert [reports.field_name(c, {}) for c in ("G05-HT", "G05-CT", "G18-BTXH", "XH")] == [
        "Hộ tịch", "Chứng thực", "Bảo trợ xã hội", "Bảo trợ xã hội"]
    assert reports.field_name("G05-HT", {"G05-HT": "Hộ tịch (tỉnh)"}) == "Hộ tịch (tỉnh)"

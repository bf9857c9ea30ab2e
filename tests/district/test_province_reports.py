"""The province's reports on the hub: Biểu II.06a per commune and per field (page, Excel opened with
openpyxl cell by cell, PDF read back with pdftotext), counted in SQL exactly as the shared domain
classifies (random dossiers, SQLite and PostgreSQL); the QĐ 766 components per commune by
reporting month with their trend charts; officers' full names; the commune page in pages."""
from __future__ import annotations

import csv
import io
import random
import subprocess
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from appliance.domain import report_ii06a
from district.db.schema import devices, dossiers, officers
from district.domain import reports
from district.store import province, staff
from tests.district import report_fixture as fx
from tests.district.conftest import batch, post_batch

PERIOD = "tu=2025-11-01&den=2025-11-30"


@pytest.fixture
def loaded(hub_app, hub_client, enrol):
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    evs = fx.as_events()
    r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", evs, fx.at(12, 5)))
    assert r.status_code == 200 and r.json["acked_through"] == len(evs)
    enrol("xa-kim-son", "Xã Kim Sơn")          # a commune with nothing in the period still has its row
    engine = hub_app.extensions["motcua_hub"].engine
    with engine.begin() as conn:
        staff.add_user(conn, "thongke", "mat-khau-du-dai")
        conn.execute(officers.insert().values(device_id="xa-duong-xa", login="can_bo_lan",
                                              full_name="Nguyễn Thị Lan", seen_at=fx.at(11, 10)))
    hub_client.get("/dang-nhap")
    with hub_client.session_transaction() as s:
        csrf = s["csrf_token"]
    r = hub_client.post("/dang-nhap", data={"name": "thongke", "password": "mat-khau-du-dai", "csrf_token": csrf})
    assert r.status_code == 302
    return hub_client


# (TT, label, the 11 counts (3)–(13)) as worked by hand in report_fixture.py
EXPECTED = [
    ("1", "Xã Dương Xá", (8, 2, 4, 2, 5, 2, 1, 2, 3, 1, 2)),
    ("1.1", "Chứng thực", (2, 0, 2, 0, 2, 1, 0, 1, 0, 0, 0)),
    ("1.2", "Hộ tịch", (6, 2, 2, 2, 3, 1, 1, 1, 3, 1, 2)),
    ("2", "Xã Kim Sơn", (0,) * 11),
    ("", "Tổng cộng", (8, 2, 4, 2, 5, 2, 1, 2, 3, 1, 2)),
]


def test_ii06a_page_has_a_row_per_commune_and_field(loaded):
    page = loaded.get(f"/bao-cao/ii06a?{PERIOD}&nhan=Văn phòng UBND tỉnh&lap=Trần Thị Mai")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Biểu số II.06a/VPCP/KSTT", "Kỳ báo cáo: từ ngày 01/11/2025 đến ngày 30/11/2025",
                 "Đơn vị tính: số hồ sơ TTHC", "Văn phòng UBND tỉnh", "Trần Thị Mai", "NGƯỜI LẬP BIỂU",
                 "Xã Kim Sơn", "(13)"):
        assert text in html, text
    by_field = loaded.get(f"/bao-cao/ii06a?{PERIOD}&theo=linh-vuc").get_data(as_text=True)
    assert "Xã Kim Sơn" not in by_field and "Hộ tịch" in by_field
    one = loaded.get(f"/bao-cao/ii06a?{PERIOD}&xa=xa-kim-son").get_data(as_text=True)
    assert "Xã Dương Xá" not in one and "Xã Kim Sơn" in one
    assert loaded.get("/bao-cao/ii06a?tu=2025-13-01").status_code == 400


def test_ii06a_excel_cell_by_cell(loaded):
    r = loaded.get(f"/bao-cao/ii06a.xlsx?{PERIOD}&lap=Trần Thị Mai")
    assert r.status_code == 200 and r.headers["Content-Disposition"].endswith('.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames == ["Biểu II.06a"]
    ws = wb.active
    assert ws["A1"].value == "Biểu số II.06a/VPCP/KSTT"
    assert ws["D1"].value == report_ii06a.TITLE
    assert ws["D2"].value == "Kỳ báo cáo: từ ngày 01/11/2025 đến ngày 30/11/2025"
    assert ws["K1"].value == "Đơn vị báo cáo: Tỉnh Bắc Ninh"
    assert ws["K3"].value == "Đơn vị tính: số hồ sơ TTHC"
    assert "A1:C1" in {str(m) for m in ws.merged_cells.ranges}
    numbers = next(r for r in range(1, 20) if ws.cell(r, 1).value == "(1)")
    assert [ws.cell(numbers, c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    assert ws.cell(numbers - 3, 3).value == "Số hồ sơ tiếp nhận" and ws.cell(numbers - 1, 4).value == "Trực tuyến"
    for i, (tt, label, counts) in enumerate(EXPECTED, start=numbers + 1):
        assert (ws.cell(i, 1).value or "") == tt and ws.cell(i, 2).value == label, i
        assert tuple(ws.cell(i, c).value for c in range(3, 14)) == counts, label
        assert ws.cell(i, 3).number_format == "#,##0" and ws.cell(i, 2).number_format == "@"
        assert ws.cell(i, 5).border.left.style == "thin"
    assert ws.cell(numbers + 1, 2).font.b and not ws.cell(numbers + 2, 2).font.b
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1


def test_ii06a_pdf_text(loaded):
    """The hub's Biểu II.06a PDF (#14), with Chromium and pdftotext (installed by `make test`)."""
    r = loaded.get(f"/bao-cao/ii06a.pdf?{PERIOD}&lap=Trần Thị Mai")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"], input=r.data,
                          capture_output=True, check=True).stdout.decode("utf-8")
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert any("Biểu số II.06a/VPCP/KSTT" in line for line in lines)
    assert any("từ ngày 01/11/2025 đến ngày 30/11/2025" in line for line in lines)
    assert any(line.startswith("1.2 Hộ tịch 6 2 2 2 3 1 1 1 3 1 2") for line in lines), lines
    assert any(line.startswith("2 Xã Kim Sơn 0 0 0") for line in lines)
    assert any("Tổng cộng 8 2 4 2 5 2 1 2 3 1 2" in line for line in lines)
    assert any("Trần Thị Mai" in line for line in lines)


def test_satisfaction_by_officer_shows_full_names(loaded):
    html = loaded.get(f"/bao-cao/?{PERIOD}").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html
    assert "can_bo_minh" in html      # no name sent for this login: the login stays


def test_qd766_components_by_reporting_month(loaded):
    page = loaded.get("/bao-cao/qd766?den=2025-12&so=2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") >= 1 + 4 * 3 and "Toàn tỉnh" in html and "Xã Kim Sơn" in html
    r = loaded.get("/bao-cao/qd766.csv?den=2025-12&so=2")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    got = {(row[0], row[2]): row[3:7] for row in rows[1:]}
    # reporting month 11/2025 = 15/10–14/11: resolved #3 #1 #4 #10 early/on time, #11 late → 4/5;
    # received #1 #2 #4 #5 #10 #11, online #4 → 1/6; ballots 10–14/11: 4 of 5 satisfied
    assert got[("", "2025-11")] == ["80.0", "16.67", "0.0", "80.0"]
    # 12/2025 = 15/11–14/12: resolved #5 #9, both late; received #6 #7 #8 #9, online #9; no ballot
    assert got[("", "2025-12")] == ["0.0", "25.0", "0.0", ""]
    assert got[("xa-kim-son", "2025-12")] == ["", "", "", ""]
    assert "-80" in html    # the month-over-month change of timeliness
    bad = loaded.get("/bao-cao/qd766?den=2025-99")           # falls back to this month, says why
    assert bad.status_code == 200 and "Kỳ tháng phải có dạng NNNN-TT." in bad.get_data(as_text=True)
    bad = loaded.get("/bao-cao/qd766?so=abc&lang=en")
    assert "The number of months must be 2 to 24." in bad.get_data(as_text=True)


def test_commune_page_in_pages(loaded, monkeypatch):
    from district.web import dashboard as pages
    monkeypatch.setattr(pages, "PAGE_SIZE", 4)
    first = loaded.get("/xa/xa-duong-xa").get_data(as_text=True)
    assert "Trang 1/3 (10 hồ sơ)" in first and 'rel="next"' in first
    seen = []
    for n in (1, 2, 3):
        html = loaded.get(f"/xa/xa-duong-xa?trang={n}").get_data(as_text=True)
        seen += [fx.code(no) for no in range(1, 12) if fx.code(no) in html]
    assert sorted(seen) == sorted(fx.code(no) for no in range(1, 12) if no != 7)   # refused #7: neither list
    assert loaded.get("/xa/xa-duong-xa?trang=abc").status_code == 200


def test_sql_counts_equal_the_shared_classification(engine):
    rng = random.Random(766)
    base = datetime(2025, 10, 1, tzinfo=UTC)
    records, plain = [], []
    with engine.begin() as conn:
        for d in ("xa-a", "xa-b", "xa-c"):
            conn.execute(devices.insert().values(id=d, commune_code=f"c-{d}", commune_name=d, created_at=base,
                                                 config={}))
        for i in range(400):
            dev = rng.choice(("xa-a", "xa-b", "xa-c"))
            received = base + timedelta(hours=rng.randrange(24 * 120))
            state = rng.choice(("received", "processing", "supplement_requested", "ready", "returned", "refused",
                                "stopped", "withdrawn"))
            due = None if rng.random() < 0.1 else received + timedelta(hours=rng.choice((2, 24, 72, 400)))
            found = received + timedelta(hours=rng.choice((-1, 0, 5, 50, 300, 2000)))
            ready = found if state in ("ready", "returned") and rng.random() < 0.7 else None
            returned = found + timedelta(hours=1) if state == "returned" else None
            closed = found if state in ("refused", "stopped", "withdrawn") else None
            outcome = rng.choice((None, "early", "on_time", "late")) if returned or closed or ready else None
            row = {"code": f"D{i}", "device_id": dev, "field_code": rng.choice(("HT", "CT", None)),
                   "channel": rng.choice(("truc_tiep", "truc_tuyen_toan_trinh", "truc_tuyen_mot_phan", "buu_chinh")),
                   "received_at": received, "due_at": due, "state": state, "ready_at": ready,
                   "returned_at": returned, "closed_at": closed, "outcome": outcome, "last_seq": i}
            conn.execute(dossiers.insert().values(**row))
            resolved = ready or returned or closed
            if resolved is not None and resolved < received:
                resolved = received
            records.append(report_ii06a.Dossier(row["field_code"], row["channel"], received, state, due, resolved,
                                                outcome, state == "supplement_requested", unit=f"c-{dev}"))
            plain.append(reports.DossierRecord(row["code"], row["field_code"], row["channel"], received, due, state,
                                               returned_at=returned, outcome=outcome, closed_at=closed,
                                               ready_at=ready))
    for start, end, as_of in ((datetime(2025, 11, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC),
                               datetime(2026, 1, 1, tzinfo=UTC)),
                              (datetime(2025, 10, 15, tzinfo=UTC), datetime(2026, 1, 15, tzinfo=UTC),
                               datetime(2025, 12, 20, tzinfo=UTC))):
        with engine.connect() as conn:
            counts = province.ii06a_counts(conn, start, end, as_of)
        per: dict = {}
        for commune, code, received, second, n in counts:
            row = report_ii06a.field_row(per, commune, code)
            setattr(row, received, getattr(row, received) + n)
            setattr(row, second, getattr(row, second) + n)
        sql = report_ii06a.assemble(per, start, end)
        expected = report_ii06a.compute(records, start, end, as_of)
        assert [(r.tt, r.label, r.counts()) for r in sql.rows] == [(r.tt, r.label, r.counts()) for r in expected.rows]
        assert sql.total.received > 0 and sql.total.pending > 0 and sql.total.resolved > 0
        # the report page's field table (counted in SQL) == the hub's pure definition
        assert reports.fields_from_counts(counts) == reports.field_report(plain, start, end, as_of)


def test_csv_files_say_one_charset(loaded):
    for url in (f"/bao-cao/csv/linh-vuc?{PERIOD}", "/bao-cao/qd766.csv?den=2025-12&so=2",
                f"/bao-cao/tinh.csv?{PERIOD}"):
        r = loaded.get(url)
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv; charset=utf-8", url


def test_qd766_excel_a_sheet_per_component(loaded):
    r = loaded.get("/bao-cao/qd766.xlsx?den=2025-12&so=2")
    assert r.status_code == 200 and r.headers["Content-Disposition"].endswith('.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames == ["Tiến độ giải quyết (đúng hạn)", "Dịch vụ trực tuyến", "Số hóa hồ sơ",
                             "Mức độ hài lòng"]
    ws = wb["Tiến độ giải quyết (đúng hạn)"]
    assert ws["A1"].value == "Các thành phần chỉ số QĐ 766/QĐ-TTg – Tỉnh Bắc Ninh"
    assert ws["A3"].value == "Từ ngày 15/10/2025 đến ngày 14/12/2025"
    assert [c.value for c in ws[5]] == ["Xã", "11/2025", "12/2025", "Thay đổi so với tháng trước (điểm %)"]
    assert [c.value for c in ws[6]] == ["Toàn tỉnh", 80.0, 0.0, -80.0]
    assert [c.value for c in ws[8]] == ["Xã Kim Sơn", None, None, None]
    assert ws["B6"].number_format == "0.00" and ws["B6"].border.left.style == "thin"
    assert ws.freeze_panes == "B6" and ws.page_setup.orientation == "landscape"
    online = wb["Dịch vụ trực tuyến"]
    assert [c.value for c in online[6]] == ["Toàn tỉnh", 16.67, 25.0, 8.33]


def test_report_excel_looks_official(loaded):
    wb = openpyxl.load_workbook(io.BytesIO(loaded.get(f"/bao-cao/excel?{PERIOD}").data))
    ws = wb[wb.sheetnames[0]]
    assert ws.freeze_panes == "A6" and int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.orientation == "landscape"          # 15 columns
    assert ws["C5"].fill.fgColor.rgb.endswith("D9E2F3") and ws["C5"].border.left.style == "thin"
    total = next(r for r in range(6, 20) if ws.cell(r, 1).value == "TONG")
    assert ws.cell(total, 3).value == 8 and ws.cell(total, 3).number_format == "#,##0"
    assert ws.cell(total, 14).value == 60.0 and ws.cell(total, 14).number_format == "0.00"
    assert all(len(name) <= 31 for name in wb.sheetnames) and len(set(wb.sheetnames)) == len(wb.sheetnames)


def test_commune_page_shows_its_own_qd766_trends(loaded):
    html = loaded.get("/xa/xa-duong-xa").get_data(as_text=True)
    assert "commune-trends" in html and html.count('class="spark"') == 4
    other = loaded.get("/xa/xa-kim-son").get_data(as_text=True)
    assert other.count('class="spark"') == 4 and "commune-trends" in other

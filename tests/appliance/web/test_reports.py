"""/reports: the page and its charts for officers and the administrator, the Excel files opened
with openpyxl and checked cell by cell, the CSV (BOM, charset, leading zeros), Biểu II.06a."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from page_helpers import log_in, make_user

from appliance.domain import report_local
from appliance.web.reports import excel, files


@pytest.fixture
def officer(app, appliance):
    client = app.test_client()
    log_in(client, make_user(appliance, "canbo1", "officer"))
    return client


def test_officer_and_admin_see_the_reports_others_do_not(officer, admin_client, role_client):
    for client in (officer, admin_client):
        page = client.get("/reports")
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        assert "Báo cáo" in body and "Biểu II.06a/VPCP/KSTT" in body
    assert role_client("volunteer").get("/reports").status_code == 403
    assert officer.get("/reports?ky=report_quarter&ma=2026-Q1").status_code == 200


def test_a_bad_period_is_a_clear_400_in_both_languages(officer):
    for url in ("/reports?ky=report_month&ma=2026-13", "/reports?ky=range&tu=2026-03-02&den=2026-03-01",
                "/reports?ky=bogus", "/reports/hai-long.xlsx?ky=range&tu=x", "/reports/ii06a?ky=report_year&ma=99"):
        vi = officer.get(url + "&lang=vi")
        en = officer.get(url + "&lang=en")
        assert vi.status_code == en.status_code == 400, url
        assert "không hợp lệ" in vi.get_data(as_text=True).lower()
        assert "Invalid" in en.get_data(as_text=True) or "must" in en.get_data(as_text=True)
    assert officer.get("/reports/khong-co.csv").status_code == 404
    assert officer.get("/reports/hai-long.exe").status_code == 404


def test_csv_keeps_leading_zeros_and_says_its_charset():
    table = report_local.Table("thu", "Thử", "Test", "Thử", (
        report_local.Column("Số điện thoại", "Phone", "id"), report_local.Column("Số định danh", "ID", "id"),
        report_local.Column("Số phiếu", "Count"), report_local.Column("Tỷ lệ (%)", "Rate", "pct")),
        (("0912345678", "001088012345", 3, 12.5),))
    data = files.table_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert '"0912345678","001088012345",3,12.5' in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Số điện thoại", "Số định danh", "Số phiếu", "Tỷ lệ (%)"]
    assert rows[1][:2] == ["0912345678", "001088012345"]
    wb = load_workbook(io.BytesIO(excel.tables_workbook([table], unit="UBND xã Gia Lâm", period="Kỳ")))
    ws = wb.active
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Số điện thoại")
    assert ws.cell(head + 1, 1).value == "0912345678" and ws.cell(head + 1, 1).number_format == "@"
    assert ws.cell(head + 1, 2).value == "001088012345" and ws.cell(head + 1, 2).data_type == "s"
    assert ws.cell(head + 1, 4).value == 0.125 and ws.cell(head + 1, 4).number_format == "0.00%"


def test_sheet_names_fit_excel():
    long = "Mức độ hài lòng của người dân theo từng cán bộ tiếp nhận"
    first = excel.sheet_name(long)
    assert len(first) <= 31 and first == long[:31].rstrip() or len(first) <= 31
    second = excel.sheet_name(long, [first])
    assert len(second) <= 31 and second != first and second.endswith("(2)")
    assert excel.sheet_name("a/b:c*d?[e]") == "a b c d e"

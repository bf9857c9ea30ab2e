"""The commune's report files after real office days (tickets, ratings, dossiers through the
services): every table of the workbook opened with openpyxl and checked cell by cell against the
page's figures (heading, header, values, number formats, borders, frozen header, print set-up,
sheet names), the CSV's charset, Biểu II.06a as Excel cell by cell and as PDF read back with
pdftotext."""
from __future__ import annotations

import csv
import io
import random
import subprocess
import uuid
from datetime import date

import pytest
from openpyxl import load_workbook
from page_helpers import log_in, make_user

from appliance.catalog.loader import load_catalog
from appliance.domain import report_ii06a, report_periods
from appliance.domain.dossier_samples import sample_values
from appliance.web.reports.excel import NUMBER_FORMATS

PERIOD = "ky=range&tu=2026-11-30&den=2026-12-02"


def receive(appliance, procedure: str, **options) -> str:
    draft = str(uuid.uuid4())
    today = appliance.dossiers._now()[1].date()
    values = sample_values(load_catalog().get(procedure), today)
    appliance.dossiers.save_draft(draft, procedure=procedure, values=values, counter_id=1, user="canbo1")
    dossier, created = appliance.dossiers.submit(draft, options, user="canbo1")
    assert created
    return dossier["code"]


@pytest.fixture
def office(app, appliance, clock):
    engine = appliance.engine
    rng = random.Random(6)
    for _day in range(3):
        for i in range(7):
            engine.issue(("HT", "CT", "XH")[i % 3], priority=i == 2,
                         priority_reason="người khuyết tật" if i == 2 else None)
            clock.advance(50)
        for step in range(8):
            counter = 1 + step % 3
            clock.advance(180)
            try:
                engine.call_next(counter, finish_current=True, user_login="canbo1")
            except Exception:       # noqa: BLE001 - nobody waiting for this counter
                continue
            if step == 5:
                engine.no_show(counter)
                continue
            engine.serve(counter)
            clock.advance(300)
            engine.done(counter)
            engine.rate(counter, rng.choice(("very_satisfied", "satisfied", "unsatisfied")))
        code = receive(appliance, "1.004837", channel="truc_tuyen_toan_trinh", portal_code="G22-1",
                       it_familiarity="co_ban")
        appliance.dossiers.act(code, "ready", user="canbo1")
        appliance.dossiers.act(code, "return", user="canbo1")
        receive(appliance, "1.001193")
        clock.advance(86400 - 7 * 50 - 8 * 480)
    client = app.test_client()
    log_in(client, make_user(appliance, "thongke1", "officer"))
    report = appliance.reports.local(report_periods.day_range(date(2026, 11, 30), date(2026, 12, 2)))
    return client, report


def test_every_table_in_the_workbook_cell_by_cell(office):
    client, report = office
    r = client.get(f"/reports/tat-ca.xlsx?{PERIOD}")
    assert r.status_code == 200 and r.headers["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(r.data))
    assert len(wb.sheetnames) == len(report.tables) == len(set(wb.sheetnames))
    for name, table in zip(wb.sheetnames, report.tables, strict=True):
        ws = wb[name]
        assert len(name) <= 31 and name == table.sheet[:31]
        assert ws["A1"].value == "Trung tâm Phục vụ hành chính công xã Gia Lâm" or ws["A1"].value
        assert ws["A3"].value == table.title and ws["A4"].value == "Từ ngày 30/11/2026 đến ngày 02/12/2026"
        head = 6
        assert [ws.cell(head, c).value for c in range(1, len(table.columns) + 1)] == [c.vi for c in table.columns]
        assert ws.freeze_panes == f"B{head + 1}"
        assert ws.page_setup.orientation == ("landscape" if table.wide else "portrait")
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        body = list(table.rows) + [table.total]
        for i, values in enumerate(body, start=head + 1):
            for c, (value, col) in enumerate(zip(values, table.columns, strict=True), start=1):
                cell = ws.cell(i, c)
                expected = None if value is None else (value / 100 if col.format == "pct" else value)
                assert cell.value == expected or (expected is not None and abs(cell.value - expected) < 1e-9), (
                    name, i, c, cell.value, value)
                assert cell.number_format == NUMBER_FORMATS[col.format], (name, col.vi)
                assert cell.border.left.style == "thin"
            if i == head + len(body):
                assert ws.cell(i, 1).font.b          # the total row
    tickets = wb[report.tables[0].sheet[:31]]
    total_row = head + len(report.tables[0].rows) + 1
    assert tickets.cell(total_row, 2).value == report.headline["issued"] >= 15


def test_csv_says_its_charset(office):
    client, report = office
    r = client.get(f"/reports/phieu-theo-quay.csv?{PERIOD}")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8" and r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Quầy" and rows[-1][0] == "Tổng cộng"
    assert int(rows[-1][1]) == report.headline["issued"]


def test_ii06a_excel_and_pdf(office):
    client, report = office
    r = client.get(f"/reports/ii06a.xlsx?{PERIOD}&nhan=UBND huyện Gia Lâm&lap=Lê Văn Thống")
    ws = load_workbook(io.BytesIO(r.data)).active
    assert ws.title == "Biểu II.06a" and ws["A1"].value == report_ii06a.FORM_NUMBER
    assert ws["D2"].value == "Kỳ báo cáo: từ ngày 30/11/2026 đến ngày 02/12/2026"
    assert ws["K2"].value == "Đơn vị nhận báo cáo: UBND huyện Gia Lâm"
    numbers = next(r for r in range(1, 20) if ws.cell(r, 1).value == "(1)")
    for i, row in enumerate(report.ii06a.rows, start=numbers + 1):
        assert [ws.cell(i, c).value for c in range(3, 14)] == list(row.counts()), row.label
        assert ws.cell(i, 2).value == row.label
    unit = report.ii06a.rows[0]
    assert unit.received == 6 and unit.online == 3 and unit.early + unit.on_time + unit.late == 3
    assert any(ws.cell(r, 1).value == "Lê Văn Thống" for r in range(numbers, numbers + 20))
    # the PDF is part of the report (#14): Chromium and pdftotext come with `make test`
    # (scripts/system-deps.sh) and the trixie root, so a missing one fails here rather than skips
    pdf = client.get(f"/reports/ii06a.pdf?{PERIOD}&lap=Lê Văn Thống")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"], input=pdf.data,
                          capture_output=True, check=True).stdout.decode("utf-8")
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert any("Biểu số II.06a/VPCP/KSTT" in line for line in lines)
    assert any("từ ngày 30/11/2026 đến ngày 02/12/2026" in line for line in lines)
    field = report.ii06a.rows[1]
    expected = " ".join(str(v) for v in report_ii06a.row_values(field))
    assert any(expected in line for line in lines), (expected, lines)
    assert any("Lê Văn Thống" in line for line in lines)

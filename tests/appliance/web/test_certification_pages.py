"""Chứng thực through the API and the pages: who may certify, clear 4xx errors, the lời chứng and the
Sổ chứng thực rendered to PDF (A4 landscape) and read back with pdftotext (golden lines)."""
from __future__ import annotations

import re
import subprocess

import pytest
from page_helpers import csrf

COPY = {"book": "BS", "requester_name": "nguyễn thị hoa", "document_name": "Bằng tốt nghiệp THPT", "pages": 3,
        "copies": 2, "certifier": "Lê Văn Nam", "certifier_title": "Phó Chủ tịch UBND xã"}
SIGN = {"book": "CK", "requester_name": "trần văn đức", "requester_id": "001088012345",
        "document_name": "Giấy ủy quyền", "signing": "ky"}


def pdf_text(data: bytes, layout: bool = False) -> str:
    assert data[:5] == b"%PDF-"
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True, timeout=30).stdout.decode("utf-8")


def page_size(data: bytes) -> str:
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True, timeout=30).stdout.decode()
    return re.search(r"Page size:\s+(.*)", out).group(1)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_officer_records_and_reads_lines(client, auth):
    officer = auth("officer")
    made = client.post("/api/v1/certifications", json=COPY, headers=officer)
    assert made.status_code == 201
    line = made.json
    assert (line["number"], line["volume_label"], line["fee"]) == (1, "01/2026-SCT/BS", 10000)
    assert client.post("/api/v1/certifications", json=SIGN, headers=officer).json["number"] == 1
    again = client.get(f"/api/v1/certifications/{line['id']}", headers=officer)
    assert again.status_code == 200 and again.json["number_line"] == "Số chứng thực: 1. Quyển số: 01/2026-SCT/BS."
    book = client.get("/api/v1/certifications?book=BS&from=2026-11-30&to=2026-11-30", headers=officer).json
    assert [e["number"] for e in book["items"]] == [1] and book["total_fee"] == 10000
    volume = client.post("/api/v1/certification-books/CK/next-volume", headers=officer)
    assert volume.status_code == 200 and volume.json["volume_label"] == "02/2026-SCT/CK"


def test_only_officers_certify(client, auth):
    for role in ("volunteer", "kiosk", "display"):
        assert client.post("/api/v1/certifications", json=COPY, headers=auth(role)).status_code == 403, role
    assert client.post("/api/v1/certifications", json=COPY).status_code == 401


def test_bad_input_is_a_clear_4xx(client, auth):
    officer = auth("officer")
    bad = client.post("/api/v1/certifications", json={**COPY, "pages": "ba"}, headers=officer)
    assert bad.status_code == 400
    assert bad.json["error"] == {"code": "cert_bad_number", "field": "pages",
                                 "message": "'Số trang' phải là số nguyên từ 1 đến 2000."}
    english = client.post("/api/v1/certifications?lang=en", json={**COPY, "book": "XX"},
                          headers={**officer, "Accept-Language": "en"})
    assert english.status_code == 400 and english.json["error"]["field"] == "book"
    assert client.get("/api/v1/certifications/77", headers=officer).status_code == 404
    assert client.get("/api/v1/certifications?from=2026-13-01", headers=officer).status_code == 400
    assert client.get("/api/v1/certifications?from=2026-12-02&to=2026-12-01", headers=officer).status_code == 400
    assert client.post("/api/v1/certification-books/HD/next-volume", headers=officer).status_code == 400


def test_the_page_records_a_line_and_shows_its_attestation(role_client):
    officer = role_client("officer")
    page = officer.get("/chung-thuc")
    assert page.status_code == 200 and "Ghi sổ và lấy số chứng thực" in page.get_data(as_text=True)
    token = csrf(officer, "/chung-thuc")
    done = officer.post("/chung-thuc", data={**{k: str(v) for k, v in COPY.items()}, "csrf_token": token})
    assert done.status_code == 303 and done.headers["Location"].endswith("/chung-thuc/1/loi-chung")
    attestation = officer.get("/chung-thuc/1/loi-chung").get_data(as_text=True)
    assert "Chứng thực bản sao đúng với bản chính." in attestation
    assert "Số chứng thực: 1. Quyển số: 01/2026-SCT/BS." in attestation
    listed = officer.get("/chung-thuc").get_data(as_text=True)
    assert "1/01/2026-SCT/BS" in listed and "NGUYỄN THỊ HOA" in listed


def test_the_page_shows_a_bad_field_in_vietnamese(role_client):
    officer = role_client("officer")
    token = csrf(officer, "/chung-thuc")
    page = officer.post("/chung-thuc", data={"book": "BS", "requester_name": "a", "document_name": "b",
                                             "csrf_token": token})
    assert page.status_code == 400 and "Bắt buộc nhập &#39;Số trang&#39;." in page.get_data(as_text=True)


def test_volunteers_do_not_see_the_books(role_client):
    volunteer = role_client("volunteer")
    assert volunteer.get("/chung-thuc").status_code == 403
    assert volunteer.get("/chung-thuc/so").status_code == 403


@pytest.mark.browser  # the PDF is rendered by headless Chromium
def test_attestation_pdf_golden_text(client, auth, role_client):
    client.post("/api/v1/certifications", json=SIGN, headers=auth("officer"))
    response = role_client("officer").get("/chung-thuc/1/loi-chung.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = squash(pdf_text(response.data))
    assert text.startswith("Ngày 30 tháng 11 năm 2026 (bằng chữ: ngày ba mươi tháng mười một năm hai nghìn "
                           "không trăm hai mươi sáu).")
    for block in ("Tại UBND xã", "Tôi, ………………, ………………. Chứng thực:",
                  "Ông/bà TRẦN VĂN ĐỨC, giấy tờ tùy thân số 001088012345, đã ký vào Giấy ủy quyền trước mặt tôi.",
                  "Số chứng thực: 1. Quyển số: 01/2026-SCT/CK.", "NGƯỜI THỰC HIỆN CHỨNG THỰC",
                  "(Ký, đóng dấu và ghi rõ họ tên)"):
        assert block in text, block
    assert "In (Ctrl+P)" not in text   # no toolbar on paper


@pytest.mark.browser  # the PDF is rendered by headless Chromium
def test_book_pdf_is_a4_landscape_with_every_line(client, auth, role_client):
    officer = auth("officer")
    for i in range(3):
        client.post("/api/v1/certifications", json={**COPY, "document_name": f"Giấy tờ số {i + 1}"}, headers=officer)
    response = role_client("officer").get("/chung-thuc/so.pdf?book=BS&from=30/11/2026&to=30/11/2026")
    assert response.status_code == 200
    width, height, name = re.fullmatch(r"([\d.]+) x ([\d.]+) pts \((\w+)\)", page_size(response.data)).groups()
    assert name == "A4" and float(width) > float(height)   # landscape
    text = squash(pdf_text(response.data))
    assert "SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH" in text
    assert "Quyển số: 01/2026-SCT/BS · Từ ngày 30/11/2026 đến ngày 30/11/2026" in text
    html = role_client("officer").get("/chung-thuc/so?book=BS&from=30/11/2026&to=30/11/2026").get_data(as_text=True)
    headers = re.findall(r"<th>([^<]+)</th>", html)
    assert headers == ["Số chứng thực", "Ngày, tháng, năm chứng thực", "Họ tên người yêu cầu chứng thực",
                       "Tên bản chính giấy tờ, văn bản", "Số trang", "Số bản sao đã chứng thực",
                       "Họ tên, chức danh người ký chứng thực", "Lệ phí", "Ghi chú"]
    for header in headers:   # every column header is on the paper (narrow columns wrap their words)
        assert all(word in text for word in header.split()), header
    rows = [line for line in pdf_text(response.data, layout=True).splitlines() if "Giấy tờ số" in line]
    assert len(rows) == 3 and all("NGUYỄN THỊ HOA" in r and "10.000" in r for r in rows)
    assert "Cộng: 3 mục" in text and "30.000" in text


def test_signature_book_has_its_own_columns(client, auth, role_client):
    client.post("/api/v1/certifications", json={**SIGN, "signing": "diem_chi"}, headers=auth("officer"))
    html = role_client("officer").get("/chung-thuc/so?book=CK").get_data(as_text=True)
    assert "SỔ CHỨNG THỰC CHỮ KÝ/CHỨNG THỰC ĐIỂM CHỈ" in html and "Số giấy tờ tùy thân" in html
    assert "001088012345" in html and "điểm chỉ" in html


def test_book_pages_refuse_bad_days(role_client):
    officer = role_client("officer")
    assert officer.get("/chung-thuc/so?from=32/12/2026").status_code == 400
    assert officer.get("/chung-thuc/so?from=02/12/2026&to=01/12/2026").status_code == 400
    assert officer.get("/chung-thuc/so?from=01/01/2025&to=01/06/2026").status_code == 400
    assert officer.get("/chung-thuc/so?book=XX").status_code == 400


def _dossier(client, headers, procedure: str, **values) -> str:
    import uuid
    from datetime import date

    from appliance.catalog.loader import load_catalog
    from appliance.domain.dossier_samples import sample_values
    typed = {**sample_values(load_catalog().get(procedure), date(2026, 11, 30)), **values}
    draft = str(uuid.uuid4())
    assert client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 2, "procedure": procedure, "values": typed},
                      headers=headers).json["errors"] == {}
    return client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=headers).json["code"]


def test_a_certification_dossier_prefills_its_line(client, auth, role_client):
    code = _dossier(client, auth("officer"), "2.000815", document_name="Học bạ THCS", pages="7", copies="3")
    officer = role_client("officer")
    detail = officer.get(f"/dossiers/{code}").get_data(as_text=True)
    assert f"/chung-thuc?dossier={code}" in detail
    page = officer.get(f"/chung-thuc?dossier={code}").get_data(as_text=True)
    assert 'value="Học bạ THCS"' in page and 'name="pages" type="number" min="1" max="2000" value="7"' in page
    assert 'name="copies" type="number" min="1" max="200" value="3"' in page and f'value="{code}"' in page
    assert 'value="BS" checked' in page
    signature = _dossier(client, auth("officer"), "2.000884", signing_method="diem_chi")
    page = officer.get(f"/chung-thuc?dossier={signature}").get_data(as_text=True)
    assert 'value="CK" checked' in page and '<option value="diem_chi" selected>' in page


def test_only_certification_dossiers_prefill(client, auth, role_client):
    birth = _dossier(client, auth("officer"), "1.001193")
    officer = role_client("officer")
    refused = officer.get(f"/chung-thuc?dossier={birth}")
    assert refused.status_code == 400
    assert f"Hồ sơ {birth} không phải thủ tục chứng thực." in refused.get_data(as_text=True)
    assert f"/chung-thuc?dossier={birth}" not in officer.get(f"/dossiers/{birth}").get_data(as_text=True)
    assert officer.get("/chung-thuc?dossier=000.00.00.H00-991231-0001").status_code == 404

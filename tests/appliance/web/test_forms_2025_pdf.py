"""The TT 03/2025 papers rendered to PDF (headless Chromium) and read back with pdftotext: each
paper's number, title and blocks (golden lines); the unit's name and the place come from the
settings; the province's code on Mẫu 01; Mẫu 04 and 05 from the extension, stop and withdrawal;
Mẫu 06 with the Quốc hiệu on one line; the three added columns of Mẫu 07; the declaration's own
pledge and footer; the new Luật Hộ tịch forms switching on 1/3/2027."""
from __future__ import annotations

import re
import subprocess
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values

CATALOG = load_catalog()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STATUS = "1.004873"       # 3 working days: it gets a Mẫu 01


# These render the paper to PDF with headless Chromium (the `browser` marker: the suite on another
# Debian release runs without Chromium and leaves them to the host).
PDF = pytest.mark.browser


@pytest.fixture
def settings(tmp_path: Path):
    from appliance import config
    return config.load(env={}, default_path=tmp_path / "none.toml", overrides={
        "storage": {"path": str(tmp_path / "motcua.db")}, "queue": {"pager_pool": 10},
        "office": {"name": "UBND xã Gia Lâm", "receipt_book_volume": 2}})


@pytest.fixture
def officer(auth):
    return auth("officer")


def pdf_text(data: bytes, layout: bool = False) -> str:
    assert data[:5] == b"%PDF-"
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


def squash(text: str) -> str:
    return " ".join(text.split())


def has(text: str, block: str) -> bool:
    """``block`` in the PDF's text, allowing a line break inside a hyphenated code (pdftotext
    drops the hyphen where Chromium broke the line)."""
    return block in text or block.replace("-", "") in text.replace("-", "")


def file_dossier(client, headers, appliance, procedure: str, **values) -> str:
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    draft = str(uuid.uuid4())
    typed = {**sample_values(CATALOG.get(procedure), today), **values}
    saved = client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 1, "procedure": procedure, "values": typed},
                       headers=headers)
    assert saved.status_code == 200 and saved.json["errors"] == {}, saved.json
    done = client.post(f"/api/v1/drafts/{draft}/submit", json={}, headers=headers)
    assert done.status_code == 201, done.get_data(as_text=True)
    return done.json["code"]


def printed(client, headers, code: str, form: str, layout: bool = False) -> str:
    response = client.get(f"/dossiers/{code}/print/{form}.pdf", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    text = pdf_text(response.data, layout)
    return text if layout else squash(text)


def act(client, headers, code, action, body):
    response = client.post(f"/api/v1/dossiers/{code}/{action}", json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)


@PDF
def test_mau01_unit_place_book_and_province_code(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    with appliance.db.write() as conn:   # the code the province's system issued (the law lane's field)
        conn.execute("UPDATE dossiers SET province_code = ? WHERE code = ?", ("H26.22-261130-0042", code))
    text = printed(client, officer, code, "mau-01")
    assert text.startswith("Mẫu số 01")
    # the unit's name wraps in the left column of the head
    for block in ("UBND XÃ GIA LÂM", "TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG XÃ",
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "Gia Lâm, ngày 30 tháng 11 năm 2026", f"Quyển số: 02/2026 · Số: {code.rsplit('-', 1)[1]}",
                  "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: H26.22-261130-0042",
                  f"Số tiếp nhận tại xã: {code}",
                  "Trung tâm Phục vụ hành chính công xã Gia Lâm tiếp nhận hồ sơ của:",
                  "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
                  "Vào Sổ theo dõi hồ sơ, Quyển số: 02/2026", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ",
                  "Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 01"):
        assert has(text, block), block
    assert "Bộ phận tiếp nhận" not in text


def test_mau01_without_a_province_code_shows_the_local_one(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    html = client.get(f"/dossiers/{code}/print/mau-01", headers=officer).get_data(as_text=True)
    assert f"Mã hồ sơ: <strong class=\"mono\">{code}</strong>" in html and "Số tiếp nhận tại xã" not in html


def test_the_unit_name_setting_is_printed(client, officer, appliance):
    appliance.apply_settings(appliance.settings.replace(office={"unit_name": "Trung tâm PVHCC xã Gia Lâm",
                                                                "place_name": "Hà Nội"}))
    code = file_dossier(client, officer, appliance, STATUS)
    html = client.get(f"/dossiers/{code}/print/mau-01", headers=officer).get_data(as_text=True)
    assert "Trung tâm PVHCC xã Gia Lâm tiếp nhận hồ sơ của:" in html and "Hà Nội, ngày 30 tháng 11 năm 2026" in html


@PDF
def test_mau04_apology_and_extension_request(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    act(client, officer, code, "extend", {"reason": "Phải xác minh tại xã nơi cư trú trước đây",
                                          "new_due_at": "07/12/2026"})
    text = printed(client, officer, code, "mau-04")
    assert text.startswith("Mẫu số 04")
    for block in ("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "Gia Lâm, ngày 30 tháng 11 năm 2026",
                  "Trung tâm Phục vụ hành chính công xã Gia Lâm tiếp nhận hồ sơ", f"mã hồ sơ {code}",
                  "Phải xác minh tại xã nơi cư trú trước đây", "thành thật xin lỗi ông/bà và đề nghị được gia hạn",
                  "thời gian trả kết quả mới là 17 giờ 00 phút, ngày 07 tháng 12 năm 2026", "THỦ TRƯỞNG CƠ QUAN",
                  "Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 04"):
        assert has(text, block), block


@PDF
def test_mau05_when_handling_stops(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    act(client, officer, code, "stop", {"reason": "Cơ quan có thẩm quyền yêu cầu tạm dừng để xác minh"})
    text = printed(client, officer, code, "mau-05")
    assert text.startswith("Mẫu số 05")
    for block in ("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "UBND xã Gia Lâm thông báo dừng giải quyết hồ sơ nêu trên. Lý do:",
                  "Cơ quan có thẩm quyền yêu cầu tạm dừng để xác minh",
                  "Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 05"):
        assert block in text, block


def test_mau05_when_the_citizen_withdraws(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    act(client, officer, code, "withdraw", {})
    detail = client.get(f"/dossiers/{code}", headers=officer).get_data(as_text=True)
    assert f"/dossiers/{code}/print/mau-05" in detail
    html = client.get(f"/dossiers/{code}/print/mau-05", headers=officer).get_data(as_text=True)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in html and "Theo đề nghị rút hồ sơ của ông/bà" in html


@PDF
def test_mau06_has_the_national_title_on_one_line(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    act(client, officer, code, "handover", {"to": "Công chức tư pháp - hộ tịch"})
    lines = [line.strip() for line in printed(client, officer, code, "mau-06", layout=True).splitlines()]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines          # alone on its line, across the page
    assert lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < lines.index("Độc lập - Tự do - Hạnh phúc")
    text = squash("\n".join(lines))
    for block in ("Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {code}",
                  "Trung tâm Phục vụ hành chính công xã Gia Lâm", "Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 06"):
        assert has(text, block), block
    html = client.get(f"/dossiers/{code}/print/mau-06", headers=officer).get_data(as_text=True)
    assert "Nhận: Công chức tư pháp - hộ tịch" in html and 'class="nation-wide"' in html


@PDF
def test_mau07_has_the_three_added_columns(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    act(client, officer, code, "handover", {"to": "Công chức tư pháp - hộ tịch"})
    html = client.get("/dossiers/logbook?from=30/11/2026&to=30/11/2026", headers=officer).get_data(as_text=True)
    headers = re.findall(r"<th>([^<]+)</th>", html)
    assert headers == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên người nộp",
                       "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ",
                       "Chuyển hồ sơ đến cơ quan giải quyết", "Hẹn trả kết quả", "Ngày có kết quả", "Trả kết quả",
                       "Ký nhận", "Ghi chú"]
    response = client.get("/dossiers/logbook.pdf?from=30/11/2026&to=30/11/2026", headers=officer)
    text = squash(pdf_text(response.data))
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 07" in text and code in text
    for header in headers:   # narrow columns wrap their words
        assert all(word in text for word in header.split()), header
    row = next(line for line in pdf_text(response.data, layout=True).splitlines() if code in line)
    assert " 01 " in row and "UBND" in row                        # count (bộ), lead agency (wrapped)
    first_row = re.search(r"<tr[^>]*><td class=\"center\">1</td>.*?</tr>", html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", first_row, re.S)
    assert cells[3] == "01" and cells[6] == "UBND xã Gia Lâm" and cells[7] == cells[8] == "08:00 30/11/2026"


@PDF
def test_declaration_prints_the_couples_pledge(client, officer, appliance):
    code = file_dossier(client, officer, appliance, "1.000894")
    text = printed(client, officer, code, "to-khai")
    assert "TỜ KHAI ĐĂNG KÝ KẾT HÔN" in text
    assert ("Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là tự nguyện, "
            "không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam.") in text
    assert "Mẫu TT04-2020" in text and "04/2024" not in text


@PDF
def test_marital_status_declaration_has_its_own_footer(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS, copies="2")
    text = printed(client, officer, code, "to-khai")
    assert "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN" in text
    assert "Đề nghị cấp 2 bản Giấy xác nhận tình trạng hôn nhân." in text
    assert "Đề nghị cấp bản sao trích lục" not in text
    assert "Ghi chú: Giấy xác nhận tình trạng hôn nhân có giá trị 6 tháng kể từ ngày cấp" in text


@PDF
@pytest.mark.parametrize("day, version", [((2027, 2, 26), "Mẫu TT04-2020"),
                                          ((2027, 3, 1), "Mẫu LHT-2027 (chờ xác nhận)")])
def test_the_declaration_switches_to_the_new_law_on_its_day(client, officer, appliance, clock, day, version):
    clock.now = datetime(*day, 9, 0, tzinfo=TZ).timestamp()
    code = file_dossier(client, officer, appliance, "1.001193")
    text = printed(client, officer, code, "to-khai")
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text and version in text


def test_the_admin_sees_what_is_still_to_confirm(admin_client):
    page = admin_client.get("/admin/catalog")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for item in ("Nghị định 335/2026/NĐ-CP", "Thông tư 04/2024/TT-BTP", "Mã lĩnh vực G05-HT",
                 "Mã TTHC quốc gia của thủ tục hưởng trợ cấp hưu trí xã hội", "G18-BTXH", "Bộ Y tế"):
        assert item in html, item
    versions = re.search(r'<table class="table" id="form-versions">.*?</table>', html, re.S).group(0)
    assert "LHT-2027" in versions and "01/03/2027" in versions and "Chưa xác nhận" in versions


def test_only_the_admin_opens_the_catalog_page(role_client):
    assert role_client("officer").get("/admin/catalog").status_code == 403


@PDF
def test_mau02_and_mau03_carry_the_unit_and_the_reason(client, officer, appliance):
    code = file_dossier(client, officer, appliance, STATUS)
    act(client, officer, code, "supplement", {"reason": "Thiếu bản sao trích lục khai tử của người vợ trước"})
    text = printed(client, officer, code, "mau-02")
    assert text.startswith("Mẫu số 02")
    for block in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Gia Lâm, ngày 30 tháng 11 năm 2026",
                  "Thiếu bản sao trích lục khai tử của người vợ trước",
                  "liên hệ Trung tâm Phục vụ hành chính công xã Gia Lâm để được hướng dẫn", "NGƯỜI HƯỚNG DẪN",
                  "Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 02"):
        assert has(text, block), block
    act(client, officer, code, "processing", {})
    act(client, officer, code, "refuse", {"reason": "Không thuộc thẩm quyền giải quyết của xã"})
    text = printed(client, officer, code, "mau-03")
    assert text.startswith("Mẫu số 03")
    for block in ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                  "Trung tâm Phục vụ hành chính công xã Gia Lâm tiếp nhận hồ sơ của:",
                  "Không thuộc thẩm quyền giải quyết của xã", "Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu số 03"):
        assert has(text, block), block
    assert "Bộ phận tiếp nhận" not in text

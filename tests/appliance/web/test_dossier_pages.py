"""Dossier pages over the Flask test client and the real JSON API: form generation from the
catalog, the list (search, filters, countdown, highlighting), print views, the mirror's access
rules, and the pure helpers behind them."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from html import unescape

import pytest

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_form import widget
from appliance.domain.dossier_samples import sample_values

CATALOG = load_catalog()
KHAI_SINH = "1.001193"
KET_HON = "1.000894"


@pytest.fixture
def officer(auth):
    return auth("officer")


@pytest.fixture
def today(appliance):
    return datetime.fromtimestamp(appliance.clock(), appliance.tz).date()


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def file_dossier(client, headers, procedure: str, values: dict, counter: int = 1, **submit) -> dict:
    draft = str(uuid.uuid4())
    saved = client.put(f"/api/v1/drafts/{draft}", json={"counter_id": counter, "procedure": procedure,
                                                         "values": values}, headers=headers)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.json["errors"] == {}, saved.json["errors"]
    done = client.post(f"/api/v1/drafts/{draft}/submit", json=submit, headers=headers)
    assert done.status_code == 201, done.get_data(as_text=True)
    return done.json


# --- form entry --------------------------------------------------------------------------

@pytest.mark.parametrize("code", list(CATALOG.procedures))
def test_every_procedure_gets_a_form_with_every_field(client, officer, code):
    procedure = CATALOG.get(code)
    page = client.get(f"/dossiers/new?procedure={code}&counter=1", headers=officer)
    assert page.status_code == 200
    html = text_of(page)
    assert procedure.name in html
    for spec in procedure.fields:
        tag = "output" if spec.generated else ("select" if widget(spec).kind == "select" else "input")
        assert re.search(rf'<{tag}[^>]*id="f-{spec.name}"', html), spec.name
        assert f'id="msg-{spec.name}"' in html            # the place for its Vietnamese message
    assert "/static/js/dossier_form.js" in html


def test_autocomplete_lists_and_defaults(client, officer):
    html = text_of(client.get(f"/dossiers/new?procedure={KHAI_SINH}&counter=1", headers=officer))
    ethnic = re.search(r'<datalist id="dl-ethnic_groups">(.*?)</datalist>', html, re.S).group(1)
    assert ethnic.count("<option") == 54 and 'value="Mường"' in ethnic and 'value="Ê Đê"' in ethnic
    nationalities = re.search(r'<datalist id="dl-nationalities">(.*?)</datalist>', html, re.S).group(1)
    assert 'value="Việt Nam"' in nationalities
    places = re.search(r'<datalist id="dl-places">(.*?)</datalist>', html, re.S).group(1)
    assert 'value="Thành phố Hà Nội"' in places and "Phường Hoàn Kiếm, Thành phố Hà Nội" in places
    assert re.search(r'id="f-child_ethnicity"[^>]*value="Kinh"|value="Kinh"[^>]*list="dl-ethnic_groups"', html) \
        or 'name="child_ethnicity" value="Kinh"' in html
    assert re.search(r'id="f-child_nationality" name="child_nationality" value="Việt Nam"', html)
    assert re.search(r'id="f-child_birth_place"[^>]*list="dl-places"', html)
    assert 'placeholder="ngày/tháng/năm"' in html and "12/3/1988" in html


def test_procedure_picker_and_unknown_procedure(client, officer):
    html = text_of(client.get("/dossiers/new?counter=2", headers=officer))
    for procedure in CATALOG.procedures.values():
        assert procedure.name in html
    picker = client.get("/dossiers/new?counter=2", headers=officer).get_data(as_text=True)
    assert "procedure=1.001193&amp;counter=2" in picker
    missing = client.get("/dossiers/new?procedure=9.999999", headers=officer)
    assert missing.status_code == 404
    assert "Không có thủ tục mã '9.999999'" in text_of(missing)


def test_pages_need_a_login_and_a_staff_role(client, auth):
    anonymous = client.get("/dossiers")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client.get("/dossiers", headers=auth("kiosk")).status_code == 403
    assert client.get("/dossiers", headers=auth("volunteer")).status_code == 200


def test_form_shows_english_on_request(client, officer):
    html = text_of(client.get(f"/dossiers/new?procedure={KHAI_SINH}&counter=1&lang=en", headers=officer))
    assert "Receive dossier" in html and "Date of birth" in html


# --- the list ------------------------------------------------------------------------------

def test_list_searches_by_code_name_phone_and_personal_number(client, officer, today):
    birth = sample_values(CATALOG.get(KHAI_SINH), today)
    birth.update(requester_name="lê thị thu hằng", requester_phone="0987 654 321",
                 requester_id_number="001191012345", requester_id_type="cccd")
    first = file_dossier(client, officer, KHAI_SINH, birth)
    marriage = sample_values(CATALOG.get(KET_HON), today)
    second = file_dossier(client, officer, KET_HON, marriage)

    def codes(query: str) -> list[str]:
        html = client.get("/dossiers?" + query, headers=officer).get_data(as_text=True)
        return re.findall(r'<tr class="[a-z]+" data-code="([^"]+)"', html)

    assert codes("q=le+thi+thu+hang") == [first["code"]]          # no diacritics needed
    assert codes("q=0987.654.321") == [first["code"]]
    assert codes("q=001191012345") == [first["code"]]
    assert codes("q=" + second["code"]) == [second["code"]]
    assert codes(f"procedure={KET_HON}") == [second["code"]]
    assert set(codes("state=received")) == {first["code"], second["code"]}
    assert codes("state=ready") == []
    page = text_of(client.get("/dossiers?q=khong-co-ai-ten-nay", headers=officer))
    assert "Không có hồ sơ nào phù hợp." in page


def test_list_counts_down_in_working_time_and_highlights(client, officer, appliance, clock, today):
    values = sample_values(CATALOG.get("1.004873"), today)       # 3 working days
    dossier = file_dossier(client, officer, "1.004873", values)

    def row() -> str:
        html = text_of(client.get("/dossiers", headers=officer))
        return re.search(rf'<tr class="([a-z]+)" data-code="{re.escape(dossier["code"])}">(.*?)</tr>', html, re.S)

    found = row()
    assert found.group(1) == "ok"
    assert "còn 3 ngày" in found.group(2)
    assert 'data-left="' in found.group(2) and 'data-soon="' in found.group(2)
    clock.advance(2 * 86400 + 8 * 3600)          # Wednesday 16:00; due Thursday 08:00: 1 h 30 min left
    found = row()
    assert found.group(1) == "soon" and "còn 1 giờ 30 phút" in found.group(2)
    clock.advance(17 * 3600)                                       # Thursday 09:00: one hour late
    found = row()
    assert found.group(1) == "overdue" and "quá hạn 1 giờ" in found.group(2)
    overdue_only = text_of(client.get("/dossiers?overdue=1", headers=officer))
    assert dossier["code"] in overdue_only
    partial = client.get("/dossiers?partial=1", headers=officer).get_data(as_text=True)
    assert partial.lstrip().startswith("<tr") and dossier["code"] in partial


# --- a dossier and its papers --------------------------------------------------------------

def test_detail_page_shows_values_actions_and_papers(client, officer, today):
    values = sample_values(CATALOG.get(KHAI_SINH), today)
    values["child_name"] = "đinh thị ngọc ánh"
    dossier = file_dossier(client, officer, KHAI_SINH, values, pager="auto")
    html = text_of(client.get(f"/dossiers/{dossier['code']}?received=1", headers=officer))
    assert "ĐINH THỊ NGỌC ÁNH" in html
    assert f"thẻ rung số {dossier['pager']}" in html
    assert 'data-action="ready"' in html and 'data-action="refuse"' in html
    assert f"/dossiers/{dossier['code']}/print/to-khai" in html and "to-khai.pdf" in html
    assert "Quá trình giải quyết (Mẫu 06)" in html and "Người nộp hồ sơ" in html
    missing = client.get("/dossiers/000.00.00.H00-991231-0001", headers=officer)
    assert missing.status_code == 404 and "Không có hồ sơ mã 000.00.00.H00-991231-0001" in text_of(missing)


def test_declaration_is_laid_out_like_the_form(client, officer, today):
    values = sample_values(CATALOG.get(KET_HON), today)
    values.update(bride_name="hoàng thị mỹ duyên", groom_name="đặng văn lực", bride_dob="5/9/1995",
                  place="UBND xã Dương Xá")
    dossier = file_dossier(client, officer, KET_HON, values)
    html = text_of(client.get(f"/dossiers/{dossier['code']}/print/to-khai", headers=officer))
    assert "TỜ KHAI ĐĂNG KÝ KẾT HÔN" in html and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Kính gửi: UBND xã Gia Lâm" in html
    pair = re.search(r'<table class="pair">.*?</table>', html, re.S).group(0)   # bride | groom side by side
    assert "Bên nữ" in pair and "Bên nam" in pair
    assert re.search(r"HOÀNG THỊ MỸ DUYÊN</td><td class=\"value\">ĐẶNG VĂN LỰC", pair)
    assert "05/09/1995" in pair
    assert "Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là tự nguyện" in html
    assert "Tôi cam đoan" not in html                                 # the couple's own pledge
    assert html.count('class="sign-space"') == 2                    # both sign on paper
    assert "css/print.css" in html and 'onclick="window.print()"' in html


def test_one_stop_forms_follow_the_dossier(client, officer, today):
    values = sample_values(CATALOG.get(KHAI_SINH), today)
    same_day = file_dossier(client, officer, KHAI_SINH, values)
    code = same_day["code"]
    refused = client.get(f"/dossiers/{code}/print/mau-01", headers=officer)
    assert refused.status_code == 409 and "không giấy hẹn" in text_of(refused)
    for form in ("mau-02", "mau-03", "mau-04", "phieu-xin-loi", "mau-05"):
        assert client.get(f"/dossiers/{code}/print/{form}", headers=officer).status_code == 409

    three_days = file_dossier(client, officer, "1.004873", sample_values(CATALOG.get("1.004873"), today))
    code = three_days["code"]
    receipt = text_of(client.get(f"/dossiers/{code}/print/mau-01", headers=officer))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt and code in receipt
    assert "3 ngày làm việc" in receipt and "Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 30 tháng 11 năm 2026" in receipt
    assert "NGƯỜI NỘP HỒ SƠ" in receipt

    act = lambda action, body: client.post(f"/api/v1/dossiers/{code}/{action}", json=body, headers=officer)  # noqa: E731
    assert act("supplement", {"reason": "Thiếu bản sao giấy chứng tử của người chồng trước"}).status_code == 200
    mau02 = text_of(client.get(f"/dossiers/{code}/print/mau-02", headers=officer))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in mau02 and "giấy chứng tử của người chồng trước" in mau02
    assert act("processing", {}).status_code == 200
    overdue = {"reason": "Phải xác minh tại xã nơi cư trú trước", "new_due_at": "04/12/2026"}
    assert act("overdue", overdue).status_code == 200
    apology = text_of(client.get(f"/dossiers/{code}/print/mau-04", headers=officer))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in apology and "xác minh tại xã" in apology
    former = text_of(client.get(f"/dossiers/{code}/print/phieu-xin-loi", headers=officer))   # its former name
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in former and "xác minh tại xã" in former
    assert "17 giờ 00 phút, ngày 04 tháng 12 năm 2026" in apology
    assert act("handover", {"to": "Công chức tư pháp - hộ tịch"}).status_code == 200
    assert act("refuse", {"reason": "Người yêu cầu không thuộc thẩm quyền giải quyết của xã"}).status_code == 200
    mau03 = text_of(client.get(f"/dossiers/{code}/print/mau-03", headers=officer))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in mau03 and "không thuộc thẩm quyền" in mau03
    mau06 = text_of(client.get(f"/dossiers/{code}/print/mau-06", headers=officer))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in mau06
    assert "Công chức tư pháp - hộ tịch" in mau06 and mau06.count("Người giao") == 6
    assert client.get(f"/dossiers/{code}/print/mau-99", headers=officer).status_code == 404


def test_logbook_lists_the_days_dossiers(client, officer, clock, today):
    first = file_dossier(client, officer, KHAI_SINH, sample_values(CATALOG.get(KHAI_SINH), today))
    clock.advance(86400)
    second = file_dossier(client, officer, "2.000815", sample_values(CATALOG.get("2.000815"), today))
    book = text_of(client.get("/dossiers/logbook?from=1/12/2026&to=1/12/2026", headers=officer))
    assert "SỔ THEO DÕI HỒ SƠ" in book and "Mẫu số 07" in book
    assert second["code"] in book and first["code"] not in book
    both = text_of(client.get("/dossiers/logbook?from=30/11/2026&to=2026-12-01", headers=officer))
    assert both.index(first["code"]) < both.index(second["code"])       # oldest first
    assert "Thôn Đông Xá, xã Dương Xá" in both and 'class="sign-cell"' in both
    bad = client.get("/dossiers/logbook?from=31/2/2026", headers=officer)
    assert bad.status_code == 400 and "không có thật" in text_of(bad)
    backwards = client.get("/dossiers/logbook?from=2/12/2026&to=1/12/2026", headers=officer)
    assert backwards.status_code == 400 and "phải sau hoặc bằng" in text_of(backwards)


def test_pages_write_views_to_the_audit_log_as_their_user(client, auth, appliance, today):
    dossier = file_dossier(client, auth("officer"), KHAI_SINH, sample_values(CATALOG.get(KHAI_SINH), today))
    code = dossier["code"]
    assert client.get(f"/dossiers/{code}", headers=auth("volunteer")).status_code == 200
    assert client.get(f"/dossiers/{code}/print/mau-06", headers=auth("admin")).status_code == 200
    assert client.get(f"/dossiers?q={code}", headers=auth("volunteer")).status_code == 200
    log = [(e["user"], e["action"]) for e in appliance.dossiers.audit_log(code)]
    assert log == [("test-officer", "dossier.create"), ("test-volunteer", "dossier.view"),
                   ("test-admin", "dossier.view")]
    lists = appliance.db.conn().execute("SELECT user_login, detail FROM audit_log WHERE action = 'dossier.list'"
                                        " ORDER BY id").fetchall()
    assert lists[-1]["user_login"] == "test-volunteer" and "mã hồ sơ" in lists[-1]["detail"]


def test_logbook_asks_the_service_for_its_days_and_caps_the_rows():
    from appliance.web.dossiers import logbook
    asked = []

    def search(**query):
        asked.append(query)
        offset, limit = query["offset"], query["limit"]
        codes = range(offset, min(offset + limit, 1003))           # 1003 dossiers in those days
        return {"items": [{"code": f"C{n:04d}", "received_at": f"2026-12-01T08:{n % 60:02d}:00+07:00"}
                          for n in codes]}

    entries, truncated = logbook.logbook_entries(search, lambda code: {"values": {}}, date(2026, 11, 30),
                                                 date(2026, 12, 1), None)
    assert truncated and len(entries) == logbook.LOGBOOK_MAX_ROWS
    assert {(q["received_from"], q["received_to"]) for q in asked} == {(date(2026, 11, 30), date(2026, 12, 1))}
    assert [q["offset"] for q in asked] == [0, 200, 400, 600, 800, 1000]
    entries, truncated = logbook.logbook_entries(lambda **q: {"items": []}, None, date(2026, 12, 1),
                                                 date(2026, 12, 1), None)
    assert entries == [] and truncated is False


# --- the citizen mirror ----------------------------------------------------------------------

def mirror_token(appliance, counter_id: int = 1) -> str:
    from appliance.services import accounts
    with appliance.units() as tx:
        return accounts.add_token(tx, f"quay-{counter_id}-{uuid.uuid4().hex[:6]}", "mirror",
                                  counter_id=counter_id)


def test_mirror_access(client, auth, tokens, appliance):
    assert client.get("/mirror/1").status_code == 401
    assert 'id="pairing-code"' in text_of(client.get("/mirror/1"))  # a citizen screen pairs like any other
    assert client.get("/mirror/1", headers=auth("kiosk")).status_code == 403
    assert client.get("/mirror/1", headers=auth("display")).status_code == 403
    enrolled = client.get(f"/mirror/1?token={mirror_token(appliance)}")
    assert enrolled.status_code == 302 and "token=" not in enrolled.headers["Location"]
    page = client.get("/mirror/1")                                   # the device cookie now
    assert page.status_code == 200
    html = text_of(page)
    assert 'data-events="/api/v1/mirror/1/events"' in html and "/static/js/mirror.js" in html
    layout = re.search(r'<script id="mirror-layout" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert '"child_name"' in layout and "Họ, chữ đệm, tên" in layout
    assert client.get("/mirror/99", headers=auth("officer")).status_code == 404


def test_mirror_page_carries_no_personal_data(client, officer, today, appliance):
    values = sample_values(CATALOG.get(KHAI_SINH), today)
    values["requester_name"] = "trịnh văn bí mật"
    draft = str(uuid.uuid4())
    client.put(f"/api/v1/drafts/{draft}", json={"counter_id": 1, "procedure": KHAI_SINH, "values": values},
               headers=officer)
    html = text_of(client.get("/mirror/1", headers={"Authorization": "Bearer " + mirror_token(appliance)}))
    assert "TRỊNH VĂN BÍ MẬT" not in html.upper()                  # values arrive only over the counter's stream


def test_detail_page_shows_both_deadlines_and_records_the_province_code(client, officer, appliance, clock, today):
    clock.advance(86400)                                                  # Tuesday 08:00: a model day
    dossier = file_dossier(client, officer, KHAI_SINH, sample_values(CATALOG.get(KHAI_SINH), today))
    page = text_of(client.get(f"/dossiers/{dossier['code']}", headers=officer))
    assert re.search(r'class="legal-due">17:00 01/12/2026', page)
    assert re.search(r'class="target-due">10:00 01/12/2026 · còn 2 giờ', page)
    assert "số nội bộ" in page and 'name="province_code"' in page
    assert 'data-path="stop"' in page and 'data-path="withdraw"' in page and 'data-path="extend"' in page
    r = client.put(f"/api/v1/dossiers/{dossier['code']}/province-code", headers=officer,
                   json={"province_code": "abc"})
    assert r.status_code == 422 and "province_code" in r.get_json()["error"]["errors"]
    r = client.put(f"/api/v1/dossiers/{dossier['code']}/province-code", headers=officer,
                   json={"province_code": "000.00.06.H56-261201-0003\n"})
    assert r.status_code == 200 and r.get_json()["province_code"] == "000.00.06.H56-261201-0003"
    clock.advance(3 * 3600)                                               # 11:00: target passed, not late
    page = text_of(client.get(f"/dossiers/{dossier['code']}", headers=officer))
    assert re.search(r'class="province-code">000.00.06.H56-261201-0003', page) and "số nội bộ" not in page
    assert "quá mục tiêu 1 giờ" in page and "quá hạn" not in page


def test_an_extension_prints_the_apology_and_extension_paper(client, officer, appliance, today):
    dossier = file_dossier(client, officer, "1.004873", sample_values(CATALOG.get("1.004873"), today))
    r = client.post(f"/api/v1/dossiers/{dossier['code']}/extend", headers=officer,
                    json={"reason": "Phải xác minh tại xã nơi cư trú trước", "new_due_at": "08/12/2026"})
    assert r.status_code == 200, r.get_json()
    page = text_of(client.get(f"/dossiers/{dossier['code']}", headers=officer))
    assert "print/mau-04" in page
    paper = text_of(client.get(f"/dossiers/{dossier['code']}/print/mau-04", headers=officer))
    assert "xác minh tại xã" in paper and "ngày 08 tháng 12 năm 2026" in paper


def test_the_list_shows_the_2_hour_target_beside_the_legal_due_time(client, officer, clock, today):
    clock.advance(86400)                                                  # Tuesday 08:00: a model day
    dossier = file_dossier(client, officer, KHAI_SINH, sample_values(CATALOG.get(KHAI_SINH), today))
    html = text_of(client.get("/dossiers", headers=officer))
    row = re.search(rf'<tr class="([a-z_]+)" data-code="{re.escape(dossier["code"])}">(.*?)</tr>', html, re.S)
    assert "17:00 01/12/2026" in row.group(2)                             # the legal due time
    assert "Mục tiêu 2 giờ: 10:00 01/12/2026, còn 2 giờ" in row.group(2)
    clock.advance(3 * 3600)                                               # 11:00: target missed, not late
    html = text_of(client.get("/dossiers", headers=officer))
    row = re.search(rf'<tr class="([a-z_]+)" data-code="{re.escape(dossier["code"])}">(.*?)</tr>', html, re.S)
    assert row.group(1) != "overdue" and "quá mục tiêu 1 giờ" in row.group(2) and "quá hạn" not in row.group(2)

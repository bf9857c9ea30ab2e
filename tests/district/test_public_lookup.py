"""The public dossier lookup shows state and due date only: no name, personal number or phone."""
from __future__ import annotations

from tests.district import report_fixture as fx
from tests.district.conftest import batch, post_batch

PERSONAL = ("NGUYỄN VĂN BÍ MẬT", "001099012345", "0912345678", "can_bo_lan", "1.001193", "Khai sinh")


def load(hub_client, enrol):
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    events = batch("xa-duong-xa", fx.as_events(), fx.at(12, 5))
    assert post_batch(hub_client, "xa-duong-xa", token, events).status_code == 200


def test_api_answers_state_and_due_date_only(hub_client, enrol):
    load(hub_client, enrol)
    r = hub_client.get(f"/api/v1/dossiers/{fx.code(6)}/status")
    assert r.status_code == 200
    assert r.json == {"code": fx.code(6), "state": "processing", "state_label": "Đang giải quyết",
                      "due_at": "2025-12-03T09:00:00+07:00"}
    assert r.headers["Cache-Control"] == "no-store"
    text = r.get_data(as_text=True)
    assert not any(p in text for p in PERSONAL)


def test_page_shows_no_personal_data(hub_client, enrol):
    load(hub_client, enrol)
    r = hub_client.get(f"/tra-cuu?ma={fx.code(5)}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Đã trả kết quả" in html and "17/11/2025 09:00" in html
    assert not any(p in html for p in PERSONAL)


def test_unknown_and_malformed_codes(hub_client, enrol):
    load(hub_client, enrol)
    r = hub_client.get("/api/v1/dossiers/000.00.06.H56-999999-0001/status")
    assert r.status_code == 404 and "Không tìm thấy hồ sơ" in r.json["error"]["message"]
    assert hub_client.get("/api/v1/dossiers/x'%3B--/status").status_code == 400
    page = hub_client.get("/tra-cuu?ma=000.00.06.H56-999999-0001")
    assert page.status_code == 404 and "Không tìm thấy hồ sơ" in page.get_data(as_text=True)

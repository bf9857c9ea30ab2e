"""Services and counters from the admin pages: saved, audited, and a mistake shown next to its
field with everything that was typed kept."""
from __future__ import annotations

import re

from page_helpers import audit_rows, post_form, text

from appliance.store import office_store

SERVICE = {"code": "dd", "name": "Đất đai", "name_en": "Land", "prefix": "d", "range_start": "1",
           "range_end": "500", "sort": "4", "active": "y"}


def field_block(body: str, name: str) -> str:
    """The HTML of one field's wrapper (label, input, messages)."""
    match = re.search(r'<div class="field[^"]*">\s*<label for="' + name + r'".*?</div>', body, re.S)
    assert match, f"no field {name}"
    return match.group(0)


def test_a_new_service_is_saved_and_audited(admin_client, appliance):
    response = post_form(admin_client, "/admin/services", SERVICE)
    assert response.status_code == 302
    row = next(r for r in office_store.list_services(appliance.db.conn()) if r["code"] == "DD")
    assert (row["name"], row["prefix"], row["range_end"], row["sort"], row["active"]) == ("Đất đai", "D", 500, 4, 1)
    [entry] = audit_rows(appliance, "service.create")
    assert entry["user_login"] == "quantri" and entry["object"] == "service:DD"
    assert "Đã lưu lĩnh vực DD" in text(admin_client.get("/admin/services"))


def test_editing_a_service_keeps_its_code_and_can_pause_it(admin_client, appliance):
    page = text(admin_client.get("/admin/services?edit=HT"))
    assert 'value="HT"' in page and "readonly" in page and 'value="Hộ tịch"' in page
    data = {"code": "HT", "name": "Hộ tịch – Chứng thực", "prefix": "A", "range_start": "1", "range_end": "999",
            "sort": "1"}  # no "active": the box was unticked
    assert post_form(admin_client, "/admin/services", data, page="/admin/services?edit=HT").status_code == 302
    row = next(r for r in office_store.list_services(appliance.db.conn()) if r["code"] == "HT")
    assert row["name"] == "Hộ tịch – Chứng thực" and row["active"] == 0
    assert audit_rows(appliance, "service.update")[0]["detail"].endswith("tạm ngừng")


def test_a_wrong_number_range_is_shown_next_to_its_field_and_nothing_is_lost(admin_client, appliance):
    data = dict(SERVICE, range_start="600", range_end="12a")
    response = post_form(admin_client, "/admin/services", data)
    assert response.status_code == 400
    body = text(response)
    block = field_block(body, "range_end")
    assert "“12a” không phải số nguyên" in block and 'value="12a"' in block and 'aria-invalid="true"' in block
    assert 'value="Đất đai"' in body and 'value="Land"' in body and 'value="600"' in body
    assert not any(r["code"] == "DD" for r in office_store.list_services(appliance.db.conn()))
    response = post_form(admin_client, "/admin/services", dict(SERVICE, range_start="600", range_end="500"))
    assert "Số cuối phải lớn hơn số đầu." in field_block(text(response), "range_end")


def test_a_bad_code_and_a_missing_name_are_both_reported(admin_client):
    response = post_form(admin_client, "/admin/services", dict(SERVICE, code="Đ Đ", name=""))
    body = text(response)
    assert response.status_code == 400
    assert "Mã gồm 1–8 chữ cái không dấu" in field_block(body, "code")
    assert "Hãy nhập tên lĩnh vực" in field_block(body, "name")


def test_a_counter_is_created_with_its_services(admin_client, appliance):
    data = {"number": "4", "name": "Quầy 4 – Đất đai", "services": ["HT", "CT"], "active": "y"}
    assert post_form(admin_client, "/admin/counters", data).status_code == 302
    counter = next(c for c in office_store.list_counters(appliance.db.conn()) if c["id"] == 4)
    assert counter == {"id": 4, "name": "Quầy 4 – Đất đai", "name_en": "", "active": True, "state": "open",
                       "services": ["HT", "CT"]}
    assert audit_rows(appliance, "counter.create")[0]["object"] == "counter:4"


def test_a_counter_without_services_or_number_keeps_what_was_typed(admin_client, appliance):
    response = post_form(admin_client, "/admin/counters", {"number": "120", "name": "Quầy thử"})
    body = text(response)
    assert response.status_code == 400
    assert "Số phải từ 1 đến 99." in field_block(body, "number")
    assert "Hãy chọn ít nhất một lĩnh vực" in body and 'value="Quầy thử"' in body
    response = post_form(admin_client, "/admin/counters", {"number": "5", "name": "Quầy 5", "services": ["CT"]})
    assert response.status_code == 302
    page = text(admin_client.get("/admin/counters?edit=5"))
    assert re.search(r'value="CT" checked', page) and not re.search(r'value="HT" checked', page)


def test_an_unused_counter_is_deleted_and_a_used_one_is_refused(admin_client, appliance):
    post_form(admin_client, "/admin/counters", {"number": "7", "name": "Quầy 7", "services": ["HT"]})
    response = post_form(admin_client, "/admin/counters/7/delete", page="/admin/counters")
    assert response.status_code == 302
    assert all(c["id"] != 7 for c in office_store.list_counters(appliance.db.conn()))
    assert audit_rows(appliance, "counter.delete")[0]["object"] == "counter:7"
    appliance.engine.call_next(1)  # counter 1 has served a ticket now
    response = post_form(admin_client, "/admin/counters/1/delete", page="/admin/counters", follow_redirects=True)
    assert "Không xóa được quầy số 1" in text(response) and "đóng quầy" in text(response)
    assert any(c["id"] == 1 for c in office_store.list_counters(appliance.db.conn()))

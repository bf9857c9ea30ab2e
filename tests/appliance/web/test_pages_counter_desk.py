"""The console's own-counter controls as plain forms (no JavaScript) and as fetches: open, "Tạm
nghỉ", close, the G button refusing on a paused desk, and the undo bar after V / G / X."""
from __future__ import annotations

import re

import pytest
from test_pages_counter import FETCH, act, current, log_in

from appliance.store import counter_store


@pytest.fixture
def officer(client, appliance):
    with appliance.db.write() as w:
        w.execute("UPDATE tickets SET state = 'done' WHERE state != 'done'")
    log_in(client, appliance, "canbo1")
    return client


def page(client, counter=1) -> str:
    return client.get(f"/counter/{counter}").get_data(as_text=True)


def test_pause_then_open_as_plain_forms(officer, appliance):
    appliance.engine.issue("HT")
    html = page(officer)
    assert 'data-desk-state="open"' in html and 'data-action="pause"' in html and 'data-key="N"' in html
    r = act(officer, "pause")
    assert r.status_code == 302
    html = page(officer)
    assert 'data-desk-state="paused"' in html and "Tạm nghỉ" in html and "Nguyễn Thị Hoa" in html
    assert 'data-action="open"' in html and "data-desk-notice" in html
    call_button = html.split('data-action="call"', 1)[1].split(">", 1)[0]
    assert "disabled" in call_button and "tạm nghỉ" in call_button
    r = act(officer, "call", fetch=True)
    assert r.status_code == 409 and "tạm nghỉ" in r.get_data(as_text=True)
    assert current(appliance) is None
    r = act(officer, "open", fetch=True)
    assert r.status_code == 200 and 'data-desk-state="open"' in r.get_data(as_text=True)
    assert act(officer, "call", fetch=True).status_code == 200 and current(appliance) is not None


def test_close_refused_with_a_citizen_at_the_desk_then_accepted(officer, appliance):
    appliance.engine.issue("HT")
    act(officer, "call")
    r = act(officer, "close", fetch=True)
    assert r.status_code == 409 and "còn ở quầy" in r.get_data(as_text=True)
    act(officer, "done")
    r = act(officer, "close", fetch=True)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and 'data-desk-state="closed"' in text and "Đã đóng quầy." in text
    assert 'data-confirm="Đóng quầy' not in text   # no close button on a closed desk


def test_open_refused_to_an_officer_not_assigned(client, appliance):
    with appliance.units() as tx:   # the demo assigns canbo2 to counter 2
        counter_store.set_state(tx.conn, 2, "closed", 0, None)
    log_in(client, appliance, "canbo1")
    html = page(client, 2)
    assert "Trần Văn Minh" in html
    open_button = html.split('data-action="open"', 1)[1].split(">", 1)[0]
    assert "disabled" in open_button
    r = act(client, "open", counter=2, fetch=True)
    assert r.status_code == 403 and "chưa được phân công" in r.get_data(as_text=True)


def test_undo_bar_after_absent_and_its_form(officer, appliance):
    appliance.engine.issue("HT")
    act(officer, "call")
    number = current(appliance)[1]
    r = act(officer, "no-show", fetch=True)
    text = r.get_data(as_text=True)
    assert "data-undo " in text and f"Nhầm? Hoàn tác để số {number} quay lại quầy." in text and 'data-key="Z"' in text
    token = text.split('name="token" value="', 1)[1].split('"', 1)[0]
    r = act(officer, "undo", token=token)
    assert r.status_code == 302 and current(appliance)[1:] == (number, "called")
    assert "data-undo " not in page(officer)
    r = act(officer, "undo", fetch=True, token=token)
    assert r.status_code == 409 and "không có thao tác nào để hoàn tác" in r.get_data(as_text=True)


def test_undo_of_g_as_a_fetch(officer, appliance):
    appliance.engine.issue("HT")
    appliance.engine.issue("HT")
    act(officer, "call")
    act(officer, "serve")
    first = current(appliance)
    text = act(officer, "call", fetch=True).get_data(as_text=True)
    second = current(appliance)
    assert f"Hoàn tác để số {first[1]} quay lại quầy và số {second[1]} trở lại hàng chờ." in text
    token = text.split('name="token" value="', 1)[1].split('"', 1)[0]
    r = act(officer, "undo", fetch=True, token=token)
    assert r.status_code == 200 and current(appliance) == (first[0], first[1], "serving")
    assert f"số {second[1]} trở lại hàng chờ" in r.get_data(as_text=True)


def test_english_console_words(officer, appliance):
    act(officer, "pause")
    html = officer.get("/counter/1?lang=en").get_data(as_text=True)
    assert "On a break" in html and "Open counter" in html
    assert FETCH


def test_admin_assigns_officers_and_the_home_page_offers_them_their_counter(admin_client, client, appliance):
    from page_helpers import audit_rows, post_form, text
    r = post_form(admin_client, "/admin/counters", {"number": "2", "name": "Quầy 2 – Chứng thực, Hộ tịch",
                                                    "services": ["CT", "HT"], "officers": ["canbo1"], "active": "y"},
                  page="/admin/counters?edit=2")
    assert r.status_code == 302
    page_ = text(admin_client.get("/admin/counters"))
    assert "Nguyễn Thị Hoa (canbo1)" in page_
    edit = text(admin_client.get("/admin/counters?edit=2"))
    box = re.search(r'<input[^>]*value="canbo1"[^>]*>', edit).group(0)
    assert "checked" in box
    assert "cán bộ: canbo1" in audit_rows(appliance, "counter.update")[-1]["detail"]
    with appliance.db.read() as conn:   # the demo gave canbo1 counter 1 already
        assert counter_store.counters_of(conn, "canbo1") == [1, 2]
        assert counter_store.counters_of(conn, "canbo2") == []
    log_in(client, appliance, "canbo1")
    home = text(client.get("/"))
    mine = home.split("data-my-counters", 1)[1].split("Quầy khác", 1)[0]
    assert "Quầy của bạn" in home and 'data-counter="2"' in mine and 'data-counter="3"' not in mine
    assert client.get("/counter/").headers["Location"] == "/"   # two counters: the officer chooses
    post_form(admin_client, "/admin/counters", {"number": "3", "name": "Quầy 3 – Bảo trợ xã hội",
                                                "services": ["XH"], "officers": ["canbo2"], "active": "y"})
    log_in(client, appliance, "canbo2")
    r = client.get("/counter/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/counter/3")
    # an unknown login is refused, nothing saved
    r = post_form(admin_client, "/admin/counters", {"number": "2", "name": "Quầy 2", "services": ["CT"],
                                                    "officers": ["khongco"], "active": "y"})
    assert r.status_code == 400
    with appliance.db.read() as conn:
        assert counter_store.officers_of(conn, 2) == ["canbo1"]

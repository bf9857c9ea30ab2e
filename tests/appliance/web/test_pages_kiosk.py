"""The kiosk: who may issue, priority, the number screen whatever the printer does."""
from __future__ import annotations

import html
import re

import pytest
from page_helpers import server_session

from appliance.web.login.access import DEVICE_COOKIE

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def kiosk(client, tokens):
    r = client.get(f"/kiosk?token={tokens['kiosk']}")
    assert r.status_code == 302 and r.headers["Location"] == "/kiosk"
    assert DEVICE_COOKIE in r.headers["Set-Cookie"]
    return client


def take(client, service, priority=""):
    token = CSRF.search(client.get("/kiosk/service/HT").get_data(as_text=True)).group(1)
    return client.post("/kiosk", data={"csrf_token": token, "service": service, "priority": priority})


def test_start_screen_has_a_button_per_service_naming_its_procedures(kiosk):
    page = kiosk.get("/kiosk").get_data(as_text=True)
    for code in ("HT", "CT", "XH"):
        assert f'data-service="{code}"' in page and f'href="/kiosk/service/{code}"' in page
    assert "Bảo trợ xã hội" in page
    ht = page[page.index('data-service="HT"'):page.index('data-service="CT"')]
    assert "Đăng ký khai sinh" in ht and "Đăng ký khai tử" in ht and "Chứng thực bản sao" not in ht
    assert "Người cao tuổi" not in page          # priority is the second step, never a choice to miss


def test_second_step_asks_for_priority_with_buttons_as_big_as_services(kiosk, appliance):
    page = kiosk.get("/kiosk/service/CT").get_data(as_text=True)
    assert "Bạn có thuộc diện ưu tiên không?" in page and "Chứng thực" in page
    assert 'name="service" value="CT"' in page
    buttons = re.findall(r'<button type="submit" name="priority" value="([^"]*)" class="k-service', page)
    assert buttons[0] == "" and "người cao tuổi" in buttons and len(buttons) == 6
    assert 'href="/kiosk"' in page                              # back to the services
    token = CSRF.search(page).group(1)
    r = kiosk.post("/kiosk", data={"csrf_token": token, "service": "CT", "priority": "phụ nữ mang thai"})
    assert r.status_code == 201
    row = appliance.db.conn().execute("SELECT priority, priority_reason FROM tickets ORDER BY id DESC").fetchone()
    assert tuple(row) == (1, "phụ nữ mang thai")
    r = kiosk.get("/kiosk/service/NOPE")
    assert r.status_code == 404 and "không nhận số" in r.get_data(as_text=True)


def test_taking_a_number_shows_number_ahead_and_wait(kiosk, appliance):
    r = take(kiosk, "HT")
    page = r.get_data(as_text=True)
    assert r.status_code == 201 and "data-ticket-number>A004<" in page
    assert "3</span><span>người đang chờ trước bạn" in page.replace("\n", "")
    assert "phút" in page and "Hãy ghi nhớ số A004" in page
    row = appliance.db.conn().execute("SELECT channel, priority FROM tickets WHERE number = 'A004'").fetchone()
    assert tuple(row) == ("kiosk", 0)


def test_priority_choice_is_recorded(kiosk, appliance):
    take(kiosk, "CT", "phụ nữ mang thai")
    row = appliance.db.conn().execute("SELECT priority, priority_reason FROM tickets WHERE number = 'B002'").fetchone()
    assert tuple(row) == (1, "phụ nữ mang thai")
    take(kiosk, "CT", "bịa ra")  # not one of the offered reasons: an ordinary ticket
    row = appliance.db.conn().execute("SELECT priority FROM tickets WHERE number = 'B003'").fetchone()
    assert row[0] == 0


def test_ticket_issued_event_reaches_the_printer_side(kiosk, appliance):
    seen = []
    appliance.bus.subscribe(seen.append, ["ticket.issued"])
    take(kiosk, "XH")
    assert seen[0].payload["ticket"]["number"] == "C002" and seen[0].payload["ticket"]["channel"] == "kiosk"


class Printer:
    def __init__(self, state):
        self.state = state

    def start(self): pass
    def stop(self): pass

    def status(self):
        return {"state": self.state, "message": "hết giấy"}


def test_printer_fault_tells_people_to_remember_the_number(kiosk, appliance):
    appliance.devices.add("printer", Printer("error"))
    page = take(kiosk, "HT").get_data(as_text=True)
    assert "Máy in đang gặp sự cố" in page and "A004" in page
    appliance.devices.add("printer", Printer("ok"))
    assert "Phiếu đang được in" in take(kiosk, "HT").get_data(as_text=True)


def test_unknown_or_closed_service_is_explained(kiosk, appliance):
    r = take(kiosk, "ZZ")
    assert r.status_code == 404 and "Không có lĩnh vực 'ZZ'" in html.unescape(r.get_data(as_text=True))
    with appliance.db.write() as conn:
        conn.execute("UPDATE services SET active = 0 WHERE code = 'CT'")
    r = take(kiosk, "CT")
    assert r.status_code == 409 and "tạm ngừng nhận số" in r.get_data(as_text=True)
    assert 'data-service="CT"' not in kiosk.get("/kiosk").get_data(as_text=True)


def test_who_may_use_the_kiosk(client, tokens, appliance):
    first = client.get("/kiosk")  # a tablet with no token shows its pairing code
    assert first.status_code == 401 and 'id="pairing-code"' in first.get_data(as_text=True)
    assert "/login?next=/kiosk" in first.get_data(as_text=True)
    assert client.get(f"/kiosk?token={tokens['display']}").status_code == 403
    row = appliance.db.conn().execute("SELECT id FROM users WHERE login = 'tinhnguyen'").fetchone()
    with client.session_transaction() as s:
        s.update(server_session(client, row[0]))
    assert take(client, "HT").status_code == 201
    row = appliance.db.conn().execute("SELECT user_login FROM tickets WHERE number = 'A004'").fetchone()
    assert row[0] == "tinhnguyen"


def test_display_cookie_cannot_issue(client, tokens):
    client.get(f"/display?token={tokens['display']}")
    assert "không được mở trang này" in client.get("/kiosk").get_data(as_text=True)


def test_kiosk_without_csrf_token_is_refused(kiosk):
    assert kiosk.post("/kiosk", data={"service": "HT"}).status_code == 400


def test_english_kiosk(kiosk):
    page = kiosk.get("/kiosk?lang=en").get_data(as_text=True)
    assert "Touch the service you need" in page and "Civil status" in page and "Birth registration" in page
    step = kiosk.get("/kiosk/service/HT?lang=en").get_data(as_text=True)
    assert "Do you have priority?" in step and "Elderly person" in step and "No priority: take a number" in step

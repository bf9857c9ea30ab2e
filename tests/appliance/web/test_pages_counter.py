"""The counter console: who may open it, every action as a plain form and as a fetch, the order."""
from __future__ import annotations

import re

import pytest
from page_helpers import server_session

from appliance.domain.queue import Ratio, Ticket
from appliance.web.counter.views import call_order

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FETCH = {"X-Requested-With": "motcua"}


def log_in(client, appliance, login):
    row = appliance.db.conn().execute("SELECT id FROM users WHERE login = ?", (login,)).fetchone()
    with client.session_transaction() as s:
        s.update(server_session(client, row[0]))


@pytest.fixture
def officer(client, appliance):
    log_in(client, appliance, "canbo1")
    return client


def token(client, path="/counter/1"):
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def act(client, action, counter=1, fetch=False, **form):
    form.setdefault("csrf_token", token(client, f"/counter/{counter}"))
    return client.post(f"/counter/{counter}/{action}", data=form, headers=FETCH if fetch else {})


def current(appliance, counter=1):
    row = appliance.db.conn().execute("SELECT id, number, state FROM tickets WHERE counter_id = ? "
                                      "AND state IN ('called', 'serving')", (counter,)).fetchone()
    return tuple(row) if row else None


@pytest.mark.parametrize("login, status", [("admin", 200), ("canbo1", 200), ("tinhnguyen", 403)])
def test_console_access_by_role(client, appliance, login, status):
    log_in(client, appliance, login)
    r = client.get("/counter/1")
    assert r.status_code == status
    if status == 403:
        assert "không được mở trang này" in r.get_data(as_text=True)


def test_console_needs_a_login_and_comes_back_after_it(client):
    r = client.get("/counter/2")
    assert r.status_code == 302 and r.headers["Location"] == "/login?next=/counter/2"


def test_console_shows_the_call_order_and_the_shortcuts(officer):
    r = officer.get("/counter/1")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "render;dur=" in r.headers["Server-Timing"]
    assert "Gọi số tiếp theo" in page and "<kbd>G</kbd>" in page and "Phím tắt" in page
    numbers = re.findall(r'<span class="number">(\w+)</span>', page)
    assert numbers == ["A003", "A001", "A002"]  # the priority A003 goes first (ratio 1:2)
    assert "người cao tuổi" in page and "Đang chờ: 3" in page


def test_call_serve_done_as_plain_forms(officer, appliance):
    r = act(officer, "call")
    assert r.status_code == 302 and r.headers["Location"] == "/counter/1"
    assert "Đã gọi số A003." in officer.get("/counter/1").get_data(as_text=True)
    ticket_id, number, state = current(appliance)
    assert (number, state) == ("A003", "called")
    act(officer, "serve", ticket=ticket_id)
    assert current(appliance)[2] == "serving"
    r = act(officer, "call")  # the served ticket counts as done
    assert "Đã xong số A003; đã gọi số A001." in officer.get("/counter/1").get_data(as_text=True)
    assert current(appliance)[1] == "A001"
    act(officer, "done", ticket=current(appliance)[0])
    assert current(appliance) is None


def test_fetch_returns_the_state_fragment_with_its_notice(officer, appliance):
    r = act(officer, "call", fetch=True)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html
    assert 'data-notice' in html and "Đã gọi số A003." in html and 'data-current-number>A003<' in html
    ticket_id = current(appliance)[0]
    r = act(officer, "recall", fetch=True, ticket=ticket_id)
    assert "Đã gọi lại số A003 (lần 1)." in r.get_data(as_text=True)
    r = act(officer, "no-show", fetch=True, ticket=ticket_id)
    assert "vắng mặt" in r.get_data(as_text=True) and current(appliance) is None
    state = officer.get("/counter/1/state").get_data(as_text=True)
    assert "data-notice" not in state and "data-current-number>—<" in state


def test_errors_come_back_as_vietnamese_notices(officer, appliance):
    r = act(officer, "recall", fetch=True)
    assert r.status_code == 409 and "không có số nào đang gọi" in r.get_data(as_text=True)
    act(officer, "call")
    r = act(officer, "call", fetch=True)
    assert r.status_code == 409 and "đang gọi số A003" in r.get_data(as_text=True)
    r = act(officer, "done", fetch=True, ticket=999999)  # the screen showed another ticket
    assert r.status_code == 409 and "màn hình đã cũ, hãy tải lại" in r.get_data(as_text=True)
    r = act(officer, "call")  # plain form: the message is flashed on the page
    assert "đang gọi số A003" in officer.get("/counter/1").get_data(as_text=True)
    assert officer.post("/counter/1/explode", data={"csrf_token": token(officer)}).status_code == 404


def test_transfer_to_another_service_or_counter(officer, appliance):
    act(officer, "call")
    ticket_id = current(appliance)[0]
    page = officer.get("/counter/1").get_data(as_text=True)
    assert 'value="service:CT"' in page and 'value="counter:2"' in page and 'value="counter:3"' not in page
    r = act(officer, "transfer", fetch=True, ticket=ticket_id, target="counter:2")
    assert "sang quầy 2" in r.get_data(as_text=True)
    row = appliance.db.conn().execute("SELECT state, target_counter_id FROM tickets WHERE id = ?",
                                      (ticket_id,)).fetchone()
    assert tuple(row) == ("waiting", 2)
    assert "chuyển đến quầy này" in officer.get("/counter/2").get_data(as_text=True)
    log_in(officer, appliance, "canbo2")
    act(officer, "call", counter=2)
    assert current(appliance, 2)[0] == ticket_id  # transferred, it keeps its place by arrival
    r = act(officer, "transfer", counter=2, fetch=True, ticket=ticket_id, target="service:CT")
    assert "sang lĩnh vực Chứng thực" in r.get_data(as_text=True)
    act(officer, "call", counter=2)
    r = act(officer, "transfer", counter=2, fetch=True, ticket=current(appliance, 2)[0], target="")
    assert r.status_code == 400 and "hãy chọn nơi chuyển đến" in r.get_data(as_text=True)


def test_a_closed_counter_is_not_offered_and_refused_with_a_message(officer, appliance):
    act(officer, "call")
    ticket_id = current(appliance)[0]
    with appliance.db.write() as conn:
        conn.execute("UPDATE counters SET state = 'closed' WHERE id = 2")
    page = officer.get("/counter/1").get_data(as_text=True)
    assert 'value="service:CT"' in page and 'value="counter:2"' not in page
    r = act(officer, "transfer", fetch=True, ticket=ticket_id, target="counter:2")   # a console left open
    assert r.status_code == 409 and "Quầy số 2 đã đóng" in r.get_data(as_text=True)
    assert current(appliance)[0] == ticket_id


def test_forms_need_the_csrf_token(officer, appliance):
    r = officer.post("/counter/1/call", headers=FETCH)
    assert r.status_code == 400 and "tải lại trang" in r.get_data(as_text=True)
    assert current(appliance) is None


def test_unknown_counter(officer):
    r = officer.get("/counter/42")
    assert r.status_code == 404 and "Không có quầy số 42." in r.get_data(as_text=True)


def test_english_console(officer):
    page = officer.get("/counter/1?lang=en").get_data(as_text=True)
    assert "Call next" in page and "Keyboard shortcuts" in page and "Gọi số tiếp theo" not in page
    assert "Civil status" in page  # service names in English where the office gave one


def _ticket(i, priority, ts):
    return Ticket(id=i, service_id=1, service_code="HT", service_name="Hộ tịch", day="d", seq=i,
                  number=f"A{i:03d}", priority=priority, state="waiting", issued_ts=ts)


def test_call_order_follows_the_priority_ratio():
    waiting = [_ticket(1, False, 1), _ticket(2, False, 2), _ticket(3, True, 3), _ticket(4, True, 4),
               _ticket(5, False, 5)]
    order = [t.number for t in call_order(waiting, Ratio(1, 2), 0, 0, 10)]
    assert order == ["A003", "A001", "A002", "A004", "A005"]
    assert [t.number for t in call_order(waiting, Ratio(1, 2), 1, 0, 2)] == ["A001", "A002"]

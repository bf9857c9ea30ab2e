"""The hall display: who may open it (display token once in the URL, or a login), the board."""
from __future__ import annotations

import pytest
from page_helpers import server_session

from appliance.services import accounts
from appliance.web.display.views import grid_shape
from appliance.web.login.access import DEVICE_COOKIE


def log_in(client, appliance, login):
    row = appliance.db.conn().execute("SELECT id FROM users WHERE login = ?", (login,)).fetchone()
    with client.session_transaction() as s:
        s.update(server_session(client, row[0]))


def test_anonymous_tv_gets_its_pairing_code(client):
    r = client.get("/display")
    page = r.get_data(as_text=True)
    assert r.status_code == 401 and "chưa được ghép nối" in page
    assert 'id="pairing-code"' in page and '<svg class="qr"' in page and "pairing.js" in page
    assert "/login?next=/display" in page  # staff may still log in on the spot
    assert client.get("/display/board").status_code == 401


def test_display_token_once_in_the_url_then_a_cookie(client, tokens, appliance):
    r = client.get(f"/display?token={tokens['display']}")
    assert r.status_code == 302 and r.headers["Location"] == "/display"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith(f"{DEVICE_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    page = client.get("/display").get_data(as_text=True)
    assert "Quầy 1" in page and "Thủ tục niêm yết" in page and "announcer.js" in page
    assert client.get("/display/board").status_code == 200
    assert client.get("/api/v1/queue").status_code == 200  # the board's API calls use the cookie too
    assert client.post("/api/v1/counters/1/call-next").status_code == 403  # a display only looks
    assert client.get("/").headers["Location"] == "/display"
    row = appliance.db.conn().execute("SELECT action, user_login FROM audit_log ORDER BY id DESC").fetchone()
    assert tuple(row) == ("device.enroll", "test-display")


@pytest.mark.parametrize("role", ["kiosk", "admin", "officer"])
def test_only_display_tokens_enrol_a_display(client, tokens, role):
    r = client.get(f"/display?token={tokens[role]}")
    assert r.status_code == 403 and "Mã truy cập" in r.get_data(as_text=True)
    assert DEVICE_COOKIE not in r.headers.get("Set-Cookie", "")


def test_revoked_token_loses_the_display(client, tokens, appliance):
    client.get(f"/display?token={tokens['display']}")
    with appliance.units() as tx:
        token_id = tx.conn.execute("SELECT id FROM api_tokens WHERE name = 'test-display'").fetchone()[0]
        accounts.revoke_token(tx, token_id)
    assert client.get("/display").status_code == 401
    assert client.get("/display/board").status_code == 401


@pytest.mark.parametrize("login", ["admin", "canbo1", "tinhnguyen"])
def test_logged_in_staff_may_open_the_display(client, appliance, login):
    log_in(client, appliance, login)
    assert client.get("/display").status_code == 200


def test_board_shows_numbers_only_and_recent_calls(client, tokens, appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET priority_reason = 'Nguyễn Văn Bí mật'")
    appliance.engine.call_next(2)
    client.get(f"/display?token={tokens['display']}")
    board = client.get("/display/board").get_data(as_text=True)
    assert 'data-counter="2"' in board and "data-number>A003<" in board
    assert "Vừa gọi" in board and "Quầy 2" in board
    assert "Bí mật" not in board and "Bí mật" not in client.get("/display").get_data(as_text=True)
    assert 'data-server-now="' in board


def test_ticker_lists_the_posted_procedures(client, tokens):
    client.get(f"/display?token={tokens['display']}")
    page = client.get("/display").get_data(as_text=True)
    assert "<span>Đăng ký khai sinh</span>" in page


def test_english_display_and_the_call_text_template(client, tokens):
    client.get(f"/display?token={tokens['display']}")
    page = client.get("/display?lang=en").get_data(as_text=True)
    assert "Counter 1" in page and 'data-text-call="Number {number} to counter {counter}"' in page
    vi = client.get("/display?lang=vi").get_data(as_text=True)
    assert 'data-text-call="Mời số {number} đến quầy số {counter}"' in vi


@pytest.mark.parametrize("n, shape", [(1, (1, 1)), (3, (1, 3)), (4, (2, 2)), (6, (2, 3)), (9, (3, 3)), (12, (4, 3))])
def test_grid_shape(n, shape):
    cols, rows = grid_shape(n)
    assert (cols, rows) == shape and cols * rows >= n

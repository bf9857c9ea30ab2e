"""Pairing from the pages: a screen with no token shows a code and a QR code, an administrator
approves it in Quản trị → Màn hình, the screen collects a token of the chosen role into its device
cookie; renaming, revoking (back to a new code), throttling, and who may approve."""
from __future__ import annotations

import re

import pytest
from page_helpers import audit_rows, post_form, text

from appliance.domain import screens as rules
from appliance.services.screens import Screens
from appliance.store import accounts
from appliance.web.login.access import DEVICE_COOKIE
from appliance.web.screens.page import PAIRING_COOKIE
from appliance.web.screens.qr import qr_svg

CODE = re.compile(r'id="pairing-code" data-code="([A-Z0-9]{6})"')


def screen(app, address="192.168.1.50"):
    """A browser on the LAN at ``address`` (its own cookies)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def shown_code(client, path="/display") -> str:
    r = client.get(path)
    assert r.status_code == 401
    return CODE.search(r.get_data(as_text=True)).group(1)


def approve(admin_client, code, **fields):
    data = {"code": code, "role": "display", "name": "TV sảnh", **fields}
    return post_form(admin_client, "/admin/screens", data)


def test_the_code_stays_on_reload_and_the_qr_opens_the_approval_page(app):
    tv = screen(app)
    r = tv.get("/display", headers={"Host": "192.168.1.10:8080"})
    page = r.get_data(as_text=True)
    code = CODE.search(page).group(1)
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith(f"{PAIRING_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert rules.format_code(code) in page
    # the QR code is the approval page with this code, on the address the TV was opened with
    assert str(qr_svg(f"http://192.168.1.10:8080/admin/screens?code={code}", "x")).split(">", 1)[1] in page
    again = tv.get("/display", headers={"Host": "192.168.1.10:8080"}).get_data(as_text=True)
    assert CODE.search(again).group(1) == code  # a reload shows the same code
    assert tv.get("/pair/status", headers={"Host": "192.168.1.10:8080"}).get_json()["state"] == "pending"


def test_a_tv_on_the_pi_itself_shows_the_lan_name_not_localhost(app):
    page = screen(app, "127.0.0.1").get("/display", headers={"Host": "localhost:8080"}).get_data(as_text=True)
    assert "localhost" not in page.split('class="p-where">', 1)[1].split("<", 1)[0]
    assert ".local:8080/admin/screens" in page


def test_approve_then_the_screen_collects_its_token(app, admin_client, appliance):
    tv = screen(app)
    code = shown_code(tv)
    assert tv.post("/pair/claim").status_code == 409  # not approved yet
    r = approve(admin_client, rules.format_code(code).lower(), name="TV tầng 1", counters=["1", "3"])
    assert r.status_code == 302
    assert tv.get("/pair/status").get_json()["state"] == "approved"
    r = tv.post("/pair/claim")
    assert r.status_code == 200 and r.get_json() == {"state": "claimed", "role": "display", "home": "/display"}
    device = [c for c in r.headers.getlist("Set-Cookie") if c.startswith(DEVICE_COOKIE + "=")][0]
    assert "Max-Age=31536000" in device and "HttpOnly" in device
    board = tv.get("/display")
    assert board.status_code == 200
    tiles = re.findall(r'class="d-tile[^"]*" data-counter="(\d+)"', board.get_data(as_text=True))
    assert tiles and set(tiles) <= {"1", "3"}
    assert 'data-counters="1,3"' in board.get_data(as_text=True)
    assert tv.post("/api/v1/counters/1/call-next").status_code == 403  # a display only looks
    listed = text(admin_client.get("/admin/screens"))
    assert "TV tầng 1" in listed and "192.168.1.50" in listed
    assert [r["action"] for r in audit_rows(appliance, "screen.approve")] == ["screen.approve"]
    assert audit_rows(appliance, "screen.paired")[0]["user_login"] == "quantri"


def test_a_screen_becomes_what_the_admin_chose(app, admin_client):
    kiosk = screen(app, "192.168.1.60")
    approve(admin_client, shown_code(kiosk, "/display"), role="kiosk", name="Máy lấy số")
    assert kiosk.post("/pair/claim").get_json()["home"] == "/kiosk"
    assert kiosk.get("/kiosk").status_code == 200
    mirror = screen(app, "192.168.1.61")
    approve(admin_client, shown_code(mirror, "/mirror/2"), role="mirror", name="Quầy 2 – công dân", counter="2")
    assert mirror.post("/pair/claim").get_json()["home"] == "/mirror/2"
    assert mirror.get("/mirror/2").status_code == 200
    assert mirror.get("/mirror/1").status_code == 401  # another counter's: not this screen's


def test_the_admin_overview_says_screens_wait(app, admin_client):
    assert "đang chờ duyệt" not in text(admin_client.get("/admin"))
    shown_code(screen(app, "192.168.1.64"))
    page = text(admin_client.get("/admin"))
    assert "1 màn hình đang chờ duyệt" in page and 'href="/admin/screens"' in page


def test_wrong_codes_are_shown_next_to_the_field(app, admin_client):
    shown_code(screen(app))
    r = approve(admin_client, "ACO-479")
    assert r.status_code == 400 and "mã ghép nối gồm 6 ký tự" in text(r)
    r = approve(admin_client, "ACD-479")
    assert r.status_code == 404 and "ACD-479" in text(r)
    r = approve(admin_client, shown_code(screen(app, "192.168.1.70")), role="mirror", counter="")
    assert r.status_code == 400 and "chọn quầy" in text(r)


def test_rename_and_revoke_back_to_a_new_code(app, admin_client, appliance):
    tv = screen(app)
    first = shown_code(tv)
    approve(admin_client, first)
    token = [c for c in tv.post("/pair/claim").headers.getlist("Set-Cookie") if c.startswith(DEVICE_COOKIE)]
    token_id = accounts.token_principal(appliance.db.conn(), token[0].split(";")[0].split("=", 1)[1]).id
    post_form(admin_client, f"/admin/screens/{token_id}/rename", {"name": "TV cổng"}, page="/admin/screens")
    assert "TV cổng" in text(admin_client.get("/admin/screens"))
    r = post_form(admin_client, f"/admin/screens/{token_id}/revoke", {}, page="/admin/screens")
    assert r.status_code == 302
    assert tv.get("/display/board").status_code == 401
    again = shown_code(tv)
    assert again != first
    assert [r["action"] for r in audit_rows(appliance, "screen.revoke")] == ["screen.revoke"]


def test_codes_are_throttled_per_screen_address(app):
    for _ in range(rules.CREATE_PER_ADDRESS):
        shown_code(screen(app, "192.168.1.90"))  # a fresh browser each time: no pairing cookie
    r = screen(app, "192.168.1.90").get("/display")
    assert r.status_code == 429 and "quá nhiều mã" in text(r)
    assert r.headers["Refresh"] == r.headers["Retry-After"] == "120"  # a TV with nobody near retries by itself
    assert screen(app, "192.168.1.91").get("/display").status_code == 401


@pytest.mark.parametrize("role", ["officer", "volunteer"])
def test_only_administrators_approve(app, role_client, role):
    code = shown_code(screen(app))
    client = role_client(role)
    assert client.get("/admin/screens").status_code == 403
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get("/counter/1").get_data(as_text=True))
    r = client.post("/admin/screens", data={"code": code, "role": "display", "name": "x", "csrf_token": token[1]})
    assert r.status_code == 403
    assert screen(app).get("/pair/status").status_code == 404  # another browser: no pairing of its own


def test_a_paired_kiosk_and_citizen_screen_watch_for_revocation(app, admin_client, appliance, role_client):
    kiosk = screen(app, "192.168.1.62")
    assert kiosk.get("/pair/me").status_code == 401
    approve(admin_client, shown_code(kiosk, "/kiosk"), role="kiosk", name="Máy lấy số sảnh")
    kiosk.post("/pair/claim")
    assert kiosk.get("/pair/me").get_json() == {"paired": True, "role": "kiosk", "name": "Máy lấy số sảnh"}
    assert "screen_watch.js" in kiosk.get("/kiosk").get_data(as_text=True)
    mirror = screen(app, "192.168.1.63")
    approve(admin_client, shown_code(mirror, "/mirror/1"), role="mirror", name="Quầy 1 – công dân", counter="1")
    mirror.post("/pair/claim")
    assert mirror.get("/pair/me").status_code == 200  # its cookie counts here too
    assert "screen_watch.js" in mirror.get("/mirror/1").get_data(as_text=True)
    # a person logged in on the kiosk page is not a paired screen: no watcher (it would reload forever)
    assert "screen_watch.js" not in role_client("volunteer").get("/kiosk").get_data(as_text=True)
    token_id = next(s["id"] for s in Screens(appliance.db, appliance.clock).paired() if s["name"] == "Máy lấy số sảnh")
    post_form(admin_client, f"/admin/screens/{token_id}/revoke", {}, page="/admin/screens")
    assert kiosk.get("/pair/me").status_code == 401
    assert 'id="pairing-code"' in kiosk.get("/kiosk").get_data(as_text=True)

"""Login, logout, throttling, session cookie flags, CSRF and the forced password change."""
from __future__ import annotations

import re

import pytest

from appliance.services import accounts
from appliance.store import accounts as account_store
from appliance.web.login.throttle import LoginThrottle
from appliance.web.login.views import safe_next

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf(client, path="/login") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def demo_password(appliance, login: str) -> str:
    lines = (appliance.state_dir / "demo-logins.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines)[login]


def post_login(client, login, password, next_=""):
    return client.post("/login", data={"csrf_token": csrf(client), "login": login, "password": password,
                                       "next": next_})


def test_login_page_is_vietnamese_by_default_and_english_on_request(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and 'lang="vi"' in page
    english = client.get("/login?lang=en")
    assert "Log in" in english.get_data(as_text=True) and "Tên đăng nhập" not in english.get_data(as_text=True)
    assert "lang=en" in english.headers["Set-Cookie"]
    assert "Log in" in client.get("/login").get_data(as_text=True)  # the cookie keeps the choice


def test_login_sets_a_hardened_session_and_goes_where_asked(client, appliance):
    r = post_login(client, "canbo1", demo_password(appliance, "canbo1"), "/counter/1")
    assert r.status_code == 302 and r.headers["Location"] == "/counter/1"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("motcua_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session of PERMANENT_SESSION_LIFETIME
    assert client.get("/counter/1").status_code == 200
    row = appliance.db.conn().execute("SELECT action, user_login FROM audit_log ORDER BY id DESC").fetchone()
    assert tuple(row) == ("session.login", "canbo1")


def test_secure_cookies_setting_marks_the_cookie_secure(appliance):
    from appliance.web import create_app
    secure = appliance.settings.replace(web={"secure_cookies": True})
    appliance.settings = secure
    client = create_app(appliance, {"TESTING": True}).test_client()
    r = post_login(client, "canbo1", demo_password(appliance, "canbo1"))
    assert "Secure" in r.headers["Set-Cookie"]


@pytest.mark.parametrize("target", ["//evil.example/x", "http://evil.example/", "https:/x", "\\\\evil", "counter"])
def test_next_never_leaves_the_site(target):
    assert safe_next(target) is None
    assert safe_next("/counter/2?x=1") == "/counter/2?x=1"


def test_wrong_password_is_refused_with_an_actionable_message(client, appliance):
    r = post_login(client, "canbo1", "sai-mat-khau")
    assert r.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in r.get_data(as_text=True)
    row = appliance.db.conn().execute("SELECT action, user_login FROM audit_log ORDER BY id DESC").fetchone()
    assert tuple(row) == ("session.login_failed", "canbo1")


def test_login_form_without_csrf_token_is_refused(client, appliance):
    r = client.post("/login", data={"login": "canbo1", "password": demo_password(appliance, "canbo1")})
    assert r.status_code == 400 and "Hãy tải lại trang" in r.get_data(as_text=True)
    assert client.get("/counter/1").status_code == 302  # not logged in


def test_failed_logins_are_throttled_per_login(client, appliance):
    for _ in range(5):
        assert post_login(client, "canbo1", "nope-nope").status_code == 401
    r = post_login(client, "canbo1", demo_password(appliance, "canbo1"))  # even the right password waits
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "Đăng nhập sai quá nhiều lần" in r.get_data(as_text=True)
    assert post_login(client, "canbo2", demo_password(appliance, "canbo2")).status_code == 302


def test_throttle_window_per_login_and_per_address():
    now = [1000.0]
    t = LoginThrottle(per_login=3, per_address=5, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        assert t.retry_after("a", "1.1.1.1") == 0
        t.failed("a", "1.1.1.1")
    assert t.retry_after("A", "2.2.2.2") == 60  # names are case-insensitive
    now[0] += 30
    assert t.retry_after("a", "2.2.2.2") == 30
    t.failed("b", "1.1.1.1")
    t.failed("c", "1.1.1.1")
    assert t.retry_after("d", "1.1.1.1") == 30  # the address is over its limit too
    now[0] += 31
    assert t.retry_after("a", "1.1.1.1") == 0
    t.failed("a", "3.3.3.3")
    t.succeeded("a")
    assert t.retry_after("a", "3.3.3.3") == 0


def test_generated_password_must_be_changed_before_anything_else(client, appliance):
    with appliance.units() as tx:
        uid = accounts.add_user(tx, "moi", "officer", "tam-thoi-123", "Cán bộ mới", must_change=True)
    r = post_login(client, "moi", "tam-thoi-123")
    assert r.headers["Location"] == "/account/password"
    assert client.get("/counter/1").headers["Location"] == "/account/password"
    assert client.get("/").headers["Location"] == "/account/password"
    page = client.get("/account/password").get_data(as_text=True)
    assert "do hệ thống tạo" in page
    token = csrf(client, "/account/password")
    bad = client.post("/account/password", data={"csrf_token": token, "current": "tam-thoi-123",
                                                 "new": "mat-khau-moi", "confirm": "khac-han"})
    assert bad.status_code == 400 and "không khớp" in bad.get_data(as_text=True)
    same = client.post("/account/password", data={"csrf_token": token, "current": "tam-thoi-123",
                                                  "new": "tam-thoi-123", "confirm": "tam-thoi-123"})
    assert "phải khác" in same.get_data(as_text=True)
    ok = client.post("/account/password", data={"csrf_token": token, "current": "tam-thoi-123",
                                                "new": "mat-khau-moi", "confirm": "mat-khau-moi"})
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    assert client.get("/counter/1").status_code == 200
    assert accounts.authenticate(appliance.db.conn(), "moi", "mat-khau-moi").must_change_password is False
    assert account_store.user_by_id(appliance.db.conn(), uid).must_change_password is False


def test_logout_needs_the_form_token_and_ends_the_session(client, appliance):
    post_login(client, "admin", demo_password(appliance, "admin"))
    assert client.post("/logout").status_code == 400
    assert client.get("/logout").status_code == 405
    r = client.post("/logout", data={"csrf_token": csrf(client, "/")})
    assert r.headers["Location"] == "/login"
    assert "Đã đăng xuất" in client.get("/login").get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/login")

"""Users and API tokens from the admin pages: secrets shown once, forced password change,
deactivation and role changes with the last administrator protected, tokens revoked at once."""
from __future__ import annotations

import re

from page_helpers import audit_rows, csrf, make_user, post_form, text

from appliance.services import accounts

SECRET = re.compile(r'<code id="secret-value">([^<]+)</code>')


def user(appliance, login: str):
    return appliance.db.conn().execute("SELECT * FROM users WHERE login = ?", (login,)).fetchone()


def login_with(app, login: str, password: str):
    client = app.test_client()
    return client, client.post("/login", data={"login": login, "password": password,
                                               "csrf_token": csrf(client, "/login")})


def test_a_new_user_gets_a_generated_password_shown_once_and_must_change_it(app, admin_client, appliance):
    response = post_form(admin_client, "/admin/users", {"login": " Hoa.Nguyen ", "full_name": "Nguyễn Thị Hoa",
                                                        "role": "officer"})
    assert response.status_code == 200
    body = text(response)
    password = SECRET.search(body).group(1)
    assert "Chỉ hiện một lần" in body and re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    row = user(appliance, "hoa.nguyen")
    assert row["role"] == "officer" and row["must_change_password"] == 1 and row["full_name"] == "Nguyễn Thị Hoa"
    assert password not in text(admin_client.get("/admin/users"))  # never shown again
    [entry] = audit_rows(appliance, "user.create")
    assert entry["object"] == "user:hoa.nguyen" and password not in entry["detail"]
    client, response = login_with(app, "hoa.nguyen", password)
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/account/password")


def test_a_taken_login_is_shown_next_to_the_field_with_the_form_kept(admin_client, appliance):
    make_user(appliance, "trung", "officer")
    response = post_form(admin_client, "/admin/users", {"login": "trung", "full_name": "Lê Trung",
                                                        "role": "volunteer"})
    body = text(response)
    assert response.status_code == 400
    field = re.search(r'<label for="login".*?</div>', body, re.S).group(0)
    assert "'trung' đã tồn tại." in field.replace("&#39;", "'")
    assert 'value="Lê Trung"' in body and '<option selected value="volunteer">' in body


def test_a_login_with_spaces_or_diacritics_is_refused(admin_client, appliance):
    response = post_form(admin_client, "/admin/users", {"login": "hoà nguyễn", "role": "officer"})
    assert response.status_code == 400 and "chữ không dấu" in text(response)
    assert user(appliance, "hoà nguyễn") is None


def test_deactivating_a_user_ends_their_session_and_login(app, admin_client, appliance):
    uid = make_user(appliance, "nghiviec", "officer", "mat-khau-cu-1")
    client, _ = login_with(app, "nghiviec", "mat-khau-cu-1")
    assert client.get("/").status_code == 200
    response = post_form(admin_client, f"/admin/users/{uid}/active", {"active": "0"}, page="/admin/users")
    assert response.status_code == 302
    assert user(appliance, "nghiviec")["active"] == 0
    assert client.get("/").status_code == 302  # the open session is gone
    assert login_with(app, "nghiviec", "mat-khau-cu-1")[1].status_code == 401
    post_form(admin_client, f"/admin/users/{uid}/active", {"active": "1"}, page="/admin/users")
    assert user(appliance, "nghiviec")["active"] == 1
    assert [r["action"] for r in appliance.db.conn().execute(
        "SELECT action FROM audit_log WHERE object = 'user:nghiviec' ORDER BY id")] == ["user.deactivate",
                                                                                       "user.activate"]


def test_the_last_administrator_cannot_be_locked_out(admin_client, appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE users SET active = 0 WHERE role = 'admin' AND login != 'quantri'")
    me = user(appliance, "quantri")["id"]
    response = post_form(admin_client, f"/admin/users/{me}/active", {"active": "0"}, page="/admin/users",
                         follow_redirects=True)
    assert "Không thể tự khóa tài khoản" in text(response)
    response = post_form(admin_client, f"/admin/users/{me}/role", {"role": "officer"}, page="/admin/users",
                         follow_redirects=True)
    assert "Không thể tự đổi vai trò" in text(response)
    assert user(appliance, "quantri")["role"] == "admin" and user(appliance, "quantri")["active"] == 1
    other = make_user(appliance, "quantri.phu", "admin")
    with appliance.db.write() as conn:
        conn.execute("UPDATE users SET active = 0 WHERE login = 'quantri'")
        conn.execute("UPDATE users SET active = 1 WHERE login = 'quantri.phu'")
    # the admin token is not a person: it may act, but not lock out the last admin
    with appliance.units() as tx:
        token = accounts.add_token(tx, "may-quan-tri", "admin")
    client = admin_client.application.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    page = client.get("/admin/users", headers=headers)
    tok = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(page)).group(1)
    response = client.post(f"/admin/users/{other}/active", data={"active": "0", "csrf_token": tok},
                           headers=headers, follow_redirects=True)
    assert "quản trị viên cuối cùng" in text(response)
    assert user(appliance, "quantri.phu")["active"] == 1


def test_a_role_change_is_saved_and_audited(admin_client, appliance):
    uid = make_user(appliance, "doivaitro", "volunteer")
    response = post_form(admin_client, f"/admin/users/{uid}/role", {"role": "officer"}, page="/admin/users",
                         follow_redirects=True)
    assert "Đã đổi vai trò thành Cán bộ một cửa" in text(response)
    assert user(appliance, "doivaitro")["role"] == "officer"
    assert audit_rows(appliance, "user.role")[0]["detail"] == "volunteer → officer"
    response = post_form(admin_client, f"/admin/users/{uid}/role", {"role": "kiosk"}, page="/admin/users",
                         follow_redirects=True)
    assert "Vai trò không hợp lệ" in text(response) and user(appliance, "doivaitro")["role"] == "officer"


def test_a_password_reset_shows_a_new_password_once(app, admin_client, appliance):
    uid = make_user(appliance, "quenmk", "officer", "mat-khau-cu-1")
    response = post_form(admin_client, f"/admin/users/{uid}/password", page="/admin/users")
    password = SECRET.search(text(response)).group(1)
    assert "Mật khẩu mới của quenmk" in text(response)
    assert user(appliance, "quenmk")["must_change_password"] == 1
    assert login_with(app, "quenmk", "mat-khau-cu-1")[1].status_code == 401
    assert login_with(app, "quenmk", password)[1].status_code == 302
    assert audit_rows(appliance, "user.password_reset")[0]["object"] == "user:quenmk"
    response = post_form(admin_client, "/admin/users/99999/password", page="/admin/users", follow_redirects=True)
    assert "Không có người dùng mã 99999" in text(response)


def test_a_token_is_shown_once_works_as_a_bearer_and_stops_when_revoked(client, admin_client, appliance):
    response = post_form(admin_client, "/admin/tokens", {"name": "TV sảnh", "role": "display"})
    body = text(response)
    token = SECRET.search(body).group(1)
    assert token.startswith("mc_") and "display?token=" + token in body
    assert client.get("/api/v1/queue", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    row = appliance.db.conn().execute("SELECT * FROM api_tokens WHERE name = 'TV sảnh'").fetchone()
    assert token not in text(admin_client.get("/admin/tokens"))
    with appliance.units() as tx:
        accounts.touch_token(tx, row["id"])
    listing = text(admin_client.get("/admin/tokens"))
    tr = re.search(r'<tr data-token="TV sảnh">.*?</tr>', listing, re.S).group(0)
    assert "Chưa dùng" not in tr and "Còn hiệu lực" in tr
    response = post_form(admin_client, f"/admin/tokens/{row['id']}/revoke", page="/admin/tokens",
                         follow_redirects=True)
    assert "Đã thu hồi mã “TV sảnh”" in text(response)
    assert client.get("/api/v1/queue", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert [r["action"] for r in appliance.db.conn().execute(
        "SELECT action FROM audit_log WHERE object = 'token:TV sảnh' ORDER BY id")] == ["token.create",
                                                                                       "token.revoke"]
    response = post_form(admin_client, "/admin/tokens/99999/revoke", page="/admin/tokens", follow_redirects=True)
    assert "Không tìm thấy mã truy cập 99999" in text(response)


def test_a_token_without_a_name_keeps_the_chosen_role(admin_client, appliance):
    response = post_form(admin_client, "/admin/tokens", {"name": "  ", "role": "kiosk"})
    assert response.status_code == 400
    body = text(response)
    assert "Hãy đặt tên để nhận ra mã" in body and '<option selected value="kiosk">' in body
    assert audit_rows(appliance, "token.create") == []

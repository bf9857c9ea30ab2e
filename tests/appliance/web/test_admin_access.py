"""Who may open the administration pages: administrators only, everyone else gets a
Vietnamese 403 page (or the login page when nobody is logged in); every form needs its CSRF token."""
from __future__ import annotations

import pytest
from page_helpers import PASSWORD, audit_rows, csrf, make_user, text

PAGES = ["/admin", "/admin/services", "/admin/counters", "/admin/users", "/admin/tokens", "/admin/settings",
         "/admin/holidays", "/admin/devices", "/admin/backup", "/admin/audit",
         "/admin/devices/printer/preview.png"]
ACTIONS = ["/admin/services", "/admin/counters", "/admin/counters/1/delete", "/admin/users",
           "/admin/users/1/active", "/admin/users/1/role", "/admin/users/1/password", "/admin/tokens",
           "/admin/tokens/1/revoke", "/admin/settings", "/admin/holidays", "/admin/devices/printer/test",
           "/admin/devices/printer/reprint/x", "/admin/devices/pager/test", "/admin/devices/gpio/press",
           "/admin/backup"]


def test_every_admin_page_opens_for_an_administrator(admin_client):
    for path in PAGES:
        response = admin_client.get(path)
        assert response.status_code == 200, path
    assert admin_client.get("/admin/devices/printer/preview.png").mimetype == "image/png"


def test_nobody_logged_in_is_sent_to_the_login_page(client):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["officer", "volunteer"])
def test_other_people_get_the_vietnamese_403_page(role_client, role):
    client = role_client(role)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        body = text(response)
        assert "Không có quyền" in body and "không được mở trang này" in body
    token = csrf(client, "/")
    for path in ACTIONS:
        response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 403, path


@pytest.mark.parametrize("role", ["officer", "volunteer", "kiosk", "display"])
def test_tokens_of_other_roles_are_refused(client, auth, role):
    for path in ("/admin/users", "/admin/backup"):
        response = client.get(path, headers=auth(role))
        assert response.status_code == 403
        assert "Không có quyền" in text(response)


def test_an_admin_token_may_use_the_pages(client, auth):
    assert client.get("/admin/devices", headers=auth("admin")).status_code == 200


def test_the_403_page_is_in_english_on_request(role_client):
    response = role_client("officer").get("/admin/users?lang=en")
    assert response.status_code == 403
    assert 'lang="en"' in text(response)


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(admin_client, appliance):
    before = appliance.db.conn().execute("SELECT count(*) FROM users").fetchone()[0]
    response = admin_client.post("/admin/users", data={"login": "khong.token", "role": "officer"})
    assert response.status_code == 400
    assert "Biểu mẫu đã cũ" in text(response)
    assert appliance.db.conn().execute("SELECT count(*) FROM users").fetchone()[0] == before
    response = admin_client.post("/admin/users", data={"login": "sai.token", "role": "officer",
                                                       "csrf_token": "abc"})
    assert response.status_code == 400
    assert audit_rows(appliance, "user.create") == []


def test_every_admin_form_carries_the_csrf_token(admin_client):
    for path in PAGES[:-1]:
        body = text(admin_client.get(path))
        forms = body.count('method="post"')
        tokens = body.count('name="csrf_token"')
        assert tokens >= forms, f"{path}: {forms} forms, {tokens} tokens"


def test_the_real_login_form_leads_an_administrator_to_the_admin_pages(app, appliance):
    make_user(appliance, "quantri2", "admin")
    client = app.test_client()
    token = csrf(client, "/login")
    response = client.post("/login", data={"login": "quantri2", "password": PASSWORD, "next": "/admin/users",
                                           "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    assert "Thêm người dùng" in text(client.get("/admin/users"))


def test_the_navigation_of_an_administrator_links_the_admin_pages(admin_client):
    body = text(admin_client.get("/admin"))
    for path in ("/admin/services", "/admin/users", "/admin/devices", "/admin/audit"):
        assert f'href="{path}"' in body


def test_the_admin_pages_are_in_english_on_request(admin_client):
    body = text(admin_client.get("/admin/users?lang=en"))
    assert "Add a user" in body and "Create account" in body and "Thêm người dùng" not in body
    body = text(admin_client.get("/admin/devices?lang=en"))
    assert "Ticket printer" in body and "Not configured" in body

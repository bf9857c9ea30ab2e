"""The landing page per role, the navigation, the language cookie and error pages."""
from __future__ import annotations

import re

import pytest
from flask import Blueprint
from page_helpers import server_session

from appliance.web import create_app


def log_in(client, appliance, login):
    row = appliance.db.conn().execute("SELECT id FROM users WHERE login = ?", (login,)).fetchone()
    with client.session_transaction() as s:
        s.update(server_session(client, row[0]))


def test_anonymous_goes_to_login(client):
    assert client.get("/").headers["Location"] == "/login"


def test_officer_chooses_a_counter(client, appliance):
    log_in(client, appliance, "canbo1")
    page = client.get("/").get_data(as_text=True)
    assert "Xin chào, Nguyễn Thị Hoa" in page and "Chọn quầy làm việc" in page
    for n in (1, 2, 3):
        assert f'href="/counter/{n}"' in page
    assert "Hôm nay có 5 người đang chờ." in page
    assert 'href="/kiosk"' in page and 'href="/display"' in page
    assert "motcua token add" not in page  # device set-up is for the administrator


def test_volunteer_has_no_counters(client, appliance):
    log_in(client, appliance, "tinhnguyen")
    page = client.get("/").get_data(as_text=True)
    assert "Chọn quầy làm việc" not in page and 'href="/counter/1"' not in page
    assert 'href="/kiosk"' in page


def test_admin_sees_device_setup(client, appliance):
    """The home page sends the admin to the panel's own Screens page, not to a command line."""
    log_in(client, appliance, "admin")
    page = client.get("/").get_data(as_text=True)
    assert "motcua token add" not in page and "--role" not in page
    link = re.search(r'<a[^>]*href="([^"]+)"[^>]*data-screens-link', page)
    assert link and link.group(1) == "/admin/screens"
    assert client.get(link.group(1)).status_code == 200


def test_kiosk_cookie_lands_on_the_kiosk(client, tokens):
    client.get(f"/kiosk?token={tokens['kiosk']}")
    assert client.get("/").headers["Location"] == "/kiosk"


def test_nav_links_appear_once_their_pages_exist(appliance):
    """Admin and dossier pages come from other blueprints: the nav links them when they exist."""
    app = create_app(appliance, {"TESTING": True})
    extra = Blueprint("later", __name__)
    extra.add_url_rule("/thu-tuc", "dossiers", lambda: "thủ tục")
    extra.add_url_rule("/admin/", "admin", lambda: "quản trị")
    if "/thu-tuc" not in {r.rule for r in app.url_map.iter_rules()}:
        app.register_blueprint(extra)
    client = app.test_client()
    log_in(client, appliance, "admin")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/thu-tuc"' in page and 'href="/admin"' in page
    log_in(client, appliance, "canbo1")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/thu-tuc"' in page and 'href="/admin"' not in page


def test_language_choice_is_remembered(client, appliance):
    log_in(client, appliance, "canbo1")
    r = client.get("/?lang=en")
    assert "Choose your counter" in r.get_data(as_text=True) and 'lang="en"' in r.get_data(as_text=True)
    assert "Choose your counter" in client.get("/").get_data(as_text=True)
    assert "Chọn quầy làm việc" in client.get("/?lang=vi").get_data(as_text=True)
    assert "Chọn quầy làm việc" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("lang, text", [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_missing_page_in_the_readers_language(client, lang, text):
    r = client.get(f"/khong-co?lang={lang}")
    assert r.status_code == 404 and text in r.get_data(as_text=True)


def test_api_errors_stay_json(client, auth):
    r = client.get("/api/v1/khong-co", headers=auth("admin"))
    assert r.status_code == 404 and r.get_json()["error"]["message"] == "Không tìm thấy địa chỉ này."
    r = client.get("/api/v1/tickets/9999", headers=auth("admin"))
    assert r.status_code == 404 and r.is_json


def test_static_files_are_served_locally(client):
    for path in ("/static/css/panel.css", "/static/js/panel.js", "/static/js/counter.js",
                 "/static/js/display.js", "/static/js/kiosk.js", "/static/js/announcer.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert b"http://" not in r.data and b"https://" not in r.data and b"//cdn" not in r.data, path

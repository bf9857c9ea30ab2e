"""First boot in the browser on a fresh install: the first visit goes to /setup, the administrator
is created only from the office network and only with the setup code, then the wizard sets the
office, the services and counters (from the catalog's fields) and the printer and pager."""
from __future__ import annotations

import re

import pytest
from page_helpers import audit_rows, csrf, post_form, text

from appliance import config as config_mod
from appliance.services import firstboot
from appliance.store import accounts, office_store


@pytest.fixture
def fresh_app(empty_appliance):
    from appliance.web import create_app
    return create_app(empty_appliance, {"TESTING": True})


def lan(app, address="192.168.1.20"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def create_admin(client, code, **fields):
    data = {"setup_code": code, "login": "hoa.nguyen", "full_name": "Nguyễn Thị Hoa",
            "password": "mat-khau-rieng", "confirm": "mat-khau-rieng", **fields}
    return post_form(client, "/setup", data)


def test_the_first_visit_goes_to_setup(fresh_app, empty_appliance):
    client = lan(fresh_app)
    assert client.get("/").headers["Location"] == "/setup"
    assert client.get("/login").headers["Location"] == "/setup"
    page = text(client.get("/setup"))
    assert "Cài đặt lần đầu" in page and 'name="setup_code"' in page
    # the hall TV's pairing screen shows the setup code while no admin exists
    tv = text(lan(fresh_app, "192.168.1.40").get("/display"))
    assert firstboot.shown_setup_code(empty_appliance.db) in tv and "/setup" in tv


def test_refused_from_a_public_address(fresh_app, empty_appliance):
    client = lan(fresh_app, "203.113.7.9")
    r = client.get("/setup")
    assert r.status_code == 403 and "mạng nội bộ" in text(r)
    # even with a valid form (session and CSRF token taken from a LAN browser) and the right code
    office = lan(fresh_app)
    token = csrf(office, "/setup")
    client.set_cookie("motcua_session", office.get_cookie("motcua_session").value)
    r = client.post("/setup", data={"csrf_token": token, "setup_code": firstboot.setup_code(empty_appliance.db),
                                    "login": "x.y", "password": "mat-khau-rieng", "confirm": "mat-khau-rieng"})
    assert r.status_code == 403 and "mạng nội bộ" in text(r)
    assert accounts.active_admins(empty_appliance.db.conn()) == 0


def test_refused_without_the_setup_code(fresh_app, empty_appliance):
    client = lan(fresh_app)
    code = firstboot.setup_code(empty_appliance.db)
    r = create_admin(client, "ACDE-FHJK" if code != "ACDEFHJK" else "HJKF-EDCA")
    assert r.status_code == 403 and "Mã cài đặt không đúng" in text(r)
    assert 'value="hoa.nguyen"' in text(r)  # what was typed is kept
    assert accounts.active_admins(empty_appliance.db.conn()) == 0
    assert audit_rows(empty_appliance, "setup.refused")
    for _ in range(4):
        create_admin(client, "WRONG-123")
    r = create_admin(client, code)  # too many wrong codes from this address: wait, even with the right one
    assert r.status_code == 429 and accounts.active_admins(empty_appliance.db.conn()) == 0


def test_setup_then_the_wizard(fresh_app, empty_appliance, tmp_path):
    client = lan(fresh_app)
    code = firstboot.shown_setup_code(empty_appliance.db)
    r = create_admin(client, code.lower())
    assert r.status_code == 302 and r.headers["Location"] == "/setup/office"
    assert accounts.active_admins(empty_appliance.db.conn()) == 1
    assert firstboot.setup_code(empty_appliance.db) is None
    assert lan(fresh_app).get("/setup").headers["Location"] == "/login"  # never again

    # 1. office: the placeholder agency code is refused, a bad one is explained
    page = text(client.get("/setup/office"))
    assert 'aria-current="step"' in page and "000.00.00.H00" not in page.split('name="agency_code"')[1][:200]
    r = post_form(client, "/setup/office", {"name": "UBND xã An Bình", "agency_code": "",
                                            "morning": "07:30-11:30", "afternoon": "13:30-17:00"})
    assert r.status_code == 400 and "mã cơ quan điện tử của xã" in text(r)
    for bad, why in (("abc!", "QCVN 102:2016"), ("12.34.56.H78", "QCVN 102:2016"), ("000.00.00.H00", "là mã mẫu")):
        r = post_form(client, "/setup/office", {"name": "UBND xã An Bình", "agency_code": bad,
                                                "morning": "07:30-11:30", "afternoon": "13:30-17:00"})
        assert r.status_code == 400 and why in text(r), bad
    r = post_form(client, "/setup/office", {"name": "UBND xã An Bình", "agency_code": "000.00.06.h56",
                                            "morning": "07:00-11:00", "afternoon": "13:30-17:00"})
    assert r.status_code == 302 and r.headers["Location"] == "/setup/services"
    assert empty_appliance.settings.office.name == "UBND xã An Bình"
    assert empty_appliance.settings.office.agency_code == "000.00.06.H56"

    # 2. services from the catalog's fields of work, and counters
    page = text(client.get("/setup/services"))
    assert "Hộ tịch" in page and "Chứng thực" in page and "Đăng ký khai sinh" in page
    r = post_form(client, "/setup/services", {"counters": "2"})
    assert r.status_code == 400 and "ít nhất một lĩnh vực" in text(r)
    r = post_form(client, "/setup/services", {"services": ["HT", "CT"], "counters": "2"})
    assert r.status_code == 302 and r.headers["Location"] == "/setup/devices"
    conn = empty_appliance.db.conn()
    assert [(s["code"], s["prefix"]) for s in office_store.list_services(conn)] == [("HT", "A"), ("CT", "B")]
    assert [(c["id"], sorted(c["services"])) for c in office_store.list_counters(conn)] == \
        [(1, ["CT", "HT"]), (2, ["CT", "HT"])]

    # 3. printer and pager: nothing plugged in here, so simulated by default; USB is not offered
    page = text(client.get("/setup/devices"))
    assert re.search(r'name="printer" value="sim" checked', page)
    assert re.search(r'name="printer" value="usb"[^>]*disabled', page)
    r = post_form(client, "/setup/devices", {"printer": "sim", "pager": "none"})
    assert r.status_code == 302 and r.headers["Location"] == "/setup/done"
    reloaded = config_mod.load(env={}, default_path=tmp_path / "none.toml",
                               overrides={"storage": {"path": empty_appliance.settings.storage.path}})
    assert reloaded.printer.url == f"sim://{empty_appliance.state_dir / 'devices' / 'printer'}"
    assert reloaded.pager.url == ""

    # 4. done: what to do next
    page = text(client.get("/setup/done"))
    assert "/admin/screens" in page and "/kiosk" in page and "/counter/1" in page
    assert firstboot.wizard_step(empty_appliance.db) == "done"
    assert [r["action"] for r in audit_rows(empty_appliance, "setup.services")] == ["setup.services"]


def test_the_wizard_is_for_administrators_only(app, role_client):
    client = role_client("officer")
    assert client.get("/setup/office").status_code == 403
    assert client.get("/setup").headers["Location"] == "/login"


def test_the_panel_file_takes_only_the_wizards_device_choices(appliance, tmp_path):
    with pytest.raises(config_mod.ConfigError):
        config_mod.save_panel_settings(appliance.settings, {"printer": {"url": "file:///etc/passwd"}})
    with pytest.raises(config_mod.ConfigError):
        config_mod.save_panel_settings(appliance.settings, {"pager": {"url": "", "system_id": 3}})
    panel = config_mod.panel_file(appliance.settings.storage.path)
    panel.write_text('[printer]\nurl = "tcp://10.0.0.9:9100"\n', encoding="utf-8")  # written by hand
    with pytest.raises(config_mod.ConfigError, match="lựa chọn của trình cài đặt"):
        config_mod.load(env={}, default_path=tmp_path / "none.toml",
                        overrides={"storage": {"path": appliance.settings.storage.path}})

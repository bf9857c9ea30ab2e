"""The doctor's newer families: the office (services, counters, agency code), the Pi's UART,
what is plugged into USB, announcements; one crashing family is reported, not fatal."""
from __future__ import annotations

import pytest

from appliance.config import load
from appliance.ops import doctor, exit_status
from appliance.ops.check import FAIL, OK, SKIP, WARN
from appliance.ops.checks import devices, usb
from appliance.store import office_store
from appliance.store.db import Database


@pytest.fixture
def make_settings(tmp_path):
    def make(text: str = "") -> object:
        cfg = tmp_path / "config.toml"
        cfg.write_text(f'[storage]\npath = "{tmp_path / "state" / "motcua.db"}"\n' + text, encoding="utf-8")
        return load(cfg, env={})
    return make


def run(settings, **kw):
    kw.setdefault("clock_synced", lambda: True)
    kw.setdefault("hub_timeout_s", 1)
    return {c.area: c for c in doctor.run_doctor(settings, **kw)}


def database(settings) -> Database:
    db = Database(settings.storage.path)
    db.open_checked()
    return db


def test_an_office_with_no_services_or_counters_is_an_error(make_settings):
    s = make_settings('[office]\nagency_code = "000.00.31.H26"\n')
    db = database(s)
    assert doctor.check_services_and_counters is not None
    checks = run(s)
    office = checks["Lĩnh vực và quầy"]
    assert office.status == FAIL and "chưa có lĩnh vực" in office.message and "Quản trị" in office.action
    assert exit_status(checks.values()) == 1
    with db.write() as conn:
        office_store.upsert_service(conn, "HT", "Hộ tịch", "A")
        office_store.upsert_service(conn, "CT", "Chứng thực", "B")
    assert "chưa có quầy" in run(s)["Lĩnh vực và quầy"].message
    with db.write() as conn:
        office_store.upsert_counter(conn, 1, "Quầy 1", ["HT"])
    orphan = run(s)["Lĩnh vực và quầy"]
    assert orphan.status == FAIL and "CT" in orphan.message and "HT" not in orphan.message
    with db.write() as conn:
        office_store.upsert_counter(conn, 2, "Quầy 2", ["CT"])
    assert run(s)["Lĩnh vực và quầy"].status == OK and "2 lĩnh vực, 2 quầy" in run(s)["Lĩnh vực và quầy"].message
    db.close()


def test_the_agency_code_is_the_law_lanes_check_in_the_office_family(make_settings):
    placeholder = run(make_settings())["Mã cơ quan"]
    assert placeholder.status == WARN and "agency_code" in placeholder.action
    assert run(make_settings('[office]\nagency_code = "000.00.31.H26"\n'))["Mã cơ quan"].status == OK


def test_a_pager_on_the_pi_uart_must_not_share_it_with_the_console(make_settings, tmp_path):
    s = make_settings('[pager]\nurl = "serial:///dev/serial0?baudrate=9600"\n')
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("console=serial0,115200 console=tty1 root=PARTUUID=1-02 rootwait\n")
    check = run(s, proc_cmdline=cmdline)["Bộ phát thẻ rung (UART)"]
    assert check.status == FAIL and "console=serial0" in check.action and "enable_uart=1" in check.action
    cmdline.write_text("console=tty1 root=PARTUUID=1-02 rootwait\n")
    assert run(s, proc_cmdline=cmdline)["Bộ phát thẻ rung (UART)"].status == OK
    # /dev/serial0 -> ttyAMA0, console on ttyAMA0: the same port under another name.
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "ttyAMA0").write_text("")
    (dev / "serial0").symlink_to("ttyAMA0")
    cmdline.write_text("console=ttyAMA0,115200 console=tty1\n")
    assert devices.check_uart_console(s.pager.url, cmdline, dev).status == FAIL
    assert devices.check_uart_console("serial:///dev/ttyUSB0", cmdline, dev) is None
    assert devices.uart_name("serial:///dev/ttyAMA0") == "ttyAMA0" and devices.uart_name("sim://x") == ""


def fake_usb(root, name, vendor, product, label=""):
    dev = root / name
    dev.mkdir(parents=True)
    (dev / "idVendor").write_text(vendor + "\n")
    (dev / "idProduct").write_text(product + "\n")
    if label:
        (dev / "product").write_text(label + "\n")


def test_usb_devices_are_listed_by_id_with_the_known_ones_named(make_settings, tmp_path):
    sysfs = tmp_path / "usb"
    fake_usb(sysfs, "usb1", "1d6b", "0002", "root hub")
    fake_usb(sysfs, "1-1", "0416", "5011", "POS58 Printer")
    fake_usb(sysfs, "1-2", "1a86", "7523")
    fake_usb(sysfs, "1-3", "046d", "c52b", "USB Receiver")
    (sysfs / "1-1:1.0").mkdir()  # an interface: no ids
    check = run(make_settings(), sysfs_usb=sysfs)["Thiết bị USB"]
    assert check.status == WARN and "chưa cấu hình" in check.message
    assert "0416:5011" in check.message and "POS-58/80" in check.message and "(máy in)" in check.message
    assert "1a86:7523" in check.message and "CH340" in check.message
    assert "046d:c52b USB Receiver" in check.message and "1d6b" not in check.message
    configured = make_settings('[printer]\nurl = "file:///dev/motcua-printer"\n'
                               '[pager]\nurl = "serial:///dev/motcua-pager"\n')
    assert usb.check_usb(sysfs, configured.printer.url, configured.pager.url).status == OK
    empty = tmp_path / "none"
    empty.mkdir()
    assert usb.check_usb(empty, "", "").status == OK
    assert usb.check_usb(tmp_path / "missing", "", "").status == SKIP


def test_espeak_for_announcements(make_settings):
    s = make_settings()
    missing = run(s, which=lambda name: None)["Loa thông báo"]
    assert missing.status == WARN and "apt install espeak-ng" in missing.action
    assert run(s, which=lambda name: f"/usr/bin/{name}")["Loa thông báo"].status == OK
    assert run(make_settings("[audio]\nenabled = false\n"), which=lambda n: None)["Loa thông báo"].status == SKIP


def test_a_crashing_family_is_a_failed_check_and_the_others_still_answer(make_settings, monkeypatch):
    def broken(ctx):
        raise RuntimeError("hỏng")
    monkeypatch.setattr(usb, "run", broken)
    checks = run(make_settings())
    assert checks["Kiểm tra usb"].status == FAIL and "RuntimeError: hỏng" in checks["Kiểm tra usb"].message
    assert "Đồng hồ" in checks and "Dung lượng thẻ nhớ" in checks
    assert exit_status(checks.values()) == 1

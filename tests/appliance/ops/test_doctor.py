"""motcua doctor over real files, sockets, a pty and a SQLite database on disk."""
from __future__ import annotations

import http.server
import os
import re
import socket
import sqlite3
import threading
import time
import unicodedata

import pytest

from appliance.config import load
from appliance.ops import Check, doctor, exit_status, format_report, run_doctor
from appliance.ops.check import FAIL, OK, SKIP, WARN
from appliance.ops.probes import probe_device
from appliance.store.db import Database, latest_version


@pytest.fixture
def settings_for(tmp_path):
    def make(**sections):
        cfg = tmp_path / "config.toml"
        lines = []
        sections.setdefault("storage", {"path": str(tmp_path / "state" / "motcua.db")})
        for name, values in sections.items():
            lines.append(f"[{name}]")
            for k, v in values.items():
                lines.append(f"{k} = {toml_value(v)}")
        cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return load(cfg, env={})
    return make


def toml_value(v) -> str:
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, dict):
        return "{ " + ", ".join(f'"{k}" = {toml_value(x)}' for k, x in v.items()) + " }"
    return repr(v)


def migrated_db(settings) -> None:
    db = Database(settings.storage.path)
    db.open_checked()
    db.close()


def by_area(checks: list[Check]) -> dict[str, Check]:
    return {c.area: c for c in checks}


def fast(settings, **kw):
    kw.setdefault("clock_synced", lambda: True)
    return run_doctor(settings, **kw)


def test_missing_database_is_a_failure_with_what_to_do(settings_for):
    s = settings_for()
    checks = by_area(fast(s))
    db = checks["Cơ sở dữ liệu"]
    assert db.status == FAIL and "motcua init" in db.action
    assert "sudo systemctl restart motcua-firstboot" in db.action
    # as root, `motcua init` would create a database the service user cannot write
    assert "sudo motcua init" not in db.action
    assert f"sudo -u motcua env MOTCUA_CONFIG={s.source} motcua init" in db.action
    assert exit_status(checks.values()) == 1


def test_healthy_database_and_old_backup(settings_for, tmp_path):
    s = settings_for()
    migrated_db(s)
    backup = tmp_path / "state" / "backup"
    backup.mkdir()
    (backup / "motcua-old.db").write_bytes(b"x")
    old = time.time() - 10 * 86400
    os.utime(backup / "motcua-old.db", (old, old))
    checks = by_area(fast(s))
    assert checks["Cơ sở dữ liệu"].status == OK
    assert f"phiên bản {latest_version()}" in checks["Cơ sở dữ liệu"].message
    assert checks["Sao lưu"].status == WARN and "10 ngày" in checks["Sao lưu"].message


def test_outdated_and_corrupt_database(settings_for, tmp_path):
    s = settings_for()
    db = Database(s.storage.path)
    db.migrate(target=1)
    db.close()
    outdated = by_area(fast(s))["Cơ sở dữ liệu"]
    assert outdated.status == WARN and "sudo motcua init" not in outdated.action
    assert outdated.action.startswith(f"Chạy: sudo -u motcua env MOTCUA_CONFIG={s.source} motcua init")
    path = tmp_path / "bad.db"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE t (x); " + "INSERT INTO t VALUES (randomblob(4000));" * 50)
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 + 100:4096 + 400] = b"\xff" * 300  # smash the second page
    path.write_bytes(bytes(data))
    s2 = settings_for(storage={"path": str(path)})
    check = by_area(fast(s2))["Cơ sở dữ liệu"]
    assert check.status == FAIL and "sao lưu" in check.action


def test_devices_real_probes(settings_for, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    master, slave = os.openpty()
    try:
        s = settings_for(printer={"url": f"tcp://127.0.0.1:{port}"},
                         pager={"url": f"serial://{os.ttyname(slave)}?baudrate=19200"})
        checks = by_area(fast(s))
        assert checks["Máy in"].status == OK
        assert checks["Bộ phát thẻ rung"].status == OK
    finally:
        os.close(master)
        os.close(slave)
        listener.close()
    closed = probe_device("Máy in", f"tcp://127.0.0.1:{port}", timeout_s=1)
    assert closed.status == FAIL and "máy in đã bật" in closed.action
    missing = probe_device("Máy in", "file:///dev/usb/lp9-does-not-exist")
    assert missing.status == FAIL and "cáp USB" in missing.action
    assert probe_device("Máy in", "").status == SKIP
    assert probe_device("Máy in", f"sim://{tmp_path}").status == WARN


def test_usb_probe_reads_sysfs(tmp_path):
    dev = tmp_path / "1-1"
    dev.mkdir()
    (dev / "idVendor").write_text("04b8\n")
    (dev / "idProduct").write_text("0202\n")
    assert probe_device("Máy in", "usb://04b8:0202", sysfs_usb=tmp_path).status == OK
    assert probe_device("Máy in", "usb://0x04B8:0x0e15", sysfs_usb=tmp_path).status == FAIL


def test_gpio_checks(settings_for, tmp_path):
    s = settings_for(gpio={"call_buttons": {"1": 17}, "factory": "auto"})
    empty_dev = tmp_path / "dev"
    empty_dev.mkdir()
    assert doctor.check_gpio(s, empty_dev).status == FAIL
    (empty_dev / "gpiochip0").write_text("")
    assert doctor.check_gpio(s, empty_dev).status == OK
    assert doctor.check_gpio(settings_for(), empty_dev).status == SKIP
    mock = settings_for(gpio={"call_buttons": {"1": 17}, "factory": "mock"})
    assert doctor.check_gpio(mock, empty_dev).status == WARN


def test_gpio_pager_alone_needs_no_gpio_factory(settings_for, tmp_path):
    """A gpio:// pager drives lgpio itself: [gpio].factory is irrelevant, only the chip matters."""
    dev = tmp_path / "dev"
    dev.mkdir()
    for factory in ("none", "mock"):
        s = settings_for(gpio={"factory": factory}, pager={"url": "gpio://17", "protocol": "retekess-t119"})
        assert doctor.check_gpio(s, dev).status == FAIL  # no /dev/gpiochip*
        (dev / "gpiochip0").write_text("")
        check = doctor.check_gpio(s, dev)
        assert check.status == OK and "factory" not in check.action and "gpio://17" in check.message
        (dev / "gpiochip0").unlink()
    both = settings_for(gpio={"factory": "none", "call_buttons": {"1": 5}}, pager={"url": "gpio://17"})
    assert doctor.check_gpio(both, dev).status == WARN  # the buttons still need a factory


def test_clock_disk_fonts_and_sync(settings_for, tmp_path):
    s = settings_for()
    checks = by_area(run_doctor(s, clock_synced=lambda: False, min_free_mb=10**9,
                                fonts=(str(tmp_path / "none.ttf"),)))
    assert checks["Đồng hồ"].status == WARN
    assert checks["Dung lượng thẻ nhớ"].status == FAIL
    assert checks["Phông chữ"].status == FAIL and "fonts-dejavu-core" in checks["Phông chữ"].action
    assert checks["Đồng bộ"].status == SKIP
    assert doctor.check_fonts().status == OK  # fonts-dejavu-core is installed here


def test_sync_unreachable_and_not_enrolled(settings_for):
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{port.getsockname()[1]}"
    port.close()
    s = settings_for(sync={"url": url})
    assert doctor.check_sync(s).status == WARN and "motcua enroll" in doctor.check_sync(s).action
    s = settings_for(sync={"url": url, "token": "abc"})
    migrated_db(s)
    check = doctor.check_sync(s, timeout_s=1)
    assert check.status == WARN and "0 sự kiện chờ gửi" in check.message


class FakeHub(http.server.BaseHTTPRequestHandler):
    """/api/v1/health open to all; a device's config only with its current token."""
    tokens = {"7": "good-token"}

    def do_GET(self):  # noqa: N802
        if self.path == "/api/v1/health":
            return self.answer(200)
        m = re.fullmatch(r"/api/v1/devices/(\w+)/config", self.path)
        if not m:
            return self.answer(404)
        expected = self.tokens.get(m.group(1))
        if self.headers.get("Authorization") != f"Bearer {expected}":
            return self.answer(401)
        return self.answer(200)

    def answer(self, code: int) -> None:
        body = b"{}"
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def hub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_sync_revoked_device_token_is_reported_although_the_hub_is_up(settings_for, hub):
    from appliance.sync import identity
    s = settings_for(sync={"url": hub})
    identity.save(s.state_dir, identity.Identity(hub, "7", "good-token"))
    assert doctor.check_sync(s, timeout_s=2).status == OK
    identity.save(s.state_dir, identity.Identity(hub, "7", "revoked-token"))
    check = doctor.check_sync(s, timeout_s=2)
    assert check.status == FAIL
    assert check.message.startswith("Thiết bị đã bị thu hồi hoặc mã không đúng (máy chủ trả lời 401")
    assert "motcua-hub device add" in check.action
    assert f"sudo -u motcua env MOTCUA_CONFIG={s.source} motcua enroll URL MÃ" in check.action
    assert exit_status([check]) == 1


def test_report_is_vietnamese_nfc_and_main_handles_bad_config(tmp_path, capsys):
    bad = tmp_path / "config.toml"
    bad.write_text("[web]\nport = 99999\n", encoding="utf-8")
    assert doctor.main(str(bad)) == 1
    out = capsys.readouterr().out
    assert "[web].port" in out and "LỖI" in out and "Cần làm" in out
    assert unicodedata.is_normalized("NFC", out)
    report = format_report([Check("Máy in", OK, "tốt"), Check("Đồng hồ", WARN, "lệch", "chờ")])
    assert "không có lỗi, 1 cảnh báo" in report


def test_disk_figures_are_written_the_vietnamese_way(settings_for):
    assert doctor.vn_number(79575.4) == "79.575" and doctor.vn_number(252.04, 1) == "252,0"
    assert doctor.vn_number(1234567.891, 2) == "1.234.567,89" and doctor.vn_number(12) == "12"
    check = doctor.check_disk(settings_for())
    free, total = re.search(r"còn trống (\S+) MB / (\S+) GB", check.message).groups()
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", free) and re.fullmatch(r"\d{1,3}(\.\d{3})*,\d", total), check.message


def test_the_placeholder_agency_code_is_flagged_and_fails_when_the_code_space_is_delegated(settings_for):
    from appliance.ops.check import OK as OK_
    from appliance.ops.check import WARN as WARN_
    flagged = by_area(fast(settings_for()))["Mã cơ quan"]
    assert flagged.status == WARN_ and "mã mẫu" in flagged.message and "agency_code" in flagged.action
    refused = by_area(fast(settings_for(office={"code_space": "delegated"})))["Mã cơ quan"]
    assert refused.status == FAIL and "giao dải mã" in refused.message
    fine = by_area(fast(settings_for(office={"agency_code": "000.00.06.H56"})))["Mã cơ quan"]
    assert fine.status == OK_ and "000.00.06.H56" in fine.message


def test_paper_font_liberation_serif_with_vietnamese(tmp_path):
    from pathlib import Path

    from appliance.ops.checks.fonts import PAPER_FONT_CANDIDATES, check_paper_font, has_letters
    assert check_paper_font().status == OK            # fonts-liberation2 (bookworm) / fonts-liberation (trixie)
    assert any(has_letters(p, "Độc lập Ệ ữ ỹ") for p in PAPER_FONT_CANDIDATES if Path(p).exists())
    missing = check_paper_font((str(tmp_path / "none.ttf"),))
    assert missing.status == WARN and "fonts-liberation" in missing.action

"""``[printer]`` settings: profiles, URLs and options, each mistake one Vietnamese line."""
from __future__ import annotations

import pytest

from appliance.config import ConfigError
from appliance.printer.connectors import parse_url
from appliance.printer.options import PROFILES_58MM, PROFILES_80MM, parse_options, profile_width


def test_documented_profiles_have_the_right_widths():
    assert profile_width("TM-T20II") == 576
    assert profile_width("POS-5890") == 384
    assert {profile_width(p) for p in PROFILES_58MM} == {384}
    assert {profile_width(p) for p in PROFILES_80MM} <= {512, 576}


def test_unknown_profile_is_named():
    with pytest.raises(ConfigError, match=r"\[printer\]\.profile = 'XP-58'.*POS-5890"):
        profile_width("XP-58")
    with pytest.raises(ConfigError, match="không ghi bề rộng"):
        profile_width("default")
    assert profile_width("default", parse_options({"width_px": 384})) == 384


@pytest.mark.parametrize("key,value,hint", [
    ("number_mode", "big", "text, raster"),
    ("qr", "yes", "true hoặc false"),
    ("fragment_height", 0, "số nguyên 8–2400"),
    ("footer_lines", "Cảm ơn", "danh sách"),
    ("qr_template", "http://x/{ticket}", "{number}"),
    ("poll_s", 0, "số từ"),
])
def test_bad_option_names_the_key(key, value, hint):
    with pytest.raises(ConfigError) as err:
        parse_options({key: value})
    message = str(err.value)
    assert f"[printer].options.{key}" in message and hint in message and "\n" not in message


def test_unknown_option_lists_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"\[printer\]\.options\.colour.*number_mode"):
        parse_options({"colour": "red"})


def test_good_options_are_read():
    opts = parse_options({"number_mode": "raster", "footer_lines": ["Cảm ơn"], "poll_s": 5})
    assert opts.number_mode == "raster" and opts.footer_lines == ("Cảm ơn",) and opts.poll_s == 5.0


def test_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse_url("usb://0416:5011").vid == 0x0416
    t = parse_url("serial:///dev/ttyUSB0?baudrate=115200&flow=rtscts")
    assert (t.path, t.baudrate, t.flow) == ("/dev/ttyUSB0", 115200, "rtscts")
    assert parse_url("serial:///dev/ttyUSB0").baudrate == 9600
    assert (parse_url("tcp://printer.lan").port, parse_url("tcp://10.0.0.5:9101").port) == (9100, 9101)
    assert parse_url("file:///dev/usb/lp0").path == "/dev/usb/lp0"
    assert parse_url("sim://var/devices/printer").path == str(tmp_path / "var/devices/printer")
    assert parse_url("sim:///srv/sim").path == "/srv/sim"
    for bad in ("usb://xyz", "serial:///dev/ttyUSB0?baudrate=fast", "gpio://17", "tcp://", "usb://1:2?x=1"):
        with pytest.raises(ConfigError, match=r"\[printer\]\.url"):
            parse_url(bad)


def test_usb_connector_always_has_a_write_timeout():
    from appliance.printer.connection import Connection, PrinterUnavailable
    from appliance.printer.connectors import TimedUsb, make_printer
    printer = make_printer(parse_url("usb://0416:5011"), "POS-5890", 2.5, 0.5, 1024)
    assert isinstance(printer, TimedUsb) and printer.timeout == 2500 and printer.read_timeout_ms == 500
    conn = Connection("usb://f0f0:0f0f", "POS-5890", 1.0, 0.2)   # no such device on this machine
    with pytest.raises(PrinterUnavailable, match="không tìm thấy máy in"):
        conn.open()

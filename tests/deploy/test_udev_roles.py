"""The udev rules name the printer and the pager by USB id, not by which came first.

``udevadm test`` needs a real device, so the rules are walked here by a small evaluator of the
subset 60-motcua.rules uses (match ==/!= with globs and |, ENV, ATTRS on one parent, GOTO/LABEL,
assignments), for a tty device with given ids; and the ids are the ones appliance/devices/usb_ids.py
lists for doctor, no more, no less."""
from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest

from appliance.devices import usb_ids

RULES = Path(__file__).resolve().parents[2] / "systemd/60-motcua.rules"
TOKEN = re.compile(r'^([A-Z]+)(?:\{(\w+)\})?(==|!=|\+=|-=|:=|=)"([^"]*)"$')


def rules() -> list[list[tuple[str, str | None, str, str]]]:
    out = []
    for line in RULES.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            out.append([TOKEN.match(t.strip()).groups() for t in line.split(", ")])
    return out


def matches(value: str, pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(value, p) for p in pattern.split("|"))


def walk(subsystem: str, kernel: str, vendor: str, product: str, env: dict | None = None) -> dict:
    """What the rules do to one device: its ENV, SYMLINKs and OPTIONS."""
    device = {"SUBSYSTEM": subsystem, "KERNEL": kernel, "ACTION": "add"}
    attrs = {"idVendor": vendor, "idProduct": product}
    env = dict(env or {})
    links, options = [], []
    lines = rules()
    i = 0
    while i < len(lines):
        tokens, jump = lines[i], None
        ok = True
        for key, attr, op, value in tokens:
            if op not in ("==", "!="):
                continue
            have = (env.get(attr, "") if key == "ENV" else attrs.get(attr, "") if key in ("ATTRS", "ATTR")
                    else device.get(key, ""))
            hit = bool(have) and matches(have, value) if value != "" else have == ""
            if (op == "==") != hit:
                ok = False
                break
        if ok:
            for key, attr, op, value in tokens:
                if key == "ENV" and op == "=":
                    env[attr] = value
                elif key == "SYMLINK" and op == "+=":
                    links.append(value)
                elif key == "OPTIONS":
                    options.append(value)
                elif key == "GOTO":
                    jump = value
        if jump:
            i = next(n for n, t in enumerate(lines) if t[0][0] == "LABEL" and t[0][3] == jump)
        i += 1
    return {"env": env, "links": links, "options": options}


@pytest.mark.parametrize("kernel,vendor,product,link", [
    ("ttyUSB0", "1a86", "7523", "motcua-pager"),    # CH340 adapter of a pager transmitter
    ("ttyUSB0", "0403", "6001", "motcua-pager"),    # FTDI
    ("ttyACM0", "2e8a", "000a", "motcua-pager"),    # the RP2040 RF bridge
    ("ttyACM0", "0416", "5011", "motcua-printer"),  # a POS-58 printer's virtual COM port
    ("ttyUSB0", "04b8", "0e15", "motcua-printer"),  # an Epson through its serial interface
    ("ttyACM0", "0416", "c141", None),              # another Winbond device: not ours
    ("ttyACM0", "1234", "5678", None),              # unknown: no name at all
])
def test_role_by_id(kernel, vendor, product, link):
    result = walk("tty", kernel, vendor, product)
    ours = [name for name in result["links"] if name.startswith("motcua-")]
    assert ours == ([link] if link else [])
    assert result["env"].get("ID_MM_DEVICE_IGNORE") == "1"  # ModemManager off every USB serial port


def test_the_bridge_wins_over_a_bare_adapter():
    bridge = walk("tty", "ttyACM0", "2e8a", "000a")
    adapter = walk("tty", "ttyUSB0", "1a86", "7523")
    assert "link_priority=10" in bridge["options"] and not adapter["options"]


def test_a_local_pin_keeps_a_printer_behind_a_ch340_off_the_pager():
    pinned = walk("tty", "ttyUSB1", "1a86", "7523", env={"MOTCUA_ROLE": "printer"})
    assert [n for n in pinned["links"] if n.startswith("motcua-")] == ["motcua-printer"]


def test_the_rules_list_the_table_ids_exactly():
    text = RULES.read_text()
    by_role: dict[str, set[tuple[str, str | None]]] = {"printer": set(), "pager": set()}
    for tokens in rules():
        role = next((v for k, a, op, v in tokens if k == "ENV" and a == "MOTCUA_ROLE" and op == "="), None)
        if role is None:
            continue
        vendors = next(v for k, a, op, v in tokens if a == "idVendor").split("|")
        product = next((v for k, a, op, v in tokens if a == "idProduct"), None)
        by_role[role] |= {(v, product) for v in vendors}
    table: dict[str, set[tuple[str, str | None]]] = {"printer": set(), "pager": set()}
    for known in usb_ids.KNOWN:
        table[usb_ids.serial_role(known.vendor, known.product or "0000")].add((known.vendor, known.product))
    assert by_role == table
    assert "59-motcua-local.rules" in text


def test_identify():
    assert usb_ids.identify("0416", "5011").kind == usb_ids.PRINTER
    assert usb_ids.identify("1A86", "7523").kind == usb_ids.SERIAL_ADAPTER
    assert usb_ids.serial_role("1a86", "7523") == "pager"
    assert usb_ids.identify("0416", "c141") is None and usb_ids.serial_role("dead", "beef") is None

"""DLE EOT replies and what the officer is told."""
from __future__ import annotations

from appliance.printer.status import Reading, health, parse_online, parse_paper


def test_replies():
    assert parse_online(b"\x12") is True
    assert parse_online(b"\x1a") is False
    assert parse_online(b"") is None          # silence is unknown, never ok
    assert parse_online(b"\xff") is None      # garbage is unknown too
    assert parse_paper(b"\x12") == "ok"
    assert parse_paper(b"\x1e") == "low"
    assert parse_paper(b"\x72") == "out"
    assert parse_paper(b"") == "unknown"


def test_health_messages():
    dev = "máy in mạng 127.0.0.1:9100"
    assert health(Reading(True, "ok"), dev) == ("ok", "Máy in sẵn sàng")
    assert health(Reading(True, "low"), dev)[0] == "warning"
    state, msg = health(Reading(False, "out"), dev)
    assert state == "error" and "hết giấy" in msg
    state, msg = health(Reading(None, "unknown"), dev)
    assert state == "unknown" and msg.startswith("Máy in mạng")
    state, msg = health(None, dev, link_error="không tìm thấy máy in")
    assert state == "error" and dev in msg and "tự kết nối lại" in msg

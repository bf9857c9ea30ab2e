"""The support bundle: a real tar.gz, redacted."""
from __future__ import annotations

import json
import tarfile

from appliance.config import load
from appliance.ops import write_support_bundle
from appliance.ops.check import Check
from appliance.ops.redact import redact_text
from appliance.store.db import Database


def test_bundle_contents_are_redacted(tmp_path):
    cfg = tmp_path / "config.toml"
    db_path = tmp_path / "state" / "motcua.db"
    cfg.write_text(f'[storage]\npath = "{db_path}"\n[sync]\nurl = "https://hub.example"\n'
                   'token = "s3cr3t-device-token"\n', encoding="utf-8")
    settings = load(cfg, env={})
    db = Database(db_path)
    db.open_checked()
    db.close()
    log = ("motcua[1]: POST https://hub.example/api Authorization: Bearer s3cr3t-device-token\n"
           "motcua[1]: hồ sơ của bà Lan, SĐT 0912 345 678, CCCD 079203001234\n")
    out = write_support_bundle(settings, tmp_path, journal=lambda: log,
                               doctor=lambda s: [Check("Máy in", "ok", "tốt")])
    assert out.parent == tmp_path and out.name.startswith("motcua-ho-tro-")
    with tarfile.open(out) as tar:
        names = {m.name.split("/", 1)[1]: m for m in tar.getmembers()}
        text = {n: tar.extractfile(m).read().decode("utf-8") for n, m in names.items()}
    assert set(text) >= {"README.txt", "config.json", "config.toml", "versions.json",
                         "database.json", "doctor.txt", "journal.txt"}
    everything = "".join(text.values())
    assert "s3cr3t" not in everything
    assert "0912 345 678" not in everything and "079203001234" not in everything
    assert json.loads(text["config.json"])["sync"]["token"] == "***"
    assert 'token = "***"' in text["config.toml"]
    assert json.loads(text["database.json"])["rows"]["outbox"] == 0
    versions = json.loads(text["versions.json"])
    assert versions["packages"]["pillow"] or versions["packages"]["Pillow"]
    assert "ỔN" in text["doctor.txt"]


def test_bundle_survives_broken_doctor_and_journal(tmp_path):
    settings = load(None, env={"MOTCUA_STORAGE_PATH": str(tmp_path / "x.db")})

    def boom(*_):
        raise RuntimeError("hỏng")

    out = write_support_bundle(settings, tmp_path / "b.tar.gz", journal=boom, doctor=boom)
    with tarfile.open(out) as tar:
        doctor = tar.extractfile("motcua-ho-tro/doctor.txt").read().decode()
        journal = tar.extractfile("motcua-ho-tro/journal.txt").read().decode()
    assert "hỏng" in doctor and "hỏng" in journal


def test_redact_text_keeps_ordinary_numbers():
    line = "ticket A015 seq 12345 port 8080 ip 192.168.1.10 at 2026-11-23T08:01:02+07:00"
    assert redact_text(line) == line
    assert redact_text("user=admin password=hunter2") == "user=admin password=***"
    assert redact_text("tel +84 912345678") == "tel <số điện thoại>"

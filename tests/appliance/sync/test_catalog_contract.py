"""The catalog contract through the real sync (#13): the hub (a process on PostgreSQL) publishes
what an appliance accepts — the hub's demo catalog is the appliance's own — and refuses what every
appliance would reject; a rejected catalog (an older hub stored it) is a short alert on the admin
page and in doctor, and the appliance keeps its catalog."""
import json
import random
import subprocess
import sys

import psycopg

from appliance.catalog.loader import CATALOG_DIR
from appliance.ops.check import OK, WARN
from appliance.ops.doctor import check_catalog_from_hub
from appliance.services import accounts
from appliance.store import accounts as account_store
from appliance.store import outbox
from appliance.sync.client import SyncClient, SyncError, enroll
from appliance.sync.identity import Identity

HUB = [sys.executable, "-m", "district.cli"]

LEGACY = {"fields": [{"code": "HT", "name": "Hộ tịch"}, {"code": "CT", "name": "Chứng thực"}],
          "procedures": [{"code": "1.001193", "name": "Đăng ký khai sinh", "field": "HT"},
                         {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "CT"}]}


def client_for(appliance, base, ident):
    ident = Identity(hub_url=base, device_id=ident.device_id, device_token=ident.device_token)
    return SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir, ident,
                      sleep=lambda s: None, rng=random.Random(1))


def test_the_hubs_demo_catalog_is_accepted_through_the_real_sync(hub, device, appliance, tmp_path):
    hub.forget_catalogs()
    ident = enroll(hub.base, device.token, appliance.state_dir)
    # what `motcua-hub demo` publishes: the appliance's built-in catalog, from its TOML directory
    out = hub.cli("catalog", "publish", str(CATALOG_DIR))
    assert "Danh mục phiên bản" in out
    client = client_for(appliance, hub.base, ident)
    assert client.pull_catalog() is True
    pulled = json.loads((appliance.state_dir / "catalog.json").read_text(encoding="utf-8"))
    assert appliance.catalog().version == pulled["version"]
    assert appliance.catalog().get("1.001193").name == "Đăng ký khai sinh"
    assert any(h.tentative for h in appliance.catalog().holidays)   # tentative days travel with it
    assert outbox.catalog_rejected(appliance.db.conn()) is None
    assert check_catalog_from_hub(appliance.settings).status == OK


def test_the_hub_refuses_a_catalog_every_appliance_would_reject(hub, tmp_path):
    file = tmp_path / "legacy.json"
    file.write_text(json.dumps(LEGACY, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run(HUB + ["catalog", "publish", str(file)], env=hub.env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode != 0
    lines = [line for line in r.stderr.splitlines() if line.startswith("- ")]
    assert 1 <= len(lines) <= 6 and all(len(line) <= 170 for line in lines), r.stderr
    assert "Thiết bị sẽ từ chối danh mục này" in r.stderr


def test_a_rejected_catalog_is_a_short_alert_and_the_old_one_stays(hub, device, appliance, app):
    hub.forget_catalogs()
    ident = enroll(hub.base, device.token, appliance.state_dir)
    before = appliance.catalog().version
    with psycopg.connect(hub.db_url) as conn:   # what an older hub stored without checking
        conn.execute("INSERT INTO catalog_versions (etag, content, published_at, note) "
                     "VALUES ('legacy', %s, now(), 'legacy')", (json.dumps(LEGACY),))
    client = client_for(appliance, hub.base, ident)
    try:
        client.pull_catalog()
        raise AssertionError("the legacy catalog was accepted")
    except SyncError as exc:
        assert exc.permanent and "bị từ chối" in str(exc)
    assert appliance.catalog().version == before
    rejected = outbox.catalog_rejected(appliance.db.conn())
    assert 1 <= len(rejected["problems"]) <= 6 and all(len(p) <= 170 for p in rejected["problems"])
    doctor = check_catalog_from_hub(appliance.settings)
    assert doctor.status == WARN and "bị từ chối" in doctor.message and len(doctor.message) < 1200
    admin = app.test_client()
    with appliance.units() as tx:
        user_id = accounts.add_user(tx, "quantri", "admin", "mat-khau-rat-dai-2026", "Quản trị thử")
    with appliance.db.write() as conn:       # a real login: the user and a live server-side session
        sid = account_store.start_session(conn, user_id, "127.0.0.1", appliance.clock())
    with admin.session_transaction() as session:
        session.update({"user_id": user_id, "sid": sid})
    page = admin.get("/admin/").get_data(as_text=True)
    assert "catalog-rejected" in page and "bị từ chối" in page and rejected["problems"][0] in page
    hub.forget_catalogs()
    hub.cli("catalog", "publish", str(CATALOG_DIR))
    assert client.pull_catalog() is True and outbox.catalog_rejected(appliance.db.conn()) is None
    assert "catalog-rejected" not in admin.get("/admin/").get_data(as_text=True)


def test_a_province_fee_pack_is_published_by_the_hub_and_applied_from_its_effective_date(
        hub, device, appliance, tmp_path, clock):
    from datetime import date
    hub.forget_catalogs()
    with psycopg.connect(hub.db_url) as conn:
        conn.execute("DELETE FROM hub_meta WHERE key = 'fee_pack'")
    ident = enroll(hub.base, device.token, appliance.state_dir)
    hub.cli("catalog", "publish", str(CATALOG_DIR))
    client = client_for(appliance, hub.base, ident)
    assert client.pull_fee_pack() is False                      # none published yet
    code = next(p.code for p in appliance.catalog().procedures.values() if p.fee.province_set
                and p.fee.kind == "fixed")
    national = next(p.code for p in appliance.catalog().procedures.values() if not p.fee.province_set)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 1, "province": "Hà Nội", "resolution": "Nghị quyết số 06/2025/NQ-HĐND",
                               "effective": "2026-12-01", "fees": {national: {"amount": 1}}}), encoding="utf-8")
    r = subprocess.run(HUB + ["fees", "publish", str(bad)], env=hub.env, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "trung ương" in r.stderr
    good = tmp_path / "fees.json"
    good.write_text(json.dumps({"format": 1, "province": "Hà Nội", "resolution": "Nghị quyết số 06/2025/NQ-HĐND",
                                "effective": "2026-12-01", "fees": {code: {"amount": 12345}}},
                               ensure_ascii=False), encoding="utf-8")
    assert "Nghị quyết số 06/2025/NQ-HĐND" in hub.cli("fees", "publish", str(good))
    before = appliance.catalog().get(code).fee.amount
    assert client.pull_fee_pack() is True and client.pull_fee_pack() is False   # then 304 by ETag
    assert appliance.fee_pack().resolution == "Nghị quyết số 06/2025/NQ-HĐND"
    assert appliance.fee_pack().effective == date(2026, 12, 1)
    assert appliance.catalog().get(code).fee.amount == before   # Monday 30/11: not in force yet
    clock.advance(86400)                                        # Tuesday 1/12: in force
    fee = appliance.catalog().get(code).fee
    assert fee.amount == 12345 and "Nghị quyết số 06/2025/NQ-HĐND" in fee.note

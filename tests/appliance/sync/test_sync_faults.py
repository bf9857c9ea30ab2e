"""Appliance → hub sync against the real hub process on PostgreSQL, under faults. After each:
the hub holds every event exactly once, in sequence, and the appliance's backlog is empty."""
import json
import random
import stat
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from appliance.store import outbox
from appliance.sync.client import SyncClient, SyncError, enroll
from appliance.sync.identity import Identity, load


def fill_outbox(appliance, n, start_ts=None):
    for i in range(n):
        appliance.engine.issue(("HT", "CT", "XH")[i % 3])
    return outbox.backlog(appliance.db.conn())


def client_for(appliance, base, ident):
    ident = Identity(hub_url=base, device_id=ident.device_id, device_token=ident.device_token)
    return SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir, ident,
                      sleep=lambda s: None, rng=random.Random(1))


@pytest.fixture
def enrolled(hub, device, appliance):
    """This test's own device on the module's hub, enrolled by the appliance."""
    return enroll(hub.base, device.token, appliance.state_dir)


def assert_exactly_once(hub, appliance, device_id):
    conn = appliance.db.conn()
    expected = [r[0] for r in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
    stored = hub.events(device_id)
    assert [r[0] for r in stored] == expected
    ids = [r[1] for r in stored]
    assert len(set(ids)) == len(ids)
    assert outbox.backlog(conn) == 0


def test_enrolment_stores_identity_0600_and_token_is_single_use(hub, appliance):
    from appliance.sync.identity import EnrolmentError
    code = f"xa-cli-{uuid.uuid4().hex[:8]}"  # created with the real command, as an operator would
    token = hub.cli("device", "add", code, "--name", "UBND xã Dương Xá").splitlines()[0].strip()
    enroll(hub.base, token, appliance.state_dir)
    path = appliance.state_dir / "sync-identity.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load(appliance.state_dir).device_id == code
    with pytest.raises(EnrolmentError, match="từ chối"):
        enroll(hub.base, "sai-ma", appliance.state_dir / "other")
    with pytest.raises(EnrolmentError, match="từ chối"):
        enroll(hub.base, token, appliance.state_dir / "again")  # the same token a second time


def test_drain_and_same_batch_twice(hub, appliance, enrolled):
    fill_outbox(appliance, 30)
    client = client_for(appliance, hub.base, enrolled)
    client.cycle()
    assert_exactly_once(hub, appliance, enrolled.device_id)
    # the appliance forgets the ack (e.g. restored from a backup) and sends everything again
    with appliance.db.write() as conn:
        conn.execute("DELETE FROM kv WHERE key = 'sync.acked_through'")
    result = client.push_once()
    assert result.acked_through == outbox.acked_through(appliance.db.conn())
    assert_exactly_once(hub, appliance, enrolled.device_id)


def test_hub_down_for_the_whole_run_then_up(hub, appliance, enrolled):
    hub.stop()
    backlog = fill_outbox(appliance, 20)
    client = client_for(appliance, hub.base, enrolled)
    for _ in range(3):
        with pytest.raises(SyncError, match="Không gửi được"):
            client.cycle()
    assert outbox.backlog(appliance.db.conn()) == backlog
    status = json.loads(appliance.db.conn().execute("SELECT value FROM kv WHERE key = 'sync.status'").fetchone()[0])
    assert status["last_error"] and status["backlog"] == backlog
    waits = [client.wait_after_error(SyncError("x")) for _ in range(6)]
    assert all(0 <= w <= 600 for w in waits)
    hub.start()
    client.cycle()
    assert_exactly_once(hub, appliance, enrolled.device_id)


def test_connection_cut_mid_batch(hub, proxy, appliance, enrolled):
    fill_outbox(appliance, 25)
    client = client_for(appliance, proxy.base, enrolled)
    proxy.plan = ["cut-after-request"]
    with pytest.raises(SyncError):
        client.push_once()
    assert outbox.backlog(appliance.db.conn()) > 0  # not acknowledged, so kept
    client.cycle()
    assert "cut-after-request" in proxy.seen
    assert_exactly_once(hub, appliance, enrolled.device_id)


def test_500_and_429_with_retry_after(hub, proxy, appliance, enrolled):
    fill_outbox(appliance, 10)
    client = client_for(appliance, proxy.base, enrolled)
    proxy.plan = ["500", "429:7"]
    with pytest.raises(SyncError, match="500") as first:
        client.cycle()
    assert first.value.retry_after is None
    with pytest.raises(SyncError, match="429") as second:
        client.cycle()
    assert second.value.retry_after == 7
    assert client.wait_after_error(second.value) >= 7
    client.cycle()
    assert_exactly_once(hub, appliance, enrolled.device_id)


def test_device_clock_two_days_behind(hub, appliance, enrolled, monkeypatch):
    monkeypatch.setenv("MOTCUA_CLOCK_SYNCED", "0")
    fill_outbox(appliance, 5)
    behind = datetime.now(UTC) - timedelta(days=2)
    with appliance.db.write() as conn:  # the Pi booted with no RTC and no NTP yet
        conn.execute("UPDATE outbox SET wall_time = ?, clock_synced = 0", (behind.isoformat(),))
    import appliance.sync.client as client_mod
    real_encode = client_mod.encode_batch

    def encode_behind(device_id, events_json, backlog=None):
        body = json.loads(__import__("gzip").decompress(real_encode(device_id, events_json, backlog)))
        body["sent_at"] = (behind + timedelta(seconds=5)).isoformat()
        return __import__("gzip").compress(json.dumps(body).encode())
    monkeypatch.setattr(client_mod, "encode_batch", encode_behind)
    client_for(appliance, hub.base, enrolled).cycle()
    assert_exactly_once(hub, appliance, enrolled.device_id)
    for _seq, _, event_time, wall_time in hub.events(enrolled.device_id):
        assert abs((event_time - datetime.now(UTC)).total_seconds()) < 120
        assert (datetime.now(UTC) - wall_time) > timedelta(days=1, hours=23)


def test_seven_days_of_backlog_drained(hub, appliance, enrolled):
    """10,000 events (a week of a busy commune) in batches of ≤ 500 / 256 KB."""
    from appliance.store.outbox import append_outbox
    with appliance.db.write() as conn:
        for i in range(10_000):
            append_outbox(conn, "ticket.issued", {"ticket": {"id": i, "number": f"A{i % 999 + 1:03d}",
                                                             "service": "HT", "day": "2026-11-20"}}, True)
    client = client_for(appliance, hub.base, enrolled)
    started = time.perf_counter()
    client.cycle()
    assert time.perf_counter() - started < 60
    assert_exactly_once(hub, appliance, enrolled.device_id)


def test_catalog_pulled_by_etag_and_applied_atomically(hub, appliance, enrolled, tmp_path):
    hub.forget_catalogs()  # the hub is shared by the module: start from a hub that published none
    client = client_for(appliance, hub.base, enrolled)
    assert client.pull_catalog() is False  # nothing published yet
    catalog = appliance.catalog()
    data = json.loads(catalog.as_json())
    data["version"] = "2026.99"
    file = tmp_path / "catalog.json"
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    hub.cli("catalog", "publish", str(file))
    assert client.pull_catalog() is True
    assert appliance.catalog().version == "2026.99"
    assert client.pull_catalog() is False  # 304 Not Modified by ETag
    assert client.pull_config() is True
    assert json.loads((appliance.state_dir / "hub-config.json").read_text())["device_id"] == enrolled.device_id


def test_not_enrolled_is_a_clear_error(appliance):
    client = SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir)
    with pytest.raises(SyncError, match="chưa ghi danh"):
        client.cycle()

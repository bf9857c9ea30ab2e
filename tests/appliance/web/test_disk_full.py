"""A full SD card is an alarm, not a 500, on a real small file system (a 24 MB tmpfs mounted for
the test, as root): a low-space warning first, then writes answer 507 with a Vietnamese message,
health, the admin page, the fault lamp and doctor say the card is full, nothing acknowledged is
lost, and once space is freed the next ticket is issued with no restart."""
from __future__ import annotations

import subprocess

import pytest
from gpiozero.pins.mock import MockFactory
from page_helpers import log_in, make_user
from waiting import wait_until

MB = 2**20


@pytest.fixture
def card(tmp_path):
    mount = tmp_path / "card"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m,mode=0755", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture
def office(card, clock):
    from appliance import config, demo
    from appliance.runtime import Appliance
    from appliance.web import create_app
    settings = config.load(env={}, default_path=card / "none.toml", overrides={
        "storage": {"path": str(card / "motcua.db"), "low_space_mb": 12, "full_space_mb": 1},
        "web": {"host": "127.0.0.1", "port": 8080}, "queue": {"pager_pool": 0},
    })
    appliance = Appliance(settings, clock_fn=clock)
    demo.seed(appliance)
    app = create_app(appliance, {"TESTING": True})
    yield appliance, app.test_client()
    appliance.stop()


def fill(path, leave_mb: float | None = None) -> None:
    """Write ballast until only ``leave_mb`` MB are free (None: until the file system refuses)."""
    import shutil
    with open(path, "ab") as fh:
        chunk = b"\0" * (64 * 1024)
        while leave_mb is None or shutil.disk_usage(path.parent).free > leave_mb * MB + len(chunk):
            try:
                fh.write(chunk)
                fh.flush()
            except OSError:
                return


def test_full_card_alarm_and_recovery_without_restart(office, card):
    appliance, client = office
    from appliance.gpio.board import ButtonBoard
    from appliance.ops import doctor
    kiosk = {"Authorization": "Bearer " + _token(appliance, "kiosk")}
    admin = make_user(appliance, "quantri", "admin")
    log_in(client, admin)   # a login is a write (a server-side session): done while there is space
    staff = {"Authorization": "Bearer " + _token(appliance, "admin")}
    statuses = []
    appliance.bus.subscribe(lambda e: statuses.append(e.payload), ["device.status"])
    factory = MockFactory()
    board = ButtonBoard(appliance.settings.replace(gpio={"factory": "mock", "fault_led": 18}).gpio,
                        appliance.engine, appliance.bus, pin_factory=factory)
    board.start()
    try:
        acknowledged = []
        for _ in range(5):
            r = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
            assert r.status_code == 201
            acknowledged.append(r.get_json()["id"])
        assert appliance.disk.check()["state"] == "ok"

        # below [storage] low_space_mb: a warning, writes still work
        fill(card / "ballast-1", leave_mb=8)
        assert appliance.disk.check()["state"] == "warning"
        health = client.get("/api/v1/health", headers=staff).get_json()
        assert health["devices"]["disk"]["state"] == "warning"
        assert "sắp đầy" in health["devices"]["disk"]["message"]
        r = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
        assert r.status_code == 201
        acknowledged.append(r.get_json()["id"])

        # full: issue until the card refuses; every 201 is kept, the refusal is a 507
        fill(card / "ballast-2")
        refused = None
        for _ in range(5000):
            r = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
            if r.status_code != 201:
                refused = r
                break
            acknowledged.append(r.get_json()["id"])
        assert refused is not None and refused.status_code == 507, refused and refused.get_data(as_text=True)
        error = refused.get_json()["error"]
        assert error["code"] == "disk_full" and "Thẻ nhớ đã đầy" in error["message"]
        assert "CHƯA được lưu" in error["message"] and refused.headers["Retry-After"]
        english = client.post("/api/v1/tickets", json={"service": "HT"},
                              headers={**kiosk, "Accept-Language": "en"})
        assert english.status_code == 507 and "SD card is full" in english.get_json()["error"]["message"]

        health = client.get("/api/v1/health", headers=staff).get_json()
        assert health["status"] == "error" and health["devices"]["disk"]["state"] == "error"
        assert {"device": "disk", "state": "error"}.items() <= statuses[-1].items()
        assert board.status()["fault_lamp"] and "disk" in board.status()["faults"]
        assert doctor.check_disk(appliance.settings).status == doctor.FAIL
        page = client.get("/admin/")
        assert page.status_code == 200 and "Thẻ nhớ đã đầy" in page.get_data(as_text=True)

        # space freed: the alarm goes off and the next ticket is issued, no restart
        (card / "ballast-2").unlink()
        (card / "ballast-1").unlink()
        wait_until(lambda: appliance.disk.check()["state"] == "ok", message="the disk alarm cleared")
        assert statuses[-1]["state"] == "ok" and not board.status()["fault_lamp"]
        r = client.post("/api/v1/tickets", json={"service": "HT"}, headers=kiosk)
        assert r.status_code == 201
        acknowledged.append(r.get_json()["id"])
        conn = appliance.db.conn()
        kept = {row[0] for row in conn.execute("SELECT id FROM tickets")}
        assert set(acknowledged) <= kept
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # the refused issues left nothing half-written: tickets and their outbox rows match
        issued = conn.execute("SELECT count(*) FROM outbox WHERE type = 'ticket.issued'").fetchone()[0]
        assert issued == conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    finally:
        board.stop()
        factory.reset()


def _token(appliance, role):
    from appliance.services import accounts
    with appliance.units() as tx:
        return accounts.add_token(tx, f"disk-{role}", role)

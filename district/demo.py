"""``motcua-hub demo``: a SQLite hub with two simulated communes, seeded with realistic events
(a month of office days, and today so far), pushed through the real ingest endpoint."""
from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from district.db.engine import make_engine
from district.db.migrate import upgrade
from district.domain.catalog_contract import builtin_catalog, publishable
from district.simulate import VN, SimulatedCommune, gzip_json
from district.store import catalog, devices, staff

COMMUNES = (("xa-gia-lam", "Xã Gia Lâm", "000.00.06.H56", 11), ("xa-long-son", "Xã Long Sơn", "000.00.21.H22", 12))


def seed(app, days: int = 30) -> dict[str, int]:
    """Enrol the demo communes and push their events through POST …/events:batch; returns counts."""
    hub = app.extensions["motcua_hub"]
    client = app.test_client()
    now = hub.now().astimezone(VN)
    pushed = {}
    for code, name, agency, seed_ in COMMUNES:
        with hub.engine.begin() as conn:
            one_time = devices.add_device(conn, code, name)
            device_id, token = devices.enrol(conn, one_time)
        # Long Sơn's Pi lost its clock today: two hours slow, not NTP-synced (the hub corrects it)
        sim = SimulatedCommune(code, agency, seed=seed_)
        history = []
        for back in range(days, 0, -1):
            day = (now - timedelta(days=back)).date()
            if day.weekday() < 5:
                history += sim.day_events(day, tickets=sim.rng.randint(40, 90))
        if code == "xa-long-son":
            sim.clock_synced, sim.clock_offset = False, timedelta(hours=-2)
        today = sim.day_events(now.date(), tickets=70, until=now) if now.weekday() < 5 else []
        pushed[code] = 0
        for events, sent in ((history, now - timedelta(minutes=10)), (today, now)):
            for doc in sim.batches(events, sent_at=sent):
                r = client.post(f"/api/v1/devices/{device_id}/events:batch", data=gzip_json(doc), headers={
                    "Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
                    "Content-Type": "application/json"})
                if r.status_code != 200:
                    raise RuntimeError(f"nạp dữ liệu mẫu thất bại: {r.status_code} {r.get_data(as_text=True)}")
                pushed[code] += len(doc["events"])
    return pushed


def run_demo(host: str, port: int, directory: Path) -> int:
    import waitress

    from district.app import create_app
    directory.mkdir(parents=True, exist_ok=True)
    db = directory / "hub.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    upgrade(engine)
    password = secrets.token_urlsafe(9)
    with engine.begin() as conn:
        staff.add_user(conn, "admin", password)
        # the appliance's own built-in catalog: what every appliance accepts (one contract)
        catalog.publish(conn, publishable(builtin_catalog()), note="demo")
    engine.dispose()
    app = create_app({"database_url": url, "name": "Trung tâm Phục vụ hành chính công tỉnh (mô phỏng)"})
    counts = seed(app)
    print("Đã nạp dữ liệu mẫu: " + ", ".join(f"{k} {v} sự kiện" for k, v in counts.items()))
    print(f"Bảng điều hành: http://{host}:{port}/   đăng nhập: admin / {password}")
    print(f"Tra cứu công khai: http://{host}:{port}/tra-cuu", flush=True)
    waitress.serve(app, host=host, port=port, threads=8, ident="motcua-hub")
    return 0

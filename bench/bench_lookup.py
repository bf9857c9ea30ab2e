"""Lookup keys and postal return (issue 17): prints figures, never passes or fails.

- the lookup key (scrypt N=2^14, r=8, p=1 of "phone|last 4 digits"), computed once per dossier at
  receipt on the appliance and once per phone lookup on the hub;
- a dossier's receipt (``DossierService.submit``, the key inside its transaction), real SQLite;
- the hub's phone lookup page (POST /tra-cuu, one scrypt and one indexed read) over SQLite with
  ``N`` dossiers synced with their keys (Flask test client, no network);
- a postal handover list of 20 results (one transaction: 20 returns, 20 SMS queued) and the list as
  a PDF (headless Chromium, as every paper today).

Run: ``.venv/bin/python -m bench.bench_lookup [N]``
"""
from __future__ import annotations

import re
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.stats import percentiles


def _key_cost(rounds: int = 30) -> None:
    from appliance.domain.lookup import Query, phone_key
    samples = []
    for i in range(rounds):
        t0 = time.perf_counter()
        phone_key(Query(f"09123{i:05d}", f"{i:04d}"))
        samples.append(time.perf_counter() - t0)
    print(f"lookup key (scrypt N=2^14, r=8, p=1)      {percentiles(samples)}")


def _appliance(tmp: Path):
    from appliance import config, demo
    from appliance.runtime import Appliance
    settings = config.load(env={}, default_path=tmp / "none.toml", overrides={
        "storage": {"path": str(tmp / "motcua.db")}, "sms": {"url": f"sim://{tmp / 'sms'}"}})
    appliance = Appliance(settings)
    demo.seed(appliance)
    return appliance


def _receipts_and_handover(tmp: Path, n: int = 30) -> None:
    from appliance.catalog.loader import load_catalog
    from appliance.domain.dossier_samples import sample_values
    from appliance.web import create_app
    appliance = _appliance(tmp)
    today = appliance.dossiers._now()[1].date()
    values = sample_values(load_catalog().get("1.001193"), today)
    samples, codes = [], []
    for i in range(n):
        draft = str(uuid.uuid4())
        appliance.dossiers.save_draft(draft, procedure="1.001193", values={
            **values, "requester_phone": f"0912{i:06d}"}, counter_id=1, user="canbo1")
        t0 = time.perf_counter()
        by_post = {"return_by_post": True, "post_address": "Thôn Đông, xã Dương Xá"}
        dossier, _ = appliance.dossiers.submit(draft, by_post, user="canbo1")
        samples.append(time.perf_counter() - t0)
        codes.append(dossier["code"])
    print(f"dossier receipt with its lookup keys      {percentiles(samples)}")
    for code in codes[:20]:
        appliance.dossiers.act(code, "ready", user="canbo1")
    from appliance.domain.postal import s10_check_digit
    items = []
    for i, code in enumerate(codes[:20]):
        serial = f"{10000000 + i:08d}"
        items.append({"code": code, "tracking_number": f"EB{serial}{s10_check_digit(serial)}VN", "fee": 25000})
    t0 = time.perf_counter()
    handover = appliance.postal.hand_over({"postal_unit": "Bưu điện văn hóa xã Dương Xá",
                                           "postal_worker": "Trần Văn Bưu", "items": items}, "canbo1")
    print(f"postal handover of 20 results (1 transaction, 20 SMS queued)  {(time.perf_counter() - t0) * 1000:.1f} ms")
    from appliance.services import accounts
    with appliance.units() as tx:
        token = accounts.add_token(tx, "bench", "officer")
    client = create_app(appliance, {"TESTING": True}).test_client()
    pdf = []
    for _ in range(3):
        t0 = time.perf_counter()
        r = client.get(f"/dossiers/buu-chinh/{handover}.pdf", headers={"Authorization": f"Bearer {token}"})
        pdf.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.status_code
    print(f"the handover list as PDF (Chromium)       {percentiles(pdf)}")
    appliance.stop()


def _hub_lookup(tmp: Path, n: int) -> None:
    from appliance.domain import lookup as rules
    from district.app import create_app
    from district.db.engine import make_engine
    from district.db.migrate import upgrade
    from district.store import devices
    url = f"sqlite:///{tmp / 'hub.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app({"database_url": url, "TESTING": True})
    client = app.test_client()
    with app.extensions["motcua_hub"].engine.begin() as conn:
        one_time = devices.add_device(conn, "xa-bench", "Xã Bench")
    token = client.post("/api/v1/enroll", json={"token": one_time}).json["device_token"]
    vn = timezone(timedelta(hours=7))
    at = datetime(2026, 12, 2, 9, 0, tzinfo=vn)
    secret = bytes(32)
    t0 = time.perf_counter()
    seq = 0
    for start in range(0, n, 200):
        events = []
        for i in range(start, min(n, start + 200)):
            seq += 1
            code = f"000.00.06.H56-261202-{i:05d}"
            phone = f"09{i:08d}"
            query = rules.query_of(phone, f"0341860{i:05d}")
            events.append({"seq": seq, "event_id": str(uuid.uuid4()), "type": "dossier.received",
                           "wall_time": at.isoformat(), "clock_synced": True, "boot_id": "b", "payload": {"dossier": {
                               "code": code, "procedure_code": "1.001193", "channel": "truc_tiep",
                               "received_at": at.isoformat(), "legal_due_at": (at + timedelta(days=1)).isoformat(),
                               "state": "received", "lookup": {
                                   "phone_key": rules.phone_key(query),
                                   "links": [rules.link_hash("dossier", code,
                                                             rules.proof(secret, "dossier", code))]}}}})
        r = client.post("/api/v1/devices/xa-bench/events:batch", json={
            "device_id": "xa-bench", "sent_at": at.isoformat(), "events": events},
            headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.get_data(as_text=True)
    print(f"hub: {n:,} dossiers with keys synced in {time.perf_counter() - t0:.1f} s (keys made on this side too)")
    page = client.get("/tra-cuu").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    samples = []
    for i in range(0, min(n, 60), 2):   # found, and distinct phones (no throttling)
        t0 = time.perf_counter()
        r = client.post("/tra-cuu", data={"phone": f"09{i:08d}", "last4": f"{i:04d}"[-4:], "csrf_token": csrf})
        samples.append(time.perf_counter() - t0)
        assert r.status_code == 200 and "lookup-answer" in r.get_data(as_text=True), i
    print(f"hub phone lookup (POST /tra-cuu, found)   {percentiles(samples)}")
    app.extensions["motcua_hub"].engine.dispose()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 1000
    _key_cost()
    with tempfile.TemporaryDirectory() as tmp:
        _receipts_and_handover(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        _hub_lookup(Path(tmp), n)


if __name__ == "__main__":
    main()

"""The hub forgets what the commune forgot, end to end: a dossier received on the appliance is synced
to the real hub process (PostgreSQL) with its hashed lookup keys and found on the hub's /tra-cuu by
phone + the last 4 digits; returned, synced and purged on the appliance (``motcua purge``), the next
sync carries ``dossier.purged`` and the hub's page no longer finds it; its code still answers."""
from __future__ import annotations

import random
import re
import uuid

import psycopg
import pytest
import requests

from appliance.catalog.loader import load_catalog
from appliance.domain.dossier_samples import sample_values
from appliance.services.purge import purge_personal_data
from appliance.sync.client import SyncClient, enroll
from appliance.sync.identity import Identity

pytestmark = [pytest.mark.postgres]
PHONE, ID_NUMBER = "0868777222", "034186018888"
DAY = 86400


def find_by_phone(base: str) -> str:
    with requests.Session() as s:
        page = s.get(base + "/tra-cuu", timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        r = s.post(base + "/tra-cuu", data={"phone": PHONE, "last4": ID_NUMBER[-4:], "csrf_token": token}, timeout=30)
        assert r.status_code == 200, r.status_code
        return r.text


def test_a_purged_dossier_is_no_longer_found_by_phone_on_the_hub(hub, device, appliance, clock):
    ident = enroll(hub.base, device.token, appliance.state_dir)
    sync = SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir,
                      Identity(hub_url=hub.base, device_id=ident.device_id, device_token=ident.device_token),
                      sleep=lambda s: None, rng=random.Random(1))
    draft = str(uuid.uuid4())
    today = appliance.dossiers._now()[1].date()
    values = {**sample_values(load_catalog().get("1.001193"), today),
              "requester_phone": PHONE, "requester_id_number": ID_NUMBER}
    appliance.dossiers.save_draft(draft, procedure="1.001193", values=values, counter_id=1, user="canbo1")
    code = appliance.dossiers.submit(draft, {}, user="canbo1")[0]["code"]
    appliance.dossiers.act(code, "ready", user="canbo1")
    appliance.dossiers.act(code, "return", user="canbo1")
    sync.cycle()

    def keys() -> int:
        with psycopg.connect(hub.db_url) as conn:
            return conn.execute("SELECT count(*) FROM lookup_keys WHERE code = %s", (code,)).fetchone()[0]
    assert keys() >= 2
    assert code in find_by_phone(hub.base)

    clock.advance((appliance.settings.privacy.purge_after_days + 1) * DAY)
    assert purge_personal_data(appliance) == 1
    assert sync.cycle()["last_sent"] >= 1
    assert keys() == 0
    page = find_by_phone(hub.base)
    assert code not in page and "Không tìm thấy hồ sơ khớp" in page
    status = requests.get(f"{hub.base}/api/v1/dossiers/{code}/status", timeout=30)
    assert status.status_code == 200 and status.json()["state"] == "returned"
    with psycopg.connect(hub.db_url) as conn:
        assert conn.execute("SELECT type FROM events WHERE device_id = %s ORDER BY seq DESC LIMIT 1",
                            (ident.device_id,)).fetchone()[0] == "dossier.purged"

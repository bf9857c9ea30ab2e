"""An event the hub cannot accept never stops a device's sync: the hub of this version quarantines and
acknowledges it; an older hub that refuses the batch (422 naming ``events[i]``) gets the events before
it alone, and that event, refused when sent alone, is set aside (recorded, its row kept) and sent as a
well-formed ``outbox.set_aside`` placeholder the hub keeps.
Against the real hub process on PostgreSQL."""
from __future__ import annotations

import json
import random
import uuid

import psycopg
import pytest

from appliance.clock import boot_id
from appliance.store import outbox
from appliance.sync.client import SyncClient, SyncError, enroll
from appliance.sync.identity import Identity


@pytest.fixture
def enrolled(hub, device, appliance):
    return enroll(hub.base, device.token, appliance.state_dir)


def client_for(appliance, base, ident):
    ident = Identity(hub_url=base, device_id=ident.device_id, device_token=ident.device_token)
    return SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir, ident,
                      sleep=lambda s: None, rng=random.Random(1))


def issue(appliance, n):
    for i in range(n):
        appliance.engine.issue(("HT", "CT", "XH")[i % 3])


def odd_row(appliance) -> int:
    """An outbox row an older appliance might have written: a ticket whose id is not a number."""
    with appliance.db.write() as conn:
        cur = conn.execute(
            "INSERT INTO outbox (event_id, type, payload, wall_time, clock_synced, boot_id) VALUES (?, ?, ?, ?, 1, ?)",
            (str(uuid.uuid4()), "ticket.issued", json.dumps({"ticket": {"id": "ba", "number": "HT-1"}}),
             "2026-11-30T08:00:00.000+07:00", boot_id()))
        return int(cur.lastrowid)


def hub_types(hub, device_id) -> dict[int, str]:
    with psycopg.connect(hub.db_url) as conn:
        return dict(conn.execute("SELECT seq, type FROM events WHERE device_id = %s", (device_id,)).fetchall())


def test_this_hub_quarantines_the_odd_event_and_the_sync_drains(hub, appliance, enrolled):
    issue(appliance, 3)
    bad = odd_row(appliance)
    issue(appliance, 3)
    client_for(appliance, hub.base, enrolled).cycle()
    conn = appliance.db.conn()
    assert outbox.backlog(conn) == 0
    types = hub_types(hub, enrolled.device_id)
    assert sorted(types) == [r[0] for r in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
    assert types[bad] == "hub.quarantined"
    assert outbox.set_aside_rows(conn)["count"] == 0        # nothing had to be passed over


def test_an_older_hub_refusing_one_event_does_not_stall_the_sync(hub, proxy, appliance, enrolled):
    issue(appliance, 4)
    bad = odd_row(appliance)
    issue(appliance, 4)
    proxy.refuse_seqs = {bad}
    client = client_for(appliance, proxy.base, enrolled)
    client.cycle()
    conn = appliance.db.conn()
    assert outbox.backlog(conn) == 0
    every = [r[0] for r in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
    types = hub_types(hub, enrolled.device_id)
    assert sorted(types) == every                       # all held by the hub, in one sequence
    assert types[bad] == "outbox.set_aside"             # the refused one as its placeholder
    with psycopg.connect(hub.db_url) as pg:
        kept = pg.execute("SELECT payload FROM events WHERE device_id = %s AND seq = %s",
                          (enrolled.device_id, bad)).fetchone()[0]
    assert kept["original_type"] == "ticket.issued" and json.loads(kept["raw"])["ticket"]["id"] == "ba"
    aside = outbox.set_aside_rows(conn)
    assert aside["count"] == 1 and [e["seq"] for e in aside["events"]] == [bad]
    assert aside["events"][0]["type"] == "ticket.issued" and "422" in aside["events"][0]["reason"]
    assert outbox.sync_status(conn)["set_aside"] == 1
    assert conn.execute("SELECT count(*) FROM outbox WHERE seq = ?", (bad,)).fetchone()[0] == 1   # row kept
    issue(appliance, 2)                           # and the sync goes on afterwards
    client.cycle()
    assert outbox.backlog(conn) == 0


def test_a_whole_request_refusal_is_not_passed_over(hub, appliance, enrolled):
    """A 4xx naming no event (here a revoked device) is retried later, never skipped."""
    issue(appliance, 2)
    waiting = outbox.backlog(appliance.db.conn())
    hub.cli("device", "revoke", enrolled.device_id)
    client = client_for(appliance, hub.base, enrolled)
    with pytest.raises(SyncError) as info:
        client.cycle()
    assert info.value.refused_event() is None
    conn = appliance.db.conn()
    assert outbox.backlog(conn) == waiting and outbox.set_aside_rows(conn)["count"] == 0

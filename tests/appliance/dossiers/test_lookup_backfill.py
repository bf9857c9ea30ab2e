"""Dossiers received before ``dossier.received`` carried the hub's lookup keys get them once, in a
``dossier.lookup`` fact per dossier still open (returned, closed and purged ones are left out), sent
by a thread at start so that serving never waits for the slow hash."""
from __future__ import annotations

import json

from waiting import wait_until

from appliance.domain import lookup as rules
from appliance.services.lookup import BACKFILL_KEY, backfill_hub_keys
from appliance.store import kv_store


def lookups(appliance) -> list[dict]:
    return [json.loads(r[0]) for r in appliance.db.conn().execute(
        "SELECT payload FROM outbox WHERE type = 'dossier.lookup' ORDER BY seq")]


def test_open_dossiers_get_their_keys_once(appliance, make_dossier):
    open_one, ready_one, returned = make_dossier(), make_dossier(), make_dossier(pager=2)
    appliance.dossiers.act(ready_one["code"], "ready", user="canbo1")
    appliance.dossiers.act(returned["code"], "ready", user="canbo1")
    appliance.dossiers.act(returned["code"], "return", {}, user="canbo1")
    assert backfill_hub_keys(appliance.db, appliance.units) == 2
    sent = lookups(appliance)
    assert [s["code"] for s in sent] == [open_one["code"], ready_one["code"]]
    row = appliance.db.conn().execute("SELECT applicant_phone, applicant_id FROM dossiers WHERE code = ?",
                                      (open_one["code"],)).fetchone()
    query = rules.query_of(row["applicant_phone"], row["applicant_id"])
    assert sent[0]["lookup"]["phone_key"] == rules.phone_key(query)
    secret = appliance.lookup.secret()
    assert sent[0]["lookup"]["links"][0] == rules.link_hash(
        "dossier", open_one["code"], rules.proof(secret, "dossier", open_one["code"]))
    assert row["applicant_phone"] not in json.dumps(sent) and row["applicant_id"] not in json.dumps(sent)
    assert backfill_hub_keys(appliance.db, appliance.units) == 0          # once
    assert len(lookups(appliance)) == 2


def test_start_sends_them_in_the_background(appliance, make_dossier):
    dossier = make_dossier()
    appliance.start()
    wait_until(lambda: [s["code"] for s in lookups(appliance)] == [dossier["code"]], message="dossier.lookup sent")
    wait_until(lambda: kv_store.get(appliance.db.conn(), BACKFILL_KEY) == "1", message="marked done")

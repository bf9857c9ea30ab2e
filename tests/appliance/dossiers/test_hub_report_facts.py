"""What the hub's reports need leaves the appliance with the facts (#14): the fee's lines and the
procedure's papers (DanhSachLePhi, TaiLieuNop of the provincial export), the digitised flag and the
officers' full names beside their logins."""
from __future__ import annotations

import json

from appliance.services import accounts


def outbox_payloads(appliance, kind):
    return [json.loads(p) for (p,) in appliance.db.conn().execute(
        "SELECT payload FROM outbox WHERE type = ? ORDER BY seq", (kind,))]


def test_dossier_received_carries_fees_papers_digitised_and_the_officer_name(appliance, make_dossier):
    with appliance.units() as tx:
        accounts.add_user(tx, "lan", "officer", "hoa-sen-no-som-42", "Nguyễn Thị Lan")
    dossier = make_dossier("2.000815", user="lan", digitised=True)
    assert dossier["digitised"] is True
    hub = outbox_payloads(appliance, "dossier.received")[-1]["dossier"]
    proc = appliance.dossiers.catalog.procedures["2.000815"]
    assert hub["digitised"] is True and hub["received_by"] == "lan" and hub["received_by_name"] == "Nguyễn Thị Lan"
    assert hub["documents"] == [{"name": d.name, "mode": d.mode, "required": d.required} for d in proc.documents]
    assert hub["documents"], "the catalog lists the papers of a certified copy"
    assert sum(f["amount"] for f in hub["fees"]) == hub["fee"] == dossier["fee"]
    assert all(set(f) == {"name", "amount", "exempt_reason"} for f in hub["fees"])


def test_an_exempt_fee_says_why_and_an_unknown_user_has_no_name(appliance, make_dossier):
    dossier = make_dossier("1.000894", user="khong-co")   # kết hôn: exempt
    hub = outbox_payloads(appliance, "dossier.received")[-1]["dossier"]
    assert hub["received_by_name"] is None and hub["digitised"] is False
    assert dossier["fee"] == 0 and hub["fees"][0]["amount"] == 0 and hub["fees"][0]["exempt_reason"]


def test_ticket_done_and_rating_carry_the_officer_full_name(appliance):
    with appliance.units() as tx:
        accounts.add_user(tx, "minh", "officer", "hoa-sen-no-som-42", "Trần Văn Minh")
    engine = appliance.engine
    engine.issue("HT")
    engine.call_next(1, user_login="minh")   # the officer who calls serves it; the vote is theirs
    engine.done(1, user_login="minh")
    engine.rate(1, "satisfied")
    done = outbox_payloads(appliance, "ticket.done")[-1]
    rating = outbox_payloads(appliance, "rating.given")[-1]
    assert (done["officer"], done["officer_name"]) == ("minh", "Trần Văn Minh")
    assert (rating["officer"], rating["officer_name"]) == ("minh", "Trần Văn Minh")

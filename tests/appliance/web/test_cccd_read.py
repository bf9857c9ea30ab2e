"""POST /api/v1/cccd/read: a CCCD's QR text in, its fields (and each person's form values) out;
an unknown layout is 422 card_unrecognised; nothing is stored, nothing of the scan is logged."""
from __future__ import annotations

import logging

SCAN = "001099012345|987651234|Nguyễn Văn An|01011999|Nam|Thôn 3, xã Yên Lạc|15082021"


def rows(appliance) -> dict[str, int]:
    conn = appliance.db.conn()
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("audit_log", "dossier_drafts", "outbox", "dossiers")}


def test_a_card_is_read_for_a_form_and_nothing_is_kept(client, auth, appliance, caplog):
    before = rows(appliance)
    caplog.set_level(logging.DEBUG)
    r = client.post("/api/v1/cccd/read", json={"scan": SCAN, "procedure": "1.001193"}, headers=auth("officer"))
    assert r.status_code == 200, r.get_data(as_text=True)
    card = r.json["card"]
    assert (card["name"], card["personal_number"], card["dob"], card["sex"], card["issued_on"]) == (
        "NGUYỄN VĂN AN", "001099012345", "1999-01-01", "Nam", "2021-08-15")
    assert card["old_id_number"] == "987651234" and card["warnings"] == []
    targets = {t["prefix"]: t for t in r.json["targets"]}
    assert list(targets) == ["requester_", "child_", "mother_", "father_"]
    assert targets["requester_"]["title"] == "Người yêu cầu"
    assert targets["child_"]["values"]["child_sex"] == "Nam"
    assert targets["father_"]["values"]["father_dob"] == "01/01/1999"
    assert all("987651234" not in v for t in targets.values() for v in t["values"].values())
    assert rows(appliance) == before
    assert "987651234" not in caplog.text and "Yên Lạc" not in caplog.text


def test_unknown_layouts_and_bad_requests(client, auth, appliance):
    headers = auth("officer")
    r = client.post("/api/v1/cccd/read?lang=en", json={"scan": "hello|world"}, headers=headers)
    assert r.status_code == 422 and r.json["error"]["code"] == "card_unrecognised"
    assert r.json["error"]["message"].startswith("QR code not recognised: 2 parts instead of 7")
    r = client.post("/api/v1/cccd/read?lang=vi", json={"scan": SCAN.replace("01011999", "31021999")},
                    headers=headers)
    assert r.status_code == 422 and r.json["error"]["message"].startswith("Không nhận dạng được mã QR này")
    assert "Nguyễn" not in r.json["error"]["message"]
    assert client.post("/api/v1/cccd/read", json={}, headers=headers).status_code == 400
    assert client.post("/api/v1/cccd/read", json={"scan": 5}, headers=headers).status_code == 400
    r = client.post("/api/v1/cccd/read", json={"scan": SCAN, "procedure": "9.9"}, headers=headers)
    assert r.status_code == 422 and r.json["error"]["code"] == "unknown_procedure"
    r = client.post("/api/v1/cccd/read", json={"scan": SCAN}, headers=headers)       # no form: the card only
    assert r.status_code == 200 and r.json["targets"] == []
    for role in ("display", "kiosk"):
        assert client.post("/api/v1/cccd/read", json={"scan": SCAN}, headers=auth(role)).status_code == 403
    assert client.post("/api/v1/cccd/read", json={"scan": SCAN}).status_code == 401

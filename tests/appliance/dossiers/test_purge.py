"""The purge: personal data of returned and synced dossiers goes, the statistics stay."""
import json
import uuid
from datetime import datetime

import pytest
from dossier_values import valid_values

from appliance.services.purge import purge_personal_data
from appliance.store import outbox

DAY = 86400
NAME = "VŨ THỊ KHÁNH LINH"
PHONE = "0868123456"
NUMBER = "034186012345"


def submit(appliance, procedure="1.001193", **values):
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure=procedure, counter_id=1,
                                  values={**valid_values(procedure), **values})
    return appliance.dossiers.submit(draft, {"return_by_post": True, "post_address": "Số 9 ngõ Bưu Điện"},
                                     user="canbo1")[0]["code"]


def close(appliance, code):
    appliance.dossiers.act(code, "ready", user="canbo1")
    appliance.dossiers.act(code, "return", {"tracking_number": "EB123456785VN", "note": "Gửi bà Linh"},
                           user="canbo1")


def ack_all(appliance):
    with appliance.db.write() as tx:
        outbox.mark_acked(tx, tx.execute("SELECT max(seq) FROM outbox").fetchone()[0])


def test_purge_removes_personal_data_and_keeps_statistics(appliance, clock):
    svc = appliance.dossiers
    personal = {"requester_name": NAME, "requester_phone": PHONE, "requester_id_number": NUMBER}
    purged_code = submit(appliance, **personal)
    close(appliance, purged_code)
    open_code = submit(appliance, **personal)                      # still open: kept
    unsynced_code = submit(appliance, "2.000815", **personal)      # returned, not yet acked: kept
    ack_all(appliance)
    close(appliance, unsynced_code)
    stale_draft = str(uuid.uuid4())
    svc.save_draft(stale_draft, procedure="1.001193", values={"requester_name": NAME}, counter_id=2)
    tz = appliance.tz
    since, until = datetime(2026, 11, 1, tzinfo=tz), datetime(2027, 1, 1, tzinfo=tz)
    before = svc.statistics(since, until)

    clock.advance((appliance.settings.privacy.purge_after_days - 1) * DAY)
    assert purge_personal_data(appliance) == 0                     # not old enough yet
    clock.advance(2 * DAY)
    assert purge_personal_data(appliance) == 1

    dossier = svc.get(purged_code, user="canbo1")
    assert dossier["purged"] is True and dossier["values"] is None and dossier["post_address"] is None
    assert dossier["applicant"] == {"name": None, "phone": None, "id_number": None}
    assert dossier["tracking_number"] is None and all(t["note"] is None for t in dossier["timeline"])
    assert (dossier["state"], dossier["outcome"], dossier["channel"], dossier["returned_by_post"]) == (
        "returned", "on_time", "truc_tiep", True)
    assert svc.get(open_code)["values"]["requester_name"] == NAME
    assert svc.get(unsynced_code)["purged"] is False
    assert svc.statistics(since, until) == before
    by_field = {row["field_code"]: row for row in before}
    assert (by_field["G05-HT"]["received"], by_field["G05-HT"]["on_time"], by_field["G05-HT"]["pending"]) == (2, 1, 1)
    ct = by_field["G05-CT"]
    assert (ct["received"], ct["resolved"], ct["returned_by_post"]) == (1, 1, 1)
    assert by_field["G05-HT"]["registered_post_return"] == 2
    # search finds the kept dossier only; the purged one is found by its code alone
    found = [d["code"] for d in svc.search(q="vu thi khanh")["items"]]
    assert purged_code not in found and open_code in found
    assert [d["code"] for d in svc.search(q=purged_code)["items"]] == [purged_code]
    assert svc.search(q=PHONE)["total"] == 2
    # the stale draft is gone, the sent outbox rows no longer carry the applicant
    conn = appliance.db.conn()
    assert conn.execute("SELECT count(*) FROM dossier_drafts WHERE id = ?", (stale_draft,)).fetchone()[0] == 0
    received = [json.loads(r[0])["dossier"] for r in conn.execute(
        "SELECT payload FROM outbox WHERE type = 'dossier.received' ORDER BY seq")]
    assert "applicant" not in received[0] and received[1]["applicant"]["name"] == NAME
    # nor the public lookup's keys (the hashed phone + last 4 digits, the QR links' hashes)
    assert "lookup" not in received[0] and received[1]["lookup"]["phone_key"]
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'dossier.purge' AND object = ?",
                        (f"dossier:{purged_code}",)).fetchone()[0] == 1


REASON = "Thiếu giấy chứng sinh của cháu Đỗ Minh Châu"
GIVER = "Bà Phạm Thị Hòa"
RECEIVER = "Ông Lê Quang Vinh, công chức Tư pháp"


def test_purged_bytes_are_gone_from_the_database_file(appliance, clock):
    code = submit(appliance, requester_name=NAME, requester_phone=PHONE, requester_id_number=NUMBER)
    svc = appliance.dossiers
    svc.act(code, "supplement", {"reason": REASON}, user="canbo1")
    svc.act(code, "processing", user="canbo1")
    svc.act(code, "handover", {"from": GIVER, "to": RECEIVER, "note": "Gọi bà Linh khi xong"}, user="canbo1")
    close(appliance, code)
    ack_all(appliance)
    clock.advance(31 * DAY)
    assert purge_personal_data(appliance) == 1
    timeline = svc.get(code)["timeline"]
    assert [t["action"] for t in timeline] == ["received", "supplement", "processing", "handover", "ready", "return"]
    assert all(t["reason"] is None and t["from"] is None and t["to"] is None and t["note"] is None
               for t in timeline)
    # the audit log keeps the action and the change of state, never the free text
    assert [r["detail"] for r in svc.audit_log(code) if r["action"] == "dossier.supplement"] == [
        "received → supplement_requested"]
    conn = appliance.db.conn()
    for (payload,) in conn.execute("SELECT payload FROM outbox WHERE type = 'dossier.state'"):
        assert not {"note", "reason", "from", "to"} & set(json.loads(payload)), payload
    path = appliance.db.path
    data = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                                if path.with_name(path.name + "-wal").exists() else b"")
    for secret in (NAME, PHONE, NUMBER, "vu thi khanh linh", "Bưu Điện", "EB123456785VN", REASON, GIVER,
                   RECEIVER, "Gọi bà Linh", "Gửi bà Linh"):
        assert secret.encode() not in data, secret


def test_database_file_is_private(appliance):
    assert appliance.db.path.stat().st_mode & 0o077 == 0


def test_purge_after_zero_days_and_idempotent(appliance, clock, settings):
    code = submit(appliance)
    close(appliance, code)
    ack_all(appliance)
    clock.advance(1)
    appliance.settings = settings.replace(privacy={"purge_after_days": 0})
    assert purge_personal_data(appliance) == 1
    assert purge_personal_data(appliance) == 0
    assert appliance.dossiers.get(code)["purged_at"] == datetime.fromtimestamp(clock.now, appliance.tz).isoformat(
        timespec="seconds")


def outbox_rows(appliance, kind):
    return [(seq, json.loads(payload)) for seq, payload in appliance.db.conn().execute(
        "SELECT seq, payload FROM outbox WHERE type = ? ORDER BY seq", (kind,))]


def test_purge_tells_the_hub_in_the_same_transaction(appliance, clock):
    """Each purged dossier gets one ``dossier.purged`` outbox row (its code only), not yet sent, so
    the hub drops its lookup keys; a dossier kept (open, or not yet acknowledged) gets none, and a
    purge that fails leaves neither the purge nor the row."""
    purged = submit(appliance, requester_name=NAME, requester_phone=PHONE, requester_id_number=NUMBER)
    close(appliance, purged)
    kept = submit(appliance, requester_name=NAME, requester_phone=PHONE, requester_id_number=NUMBER)
    ack_all(appliance)
    acked = outbox.acked_through(appliance.db.conn())
    clock.advance(31 * DAY)
    assert purge_personal_data(appliance) == 1
    rows = outbox_rows(appliance, "dossier.purged")
    assert [payload for _seq, payload in rows] == [{"code": purged}]
    assert rows[0][0] > acked                                     # a new fact, sent at the next sync
    assert appliance.dossiers.get(kept)["purged"] is False
    assert purge_personal_data(appliance) == 0                     # purged once, told once
    assert len(outbox_rows(appliance, "dossier.purged")) == 1


def test_a_failed_purge_leaves_no_purged_fact(appliance, clock, monkeypatch):
    code = submit(appliance)
    close(appliance, code)
    ack_all(appliance)
    clock.advance(31 * DAY)
    from appliance.store import sms_store

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")
    monkeypatch.setattr(sms_store, "purge_for_dossiers", broken)
    with pytest.raises(RuntimeError):
        purge_personal_data(appliance)
    assert outbox_rows(appliance, "dossier.purged") == []
    assert appliance.dossiers.get(code)["purged"] is False

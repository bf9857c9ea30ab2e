"""A dossier's life through the JSON API, for every procedure of the catalog: draft, submit,
double submit, states, ready → pager, return and its outcome, outbox rows and audit rows."""
import json
import uuid

import pytest
from dossier_values import PROCEDURES, valid_values

from appliance.store import outbox


def put_draft(client, headers, draft_id, procedure, values, counter_id=1, focus=None):
    return client.put(f"/api/v1/drafts/{draft_id}", headers=headers,
                      json={"counter_id": counter_id, "procedure": procedure, "values": values, "focus": focus})


def outbox_rows(appliance, code):
    rows = appliance.db.conn().execute("SELECT seq, type, payload FROM outbox WHERE type LIKE 'dossier.%' "
                                       "ORDER BY seq").fetchall()
    out = []
    for r in rows:
        payload = json.loads(r["payload"])
        if payload.get("code") == code or payload.get("dossier", {}).get("code") == code:
            out.append((r["type"], payload))
    return out


def audit_actions(appliance, code):
    return [(r["user_login"], r["action"]) for r in appliance.db.conn().execute(
        "SELECT user_login, action FROM audit_log WHERE object = ? ORDER BY id", (f"dossier:{code}",))]


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_procedure_life(procedure, client, auth, appliance):
    heard = []
    appliance.bus.subscribe(heard.append, ["dossier.received", "dossier.ready", "dossier.returned", "draft.changed"])
    officer = auth("officer")
    draft_id = str(uuid.uuid4())
    values = valid_values(procedure)

    r = put_draft(client, officer, draft_id, procedure, values, focus=next(iter(values)))
    assert r.status_code == 200, r.get_json()
    saved = r.get_json()
    assert saved["errors"] == {} and saved["draft_id"] == draft_id
    assert isinstance(saved["fee"], int) and saved["fee"] >= 0
    time_limit = appliance.dossiers.catalog.get(procedure).time_limit
    assert (saved["due_at"] is None) == (time_limit.kind == "none")
    assert client.get(f"/api/v1/drafts/{draft_id}", headers=officer).get_json()["values"] == values

    r = client.post(f"/api/v1/drafts/{draft_id}/submit", headers=officer, json={"pager": "auto"})
    assert r.status_code == 201, r.get_json()
    dossier = r.get_json()
    code = dossier["code"]
    assert code == "000.00.00.H00-261130-0001"
    assert dossier["state"] == "received" and dossier["state_label"] == "Đã tiếp nhận"
    assert dossier["procedure"] == procedure and dossier["pager"] == 1 and dossier["applicant"]["name"]
    again = client.post(f"/api/v1/drafts/{draft_id}/submit", headers=officer, json={"pager": "auto"})
    assert again.status_code == 200 and again.get_json()["code"] == code
    assert appliance.db.conn().execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    assert appliance.db.conn().execute("SELECT state, dossier_code FROM pagers WHERE number = 1").fetchone()[:] \
        == ("assigned", code)

    r = client.post(f"/api/v1/dossiers/{code}/processing", headers=officer, json={"note": "Chuyển cán bộ tư pháp"})
    assert r.status_code == 200 and r.get_json()["state"] == "processing"
    r = client.post(f"/api/v1/dossiers/{code}/ready", headers=officer, json={})
    assert r.status_code == 200 and r.get_json()["state"] == "ready"
    ready = [e for e in heard if e.type == "dossier.ready"]
    assert len(ready) == 1 and ready[0].payload["pager"] == 1 and ready[0].payload["code"] == code
    assert ready[0].payload["counter_id"] == 1

    r = client.post(f"/api/v1/dossiers/{code}/return", headers=officer, json={})
    assert r.status_code == 200
    returned = r.get_json()
    assert returned["state"] == "returned"
    # ready the same day it was received: on time, or early when the limit runs for days
    expected = "early" if time_limit.kind == "days" else "on_time"
    assert returned["outcome"] == expected and returned["outcome_label"] in ("Trước hạn", "Đúng hạn")
    assert appliance.db.conn().execute("SELECT state FROM pagers WHERE number = 1").fetchone()[0] == "free"
    assert [a for a in returned["actions"]] == []
    assert [t["action"] for t in returned["timeline"]] == ["received", "processing", "ready", "return"]

    types = [t for t, _ in outbox_rows(appliance, code)]
    assert types == ["dossier.received", "dossier.state", "dossier.ready", "dossier.returned"]
    received = outbox_rows(appliance, code)[0][1]["dossier"]
    assert received["procedure_code"] == procedure and received["channel"] == "truc_tiep"
    assert received["applicant"]["name"] == dossier["applicant"]["name"]
    assert outbox_rows(appliance, code)[3][1]["outcome"] == expected
    assert [e.type for e in heard if e.type.startswith("dossier.")] == [
        "dossier.received", "dossier.ready", "dossier.returned"]
    assert audit_actions(appliance, code) == [
        ("test-officer", "dossier.create"), ("test-officer", "dossier.submit_repeat"),
        ("test-officer", "dossier.processing"), ("test-officer", "dossier.ready"), ("test-officer", "dossier.return")]


def test_ready_pages_the_ticket_pager_on_the_simulated_transmitter(appliance, make_dossier, tmp_path):
    from appliance.config import Pager
    from appliance.pager import PagerService

    service = PagerService(Pager(url=f"sim://{tmp_path}/pager", protocol="jtech-j1901"), appliance.bus)
    service.start()
    try:
        issued = appliance.engine.issue("HT", pager=7)
        dossier = make_dossier(ticket_id=issued.ticket.id)
        assert dossier["pager"] == 7 and dossier["ticket_id"] == issued.ticket.id
        assert service.flush()
        before = len(service.transport.records())
        appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
        assert service.flush()
        pages = service.transport.records()[before:]
        assert [p["pager"] for p in pages] == [7]
        assert service.recent()[0]["pager"] == 7
    finally:
        service.stop()


def test_submit_without_pager_and_ready_event_still_published(appliance, make_dossier):
    heard = []
    appliance.bus.subscribe(heard.append, ["dossier.ready"])
    dossier = make_dossier()
    assert dossier["pager"] is None
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    assert heard[0].payload["pager"] is None


def test_daily_sequence_and_the_next_day(appliance, make_dossier, clock):
    first, second = make_dossier(), make_dossier("2.000815")
    assert (first["code"][-4:], second["code"][-4:]) == ("0001", "0002")
    clock.advance(86400)
    assert make_dossier()["code"] == "000.00.00.H00-261201-0001"


def test_busy_and_unknown_pagers_are_refused(appliance, client, auth):
    appliance.engine.issue("HT", pager=3)
    draft = str(uuid.uuid4())
    put_draft(client, auth("officer"), draft, "1.001193", valid_values("1.001193"))
    r = client.post(f"/api/v1/drafts/{draft}/submit", headers=auth("officer"), json={"pager": 3})
    assert r.status_code == 409 and "Thẻ rung số 3" in r.get_json()["error"]["message"]
    r = client.post(f"/api/v1/drafts/{draft}/submit", headers=auth("officer"), json={"pager": 99})
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "pager"
    assert appliance.db.conn().execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0
    r = client.post(f"/api/v1/drafts/{draft}/submit", headers=auth("officer"), json={"pager": 4})
    assert r.status_code == 201 and r.get_json()["pager"] == 4


def test_return_by_post(appliance, make_dossier, client, auth):
    dossier = make_dossier(return_by_post=True, post_address="Thôn Đông, xã Dương Xá, Hà Nội")
    code = dossier["code"]
    assert dossier["return_by_post"] is True and dossier["post_address"].startswith("Thôn Đông")
    client.post(f"/api/v1/dossiers/{code}/ready", headers=auth("officer"), json={})
    r = client.post(f"/api/v1/dossiers/{code}/return", headers=auth("officer"), json={})
    assert r.status_code == 422 and "số hiệu bưu gửi" in r.get_json()["error"]["errors"]["tracking_number"]
    r = client.post(f"/api/v1/dossiers/{code}/return", headers=auth("officer"),
                    json={"tracking_number": "EB123456785VN", "fee": 25000})
    body = r.get_json()
    assert r.status_code == 200 and body["returned_by_post"] is True
    assert (body["tracking_number"], body["post_fee"]) == ("EB123456785VN", 25000)
    assert outbox_rows(appliance, code)[-1][1]["by_post"] is True


def test_assisted_online_submission_and_it_familiarity(make_dossier, appliance):
    dossier = make_dossier(channel="truc_tuyen_toan_trinh", portal_code="G22.99-261130-0042",
                           it_familiarity="chua_biet", vneid_created=True)
    assert dossier["channel"] == "truc_tuyen_toan_trinh" and dossier["channel_label"] == "Trực tuyến toàn trình"
    assert dossier["portal_code"] == "G22.99-261130-0042" and dossier["vneid_created"] is True
    assert dossier["it_familiarity_label"].startswith("Chưa biết")
    hub = outbox_rows(appliance, dossier["code"])[0][1]["dossier"]
    assert hub["channel"] == "truc_tuyen_toan_trinh" and hub["vneid_created"] is True


def test_supplement_refuse_apology_and_handover(appliance, make_dossier, client, auth, clock):
    officer = auth("officer")
    dossier = make_dossier("1.004837")  # giám hộ: 3 working days
    code = dossier["code"]
    assert dossier["due_at"] == "2026-12-03T08:00:00+07:00"
    r = client.post(f"/api/v1/dossiers/{code}/supplement", headers=officer,
                    json={"reason": "Thiếu văn bản cử người giám hộ"})
    assert r.get_json()["state"] == "supplement_requested" and r.get_json()["overdue"] is False
    clock.advance(86400)  # Tuesday 08:00: the papers come back, the limit restarts
    r = client.post(f"/api/v1/dossiers/{code}/processing", headers=officer, json={})
    assert r.get_json()["state"] == "processing" and r.get_json()["due_at"] == "2026-12-04T08:00:00+07:00"
    r = client.post(f"/api/v1/dossiers/{code}/handover", headers=officer,
                    json={"from": "Bộ phận Một cửa", "to": "Công chức tư pháp – hộ tịch", "note": "Bàn giao"})
    assert r.status_code == 200
    clock.advance(4 * 86400)  # Saturday: overdue
    listed = client.get("/api/v1/dossiers?overdue=1", headers=officer).get_json()
    assert [d["code"] for d in listed["items"]] == [code] and listed["items"][0]["time_left_s"] < 0
    r = client.post(f"/api/v1/dossiers/{code}/overdue", headers=officer,
                    json={"reason": "Chờ xác minh tại xã khác", "new_due_at": "08/12/2026"})
    body = r.get_json()
    assert r.status_code == 200 and body["new_due_at"] == "2026-12-08T17:00:00+07:00" and body["overdue"] is False
    timeline = body["timeline"]
    assert [t["action"] for t in timeline] == ["received", "supplement", "processing", "handover", "overdue"]
    assert timeline[1]["reason"] == "Thiếu văn bản cử người giám hộ"
    assert timeline[3]["from"] == "Bộ phận Một cửa" and timeline[3]["to"] == "Công chức tư pháp – hộ tịch"
    assert timeline[4]["new_due_at"] == "2026-12-08T17:00:00+07:00"
    client.post(f"/api/v1/dossiers/{code}/ready", headers=officer, json={})
    r = client.post(f"/api/v1/dossiers/{code}/return", headers=officer, json={})
    assert r.get_json()["outcome"] == "late"  # measured against the first due date, not the apology's
    states = [p for t, p in outbox_rows(appliance, code) if t == "dossier.state"]
    assert [p["action"] for p in states] == ["supplement", "processing", "handover", "overdue"]
    assert states[3]["new_due_at"] == "2026-12-08T17:00:00+07:00" and states[3]["reason"]

    other = make_dossier("1.004873")
    r = client.post(f"/api/v1/dossiers/{other['code']}/refuse", headers=officer,
                    json={"reason": "Không thuộc thẩm quyền giải quyết của xã"})
    assert r.get_json()["state"] == "refused" and r.get_json()["actions"] == []


@pytest.mark.parametrize("ready_after_s,expected", [
    (3600, "early"),                      # Monday 09:00, due Thursday 08:00
    (3 * 86400 - 1800, "on_time"),       # Thursday 07:30
    (3 * 86400 + 3600, "late"),          # Thursday 09:00
])
def test_outcome_early_on_time_late(ready_after_s, expected, appliance, make_dossier, clock):
    dossier = make_dossier("1.004837")
    clock.advance(ready_after_s)
    appliance.dossiers.act(dossier["code"], "ready", user="canbo1")
    clock.advance(86400)  # the citizen comes later: the outcome counts from when the result was ready
    assert appliance.dossiers.act(dossier["code"], "return", user="canbo1")["outcome"] == expected


def test_model_day_two_working_hours_and_the_cutoff(appliance, make_dossier, clock):
    clock.advance(86400 + 3 * 3600)  # Tuesday (the default model day) 11:00
    dossier = make_dossier("1.001193")
    # two deadlines (#13): the 2-hour target is 30 min before lunch + 1 h 30 after; the legal due
    # time of an "immediate" procedure received before 15:00 is the close of the day
    assert dossier["target_due_at"] == "2026-12-01T15:00:00+07:00"
    assert dossier["due_at"] == dossier["legal_due_at"] == "2026-12-01T17:00:00+07:00"
    clock.advance(86400 + 4 * 3600 + 1800)  # Wednesday 15:30: after the cut-off → Thursday's close
    late = make_dossier("2.000815")
    assert late["due_at"] == "2026-12-03T17:00:00+07:00"


def test_bad_transition_and_unknown_dossier_in_vietnamese(client, auth, make_dossier):
    code = make_dossier()["code"]
    r = client.post(f"/api/v1/dossiers/{code}/return", headers=auth("officer"), json={})
    assert r.status_code == 409
    assert r.get_json()["error"]["message"] == f"Hồ sơ {code} đang ở trạng thái 'Đã tiếp nhận': không thể trả kết quả."
    r = client.get("/api/v1/dossiers/000.00.00.H00-261130-9999", headers=auth("officer"))
    assert r.status_code == 404 and r.get_json()["error"]["message"] == "Không có hồ sơ mã 000.00.00.H00-261130-9999."
    r = client.post(f"/api/v1/dossiers/{code}/archive", headers=auth("officer"), json={})
    assert r.status_code == 404 and "Không có thao tác 'archive'" in r.get_json()["error"]["message"]
    r = client.post(f"/api/v1/dossiers/{code}/return?lang=en", headers=auth("officer"), json={})
    assert "cannot return" in r.get_json()["error"]["message"]


def test_roles(client, auth, make_dossier, new_draft_id):
    code = make_dossier()["code"]
    assert client.post(f"/api/v1/dossiers/{code}/ready", headers=auth("volunteer"), json={}).status_code == 403
    assert client.get("/api/v1/dossiers", headers=auth("display")).status_code == 403
    assert client.get("/api/v1/dossiers", headers=auth("kiosk")).status_code == 403
    assert client.get("/api/v1/dossiers").status_code == 401
    assert client.get("/api/v1/counters/1/draft", headers=auth("kiosk")).status_code == 403
    assert client.get("/api/v1/counters/1/draft", headers=auth("display")).status_code == 403  # the hall TV
    assert client.get("/api/v1/counters/1/draft", headers=auth("volunteer")).status_code == 200
    r = put_draft(client, auth("volunteer"), new_draft_id(), "1.001193", {})
    assert r.status_code == 200  # volunteers fill forms


def test_audit_log_records_views_and_changes(client, auth, make_dossier, appliance):
    code = make_dossier(user="canbo2")["code"]
    client.get(f"/api/v1/dossiers/{code}", headers=auth("volunteer"))
    client.post(f"/api/v1/dossiers/{code}/ready", headers=auth("admin"), json={})
    client.get(f"/api/v1/dossiers?q={code}", headers=auth("officer"))
    log = appliance.dossiers.audit_log(code)
    assert [(e["user"], e["action"]) for e in log] == [
        ("canbo2", "dossier.create"), ("test-volunteer", "dossier.view"), ("test-admin", "dossier.ready")]
    assert all(e["at"].startswith("2026-11-30T08:00") for e in log)
    assert log[2]["detail"] == "received → ready"
    lists = appliance.db.conn().execute(
        "SELECT user_login, detail FROM audit_log WHERE action = 'dossier.list'").fetchall()
    assert lists[-1]["user_login"] == "test-officer" and "mã hồ sơ" in lists[-1]["detail"]
    assert code not in lists[-1]["detail"]


def test_outbox_rows_carry_clock_state_and_synced_flag(appliance, make_dossier):
    dossier = make_dossier()
    code = dossier["code"]
    assert appliance.dossiers.synced(code) is False
    conn = appliance.db.conn()
    seq = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    with appliance.db.write() as tx:
        outbox.mark_acked(tx, seq)
    assert appliance.dossiers.synced(code) is True
    appliance.dossiers.act(code, "processing", user="canbo1")  # a new fact: not synced until acked
    assert appliance.dossiers.synced(code) is False
    row = conn.execute("SELECT clock_synced, boot_id FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()
    assert row["clock_synced"] == 1 and row["boot_id"]

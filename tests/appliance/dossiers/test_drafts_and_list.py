"""Drafts (autosave, never lost, Vietnamese errors per field, one dossier per double submit) and
the dossier list (search by code, name, phone, personal number; filters)."""
import threading
import unicodedata
import uuid

import pytest
from dossier_values import valid_values


def put(client, headers, draft_id, values, procedure="1.001193", counter_id=1, **extra):
    return client.put(f"/api/v1/drafts/{draft_id}", headers=headers,
                      json={"counter_id": counter_id, "procedure": procedure, "values": values, **extra})


def test_half_filled_form_is_kept_with_vietnamese_errors_per_field(client, auth, new_draft_id):
    draft = new_draft_id()
    typed = {"requester_name": "lê thị  mai", "requester_phone": "0212345678", "child_dob": "31/02/2026",
             "requester_id_number": "12345", "child_sex": "không rõ"}
    r = put(client, auth("officer"), draft, typed, focus="child_dob")
    assert r.status_code == 200
    body = r.get_json()
    assert body["values"]["requester_name"] == "LÊ THỊ MAI"
    errors = body["errors"]
    assert "Không phải số di động Việt Nam" in errors["requester_phone"]
    assert errors["child_dob"] == "Ngày 31/02/2026 không có thật."
    assert "12 chữ số" in errors["requester_id_number"]
    assert "không có trong danh mục" in errors["child_sex"]
    assert errors["child_name"] == "Bắt buộc nhập 'Họ, chữ đệm, tên'."
    assert all(unicodedata.normalize("NFC", m) == m for m in errors.values())
    # the half-filled form is kept as typed, for this counter
    restored = client.get("/api/v1/counters/1/draft", headers=auth("officer")).get_json()
    assert restored["draft_id"] == draft and restored["values"] == typed and restored["focus"] == "child_dob"
    # submit refuses with the same messages per field, and nothing is created
    r = client.post(f"/api/v1/drafts/{draft}/submit", headers=auth("officer"), json={})
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert error["code"] == "form_invalid" and error["errors"]["child_dob"] == errors["child_dob"]
    assert error["message"].startswith("Biểu mẫu còn") and error["field"] in errors
    r = client.post(f"/api/v1/drafts/{draft}/submit?lang=en", headers=auth("officer"), json={})
    assert r.get_json()["error"]["errors"]["child_dob"] == "31/02/2026 is not a real date."


def test_submit_options_errors_next_to_the_fields(client, auth, new_draft_id, appliance):
    draft = new_draft_id()
    put(client, auth("officer"), draft, valid_values("1.001193"))
    r = client.post(f"/api/v1/drafts/{draft}/submit", headers=auth("officer"),
                    json={"channel": "truc_tuyen_mot_phan", "return_by_post": True, "ticket_id": 999,
                          "pager": "bảy"})
    errors = r.get_json()["error"]["errors"]
    assert r.status_code == 422 and set(errors) == {"portal_code", "post_address", "ticket_id", "pager"}
    assert errors["portal_code"] == "Nộp trực tuyến: cần ghi mã hồ sơ trên Cổng dịch vụ công."
    assert errors["ticket_id"] == "Không có số thứ tự mã 999."
    assert appliance.db.conn().execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0


@pytest.mark.parametrize("body,status,field,words", [
    ({"procedure": "9.999999", "values": {}}, 422, "procedure", "Không có thủ tục mã '9.999999'"),
    ({"values": {}}, 400, "procedure", "procedure"),
    ({"procedure": "1.001193", "values": ["a"]}, 422, "values", "đối tượng"),
    ({"procedure": "1.001193", "values": {"child_name": {"x": 1}}}, 422, "child_name", "chữ, số"),
    ({"procedure": "1.001193", "values": {}, "counter_id": 42}, 404, "counter_id", "quầy số 42"),
])
def test_bad_draft_bodies(client, auth, new_draft_id, body, status, field, words):
    r = client.put(f"/api/v1/drafts/{new_draft_id()}", headers=auth("officer"), json=body)
    assert r.status_code == status
    error = r.get_json()["error"]
    assert error["field"] == field and words in error["message"] + str(error.get("errors"))


def test_draft_id_must_be_a_uuid4(client, auth):
    r = put(client, auth("officer"), "123", {})
    assert r.status_code == 400 and "UUID4" in r.get_json()["error"]["message"]


def test_submitted_draft_cannot_be_edited(client, auth, new_draft_id):
    draft = new_draft_id()
    put(client, auth("officer"), draft, valid_values("1.001193"))
    code = client.post(f"/api/v1/drafts/{draft}/submit", headers=auth("officer"), json={}).get_json()["code"]
    r = put(client, auth("officer"), draft, {"child_name": "X"})
    assert r.status_code == 409 and code in r.get_json()["error"]["message"]
    got = client.get(f"/api/v1/drafts/{draft}", headers=auth("officer")).get_json()
    assert got["dossier_code"] == code and got["values"] == {}  # the values live in the dossier only
    assert client.get("/api/v1/counters/1/draft", headers=auth("officer")).get_json() is None


def test_concurrent_double_submit_creates_one_dossier(appliance, new_draft_id):
    draft = new_draft_id()
    appliance.dossiers.save_draft(draft, procedure="2.000815", values=valid_values("2.000815"), counter_id=2)
    results, barrier = [], threading.Barrier(4)

    def submit():
        barrier.wait()
        results.append(appliance.dossiers.submit(draft, {"pager": "auto"}, user="canbo1"))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(results) == 4
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert len({d["code"] for d, _ in results}) == 1
    conn = appliance.db.conn()
    assert conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM pagers WHERE state = 'assigned' AND dossier_code IS NOT NULL"
                        ).fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM outbox WHERE type = 'dossier.received'").fetchone()[0] == 1


def test_draft_changed_event_carries_values_as_typed(appliance, client, auth, new_draft_id):
    heard = []
    appliance.bus.subscribe(heard.append, ["draft.changed"])
    draft = new_draft_id()
    put(client, auth("officer"), draft, {"child_name": "trần b"}, counter_id=2, focus="child_name")
    assert heard[-1].payload == {"counter_id": 2, "draft_id": draft, "procedure": "1.001193",
                                 "values": {"child_name": "trần b"}, "focus": "child_name"}


@pytest.fixture
def many(appliance):
    """Six dossiers with distinct people; returns their JSON by a short name."""
    out = {}
    people = [("an", "NGUYỄN VĂN AN", "0912000001", "001088000001", "1.001193"),
              ("binh", "TRẦN THỊ BÌNH", "0912000002", "001188000002", "1.001193"),
              ("cuong", "LÊ VĂN CƯỜNG", "0987000003", "036090000003", "2.000815"),
              ("dung", "PHẠM THỊ DUNG", "0912000004", "001190000004", "1.004837"),
              ("an2", "NGUYỄN THỊ AN", "0345000005", "001195000005", "2.000815"),
              ("giang", "ĐỖ VĂN GIANG", "0912000006", "001088000006", "1.004873")]
    for key, name, phone, number, procedure in people:
        values = {**valid_values(procedure), "requester_name": name, "requester_phone": phone,
                  "requester_id_number": number}
        draft = str(uuid.uuid4())
        appliance.dossiers.save_draft(draft, procedure=procedure, values=values, counter_id=1)
        out[key] = appliance.dossiers.submit(draft, {}, user="canbo1")[0]
    appliance.dossiers.act(out["binh"]["code"], "ready", user="canbo1")
    return out


def codes(client, auth, query):
    r = client.get(f"/api/v1/dossiers{query}", headers=auth("officer"))
    assert r.status_code == 200, r.get_json()
    return [d["code"] for d in r.get_json()["items"]]


@pytest.mark.parametrize("query,expected", [
    ("?q=nguyen", ["an2", "an"]), ("?q=Nguyễn Văn", ["an"]), ("?q=NGUYEN+an", ["an2", "an"]),
    ("?q=dũng", ["dung"]), ("?q=do van", ["giang"]), ("?q=0987 000 003", ["cuong"]),
    ("?q=%2B84987000003", ["cuong"]), ("?q=84987000003", ["cuong"]),
    ("?q=036090000003", ["cuong"]), ("?q=0011", ["an2", "dung", "binh"]), ("?q=khong+co+ai", []),
    ("?state=ready", ["binh"]), ("?procedure=2.000815", ["an2", "cuong"]), ("?q=nguyen&procedure=1.001193", ["an"]),
    ("?state=received&q=0912000002", []), ("?limit=2", ["giang", "an2"]), ("?limit=2&offset=4", ["binh", "an"]),
])
def test_search_and_filters(client, auth, many, query, expected):
    assert codes(client, auth, query) == [many[k]["code"] for k in expected]


def test_search_by_code_and_code_parts(client, auth, many):
    code = many["cuong"]["code"]
    assert codes(client, auth, f"?q={code}") == [code]
    assert codes(client, auth, f"?q={code.lower()}") == [code]
    assert codes(client, auth, "?q=261130-0003") == [code]


def test_list_items_and_totals(client, auth, many):
    body = client.get("/api/v1/dossiers?limit=2", headers=auth("officer")).get_json()
    assert body["total"] == 6 and body["total_capped"] is False and len(body["items"]) == 2
    item = body["items"][0]
    assert {"code", "procedure_name", "state_label", "due_at", "time_left_s", "overdue", "applicant"} <= set(item)
    assert "values" not in item and item["time_left_s"] > 0


def test_filter_by_receipt_dates(client, auth, many, appliance, clock):
    clock.advance(86400)
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure="2.000815", values=valid_values("2.000815"), counter_id=1)
    tuesday = appliance.dossiers.submit(draft, {}, user="canbo1")[0]["code"]
    assert codes(client, auth, "?from=2026-12-01") == [tuesday]
    assert len(codes(client, auth, "?from=2026-11-30&to=2026-11-30")) == 6
    assert codes(client, auth, "?to=2026-11-29") == []


@pytest.mark.parametrize("query,field", [("?state=lost", "state"), ("?limit=0", "limit"), ("?limit=x", "limit"),
                                         ("?from=30/11/2026", "from")])
def test_bad_list_parameters(client, auth, query, field):
    r = client.get(f"/api/v1/dossiers{query}", headers=auth("officer"))
    assert r.status_code == 400 and r.get_json()["error"]["field"] == field
    assert "không hợp lệ" in r.get_json()["error"]["message"]

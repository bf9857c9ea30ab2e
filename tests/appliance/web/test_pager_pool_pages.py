"""The pager pool on the console, the dossier entry page and ``GET /api/v1/pagers/pool``; ready
results without a pager on the hall display ("Hồ sơ có kết quả", numbers only) and announced."""
from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest

from appliance.domain.dossier_samples import sample_values
from appliance.web.api.openapi import openapi_document

PROCEDURE = "1.001193"

NAME = "NGUYỄN VĂN AN"


def values(appliance):
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    return sample_values(appliance.dossiers.catalog.get(PROCEDURE), today)


def submit(client, headers, appliance, pager="auto", **extra):
    draft = str(uuid.uuid4())
    body = {"counter_id": 1, "procedure": PROCEDURE, "values": values(appliance)}
    r = client.put(f"/api/v1/drafts/{draft}", headers=headers, json=body)
    assert r.status_code == 200 and r.get_json()["errors"] == {}, r.get_json()
    r = client.post(f"/api/v1/drafts/{draft}/submit", headers=headers, json={"pager": pager, **extra})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def check_schema(body, name):
    """Every required key there, every key documented (the document is the contract)."""
    schema = openapi_document()["components"]["schemas"][name]
    assert set(schema["required"]) <= set(body) and set(body) <= set(schema["properties"]), set(body)


def test_the_pool_endpoint_counts_and_says_what_the_next_dossier_gets(client, auth, appliance):
    officer = auth("officer")
    r = client.get("/api/v1/pagers/pool", headers=officer)
    assert r.status_code == 200
    body = r.get_json()
    check_schema(body, "PagerPool")
    assert (body["total"], body["free"], body["in_use"], body["next_pager"], body["empty"]) == (10, 10, 0, 1, False)
    for _ in range(10):
        submit(client, officer, appliance)
    appliance.engine.return_pager(3, detach=True, user_login="canbo1")
    appliance.engine.mark_pager_lost(3, user_login="canbo1")
    body = client.get("/api/v1/pagers/pool", headers=officer).get_json()
    assert (body["free"], body["in_use"], body["lost"], body["empty"], body["next_pager"]) == (0, 9, 1, True, None)
    # the 11th is received all the same, with no pager
    eleventh = submit(client, officer, appliance)
    assert eleventh["pager"] is None
    assert "/api/v1/pagers/pool" in openapi_document()["paths"]
    assert client.get("/api/v1/pagers/pool").status_code == 401


def test_the_console_and_the_entry_page_show_the_pool_before_the_officer_starts(role_client, client, auth, appliance):
    officer = role_client("officer")
    page = officer.get("/counter/1/state").get_data(as_text=True)
    assert "Thẻ rung: còn 10/10 thẻ trống" in page and "Hồ sơ tiếp theo (số 1) nhận thẻ số 1." in page
    entry = officer.get("/dossiers/new?procedure=1.001193&counter=1").get_data(as_text=True)
    assert "còn 10/10 thẻ trống" in entry
    for _ in range(10):
        submit(client, auth("officer"), appliance)
    page = officer.get("/counter/1/state").get_data(as_text=True)
    assert "Thẻ rung: còn 0/10 thẻ trống" in page and "pager-pool empty" in page
    assert "Hết thẻ trống: hồ sơ vẫn được tiếp nhận" in page
    entry = officer.get("/dossiers/new?procedure=1.001193&counter=1").get_data(as_text=True)
    assert "Hết thẻ trống" in entry


def test_a_ready_result_without_a_pager_is_on_the_hall_display_by_number_only(client, auth, tokens, appliance):
    officer = auth("officer")
    ticket = client.post("/api/v1/tickets", headers=auth("kiosk"), json={"service": "HT"}).get_json()
    dossier = submit(client, officer, appliance, pager=None, ticket_id=ticket["id"])
    assert dossier["pager"] is None
    seq = int(dossier["code"].rsplit("-", 1)[1])
    display = client.application.test_client()
    display.get(f"/display?token={tokens['display']}")
    board = display.get("/display/board").get_data(as_text=True)
    assert "Hồ sơ có kết quả" in board and "Chưa có hồ sơ nào chờ nhận kết quả." in board

    r = client.post(f"/api/v1/dossiers/{dossier['code']}/ready", headers=officer, json={})
    assert r.status_code == 200 and r.get_json()["called_by"] == "display"
    board = display.get("/display/board").get_data(as_text=True)
    line = re.search(rf'<li data-ready-number="{seq}">.*?</li>', board, re.S).group(0)
    assert f"Hồ sơ {seq}" in line and ticket["number"] in line and "Quầy 1" in line
    applicant = dossier["applicant"]["name"] or ""
    assert applicant and applicant not in board and dossier["code"] not in board   # numbers only
    pool = client.get("/api/v1/pagers/pool", headers=auth("display")).get_json()
    assert pool["calling"] == [{"number": seq, "day": appliance.today(), "ticket_number": ticket["number"],
                                "counter_id": 1, "dossier_code": None}]

    # the dossier page says how the citizen is called
    page = client.application.test_client()
    from page_helpers import log_in, make_user
    log_in(page, make_user(appliance, "canbo.hoa", "officer"))
    detail = page.get(f"/dossiers/{dossier['code']}?done=ready").get_data(as_text=True)
    assert f"Màn hình sảnh hiện hồ sơ số {seq} (số thứ tự {ticket['number']})" in detail

    client.post(f"/api/v1/dossiers/{dossier['code']}/return", headers=officer, json={})
    assert f'data-ready-number="{seq}"' not in display.get("/display/board").get_data(as_text=True)


def test_the_announcer_says_the_dossier_number_and_the_counter(client, auth):
    headers = auth("display")
    r = client.get("/audio/announce?dossier=12&counter=2", headers=headers)
    assert r.status_code == 200
    names = [u.rsplit("/", 1)[1].removesuffix(".wav") for u in r.get_json()]
    once = ["moi_ho_so", "muoi_huyen", "hai", "nhan_tai_quay", "hai"]
    assert names[0] == "chime" and names[1:] == once * (len(names[1:]) // len(once)) and len(names) > 1
    names = [u.rsplit("/", 1)[1].removesuffix(".wav") for u in client.get("/audio/announce?dossier=7").get_json()]
    assert names[1:3] == ["moi_ho_so", "bay"] and names[3] == "nhan_ket_qua"
    for query, field in (("dossier=", "dossier"), ("dossier=abc", "dossier"), ("dossier=0", "dossier"),
                         ("dossier=12&counter=x", "counter")):
        r = client.get(f"/audio/announce?{query}")
        assert r.status_code == 400 and r.get_json()["error"]["field"] == field
        assert "hồ sơ" in r.get_json()["error"]["message"] or "quầy" in r.get_json()["error"]["message"]


@pytest.mark.parametrize("role", ["display", "kiosk"])
def test_dossier_call_reaches_a_hall_screen_without_names(role):
    from appliance.web.api.sse import redact
    payload = {"code": "000.00.06.H56-261130-0004", "number": 4, "day": "2026-11-30", "ticket_number": "A015",
               "counter_id": 2, "repeat": 1, "at": "2026-11-30T09:00:00+07:00", "applicant_name": NAME}
    out = redact("dossier.call", payload, role)
    assert out["number"] == 4 and out["ticket_number"] == "A015" and out["repeat"] == 1
    assert "applicant_name" not in out


def test_the_officer_calls_the_citizen_of_a_ready_result_again(client, auth, appliance, role_client):
    officer = auth("officer")
    with_pager, without = submit(client, officer, appliance), submit(client, officer, appliance, pager=None)
    assert client.post(f"/api/v1/dossiers/{with_pager['code']}/call", headers=officer).status_code == 409
    r = client.post(f"/api/v1/dossiers/{with_pager['code']}/call", headers=officer, query_string={"lang": "en"})
    assert "only while the result is ready" in r.get_json()["error"]["message"]
    heard = []
    appliance.bus.subscribe(heard.append, ["pager.remind", "dossier.call"])
    for d in (with_pager, without):
        client.post(f"/api/v1/dossiers/{d['code']}/ready", headers=officer, json={})
    heard.clear()
    for d in (with_pager, without):
        r = client.post(f"/api/v1/dossiers/{d['code']}/call", headers=officer)
        assert r.status_code == 200, r.get_json()
    assert [(e.type, e.payload.get("pager") or e.payload.get("code")) for e in heard] == [
        ("pager.remind", with_pager["pager"]), ("dossier.call", without["code"])]
    audit = appliance.db.conn().execute("SELECT detail FROM audit_log WHERE action = 'dossier.call' ORDER BY id")
    assert [r[0] for r in audit] == ["gọi lại bằng thẻ rung", "gọi lại trên màn hình sảnh"]
    page = role_client("officer")
    detail = page.get(f"/dossiers/{without['code']}?done=call").get_data(as_text=True)
    assert "Gọi lại công dân" in detail and "Đã gọi lại công dân trên màn hình sảnh và loa." in detail
    assert "/api/v1/dossiers/{code}/call" in client.get("/api/v1/openapi.json").get_json()["paths"]

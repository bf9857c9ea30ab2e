"""/api/v1/counters/{id}/open|pause|close|undo and GET /api/v1/counters/{id}: the officer's own
counter through the API (bearer tokens and a logged-in officer), errors in Vietnamese and English."""
from __future__ import annotations

import pytest
from page_helpers import csrf, log_in, make_user

from appliance.store import counter_store


@pytest.fixture
def empty_queue(appliance):
    with appliance.db.write() as w:
        w.execute("UPDATE tickets SET state = 'done' WHERE state != 'done'")


def test_pause_shows_on_the_queue_and_refuses_the_call(client, auth, empty_queue):
    officer = auth("officer")
    assert client.post("/api/v1/tickets", json={"service": "HT"}, headers=auth("kiosk")).status_code == 201
    r = client.post("/api/v1/counters/1/pause", headers=officer)
    assert r.status_code == 200
    body = r.get_json()
    assert body["state"] == "paused" and body["previous"] == "open" and body["state_at"]
    queue = client.get("/api/v1/queue", headers=auth("display")).get_json()
    assert [c["state"] for c in queue["counters"] if c["id"] == 1] == ["paused"]
    r = client.post("/api/v1/counters/1/call-next", headers=officer)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "counter_paused"
    assert "tạm nghỉ" in r.get_json()["error"]["message"]
    r = client.post("/api/v1/counters/1/call-next", headers={**officer, "Accept-Language": "en"})
    assert "on a break" in r.get_json()["error"]["message"]
    again = client.post("/api/v1/counters/1/pause", headers=officer)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "counter_already"
    assert client.post("/api/v1/counters/1/open", headers=officer).get_json()["state"] == "open"
    assert client.post("/api/v1/counters/1/call-next", headers=officer).status_code == 200
    r = client.post("/api/v1/counters/1/close", headers=officer)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "counter_has_ticket"


def test_roles_and_unknown_counters(client, auth, empty_queue):
    assert client.post("/api/v1/counters/1/pause", headers=auth("display")).status_code == 403
    assert client.post("/api/v1/counters/1/pause", headers=auth("volunteer")).status_code == 403
    assert client.post("/api/v1/counters/1/pause").status_code == 401
    r = client.post("/api/v1/counters/77/close", headers=auth("officer"))
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "unknown_counter"
    assert client.get("/api/v1/counters/77", headers=auth("officer")).status_code == 404
    hall = client.get("/api/v1/counters/1", headers=auth("display")).get_json()
    assert set(hall) == {"id", "name", "active", "state"}


def test_an_officer_opens_only_an_assigned_counter(app, appliance, empty_queue):
    hoa_id = make_user(appliance, "hoa", "officer")
    minh_id = make_user(appliance, "minh", "officer")
    with appliance.units() as tx:
        counter_store.set_officers(tx.conn, 2, ["hoa"])
        counter_store.set_state(tx.conn, 2, "closed", 0, None)
    minh = app.test_client()
    log_in(minh, minh_id)
    r = minh.post("/api/v1/counters/2/open", headers={"X-CSRFToken": csrf(minh, "/counter/2")})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "counter_not_assigned"
    hoa = app.test_client()
    log_in(hoa, hoa_id)
    r = hoa.post("/api/v1/counters/2/open", headers={"X-CSRFToken": csrf(hoa, "/counter/2")})
    assert r.status_code == 200 and r.get_json()["state_by"] == "hoa" and r.get_json()["officers"] == ["hoa"]


def test_undo_through_the_api(client, auth, empty_queue):
    officer = auth("officer")
    client.post("/api/v1/tickets", json={"service": "HT"}, headers=auth("kiosk"))
    called = client.post("/api/v1/counters/1/call-next", headers=officer).get_json()
    assert client.post("/api/v1/counters/1/no-show", headers=officer).get_json()["state"] == "no_show"
    pending = client.get("/api/v1/counters/1", headers=officer).get_json()["undo"]
    assert pending["action"] == "no_show" and pending["summary"] == {"absent": called["number"]}
    assert 0 < pending["seconds_left"] <= 10
    r = client.post("/api/v1/counters/1/undo", json={"token": "wrong"}, headers=officer)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "nothing_to_undo"
    r = client.post("/api/v1/counters/1/undo", json={"token": pending["token"]}, headers=officer)
    assert r.status_code == 200
    assert [t["state"] for t in r.get_json()["tickets"]] == ["called"]
    assert client.get("/api/v1/counters/1", headers=officer).get_json()["undo"] is None
    r = client.post("/api/v1/counters/1/undo", json={"token": 5}, headers=officer)
    assert r.status_code == 400


def test_hall_screens_hear_the_counter_state_but_not_who_set_it():
    from appliance.web.api.sse import STREAMED_TYPES, redact
    payload = {"counter_id": 1, "state": "paused", "previous": "open", "at": "2026-11-30T10:00:00+07:00",
               "by": "canbo1", "by_name": "Nguyễn Thị Hoa", "released": []}
    assert "counter.state".startswith(STREAMED_TYPES)
    assert redact("counter.state", payload, "display") == {"counter_id": 1, "state": "paused", "previous": "open",
                                                          "at": "2026-11-30T10:00:00+07:00"}
    assert redact("counter.state", payload, "officer") == payload
    undone = redact("ticket.undone", {"ticket": {"number": "A001", "priority_reason": "x"}, "counter_id": 1,
                                      "undone": ["ticket.no_show"], "by": "canbo1"}, "display")
    assert undone == {"ticket": {"number": "A001"}, "counter_id": 1, "undone": ["ticket.no_show"]}

"""Privacy of the hall: a display or kiosk token gets numbers only (no priority reason, no names, no
dossier code) from every route it can reach; staff get the whole ticket; /api/v1/health without a
token, from another machine on the LAN, says only up or down."""
from __future__ import annotations

import re

import pytest

from appliance.demo import DEMO_USERS

REASON = "phụ nữ có thai"
DEMO_REASON = "người cao tuổi"   # the demo's own priority ticket
HALL = ("display", "kiosk")
STAFF = ("admin", "officer", "volunteer")
LAN = {"REMOTE_ADDR": "192.168.1.50"}


@pytest.fixture
def busy_hall(client, auth):
    """A priority ticket with a reason, called at counter 1 (so it is in /queue's counters and recent),
    and another one waiting (so it is in /counters/1/waiting)."""
    first = client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": REASON},
                        headers=auth("officer")).get_json()
    client.post("/api/v1/counters/1/call-next", json={"finish_current": True}, headers=auth("officer"))
    second = client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": REASON},
                         headers=auth("officer")).get_json()
    return first["id"], second["id"]


def reachable_gets(client, ids):
    """Every GET of the OpenAPI document, with its path filled in (streams left out: SSE tests cover them)."""
    doc = client.get("/api/v1/openapi.json").get_json()
    values = {"counter_id": "1", "ticket_id": str(ids[0]), "draft_id": "nhap-1", "code": "X"}
    for path, ops in doc["paths"].items():
        if "get" in ops and not path.endswith(("/events", "/openapi.json")):
            yield re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), "1"), path)


@pytest.mark.parametrize("role", HALL)
def test_hall_tokens_get_numbers_only_everywhere(client, auth, busy_hall, role):
    names = [full for _login, _role, full in DEMO_USERS]
    seen_ok = 0
    for path in reachable_gets(client, busy_hall):
        r = client.get(path, headers=auth(role))
        text = r.get_data(as_text=True)
        assert REASON not in text and DEMO_REASON not in text and "priority_reason" not in text, path
        assert not any(name in text for name in names), path
        seen_ok += r.status_code == 200
    assert seen_ok >= 7   # tickets, waiting, queue, services, counters, pagers, health at least
    ticket = client.get(f"/api/v1/tickets/{busy_hall[0]}", headers=auth(role)).get_json()
    assert ticket["number"] and ticket["priority"] is True and "priority_reason" not in ticket
    waiting = client.get("/api/v1/counters/1/waiting", headers=auth(role)).get_json()["waiting"]
    assert busy_hall[1] in [t["id"] for t in waiting]
    assert all("priority_reason" not in t and "channel" not in t for t in waiting)


def test_a_kiosk_issuing_a_priority_ticket_gets_back_no_reason(client, auth):
    r = client.post("/api/v1/tickets", json={"service": "HT", "priority": True, "priority_reason": REASON},
                    headers=auth("kiosk"))
    assert r.status_code == 201
    assert REASON not in r.get_data(as_text=True) and r.get_json()["ahead"] >= 0


@pytest.mark.parametrize("role", STAFF)
def test_staff_see_the_reason(client, auth, busy_hall, role):
    ticket = client.get(f"/api/v1/tickets/{busy_hall[0]}", headers=auth(role)).get_json()
    assert ticket["priority_reason"] == REASON
    waiting = client.get("/api/v1/counters/1/waiting", headers=auth(role)).get_json()["waiting"]
    assert {t["id"]: t["priority_reason"] for t in waiting}[busy_hall[1]] == REASON
    queue = client.get("/api/v1/queue", headers=auth(role)).get_json()
    assert any(t["priority_reason"] for t in queue["recent"])


def test_pager_dossier_codes_only_for_staff(client, auth, appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE pagers SET state = 'assigned', dossier_code = 'HS-0001' WHERE number = 3")
    for role in HALL:
        pagers = client.get("/api/v1/pagers", headers=auth(role)).get_json()
        assert {p["dossier_code"] for p in pagers} == {None}
    pagers = client.get("/api/v1/pagers", headers=auth("officer")).get_json()
    assert "HS-0001" in {p["dossier_code"] for p in pagers}


def test_health_without_a_token_says_only_up_or_down(client, auth):
    r = client.get("/api/v1/health", environ_base=LAN)
    assert r.status_code == 200 and r.get_json() == {"status": "up"}
    full = client.get("/api/v1/health", headers=auth("display"), environ_base=LAN).get_json()
    assert full["status"] == "ok" and "devices" in full and "database" in full
    local = client.get("/api/v1/health").get_json()   # the appliance itself (loopback): doctor, watchdog
    assert "devices" in local


def test_health_down_without_a_token(client, appliance, monkeypatch):
    real = appliance.health

    def broken():
        report = real()
        return {**report, "status": "error", "database": {"state": "error", "message": "Lỗi cơ sở dữ liệu: hỏng"}}
    monkeypatch.setattr(appliance, "health", broken)
    r = client.get("/api/v1/health", environ_base=LAN)
    assert r.status_code == 503 and r.get_json() == {"status": "down"}

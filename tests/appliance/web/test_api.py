"""API v1 through Flask's test client: roles on every route, errors as Vietnamese JSON."""
import json
import re

import pytest
from page_helpers import server_session


@pytest.fixture(autouse=True)
def empty_queue(appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE tickets SET state = 'done'")


def post(client, url, headers, payload=None, **kw):
    if payload is None:
        return client.post(url, headers=headers, **kw)
    return client.post(url, headers=headers, json=payload, **kw)


def test_issue_and_call_cycle(client, auth):
    r = post(client, "/api/v1/tickets", auth("kiosk"), {"service": "HT", "priority": True})
    assert r.status_code == 201
    t = r.get_json()
    assert t["number"] == "A004" and t["priority"] is True and t["state"] == "waiting"
    assert t["ahead"] == 0 and "estimated_wait_min" in t
    r = post(client, "/api/v1/counters/1/call-next", auth("officer"))
    assert r.status_code == 200 and r.get_json()["number"] == "A004"
    assert post(client, "/api/v1/counters/1/recall", auth("officer"), {"ticket": t["id"]}).status_code == 200
    assert post(client, "/api/v1/counters/1/serve", auth("officer")).get_json()["state"] == "serving"
    assert post(client, "/api/v1/counters/1/done", auth("officer")).get_json()["state"] == "done"


def test_queue_snapshot_shape(client, auth):
    post(client, "/api/v1/tickets", auth("kiosk"), {"service": "CT"})
    post(client, "/api/v1/counters/2/call-next", auth("officer"))
    post(client, "/api/v1/tickets", auth("kiosk"), {"service": "HT"})
    snap = client.get("/api/v1/queue", headers=auth("display")).get_json()
    services = {s["code"]: s for s in snap["services"]}
    assert services["HT"]["name"] == "Hộ tịch" and services["HT"]["waiting"] == 1
    counters = {c["id"]: c for c in snap["counters"]}
    assert counters[2]["ticket"]["number"] == "B002" and counters[1]["ticket"] is None
    assert counters[2]["name"].startswith("Quầy 2")
    assert snap["recent"][0]["number"] == "B002"


@pytest.mark.parametrize("payload, status, code, field", [
    ({"service": "ZZ"}, 404, "unknown_service", "service"),
    ({}, 400, "required", "service"),
    ({"service": 5}, 400, "invalid", "service"),
    ({"service": "HT", "priority": "có"}, 400, "invalid", "priority"),
    ({"service": "HT", "pager": 99}, 400, "pager_out_of_pool", "pager"),
    ({"service": "HT", "pager": "bảy"}, 400, "invalid", "pager"),
])
def test_bad_ticket_requests_change_nothing(client, auth, appliance, payload, status, code, field):
    before = appliance.db.conn().execute("SELECT count(*) FROM tickets").fetchone()[0]
    r = post(client, "/api/v1/tickets", auth("kiosk"), payload)
    assert r.status_code == status
    err = r.get_json()["error"]
    assert err["code"] == code and err["field"] == field and err["message"]
    assert appliance.db.conn().execute("SELECT count(*) FROM tickets").fetchone()[0] == before


def test_vietnamese_by_default_english_on_request(client, auth):
    r = post(client, "/api/v1/tickets", auth("kiosk"), {"service": "ZZ"})
    assert r.get_json()["error"]["message"] == "Không có lĩnh vực 'ZZ'."
    r = post(client, "/api/v1/tickets", {**auth("kiosk"), "Accept-Language": "en"}, {"service": "ZZ"})
    assert r.get_json()["error"]["message"] == "Unknown service 'ZZ'."


def test_malformed_and_oversized_bodies(client, auth, appliance):
    h = {**auth("kiosk"), "Content-Type": "application/json"}
    r = client.post("/api/v1/tickets", data="{service: HT", headers=h)
    assert r.status_code == 400 and "JSON" in r.get_json()["error"]["message"]
    r = client.post("/api/v1/tickets", data="[1, 2]", headers=h)
    assert r.status_code == 400
    r = client.post("/api/v1/tickets", data="service=HT", headers={**auth("kiosk"),
                    "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    big = json.dumps({"service": "HT", "pad": "x" * (appliance.settings.web.max_body_kb * 1024 + 10)})
    r = client.post("/api/v1/tickets", data=big, headers=h)
    assert r.status_code == 413 and r.get_json()["error"]["message"] == "Dữ liệu gửi lên quá lớn."


def test_counter_errors(client, auth):
    assert post(client, "/api/v1/counters/9/call-next", auth("officer")).status_code == 404
    r = post(client, "/api/v1/counters/1/call-next", auth("officer"))
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "nobody_waiting"
    post(client, "/api/v1/tickets", auth("kiosk"), {"service": "HT"})
    post(client, "/api/v1/tickets", auth("kiosk"), {"service": "HT"})
    first = post(client, "/api/v1/counters/1/call-next", auth("officer")).get_json()
    r = post(client, "/api/v1/counters/1/call-next", auth("officer"))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "counter_busy"
    r = post(client, "/api/v1/counters/1/done", auth("officer"), {"ticket": first["id"] + 100})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "stale_ticket"
    r = post(client, "/api/v1/counters/1/transfer", auth("officer"), {"service": "HT"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "transfer_to_itself"
    r = post(client, "/api/v1/counters/1/transfer", auth("officer"), {})
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "service"
    r = post(client, "/api/v1/counters/1/transfer", auth("officer"), {"service": "CT"})
    assert r.status_code == 200 and r.get_json()["service"] == "CT"
    r = post(client, "/api/v1/counters/1/done", auth("officer"))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "counter_idle"


ROUTES = [
    ("post", "/api/v1/tickets", {"service": "HT"}, {"admin", "officer", "volunteer", "kiosk"}),
    ("post", "/api/v1/counters/1/call-next", None, {"admin", "officer"}),
    ("get", "/api/v1/queue", None, {"admin", "officer", "volunteer", "kiosk", "display"}),
    ("get", "/api/v1/services", None, {"admin", "officer", "volunteer", "kiosk", "display"}),
    ("get", "/api/v1/counters", None, {"admin", "officer", "volunteer", "kiosk", "display"}),
    ("get", "/api/v1/counters/1/waiting", None, {"admin", "officer", "volunteer", "kiosk", "display"}),
    ("get", "/api/v1/pagers", None, {"admin", "officer", "volunteer", "kiosk", "display"}),
    ("post", "/api/v1/pagers/2/lost", None, {"admin", "officer"}),
]


@pytest.mark.parametrize("method, url, payload, allowed", ROUTES)
def test_roles_enforced(client, auth, method, url, payload, allowed):
    anon = getattr(client, method)(url, json=payload) if payload else getattr(client, method)(url)
    assert anon.status_code == 401
    assert anon.get_json()["error"]["message"].startswith("Cần đăng nhập")
    bad = client.get(url, headers={"Authorization": "Bearer mc_sai"}) if method == "get" else \
        client.post(url, headers={"Authorization": "Bearer mc_sai"}, json=payload)
    assert bad.status_code == 401
    for role in ("admin", "officer", "volunteer", "kiosk", "display"):
        kw = {"json": payload} if payload else {}
        r = getattr(client, method)(url, headers=auth(role), **kw)
        if role in allowed:
            assert r.status_code < 400 or r.status_code in (404, 409), (role, r.get_json())
        else:
            assert r.status_code == 403, role
            assert r.get_json()["error"]["message"] == "Tài khoản không có quyền làm việc này."


def test_session_login_counts_as_principal(client, appliance):
    row = appliance.db.conn().execute("SELECT id FROM users WHERE login = 'canbo1'").fetchone()
    with client.session_transaction() as s:
        s.update(server_session(client, row[0]))
    assert client.get("/api/v1/queue").status_code == 200
    # a cookie alone cannot write: another site could make the browser send it
    refused = client.post("/api/v1/counters/1/call-next")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "csrf"
    assert refused.get_json()["error"]["message"].startswith("Thiếu hoặc sai mã chống giả mạo")
    page = client.get("/counter/1").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    ok = client.post("/api/v1/counters/1/call-next", headers={"X-CSRFToken": token})
    assert ok.status_code in (404, 200)


def test_health_is_public_and_reports_parts(client, appliance, auth):
    post(client, "/api/v1/tickets", auth("kiosk"), {"service": "HT"})
    h = client.get("/api/v1/health").get_json()
    assert h["status"] == "ok" and h["database"]["state"] == "ok"
    assert h["outbox"]["backlog"] >= 1 and "devices" in h


def test_pager_endpoints(client, auth):
    t = post(client, "/api/v1/tickets", auth("kiosk"), {"service": "HT", "pager": "auto"}).get_json()
    assert t["pager"] == 1
    pagers = {p["number"]: p for p in client.get("/api/v1/pagers", headers=auth("display")).get_json()}
    assert pagers[1]["state"] == "assigned" and pagers[1]["ticket"] == t["number"]
    assert post(client, "/api/v1/pagers/1/return", auth("kiosk")).status_code == 200
    assert post(client, "/api/v1/pagers/77/return", auth("kiosk")).status_code == 404


def test_ratings(client, auth):
    post(client, "/api/v1/tickets", auth("kiosk"), {"service": "HT"})
    r = post(client, "/api/v1/counters/1/ratings", auth("kiosk"), {"level": "satisfied"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "nothing_to_rate"
    post(client, "/api/v1/counters/1/call-next", auth("officer"))
    assert post(client, "/api/v1/counters/1/ratings", auth("kiosk"), {"level": "satisfied"}).status_code == 201
    r = post(client, "/api/v1/counters/1/ratings", auth("kiosk"), {"level": "tuyệt"})
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "level"


def test_health_shows_sync_status_written_by_the_sync_process(client, appliance):
    with appliance.db.write() as conn:
        conn.execute("INSERT INTO kv (key, value) VALUES ('sync.status', ?)",
                     ('{"last_success": "2026-11-30T08:00:00+07:00", "last_error": "Không gửi được"}',))
    h = client.get("/api/v1/health").get_json()
    assert h["outbox"]["last_error"] == "Không gửi được" and h["outbox"]["last_success"].startswith("2026")

"""Bad input at the appliance's edge: a 4xx with a message naming the field, never a 500
(integers beyond SQLite's range, control characters, deep JSON, NaN, overlong texts)."""
from __future__ import annotations

import pytest
from page_helpers import csrf

from appliance.domain import limits

HUGE = "99999999999999999999"


@pytest.mark.parametrize("path", [
    f"/api/v1/tickets/{HUGE}", f"/api/v1/counters/{HUGE}/waiting", f"/api/v1/counters/{2**63}/draft",
    f"/counter/{HUGE}", f"/mirror/{HUGE}",
])
def test_a_number_beyond_sqlite_in_a_path_names_nothing(client, auth, path):
    r = client.get(path, headers=auth("admin"))
    assert r.status_code == 404


def test_the_largest_sqlite_integer_still_routes(client, auth):
    r = client.get(f"/api/v1/tickets/{2**63 - 1}", headers=auth("admin"))
    assert r.status_code == 404 and r.json["error"]["code"] == "unknown_ticket"


@pytest.mark.parametrize("path, field", [
    ("/api/v1/tickets/1%00", "path"),
    ("/api/v1/queue?x=a%00b", "x"),
    ("/api/v1/queue?a%01=1", "a\x01"),
    ("/api/v1/dossiers?q=" + "x" * 201, "q"),
    ("/api/v1/dossiers?q=a%0Ab", "q"),
])
def test_control_characters_and_overlong_values_in_a_url_are_400(client, auth, path, field):
    r = client.get(path, headers=auth("admin"))
    assert r.status_code == 400
    assert r.json["error"]["code"] == "invalid" and r.json["error"]["field"] == field
    assert "không hợp lệ" in r.json["error"]["message"]


@pytest.mark.parametrize("body, field", [
    (b'{"service": "HT", "pager": ' + HUGE.encode() + b"}", "pager"),
    (b'{"service": "HT", "pager": -' + HUGE.encode() + b"}", "pager"),
    (b'{"service": "HT", "priority_reason": NaN}', "priority_reason"),
    (b'{"service": "HT", "x": 1e999}', "x"),
    (b'{"service": "HT\\u0000"}', "service"),
    (b'{"service": "HT", "\\u0000": 1}', "\x00"),
    (b'{"service": "HT", "x": ' + b"[" * 40 + b"]" * 40 + b"}", "x" + ".0" * 31),
    (b'{"service": "HT", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "body"),
    (b'{"service": "HT", "priority_reason": "' + b"a" * 101 + b'"}', "priority_reason"),
])
def test_bad_json_is_400_naming_the_field(client, auth, body, field):
    r = client.post("/api/v1/tickets", data=body, headers={**auth("kiosk"), "Content-Type": "application/json"})
    assert r.status_code == 400, r.json
    assert r.json["error"]["field"] == field


def test_english_on_request(client, auth):
    r = client.post("/api/v1/tickets", data=b'{"service": "HT\\u0000"}',
                    headers={**auth("kiosk"), "Content-Type": "application/json", "Accept-Language": "en"})
    assert r.status_code == 400 and "control character" in r.json["error"]["message"]


def test_a_form_with_a_nul_or_an_overlong_name_is_400(admin_client):
    token = csrf(admin_client, "/admin/users")
    r = admin_client.post("/admin/users", data={"csrf_token": token, "login": "ab\x00c", "role": "officer"})
    assert r.status_code == 400 and "ký tự điều khiển" in r.get_data(as_text=True)
    r = admin_client.post("/admin/users", data={"csrf_token": token, "login": "a" * 65, "role": "officer"})
    assert r.status_code == 400 and "64" in r.get_data(as_text=True)


def test_a_text_area_may_hold_line_breaks(client):
    from appliance.domain.limits import text_problem
    assert text_problem("note", "dòng 1\r\ndòng 2\tcột") is None
    assert text_problem("note", "a\x00") is not None


def test_a_huge_number_typed_into_a_counter_form_is_400(app, appliance):
    from page_helpers import log_in, make_user
    client = app.test_client()
    log_in(client, make_user(appliance, "canbo.thu", "officer"))
    token = csrf(client, "/counter/1")
    fetch = {"X-Requested-With": "motcua"}
    assert client.post("/counter/1/call", data={"csrf_token": token}, headers=fetch).status_code == 200
    r = client.post("/counter/1/transfer", data={"csrf_token": token, "target": f"counter:{HUGE}"}, headers=fetch)
    assert r.status_code == 400
    assert "số quá lớn" in r.get_data(as_text=True)


def test_every_limit_is_documented():
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[3] / "docs" / "errors.md").read_text(encoding="utf-8")
    section = doc.split("## Limits at the edge", 1)[1]
    for name, limit in limits.TEXT_LIMITS.items():
        assert f"| `{name}` | {limit} |" in section, name
    assert f"{limits.DEFAULT_TEXT_LIMIT}" in section

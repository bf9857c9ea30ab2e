"""One pager policy: a pager that an open dossier holds is not handed to the next citizen.

The bug (issue #11): a pager handed back at the desk while its dossier was still open was freed
(``POST /api/v1/pagers/N/return``), given to the next citizen, and that citizen's pager buzzed when
the first dossier was ready. Now the return is refused (409, kind conflict, a Vietnamese message)
unless the desk detaches it explicitly (``{"detach": true}``), which is audited and makes the
dossier forget the pager, so its "ready" pages nobody.
"""
from __future__ import annotations

import uuid

from dossier_values import valid_values


def submit_with_pager(client, headers, pager="auto"):
    draft = str(uuid.uuid4())
    r = client.put(f"/api/v1/drafts/{draft}", headers=headers,
                   json={"counter_id": 1, "procedure": "1.001193", "values": valid_values("1.001193")})
    assert r.status_code == 200, r.get_json()
    r = client.post(f"/api/v1/drafts/{draft}/submit", headers=headers, json={"pager": pager})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_the_bug_ready_never_buzzes_a_pager_handed_to_the_next_citizen(appliance, client, auth):
    """The reproduction, whatever the desk is answered: hand the pager back while the dossier is
    open, give the next citizen a pager, mark the first dossier ready: the next citizen's pager
    must not buzz."""
    buzzed = []
    appliance.bus.subscribe(lambda e: buzzed.append(e.payload["pager"]), ["dossier.ready"])
    officer = auth("officer")
    first = submit_with_pager(client, officer)
    client.post("/api/v1/pagers/1/return", headers=auth("kiosk"), json={})
    next_citizen = client.post("/api/v1/tickets", headers=auth("kiosk"),
                               json={"service": "HT", "pager": "auto"}).get_json()
    client.post(f"/api/v1/dossiers/{first['code']}/processing", headers=officer, json={})
    assert client.post(f"/api/v1/dossiers/{first['code']}/ready", headers=officer, json={}).status_code == 200
    assert len(buzzed) == 1 and buzzed[0] != next_citizen["pager"], (buzzed, next_citizen["pager"])


def test_a_pager_held_by_an_open_dossier_is_not_given_to_the_next_citizen(appliance, client, auth):
    heard = []
    appliance.bus.subscribe(heard.append, ["dossier.ready", "pager.returned"])
    officer = auth("officer")
    first = submit_with_pager(client, officer)
    assert first["pager"] == 1

    # the pager comes back to the desk while the dossier is still being processed
    r = client.post("/api/v1/pagers/1/return", headers=auth("kiosk"), json={})
    assert r.status_code == 409, r.get_json()
    error = r.get_json()["error"]
    assert error["code"] == "pager_held_by_dossier" and error["field"] == "pager"
    assert f"Thẻ rung số 1 đang gắn với hồ sơ {first['code']}" in error["message"]
    assert heard == []

    # so the next citizen gets another pager
    ticket = client.post("/api/v1/tickets", headers=auth("kiosk"), json={"service": "HT", "pager": "auto"})
    assert ticket.status_code == 201 and ticket.get_json()["pager"] == 2

    # and "ready" pages the first citizen's pager, which still stands for their dossier
    assert client.post(f"/api/v1/dossiers/{first['code']}/processing", headers=officer, json={}).status_code == 200
    assert client.post(f"/api/v1/dossiers/{first['code']}/ready", headers=officer, json={}).status_code == 200
    assert [e.payload["pager"] for e in heard if e.type == "dossier.ready"] == [1]
    row = appliance.db.conn().execute("SELECT state, dossier_code FROM pagers WHERE number = 1").fetchone()
    assert tuple(row) == ("assigned", first["code"])


def test_an_explicit_detach_frees_the_pager_and_is_audited(appliance, client, auth):
    heard = []
    appliance.bus.subscribe(heard.append, ["dossier.ready", "pager.returned"])
    officer = auth("officer")
    first = submit_with_pager(client, officer)
    r = client.post("/api/v1/pagers/1/return", headers=officer, json={"detach": True})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"number": 1, "state": "free", "detached_from": first["code"]}
    conn = appliance.db.conn()
    assert tuple(conn.execute("SELECT state, ticket_id, dossier_code FROM pagers WHERE number = 1").fetchone()) \
        == ("free", None, None)
    assert conn.execute("SELECT pager FROM dossiers WHERE code = ?", (first["code"],)).fetchone()[0] is None
    audit = conn.execute("SELECT user_login, action, object, detail FROM audit_log WHERE action = 'pager.detach'"
                         ).fetchall()
    assert [tuple(a) for a in audit] == [("test-officer", "pager.detach", "pager:1",
                                          f"tách khỏi hồ sơ {first['code']}")]
    assert [(e.type, e.payload) for e in heard] == [
        ("pager.returned", {"pager": 1, "dossier_code": first["code"], "detached": True})]

    # the pager goes to the next citizen; the first dossier's "ready" no longer pages it
    second = submit_with_pager(client, officer, pager=1)
    assert second["pager"] == 1
    client.post(f"/api/v1/dossiers/{first['code']}/processing", headers=officer, json={})
    assert client.post(f"/api/v1/dossiers/{first['code']}/ready", headers=officer, json={}).status_code == 200
    assert [e.payload["pager"] for e in heard if e.type == "dossier.ready"] == [None]


def test_a_pager_of_a_closed_dossier_or_of_a_ticket_returns_as_before(appliance, client, auth):
    officer = auth("officer")
    t = client.post("/api/v1/tickets", headers=auth("kiosk"), json={"service": "HT", "pager": "auto"}).get_json()
    assert t["pager"] == 1
    assert client.post("/api/v1/pagers/1/return", headers=auth("kiosk")).get_json() == {"number": 1, "state": "free"}
    dossier = submit_with_pager(client, officer)
    code = dossier["code"]
    assert dossier["pager"] == 1
    for action in ("processing", "ready", "return"):
        assert client.post(f"/api/v1/dossiers/{code}/{action}", headers=officer, json={}).status_code == 200
    # collecting the result freed it already; handing it back again is harmless
    r = client.post("/api/v1/pagers/1/return", headers=auth("kiosk"))
    assert r.status_code == 200 and r.get_json() == {"number": 1, "state": "free"}


def test_a_refused_return_in_english(client, auth):
    submit_with_pager(client, auth("officer"))
    r = client.post("/api/v1/pagers/1/return", headers={**auth("kiosk"), "Accept-Language": "en"})
    assert r.status_code == 409
    assert "Pager 1 belongs to dossier" in r.get_json()["error"]["message"]

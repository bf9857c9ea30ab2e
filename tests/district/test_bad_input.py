"""Bad input at the hub: a 4xx for a request, never a 500; what an appliance pushed and no database
can store is quarantined and acknowledged, so that device's sync goes on (SQLite and PostgreSQL)."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select, text

from district.db.schema import events
from district.domain import storable
from tests.district.conftest import VN, batch, count, event, post_batch, ticket

T = datetime(2026, 11, 23, 8, 0, tzinfo=VN)


def raw_batch(events_json: list[str]) -> bytes:
    """A batch whose events are given as JSON text (json.dumps cannot write every bad value)."""
    head = json.dumps(batch("xa-a", [], T))[:-3]   # up to "events": [
    return (head + "[" + ",".join(events_json) + "]}").encode("utf-8")


def event_json(seq: int, payload_json: str, kind: str = "note.added") -> str:
    return json.dumps(event(seq, kind, {"p": 0}, T)).replace('{"p": 0}', payload_json)


UNSTORABLE = [
    ('{"note": "a\\u0000b"}', "NUL"),
    ('{"\\u0000": 1}', "NUL"),
    ('{"note": "\\ud800"}', "surrogate"),
    ('{"x": NaN}', "NaN"),
    ('{"x": -Infinity}', "NaN"),
    ('{"x": 1e999}', "NaN"),
    ('{"x": 99999999999999999999999}', "64 bit"),
    ('{"x": ' + "[" * 40 + "]" * 40 + "}", "lồng nhau"),
]


@pytest.mark.parametrize("payload_json, reason", UNSTORABLE)
@pytest.mark.parametrize("kind", ["note.added", "ticket.issued"])
def test_an_unstorable_event_is_quarantined_and_acknowledged(hub_client, engine, enrol, payload_json, reason, kind):
    token = enrol("xa-a")
    good = json.dumps(event(2, "ticket.issued", {"ticket": ticket(2, "2026-11-23", T)}, T))
    r = post_batch(hub_client, "xa-a", token, None, raw=raw_batch([event_json(1, payload_json, kind), good]),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.json
    assert r.json == {"acked_through": 2, "quarantined": 1}
    with engine.connect() as conn:
        row = conn.execute(select(events.c.type, events.c.payload).where(events.c.seq == 1)).one()
    assert row.type == storable.QUARANTINED
    assert row.payload["original_type"] == kind and reason in row.payload["reason"]
    assert row.payload["raw"].isascii()
    assert count(engine, "tickets") == 1          # the good event of the same batch is folded as usual


def test_a_batch_sent_again_after_quarantine_is_not_stored_twice(hub_client, engine, enrol):
    token = enrol("xa-a")
    body = raw_batch([event_json(1, '{"note": "a\\u0000b"}')])
    for _ in range(2):
        r = post_batch(hub_client, "xa-a", token, None, raw=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 200 and r.json == {"acked_through": 1, "quarantined": 1}
    assert count(engine, "events") == 1


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["events"][0].update(seq=2**64), "events[0].seq"),
    (lambda d: d["events"][0].update(seq=None), "events[0].seq"),
    (lambda d: d.update(device_id="xa-b"), "device_id"),
])
def test_a_wrong_whole_request_is_a_422_naming_the_field(hub_client, enrol, mutate, field):
    token = enrol("xa-a")
    doc = batch("xa-a", [event(1, "ticket.issued", {"ticket": ticket(1, "2026-11-23", T)}, T)], T)
    mutate(doc)
    body = json.dumps(doc).encode("utf-8", "surrogatepass")
    r = post_batch(hub_client, "xa-a", token, None, raw=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.data
    assert r.json["error"]["field"] == field


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["events"][0].update(boot_id="b\x00"), "events[0].boot_id"),
    (lambda d: d["events"][0].update(wall_time="0001-01-01T00:00:00+14:00"), "events[0].wall_time"),
    (lambda d: d["events"][0].update(event_id="khong-phai-uuid"), "events[0].event_id"),
    (lambda d: d["events"][0].update(type="Ticket Issued"), "events[0].type"),
    (lambda d: d["events"][0].update(clock_synced="yes"), "events[0].clock_synced"),
    (lambda d: d["events"][0].update(payload=[1]), "events[0].payload"),
    (lambda d: d["events"][0]["payload"]["ticket"].update(id="ba"), "events[0].payload.ticket.id"),
])
def test_an_event_with_a_wrong_envelope_is_quarantined_not_the_batch(hub_client, engine, enrol, mutate, field):
    """The appliance cannot change an event it sent: refusing the batch would stop its sync for good."""
    token = enrol("xa-a")
    doc = batch("xa-a", [event(1, "ticket.issued", {"ticket": ticket(1, "2026-11-23", T)}, T),
                         event(2, "ticket.issued", {"ticket": ticket(2, "2026-11-23", T)}, T)], T)
    mutate(doc)
    body = json.dumps(doc).encode("utf-8", "surrogatepass")
    for _ in range(2):                  # sent again (no answer reached the device): stored once
        r = post_batch(hub_client, "xa-a", token, None, raw=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 200, r.data
        assert r.json["acked_through"] == 2
    with engine.connect() as conn:
        rows = conn.execute(select(events.c.seq, events.c.type, events.c.payload).order_by(events.c.seq)).all()
    assert [(s, t) for s, t, _ in rows] == [(1, storable.QUARANTINED), (2, "ticket.issued")]
    assert rows[0].payload["reason"].startswith(field + ":")
    assert count(engine, "tickets") == 1          # the good event is folded as usual


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(boot_id="b\ud800"),
    lambda d: d.update(sent_at="9999-12-31T23:59:59-12:00"),
    lambda d: d.update(backlog=-(2**70)),
    lambda d: d.update(clock_synced="co"),
])
def test_a_wrong_optional_head_field_is_ignored(hub_client, engine, enrol, mutate):
    token = enrol("xa-a")
    doc = batch("xa-a", [event(1, "ticket.issued", {"ticket": ticket(1, "2026-11-23", T)}, T)], T)
    mutate(doc)
    body = json.dumps(doc).encode("utf-8", "surrogatepass")
    r = post_batch(hub_client, "xa-a", token, None, raw=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json == {"acked_through": 1, "quarantined": 0}, r.data
    assert count(engine, "tickets") == 1


def test_a_batch_nested_beyond_reading_is_a_400(hub_client, enrol):
    token = enrol("xa-a")
    body = raw_batch([event_json(1, '{"x": ' + "[" * 100_000 + "]" * 100_000 + "}")])
    r = post_batch(hub_client, "xa-a", token, None, raw=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json["error"]["code"] == "too_deep"


@pytest.mark.parametrize("body", [
    b'{"token": "a\\u0000b"}',
    b'{"token": "ab", "x": 1e999}',
    b'{"token": 123456789012345678901234567890}',
    b'{"token": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"token": ' + b"[" * 40 + b"]" * 40 + b"}",
])
def test_enrol_refuses_bad_json_with_a_400(hub_client, body):
    r = hub_client.post("/api/v1/enroll", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.data
    assert r.json["error"]["code"] == "invalid_input" and r.json["error"]["message"]


@pytest.mark.parametrize("path", [
    "/api/v1/dossiers/abc%00defgh/status",
    "/api/v1/dossiers/abcdefgh/status?x=%01",
    "/tra-cuu?ma=a%00b",
    "/bao-cao/?xa=%7f",
    "/tra-cuu?ma=" + "9" * 3000,
])
def test_control_characters_and_overlong_values_in_a_url_are_a_400(hub_client, path):
    r = hub_client.get(path)
    assert r.status_code == 400
    if path.startswith("/api/"):
        assert r.json["error"]["code"] == "invalid_input"
    else:
        assert "không hợp lệ" in r.get_data(as_text=True)


def test_a_login_form_with_a_nul_is_a_400_not_a_500(hub_client):
    r = hub_client.post("/dang-nhap", data={"name": "quan\x00tri", "password": "x" * 12})
    assert r.status_code == 400


def test_storable_walks_deep_documents_without_recursion():
    deep: list = []
    node = deep
    for _ in range(50_000):
        node.append([])
        node = node[0]
    assert "lồng nhau" in storable.problem(deep)
    assert storable.problem({"a": [1, 2.5, "ổn", None, True, {"b": -(2**63)}]}) is None
    assert storable.problem(2**63) is not None


def test_the_database_refusing_a_batch_quarantines_it(hub_client, engine, enrol, monkeypatch):
    """A refusal the checks did not foresee (simulated: the first insert raises the driver's DataError)."""
    from sqlalchemy.exc import DataError

    from district.store import ingest as ingest_store
    token = enrol("xa-a")
    real, calls = ingest_store._store_events, []

    def refuse_once(conn, *args):
        calls.append(1)
        if len(calls) == 1:
            raise DataError("INSERT …", {}, Exception("invalid input syntax"))
        return real(conn, *args)
    monkeypatch.setattr(ingest_store, "_store_events", refuse_once)
    doc = batch("xa-a", [event(1, "ticket.issued", {"ticket": ticket(1, "2026-11-23", T)}, T)], T)
    r = post_batch(hub_client, "xa-a", token, doc)
    assert r.status_code == 200 and r.json == {"acked_through": 1, "quarantined": 1}
    with engine.connect() as conn:
        kind = conn.execute(text("SELECT type FROM events WHERE seq = 1")).scalar()
    assert kind == storable.QUARANTINED

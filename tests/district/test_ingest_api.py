"""POST /api/v1/devices/{id}/events:batch over both databases: idempotency, refusals that store
nothing, authentication, acked_through, clock-skew correction."""
from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from district.db.schema import devices, events, tickets
from district.store import devices as device_store
from tests.district.conftest import VN, batch, count, event, post_batch, ticket


def now_vn() -> datetime:
    return datetime.now(UTC).astimezone(VN).replace(microsecond=0)


def issued(seq: int, at: datetime, tid: int | None = None, **kw) -> dict:
    tid = tid or seq
    return event(seq, "ticket.issued", {"ticket": ticket(tid, at.date().isoformat(), at, f"A{tid:03d}")}, at, **kw)


def some_batch(device="xa-a", start=1, n=3, at=None):
    at = at or now_vn() - timedelta(minutes=30)
    return batch(device, [issued(s, at + timedelta(seconds=s)) for s in range(start, start + n)], now_vn())


def stored_counts(engine):
    return {t: count(engine, t) for t in ("events", "tickets", "dossiers", "dossier_steps", "ratings")}


def test_same_batch_twice_is_stored_once(hub_client, enrol, engine):
    token = enrol("xa-a")
    doc = some_batch(n=5)
    first = post_batch(hub_client, "xa-a", token, doc)
    assert first.status_code == 200 and first.json == ok(5)
    again = post_batch(hub_client, "xa-a", token, doc)
    assert again.status_code == 200 and again.json == ok(5)
    assert count(engine, "events") == 5 and count(engine, "tickets") == 5
    with engine.connect() as conn:
        assert conn.execute(select(devices.c.events_received)).scalar() == 5


def ok(acked: int) -> dict:
    return {"acked_through": acked, "quarantined": 0}


def test_overlapping_batches_and_a_gap(hub_client, enrol, engine):
    token = enrol("xa-a")
    assert post_batch(hub_client, "xa-a", token, some_batch(start=1, n=3)).json == ok(3)
    # 7..8 arrive before 4..6: stored, but not acknowledged past the gap
    assert post_batch(hub_client, "xa-a", token, some_batch(start=7, n=2)).json == ok(3)
    assert post_batch(hub_client, "xa-a", token, some_batch(start=2, n=5)).json == ok(8)
    assert count(engine, "events") == 8


def test_the_first_batch_sets_the_baseline(hub_client, enrol):
    token = enrol("xa-a")
    assert post_batch(hub_client, "xa-a", token, some_batch(start=1001, n=2)).json == ok(1002)


def test_an_empty_batch_answers_the_current_mark(hub_client, enrol):
    token = enrol("xa-a")
    post_batch(hub_client, "xa-a", token, some_batch(n=2))
    r = post_batch(hub_client, "xa-a", token, batch("xa-a", [], now_vn()))
    assert r.status_code == 200 and r.json == ok(2)


def test_plain_json_is_accepted_too(hub_client, enrol):
    token = enrol("xa-a")
    assert post_batch(hub_client, "xa-a", token, some_batch(n=2), gz=False).json == ok(2)


def test_malformed_batches_store_nothing(hub_client, enrol, engine):
    token = enrol("xa-a")
    good = some_batch(n=3)
    bad_payload = json.loads(json.dumps(good))
    bad_payload["events"][2]["payload"]["ticket"]["id"] = "ba"
    bad_payload["events"][2]["seq"] = "ba"
    r = post_batch(hub_client, "xa-a", token, bad_payload)
    assert r.status_code == 422
    assert r.json["error"]["field"] == "events[2].seq"
    assert r.json["error"]["code"] == "invalid_field" and "số nguyên" in r.json["error"]["message"]
    r = post_batch(hub_client, "xa-a", token, good, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json["error"]["field"] == "Content-Type"
    r = post_batch(hub_client, "xa-a", token, None, raw=b"{not json", gz=False)
    assert r.status_code == 400 and "JSON" in r.json["error"]["message"]
    r = post_batch(hub_client, "xa-a", token, None, raw=b"\x1f\x8b\x08garbage",
                   headers={"Content-Encoding": "gzip"})
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_gzip"
    r = post_batch(hub_client, "xa-a", token, None, raw=gzip.compress(b'{"device_id": "xa-a"')[:-4],
                   headers={"Content-Encoding": "gzip"})
    assert r.status_code == 400
    assert stored_counts(engine) == dict.fromkeys(stored_counts(engine), 0)


def test_oversized_batches_are_413_and_store_nothing(hub_client, enrol, engine):
    token = enrol("xa-a")
    too_many = some_batch(n=501)
    r = post_batch(hub_client, "xa-a", token, too_many)
    assert r.status_code == 413 and r.json["error"]["field"] == "events"
    assert "tối đa 500" in r.json["error"]["message"]
    big = some_batch(n=3)
    big["events"][0]["payload"]["padding"] = "x" * 300_000
    r = post_batch(hub_client, "xa-a", token, big, gz=False)
    assert r.status_code == 413 and r.json["error"]["code"] == "too_large"
    bomb = gzip.compress(b" " * (9 * 1024 * 1024))  # small on the wire, 9 MB inflated
    r = post_batch(hub_client, "xa-a", token, None, raw=bomb, headers={"Content-Encoding": "gzip"})
    assert r.status_code == 413
    assert count(engine, "events") == 0


def test_a_reset_outbox_is_refused_not_silently_dropped(hub_client, enrol, engine):
    token = enrol("xa-a")
    post_batch(hub_client, "xa-a", token, some_batch(n=2))
    reused = some_batch(n=3)
    reused["events"][1]["event_id"] = "6f1c1b7e-0000-4000-8000-000000000001"   # seq 2, another event
    r = post_batch(hub_client, "xa-a", token, reused)
    assert r.status_code == 409 and r.json["error"]["code"] == "seq_conflict"
    assert count(engine, "events") == 2   # seq 3 of the refused batch was not kept either


def test_missing_or_wrong_token_is_401(hub_client, enrol, engine):
    enrol("xa-a")
    r = post_batch(hub_client, "xa-a", None, some_batch())
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization" == r.json["error"]["field"]
    assert post_batch(hub_client, "xa-a", "mcd_wrong", some_batch()).status_code == 401
    assert count(engine, "events") == 0


def test_another_devices_token_is_403(hub_client, enrol, engine):
    enrol("xa-a")
    token_b = enrol("xa-b")
    r = post_batch(hub_client, "xa-a", token_b, some_batch("xa-a"))
    assert r.status_code == 403 and "xa-b" in r.json["error"]["message"]
    # and the body may not claim another device than the path
    r = post_batch(hub_client, "xa-b", token_b, some_batch("xa-a"))
    assert r.status_code == 422 and r.json["error"]["field"] == "device_id"
    assert count(engine, "events") == 0


def test_a_revoked_device_is_401(hub_client, enrol, engine):
    token = enrol("xa-a")
    with engine.begin() as conn:
        assert device_store.revoke(conn, "xa-a")
    assert post_batch(hub_client, "xa-a", token, some_batch()).status_code == 401


def test_unsynced_clock_is_corrected_with_the_hub_receive_time(hub_client, enrol, engine):
    token = enrol("xa-a")
    true_issue = now_vn() - timedelta(minutes=20)
    offset = timedelta(days=-30, hours=-2)           # the Pi booted with an old saved time
    wall = true_issue + offset
    doc = batch("xa-a", [issued(1, wall, synced=False), issued(2, now_vn() - timedelta(minutes=5))],
                now_vn() + offset, boot_id="boot-1", clock_synced=False)
    assert post_batch(hub_client, "xa-a", token, doc).status_code == 200
    with engine.connect() as conn:
        rows = {r.seq: r for r in conn.execute(select(events))}
        t1 = conn.execute(select(tickets).where(tickets.c.ticket_id == 1)).one()
        dev = conn.execute(select(devices)).one()
    assert rows[1].wall_time == wall
    assert abs((rows[1].event_time - true_issue).total_seconds()) < 30
    assert abs((rows[2].event_time - rows[2].wall_time).total_seconds()) < 1   # synced: untouched
    assert abs((t1.issued_at - true_issue).total_seconds()) < 30
    assert t1.day == true_issue.date()                                        # today, not a month ago
    assert abs(dev.skew_s - (-offset.total_seconds())) < 30
    assert rows[1].received_at <= datetime.now(UTC)


def test_ticket_lifecycle_is_summarised(hub_client, enrol, engine):
    token = enrol("xa-a")
    t0 = now_vn() - timedelta(minutes=40)
    tk = ticket(7, t0.date().isoformat(), t0, "A007")
    evs = [event(1, "ticket.issued", {"ticket": tk}, t0),
           event(2, "ticket.called", {"ticket": dict(tk, state="called", counter_id=2), "counter_id": 2},
                 t0 + timedelta(minutes=10))]
    post_batch(hub_client, "xa-a", token, batch("xa-a", evs, now_vn()))
    done = event(3, "ticket.done", {"ticket": dict(tk, state="done", counter_id=2), "counter_id": 2,
                                    "wait_s": 600, "service_s": 300}, t0 + timedelta(minutes=15))
    post_batch(hub_client, "xa-a", token, batch("xa-a", [done], now_vn()))
    # a stale re-send of seq 2 must not move the state back
    post_batch(hub_client, "xa-a", token, batch("xa-a", evs, now_vn()))
    with engine.connect() as conn:
        t = conn.execute(select(tickets)).one()
    assert (t.state, t.counter_id, t.wait_s, t.service_s, t.last_seq) == ("done", 2, 600, 300, 3)
    assert t.called_at is not None and t.done_at is not None

"""ticket.undone at the hub: the officer undid V (absent) or G/X (done) within seconds; the hub's
ticket takes the state the appliance restored, however the events are cut into batches, and a
ticket.undone restoring a state it may not is quarantined, never stored as the ticket's state."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from district.db.schema import tickets
from tests.district.conftest import batch, event, post_batch, ticket
from tests.district.test_ingest_api import now_vn


def events(t0, restored_state: str = "called") -> list[dict]:
    tk = ticket(1, t0.date().isoformat(), t0, "A001")
    called = dict(tk, state="called", counter_id=1)
    return [event(1, "ticket.issued", {"ticket": tk}, t0),
            event(2, "ticket.called", {"ticket": called, "counter_id": 1}, t0 + timedelta(minutes=5)),
            event(3, "ticket.no_show", {"ticket": dict(called, state="no_show"), "counter_id": 1},
                  t0 + timedelta(minutes=6)),
            event(4, "ticket.undone", {"ticket": dict(called, state=restored_state), "counter_id": 1,
                                       "undone": ["ticket.no_show"], "by": "canbo1"},
                  t0 + timedelta(minutes=6, seconds=5))]


def test_an_undone_absence_is_no_absence_at_the_hub_whatever_the_batches(hub_client, enrol, engine):
    t0 = now_vn() - timedelta(hours=1)
    evs = events(t0)
    for i, cut in enumerate([None, 1, 2, 3]):
        device = f"xa-undo-{i}"
        token = enrol(device)
        for part in ([evs] if cut is None else [evs[:cut], evs[cut:]]):
            r = post_batch(hub_client, device, token, batch(device, part, now_vn()))
            assert r.status_code == 200 and r.get_json()["quarantined"] == 0
    with engine.connect() as conn:
        states = {r.device_id: r.state for r in conn.execute(select(tickets.c.device_id, tickets.c.state))}
    assert states == {f"xa-undo-{i}": "called" for i in range(4)}


def test_an_undone_event_restoring_done_is_quarantined(hub_client, enrol, engine):
    t0 = now_vn() - timedelta(hours=1)
    evs = events(t0, restored_state="done")
    token = enrol("xa-undo-bad")
    r = post_batch(hub_client, "xa-undo-bad", token, batch("xa-undo-bad", evs, now_vn()))
    assert r.status_code == 200 and r.get_json()["quarantined"] == 1
    with engine.connect() as conn:
        assert [r.state for r in conn.execute(select(tickets.c.state))] == ["no_show"]

"""A ticket's called_at is the time of its latest call, however the events are cut into batches."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from district.db.schema import tickets
from tests.district.conftest import batch, event, post_batch, ticket
from tests.district.test_ingest_api import now_vn


def lifecycle(t0, with_second_call: bool) -> list[dict]:
    tk = ticket(1, t0.date().isoformat(), t0, "A001")
    called = dict(tk, state="called", counter_id=1)
    evs = [event(1, "ticket.issued", {"ticket": tk}, t0),
           event(2, "ticket.called", {"ticket": called, "counter_id": 1}, t0 + timedelta(minutes=5)),
           event(3, "ticket.recalled", {"ticket": called, "counter_id": 1, "recalls": 1}, t0 + timedelta(minutes=6)),
           event(4, "ticket.transferred", {"ticket": dict(tk, service="CT"), "from_service": "HT",
                                           "to_service": "CT", "to_counter": None}, t0 + timedelta(minutes=7))]
    if with_second_call:
        evs.append(event(5, "ticket.called", {"ticket": dict(called, service="CT", counter_id=2), "counter_id": 2},
                         t0 + timedelta(minutes=20)))
    return evs


def called_at_by_cut(hub_client, enrol, engine, with_second_call: bool) -> tuple[set, object]:
    t0 = now_vn() - timedelta(hours=1)
    evs = lifecycle(t0, with_second_call)
    for i, cut in enumerate([None, 1, 2, 3, 4]):
        device = f"xa-{i}"
        token = enrol(device)
        parts = [evs] if cut is None else [evs[:cut], evs[cut:]]
        for part in parts:
            assert post_batch(hub_client, device, token, batch(device, part, now_vn())).status_code == 200
    with engine.connect() as conn:
        return {r.called_at for r in conn.execute(select(tickets.c.called_at))}, t0


def test_called_at_follows_the_latest_call_whatever_the_batches(hub_client, enrol, engine):
    values, t0 = called_at_by_cut(hub_client, enrol, engine, True)
    assert values == {t0 + timedelta(minutes=20)}


def test_a_transfer_alone_does_not_depend_on_the_batches(hub_client, enrol, engine):
    values, t0 = called_at_by_cut(hub_client, enrol, engine, False)
    assert values == {t0 + timedelta(minutes=5)}

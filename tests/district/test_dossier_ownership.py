"""A dossier code belongs to the device that received it: another commune's device can neither
overwrite it nor add steps to it (its event is quarantined, its sync goes on), and the provincial
export joins steps on (device, code)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from district.db.schema import dossier_steps, dossiers, events
from district.domain import storable
from district.store import reports as report_store
from tests.district import report_fixture as fx
from tests.district.conftest import batch, event, post_batch

CODE = fx.code(5)


def received(seq: int, code: str = CODE) -> dict:
    when = fx.at(11, 12)
    return event(seq, "dossier.received", {"dossier": {
        "code": code, "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh", "field_code": "HT",
        "channel": "truc_tiep", "received_at": when.isoformat(), "due_at": (when + timedelta(days=5)).isoformat(),
        "state": "received", "return_by_post": False, "applicant": {"name": "NGUYỄN VĂN A"}}}, when)


def returned(seq: int, code: str = CODE) -> dict:
    when = fx.at(11, 14)
    return event(seq, "dossier.returned", {"code": code, "at": when.isoformat(), "outcome": "early",
                                           "by_post": False}, when)


def quarantined_reasons(engine, device_id: str) -> dict[int, str]:
    with engine.connect() as conn:
        return {seq: payload["reason"] for seq, payload in conn.execute(
            select(events.c.seq, events.c.payload).where(events.c.device_id == device_id,
                                                         events.c.type == storable.QUARANTINED))}


def test_an_event_about_another_devices_code_is_quarantined_and_nothing_of_it_moves(hub_client, enrol, engine):
    ta, tb = enrol("xa-a"), enrol("xa-b")
    assert post_batch(hub_client, "xa-a", ta, batch("xa-a", [received(1)], fx.at(11, 12, 10))).status_code == 200
    assert post_batch(hub_client, "xa-b", tb, batch("xa-b", [received(1, "ma-rieng-cua-b")],
                                                    fx.at(11, 12, 10))).status_code == 200
    r = post_batch(hub_client, "xa-b", tb, batch("xa-b", [returned(2, "ma-rieng-cua-b"), returned(3)],
                                                  fx.at(11, 14, 10)))
    assert r.status_code == 200 and r.json == {"acked_through": 3, "quarantined": 1}
    reason = quarantined_reasons(engine, "xa-b")[3]
    assert CODE in reason and "xa-a" in reason and "xa-b" in reason
    with engine.connect() as conn:
        d = conn.execute(select(dossiers).where(dossiers.c.code == CODE)).one()
        own = conn.execute(select(dossiers.c.state).where(dossiers.c.code == "ma-rieng-cua-b")).scalar()
        steps = conn.execute(select(dossier_steps.c.device_id).where(dossier_steps.c.code == CODE)).scalars().all()
    assert (d.device_id, d.state, d.returned_at) == ("xa-a", "received", None)   # the owner's row is untouched
    assert own == "returned"                     # the device's own event of the same batch is stored
    assert steps == ["xa-a"]
    # the device's next batch goes on as usual
    assert post_batch(hub_client, "xa-b", tb, batch("xa-b", [returned(4, "ma-rieng-cua-b")],
                                                    fx.at(11, 15))).json["acked_through"] == 4


def test_a_received_event_for_a_taken_code_is_quarantined_too(hub_client, enrol, engine):
    ta, tb = enrol("xa-a"), enrol("xa-b")
    post_batch(hub_client, "xa-a", ta, batch("xa-a", [received(1)], fx.at(11, 12, 10)))
    r = post_batch(hub_client, "xa-b", tb, batch("xa-b", [received(1)], fx.at(11, 12, 10)))
    assert r.status_code == 200 and r.json == {"acked_through": 1, "quarantined": 1}
    assert set(quarantined_reasons(engine, "xa-b")) == {1}
    # the owner still updates its own dossier
    assert post_batch(hub_client, "xa-a", ta, batch("xa-a", [returned(2)], fx.at(11, 14, 10))).status_code == 200
    with engine.connect() as conn:
        assert conn.execute(select(dossiers.c.state, dossiers.c.device_id)
                            .where(dossiers.c.code == CODE)).one() == ("returned", "xa-a")


def test_provincial_rows_take_only_the_owning_devices_steps(hub_client, enrol, engine):
    ta = enrol("xa-a")
    enrol("xa-b")   # the stray step below needs the device row
    post_batch(hub_client, "xa-a", ta, batch("xa-a", [received(1)], fx.at(11, 12, 10)))
    with engine.begin() as conn:   # a stray step of another device under the same code (older data)
        conn.execute(dossier_steps.insert().values(device_id="xa-b", seq=9, code=CODE, at=fx.at(11, 13),
                                                   kind="state", state="processing"))
    with engine.connect() as conn:
        rows = report_store.provincial_rows(conn, fx.START, fx.END)
    assert [(d["code"], [s.kind for s in steps]) for d, steps, _unit in rows] == [(CODE, ["received"])]


def test_a_dossier_at_exactly_midnight_belongs_to_one_period_only(hub_client, enrol, engine):
    ta = enrol("xa-a")
    midnight = fx.END   # 1 Dec 00:00, the exclusive end of November
    ev = received(1)
    ev["payload"]["dossier"]["received_at"] = midnight.isoformat()
    assert post_batch(hub_client, "xa-a", ta, batch("xa-a", [ev], fx.at(12, 1, 1))).status_code == 200
    with engine.connect() as conn:
        november = report_store.provincial_rows(conn, fx.START, fx.END)
        december = report_store.provincial_rows(conn, fx.END, fx.END + timedelta(days=31))
    assert [d["code"] for d, _s, _u in november] == []
    assert [d["code"] for d, _s, _u in december] == [CODE]

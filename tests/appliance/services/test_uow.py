"""The unit of work over a real SQLite file: outbox and audit rows commit with the fact, events
are published in order after the commit, and a rolled-back unit leaves nothing behind."""
from __future__ import annotations

import json

import pytest

from appliance.events import EventBus
from appliance.services.uow import HUB_FACTS, Units


@pytest.fixture
def units(empty_appliance, clock):
    bus = EventBus()
    return Units(empty_appliance.db, bus, clock, lambda: True), bus, empty_appliance.db


def counts(db):
    conn = db.conn()
    return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("outbox", "audit_log", "kv"))


def test_emit_inside_a_rolled_back_unit_publishes_nothing_and_writes_nothing(units):
    make, bus, db = units
    heard = []
    bus.subscribe(heard.append)
    before = counts(db)
    with pytest.raises(RuntimeError, match="disk full"):
        with make() as tx:
            tx.conn.execute("INSERT INTO kv (key, value) VALUES ('x', '1')")
            assert tx.emit("ticket.issued", {"ticket": {"id": 1}}) is not None
            tx.emit("pager.assigned", {"pager": 1})
            tx.audit("canbo1", "dossier.view", "dossier:X")
            raise RuntimeError("disk full")
    assert heard == []
    assert counts(db) == before


def test_a_refusal_inside_a_unit_rolls_back_too(units):
    from appliance.domain.errors import Conflict
    make, bus, db = units
    heard = []
    bus.subscribe(heard.append)
    before = counts(db)
    with pytest.raises(Conflict):
        with make() as tx:
            tx.emit("dossier.state", {"code": "X"})
            raise Conflict("pager_busy", "pager", pager=1)
    assert heard == [] and counts(db) == before


def test_commit_publishes_in_order_after_the_commit(units, clock):
    make, bus, db = units
    seen = []

    def listener(event):
        other = db.connect()  # another connection sees only what is committed
        try:
            rows = other.execute("SELECT count(*) FROM outbox").fetchone()[0]
        finally:
            other.close()
        seen.append((event.type, event.payload, rows))
    bus.subscribe(listener)
    with make() as tx:
        first = tx.emit("ticket.issued", {"n": 1})
        tx.emit("pager.assigned", {"pager": 3})
        second = tx.emit("dossier.returned", {"code": "X"}, local={"pager": 3})
        tx.audit("canbo1", "dossier.return", "dossier:X", "ready → returned")
        assert seen == []  # nothing is published before the commit
    assert second == first + 1
    assert [(t, p) for t, p, _ in seen] == [("ticket.issued", {"n": 1}), ("pager.assigned", {"pager": 3}),
                                            ("dossier.returned", {"code": "X", "pager": 3})]
    assert {rows for _, _, rows in seen} == {2}
    conn = db.conn()
    outbox = [(r["type"], json.loads(r["payload"]), r["clock_synced"]) for r in
              conn.execute("SELECT type, payload, clock_synced FROM outbox ORDER BY seq")]
    # hub facts only, and the listeners' extra keys never go to the hub
    assert outbox == [("ticket.issued", {"n": 1}, 1), ("dossier.returned", {"code": "X"}, 1)]
    audit = conn.execute("SELECT ts, user_login, action, object, detail FROM audit_log").fetchall()
    assert [tuple(a) for a in audit] == [(clock.now, "canbo1", "dossier.return", "dossier:X", "ready → returned")]


def test_the_unit_time_is_read_once_or_given(units, clock):
    make, _, db = units
    with make() as tx:
        start = tx.now
        clock.advance(5)
        tx.audit(None, "privacy.purge", "dossiers")
    with make(now=123.0) as tx:
        tx.audit(None, "privacy.purge", "dossiers")
    assert [r[0] for r in db.conn().execute("SELECT ts FROM audit_log ORDER BY id")] == [start, 123.0]


def test_every_outbox_type_of_the_docs_is_a_hub_fact():
    assert {"ticket.issued", "ticket.called", "ticket.done", "rating.given", "dossier.received",
            "dossier.state", "dossier.ready", "dossier.returned"} <= HUB_FACTS
    assert not {"queue.changed", "pager.assigned", "pager.returned", "draft.changed"} & HUB_FACTS


def test_a_fact_only_for_the_hub_is_recorded_but_not_published(units):
    make, bus, db = units
    heard = []
    bus.subscribe(heard.append)
    with make() as tx:
        seq = tx.record("dossier.deadlines", {"code": "X"})
        with pytest.raises(ValueError):
            tx.record("pager.assigned", {"pager": 1})
    assert heard == []
    assert [tuple(r) for r in db.conn().execute("SELECT seq, type FROM outbox")] == [(seq, "dossier.deadlines")]

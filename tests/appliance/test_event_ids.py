"""Event ids: blocks reserved in the database before use, so a new run starts above every id an
earlier one could have sent; the resume rule (docs/events.md)."""
import sqlite3

from appliance.events import ID_BLOCK, EventBus
from appliance.store import kv_store


def reserver(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)")

    def reserve(at_least, size):
        return kv_store.reserve_block(conn, "events.reserved_through", at_least, size)
    return reserve, conn


def test_a_new_run_starts_above_the_reserved_block(tmp_path):
    reserve, conn = reserver(tmp_path / "kv.db")
    first = EventBus(reserve=reserve)
    ids = [first.publish("ticket.issued", {}).id for _ in range(3)]
    assert ids == [1, 2, 3]
    assert conn.execute("SELECT value FROM kv").fetchone()[0] == str(ID_BLOCK)
    second = EventBus(reserve=reserve)          # the process was killed: nothing was written at exit
    assert second.last_id == ID_BLOCK and second.first_id == ID_BLOCK + 1
    assert second.publish("ticket.issued", {}).id == ID_BLOCK + 1
    assert second.missed(3)                      # an id of the earlier run: resync
    assert not second.missed(ID_BLOCK)           # the floor of this run: nothing missed
    assert not second.missed(ID_BLOCK + 1)
    assert second.missed(ID_BLOCK + 5)           # an id this bus never gave


def test_the_next_block_is_reserved_before_this_one_runs_out(tmp_path):
    reserve, conn = reserver(tmp_path / "kv.db")
    bus = EventBus(keep=10, reserve=reserve)
    bus._next = ID_BLOCK - ID_BLOCK // 4 + 1     # as if 3/4 of the block had been used
    bus.publish("x", {})
    assert int(conn.execute("SELECT value FROM kv").fetchone()[0]) >= 2 * ID_BLOCK - ID_BLOCK // 4
    assert EventBus(reserve=reserve).publish("x", {}).id > bus.publish("x", {}).id


def test_events_pushed_out_of_memory_count_as_missed():
    bus = EventBus(keep=3)
    ids = [bus.publish("x", {}).id for _ in range(5)]
    assert [e.id for e in bus.since(ids[2])] == ids[3:]
    assert not bus.missed(ids[1])                # ids[2..4] are kept
    assert bus.missed(ids[0])                    # ids[1] is gone

"""The hub's own retention of the public lookup's keys (``motcua-hub purge``, ``lookup_keep_days``), on
SQLite and PostgreSQL: for appliances that never send ``dossier.purged`` (older firmware, purge off),
the keys of dossiers closed (returned, refused, withdrawn, stopped) longer ago than the setting are
deleted; open dossiers and recently closed ones keep theirs, and the dossiers themselves stay."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from district import cli
from district.store import retention
from tests.district.conftest import VN, batch, event, post_batch
from tests.district.test_hub_lookup_keys import ask, keys_for, keys_of, received, returned

NOW = datetime.now(VN)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


def state(seq: int, code: str, new_state: str, at: datetime) -> dict:
    return event(seq, "dossier.state", {"code": code, "state": new_state, "at": at.isoformat(), "by": "canbo1"}, at)


def code(n: int) -> str:
    return f"000.00.06.H56-260801-{n:04d}"


@pytest.fixture
def dossiers(hub_client, enrol, engine):
    """One device's dossiers, each received 200 days ago with its keys, then closed (state, days ago),
    left open (7), or refused and taken up again (8: open, with the refusal's ``closed_at``)."""
    token = enrol("xa-duong-xa", "Xã Dương Xá")
    old = days_ago(200)
    events, seq = [], 0
    plan = {1: ("returned", 100), 2: ("refused", 100), 3: ("withdrawn", 95), 4: ("stopped", 91),
            5: ("returned", 10), 6: ("refused", 89), 7: (None, None), 8: ("refused", 150)}
    for n, (end, ago) in plan.items():
        seq += 1
        events.append({**received(seq, code(n), keys_for(code(n))), "wall_time": old.isoformat()})
        events[-1]["payload"]["dossier"]["received_at"] = old.isoformat()
        if end is not None:
            seq += 1
            events.append(returned(seq, code(n), days_ago(ago)) if end == "returned"
                          else state(seq, code(n), end, days_ago(ago)))
    events.append(state(seq + 1, code(8), "processing", days_ago(120)))   # refused by mistake, taken up again
    r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", events, NOW))
    assert r.status_code == 200 and r.json["quarantined"] == 0, r.json
    assert all(keys_of(engine, code(n)) == 2 for n in plan)

    def send(more: list[dict]) -> dict:
        r = post_batch(hub_client, "xa-duong-xa", token, batch("xa-duong-xa", more, NOW))
        assert r.status_code == 200, r.json
        return r.json
    plan["send"] = send
    return plan


def run(monkeypatch, capsys, url, *argv, **env):
    monkeypatch.setenv("MOTCUA_HUB_DATABASE_URL", url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    status = cli.main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_purge_deletes_only_the_keys_of_dossiers_closed_long_ago(hub_client, dossiers, engine, db_url,
                                                                 monkeypatch, capsys):
    before = ask(hub_client, "0868777111", "7777").get_data(as_text=True)
    assert sum(code(n) in before for n in range(1, 9)) == 5             # at most 5 answers, newest first
    status, out, _ = run(monkeypatch, capsys, db_url, "purge")
    assert status == 0
    assert out.startswith("Đã xóa 8 khóa tra cứu của 4 hồ sơ đã kết thúc quá 90 ngày"), out
    for n in (1, 2, 3, 4):                                # closed more than 90 days ago
        assert keys_of(engine, code(n)) == 0, code(n)
    for n in (5, 6, 7, 8):                                # closed lately, or still open (however old)
        assert keys_of(engine, code(n)) == 2, code(n)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT code, lookup_purged_at FROM dossiers")).all())
    assert len(rows) == 8                                 # the dossiers stay, for the reports
    assert {c for c, at in rows.items() if at is not None} == {code(n) for n in (1, 2, 3, 4)}
    page = ask(hub_client, "0868777111", "7777").get_data(as_text=True)
    assert code(5) in page and code(7) in page and code(1) not in page and code(4) not in page
    # run again: nothing left to delete
    status, out, _ = run(monkeypatch, capsys, db_url, "purge")
    assert status == 0 and out.startswith("Đã xóa 0 khóa tra cứu của 0 hồ sơ"), out


def test_the_setting_moves_the_line_and_must_be_positive(dossiers, engine, db_url, monkeypatch, capsys):
    status, out, _ = run(monkeypatch, capsys, db_url, "purge", MOTCUA_HUB_LOOKUP_KEEP_DAYS="5")
    assert status == 0 and "của 6 hồ sơ đã kết thúc quá 5 ngày" in out, out
    assert keys_of(engine, code(5)) == 0 and keys_of(engine, code(7)) == 2 and keys_of(engine, code(8)) == 2
    status, _, err = run(monkeypatch, capsys, db_url, "purge", MOTCUA_HUB_LOOKUP_KEEP_DAYS="0")
    assert status == 2 and err.strip() == "Lỗi: MOTCUA_HUB_LOOKUP_KEEP_DAYS: phải là số dương"


def test_keys_sent_after_the_retention_are_not_stored_again(dossiers, engine):
    retention.purge_lookup_keys(engine, NOW, 90)
    assert keys_of(engine, code(1)) == 0
    # a late backfill (dossier.lookup) for a dossier the hub already forgot, and one for an open dossier
    assert dossiers["send"]([event(20, "dossier.lookup", {"code": code(1), "lookup": keys_for(code(1))}, NOW),
                             event(21, "dossier.lookup", {"code": code(8), "lookup": keys_for(code(8))}, NOW)]
                            )["quarantined"] == 0
    assert keys_of(engine, code(1)) == 0 and keys_of(engine, code(8)) == 2


def test_many_dossiers_are_purged_in_batches(hub_client, dossiers, engine, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 3)
    done = retention.purge_lookup_keys(engine, NOW, 90)
    assert (done.dossiers, done.keys) == (4, 8)
    with pytest.raises(ValueError):
        retention.purge_lookup_keys(engine, NOW, 0)

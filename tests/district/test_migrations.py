"""Alembic: upgrade from an empty database on both dialects, and the models match the migrations."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy import select as sa_select

from district.db.engine import make_engine
from district.db.migrate import current_revision, head_revision, upgrade
from district.db.schema import metadata
from tests.district.conftest import PG_SERVER, create_pg_database, drop_pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = create_pg_database("motcua_hub_migr")
    yield f"{PG_SERVER}/{name}"
    drop_pg_database(name)


def test_upgrade_from_empty_creates_every_table_and_matches_models(empty_url):
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine) == "0010"
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    upgrade(engine)  # running init twice is harmless
    assert current_revision(engine) == "0010"
    engine.dispose()


def test_downgrade_to_base_and_up_again(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine)
    upgrade_to_base(engine)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "events" in inspect(engine).get_table_names()
    engine.dispose()


def upgrade_to_base(engine):
    from alembic import command

    from district.db.migrate import alembic_config
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")


def test_app_refuses_an_uninitialised_database(tmp_path):
    from district.app import NotInitialised, create_app
    with pytest.raises(NotInitialised, match="motcua-hub init"):
        create_app({"database_url": f"sqlite:///{tmp_path / 'none.db'}"})


def test_0010_takes_the_lookup_hashes_out_of_the_stored_events(empty_url):
    """An events log written before 0010 kept the appliance's phone hash beside the code (in
    dossier.received, dossier.lookup and a quarantined copy); after it, nothing of it is left and
    the rest of every payload is as it was."""
    import json
    from datetime import UTC, datetime

    from district.db.schema import devices, events
    engine = make_engine(empty_url)
    upgrade(engine, "0009")
    at = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    keys = {"phone_key": "ab" * 32, "links": ["cd" * 32]}
    dossier = {"code": "C-1", "applicant": {"name": "HOA"}, "lookup": keys}
    payloads = {1: ("dossier.received", {"dossier": dossier}),
                2: ("dossier.lookup", {"code": "C-1", "lookup": keys}),
                3: ("hub.quarantined", {"original_type": "dossier.lookup", "reason": "x",
                                        "raw": json.dumps({"code": "C-2", "lookup": keys})}),
                5: ("hub.quarantined", {"original_type": "dossier.received", "reason": "cut",
                                        "raw": json.dumps({"dossier": dossier})[:100] + "…"}),
                4: ("ticket.issued", {"number": "A001", "lookup": "a ticket's own field, kept"})}
    with engine.begin() as conn:
        conn.execute(devices.insert().values(id="xa-1", commune_code="1", commune_name="Xã 1", created_at=at,
                                             config={}))
        for seq, (kind, payload) in payloads.items():
            conn.execute(events.insert().values(device_id="xa-1", seq=seq, event_id=f"e{seq}", type=kind,
                                                payload=payload, wall_time=at, clock_synced=True, boot_id="b",
                                                event_time=at, received_at=at))
    upgrade(engine)
    with engine.connect() as conn:
        stored = dict(conn.execute(sa_select(events.c.seq, events.c.payload)).all())
    assert stored[1] == {"dossier": {"code": "C-1", "applicant": {"name": "HOA"}}}
    assert stored[2] == {"code": "C-1"}
    assert stored[3] == {"original_type": "dossier.lookup", "reason": "x", "raw": '{"code": "C-2"}'}
    assert stored[4] == payloads[4][1]
    assert stored[5]["raw"].startswith("<đã xóa") and "abab" not in stored[5]["raw"] and stored[5]["reason"] == "cut"
    engine.dispose()

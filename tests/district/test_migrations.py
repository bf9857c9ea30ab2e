"""Alembic: upgrade from an empty database on both dialects, and the models match the migrations."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

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
    assert current_revision(engine) == head_revision(engine) == "0009"
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    upgrade(engine)  # running init twice is harmless
    assert current_revision(engine) == "0009"
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

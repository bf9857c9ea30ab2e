"""Hub fixtures: a real PostgreSQL database created for this test session (and dropped after), a
SQLite file per test, the Flask app over either, and helpers to enrol simulated devices."""
from __future__ import annotations

import gzip
import json
import os
import uuid
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from sqlalchemy import text

PG_SERVER = os.environ.get("MOTCUA_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
VN = timezone(timedelta(hours=7))


def _admin():
    return psycopg.connect(PG_SERVER + "/postgres", autocommit=True)


def create_pg_database(prefix: str = "motcua_hub_test") -> str:
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_pg_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True, scope="session")
def cheap_hub_passwords():
    from district import security
    security.PASSWORD_METHOD = "pbkdf2:sha256:1000"
    yield


@pytest.fixture(scope="session")
def pg_database():
    """One migrated PostgreSQL database for the session; tests empty it before use."""
    from district.db.engine import make_engine
    from district.db.migrate import upgrade
    name = create_pg_database()
    url = f"{PG_SERVER}/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    drop_pg_database(name)


TABLES = ("appointment_bookings", "appointment_slots", "officers", "ticket_days",
          "login_failures", "staff_sessions", "dossier_steps", "ratings", "tickets", "dossiers", "device_boots",
          "events", "devices", "catalog_versions", "staff_users", "api_tokens", "hub_meta", "lookup_keys")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A migrated, empty hub database of each kind."""
    from district.db.engine import make_engine
    from district.db.migrate import upgrade
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hub.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url
    url = request.getfixturevalue("pg_database")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def sqlite_url(tmp_path):
    from district.db.engine import make_engine
    from district.db.migrate import upgrade
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def hub_app(db_url):
    from district.app import create_app
    app = create_app({"database_url": db_url, "name": "Tỉnh Bắc Ninh", "level": "province", "TESTING": True})
    yield app
    app.extensions["motcua_hub"].engine.dispose()


@pytest.fixture
def hub_client(hub_app):
    return hub_app.test_client()


@pytest.fixture
def engine(hub_app):
    return hub_app.extensions["motcua_hub"].engine


@pytest.fixture
def enrol(hub_app, hub_client):
    """``enrol(code, name=None) -> device token`` through the real enrolment endpoint."""
    from district.store import devices

    def do(code: str, name: str | None = None) -> str:
        with hub_app.extensions["motcua_hub"].engine.begin() as conn:
            one_time = devices.add_device(conn, code, name)
        r = hub_client.post("/api/v1/enroll", json={"token": one_time})
        assert r.status_code == 200, r.json
        return r.json["device_token"]
    return do


@pytest.fixture
def staff_token(hub_app):
    from district.store import staff
    with hub_app.extensions["motcua_hub"].engine.begin() as conn:
        return staff.add_token(conn, "bao-cao")


def post_batch(client, device_id: str, token: str | None, doc, gz: bool = True, raw: bytes | None = None,
               headers: dict | None = None):
    body = raw if raw is not None else json.dumps(doc, ensure_ascii=False).encode("utf-8")
    h = {"Content-Type": "application/json"}
    if gz and raw is None:
        body = gzip.compress(body)
        h["Content-Encoding"] = "gzip"
    if token:
        h["Authorization"] = f"Bearer {token}"
    h.update(headers or {})
    return client.post(f"/api/v1/devices/{device_id}/events:batch", data=body, headers=h)


def event(seq: int, kind: str, payload: dict, wall: datetime, synced: bool = True, boot: str = "boot-1") -> dict:
    return {"seq": seq, "event_id": str(uuid.UUID(int=seq * 7919 + len(kind), version=4)), "type": kind,
            "payload": payload, "wall_time": wall.isoformat(), "clock_synced": synced, "boot_id": boot}


def batch(device_id: str, events: list[dict], sent_at: datetime, **extra) -> dict:
    return {"device_id": device_id, "sent_at": sent_at.isoformat(), "events": events, **extra}


def ticket(tid: int, day: str, issued: datetime, number: str = "A001", service: str = "HT") -> dict:
    return {"id": tid, "number": number, "service": service, "service_name": "Hộ tịch", "day": day, "seq": tid,
            "priority": False, "state": "waiting", "counter_id": None, "pager": None,
            "issued_at": issued.isoformat(), "called_at": None, "recalls": 0}


def count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()

"""Key/value facts of the hub itself, shared by every app instance (e.g. the session key)."""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from district.db.schema import meta
from district.store.upsert import insert


def secret_key(engine: Engine) -> str:
    """The session-signing key, created once and stored, so all instances behind a load balancer agree."""
    with engine.begin() as conn:
        value = conn.execute(select(meta.c.value).where(meta.c.key == "secret_key")).scalar()
        if value is None:
            conn.execute(insert(conn, meta).values(key="secret_key", value=secrets.token_hex(32))
                         .on_conflict_do_nothing())
            value = conn.execute(select(meta.c.value).where(meta.c.key == "secret_key")).scalar_one()
    return value


def lookup_key(engine: Engine) -> bytes:
    """The secret the hub keys the appliances' lookup keys with before storing them (made once and
    stored, like the session key: a stolen table of keyed hashes cannot be tried offline without it)."""
    with engine.begin() as conn:
        return lookup_key_in(conn)


def lookup_key_in(conn: Connection) -> bytes:
    value = conn.execute(select(meta.c.value).where(meta.c.key == "lookup_key")).scalar()
    if value is None:
        conn.execute(insert(conn, meta).values(key="lookup_key", value=secrets.token_hex(32)).on_conflict_do_nothing())
        value = conn.execute(select(meta.c.value).where(meta.c.key == "lookup_key")).scalar_one()
    return bytes.fromhex(value)

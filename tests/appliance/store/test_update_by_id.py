"""The one UPDATE-by-id the stores share (dossiers, tickets, appointments, SMS messages): it
writes the columns given and refuses, before any SQL, a column the store does not allow."""
from __future__ import annotations

import sqlite3

import pytest

from appliance.store.db import update_by_id


def test_writes_the_allowed_columns_and_refuses_the_others():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, secret TEXT)")
    conn.execute("INSERT INTO t (id, a, b, secret) VALUES (1, 'x', 1, 's'), (2, 'y', 2, 's')")
    update_by_id(conn, "t", 1, {"a", "b"}, {"a": "z", "b": 7})
    assert conn.execute("SELECT id, a, b, secret FROM t ORDER BY id").fetchall() == [(1, "z", 7, "s"), (2, "y", 2, "s")]
    with pytest.raises(ValueError, match="not t columns: \\['secret'\\]"):
        update_by_id(conn, "t", 2, {"a", "b"}, {"a": "q", "secret": "leak"})
    assert conn.execute("SELECT a, secret FROM t WHERE id = 2").fetchone() == ("y", "s")

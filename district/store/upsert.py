"""``INSERT … ON CONFLICT`` through the dialect's own insert construct (PostgreSQL and SQLite)."""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert(conn: Connection, table: Table):
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"cơ sở dữ liệu không được hỗ trợ: {conn.dialect.name}")

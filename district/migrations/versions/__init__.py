"""Alembic revisions of the hub schema (a package so that it ships in the wheel)."""

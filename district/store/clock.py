"""The hub's clock, injectable for tests."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)

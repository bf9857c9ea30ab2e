"""Connects the device adapters to the event bus (filled in as the adapters land)."""
from __future__ import annotations


def attach(appliance) -> None:  # noqa: D401 - replaced when adapters land
    return None

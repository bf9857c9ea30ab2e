"""Registers the panel blueprints (counter, display, kiosk, dossiers, admin, …) as they land."""
from __future__ import annotations

from flask import Flask


def register_panels(app: Flask) -> None:
    return None

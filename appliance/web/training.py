"""The rehearsal clock's mark on every page (``[training]``, ``motcua demo --clock … --speed …``):
a bar 'CHẾ ĐỘ TẬP HUẤN' with the rehearsal time and speed, drawn in the flow at the top of every
page (panel, counter console, hall display, kiosk, mirror), so it never covers data; the printed
papers carry 'BẢN TẬP HUẤN' too. Nothing when training is off (the default)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask


def training_context() -> dict[str, Any] | None:
    from .auth import appliance
    app_ = appliance()
    if not getattr(app_, "training", False):
        return None
    now = datetime.fromtimestamp(app_.clock(), app_.tz)
    return {"clock_text": now.strftime("%H:%M %d/%m/%Y"), "speed": f"{app_.settings.training.speed:g}",
            "server_now": app_.clock(), "rate": app_.settings.training.speed,
            "offset_min": int((now.utcoffset() or timedelta(0)).total_seconds() // 60)}


def init_app(app: Flask) -> None:
    @app.context_processor
    def training_mode():
        return {"training": training_context()}

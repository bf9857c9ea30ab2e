"""Announcements ("Mời số … đến quầy số …"): espeak-ng, which speaks them offline, when they are on."""
from __future__ import annotations

from collections.abc import Callable

from ...config import Settings
from ..check import OK, SKIP, WARN, Check
from .context import Context

AREA = "Loa thông báo"


def check_espeak(settings: Settings, which: Callable[[str], str | None]) -> Check:
    if not settings.audio.enabled:
        return Check(AREA, SKIP, "đã tắt thông báo bằng giọng nói ([audio] enabled = false)")
    found = which("espeak-ng")
    if not found:
        return Check(AREA, WARN, "thiếu espeak-ng: màn hình sảnh chỉ có tiếng chuông, không đọc số",
                     "Cài: sudo apt install espeak-ng, rồi: sudo systemctl restart motcua")
    return Check(AREA, OK, f"espeak-ng có sẵn ({found})")


def run(ctx: Context) -> list[Check]:
    return [check_espeak(ctx.settings, ctx.which)]

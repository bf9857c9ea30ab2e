"""The clock: synchronised over the network (the Pi has no real-time clock)."""
from __future__ import annotations

from collections.abc import Callable

from ..check import OK, WARN, Check
from .context import Context


def check_clock(clock_synced: Callable[[], bool]) -> Check:
    try:
        synced = bool(clock_synced())
    except Exception:
        synced = False
    if synced:
        return Check("Đồng hồ", OK, "đã đồng bộ giờ qua mạng (NTP)")
    return Check("Đồng hồ", WARN, "chưa đồng bộ giờ qua mạng; giờ trên phiếu có thể sai",
                 "Kiểm tra mạng Internet và chạy: timedatectl; máy vẫn hoạt động, máy chủ sẽ tự hiệu chỉnh")


def run(ctx: Context) -> list[Check]:
    return [check_clock(ctx.clock_synced)]

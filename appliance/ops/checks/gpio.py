"""The buttons and LEDs on the GPIO header: a pin factory and a /dev/gpiochip the service can open."""
from __future__ import annotations

from pathlib import Path

from ...config import Settings
from ..check import OK, SKIP, WARN, Check
from ..probes import probe_gpiochip
from .context import Context


def check_gpio(settings: Settings, dev_dir: Path = Path("/dev")) -> Check:
    g = settings.gpio
    pins = (len(g.ticket_buttons) + len(g.call_buttons) + len(g.recall_buttons)
            + len(g.rating_buttons) + (g.fault_led >= 0) + (g.buzzer >= 0))
    pager_gpio = settings.pager.url.startswith("gpio:")
    if not pins and not pager_gpio:
        return Check("Nút bấm GPIO", SKIP, "không cấu hình nút bấm hay đèn nào")
    if not pins:  # only a gpio:// pager: it drives lgpio itself, [gpio].factory does not matter
        chip = probe_gpiochip("Nút bấm GPIO", dev_dir)
        if chip.status != OK:
            return chip
        return Check("Nút bấm GPIO", OK, f"chỉ bộ phát thẻ rung dùng GPIO ({settings.pager.url}); {chip.message}")
    if g.factory == "none":
        return Check("Nút bấm GPIO", WARN, f"cấu hình {pins} chân nhưng [gpio] factory = \"none\"",
                     "Đặt [gpio] factory = \"auto\" để dùng nút bấm")
    if g.factory == "mock":
        return Check("Nút bấm GPIO", WARN, "đang dùng chân giả lập (mock), nút bấm thật không có tác dụng",
                     "Đặt [gpio] factory = \"auto\" trên Raspberry Pi")
    chip = probe_gpiochip("Nút bấm GPIO", dev_dir)
    if chip.status != OK:
        return chip
    return Check("Nút bấm GPIO", OK, f"{pins} chân đã cấu hình; {chip.message}")


def run(ctx: Context) -> list[Check]:
    return [check_gpio(ctx.settings, ctx.dev_dir)]

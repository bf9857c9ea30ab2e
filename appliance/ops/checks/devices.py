"""The printer and the pager transmitter the configuration names: present and openable; a pager on
the Pi's own UART (/dev/serial0) must not share it with the kernel's serial console."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..check import FAIL, OK, Check
from ..probes import probe_device
from .context import Context

PI_UART = re.compile(r"^(serial[01]|ttyAMA\d+|ttyS\d+)$")


def uart_name(url: str) -> str:
    """The UART a serial:// URL opens on the Pi's GPIO header (``serial0``, ``ttyAMA0``…), or ""."""
    parts = urlsplit(url)
    if parts.scheme != "serial":
        return ""
    path = parts.path if not parts.netloc else "/" + parts.netloc + parts.path
    name = Path(path).name
    return name if PI_UART.match(name) else ""


def check_uart_console(url: str, cmdline: Path, dev_dir: Path = Path("/dev")) -> Check | None:
    """None unless the pager is on the Pi's UART; then FAIL when the kernel's console is there too."""
    name = uart_name(url)
    if not name:
        return None
    try:
        consoles = re.findall(r"(?:^|\s)console=([^,\s]+)", cmdline.read_text())
    except OSError:
        return None
    # /dev/serial0 is a link to ttyAMA0 or ttyS0: compare what both names point at.
    def real(n: str) -> str:
        return os.path.basename(os.path.realpath(dev_dir / n)) if (dev_dir / n).exists() else n
    taken = [c for c in consoles if c == name or real(c) == real(name)]
    area = "Bộ phát thẻ rung (UART)"
    if taken:
        return Check(area, FAIL, f"nhân Linux đang dùng {taken[0]} làm console: bộ phát thẻ rung sẽ nhận chữ rác",
                     f"Xóa 'console={taken[0]},115200' khỏi /boot/firmware/cmdline.txt, thêm 'enable_uart=1' "
                     "vào /boot/firmware/config.txt, rồi khởi động lại (sudo reboot)")
    return Check(area, OK, f"{name} dành riêng cho bộ phát thẻ rung (không có console trên đó)")


def run(ctx: Context) -> list[Check]:
    s = ctx.settings
    checks = [probe_device("Máy in", s.printer.url, sysfs_usb=ctx.sysfs_usb, dev_dir=ctx.dev_dir),
              probe_device("Bộ phát thẻ rung", s.pager.url, sysfs_usb=ctx.sysfs_usb, dev_dir=ctx.dev_dir)]
    uart = check_uart_console(s.pager.url, ctx.proc_cmdline, ctx.dev_dir)
    if uart is not None:
        checks.append(uart)
    return checks

"""The systemd units: the panel (motcua.service) must run; the sync service should."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..check import FAIL, OK, WARN, Check
from .context import Context


def check_services(units: tuple[str, ...] = ("motcua.service", "motcua-sync.service")) -> list[Check]:
    if not Path("/run/systemd/system").is_dir() or not shutil.which("systemctl"):
        return []
    checks = []
    for unit in units:
        state = subprocess.run(["systemctl", "is-active", unit], capture_output=True, text=True,
                               timeout=10, env={**os.environ, "LC_ALL": "C"}).stdout.strip()
        if state == "active":
            checks.append(Check(f"Dịch vụ {unit}", OK, "đang chạy"))
        else:
            checks.append(Check(f"Dịch vụ {unit}", FAIL if unit == "motcua.service" else WARN,
                                f"trạng thái '{state or 'không rõ'}'",
                                f"Xem lỗi: sudo journalctl -u {unit} -n 50; "
                                f"khởi động lại: sudo systemctl restart {unit}"))
    return checks


def run(ctx: Context) -> list[Check]:
    return check_services(ctx.units)

"""``motcua doctor``: check configuration, database, the office's services, counters and screens,
fonts, devices (what is plugged in too), announcements, clock, disk and sync, and say in Vietnamese
what to do about each problem. Exit status 1 when any check failed.

    checks = run_doctor(settings)
    print(format_report(checks)); sys.exit(exit_status(checks))

or, from the command line wiring, ``sys.exit(main(config_path))`` which also turns a broken
configuration file into a report line instead of a traceback.

The checks themselves are small families, one module each in ``appliance/ops/checks/`` (listed in
``checks.FAMILIES``); this module runs them and keeps their names importable from here.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..config import ConfigError, Settings, load
from .check import FAIL, Check, exit_status, format_report
from .checks import FAMILIES
from .checks.catalog import check_catalog_from_hub
from .checks.clock import check_clock
from .checks.common import DEFAULT_CONFIG, SERVICE_USER, as_service_user, init_command
from .checks.config_file import check_config
from .checks.context import Context
from .checks.database import BACKUP_MAX_AGE_DAYS, check_backups, check_database
from .checks.disk import check_disk, vn_number
from .checks.fonts import FONT_CANDIDATES, VIETNAMESE_SAMPLE, check_fonts
from .checks.gpio import check_gpio
from .checks.office import check_agency, check_services_and_counters
from .checks.sync import check_sync
from .checks.units import check_services
from .probes import SYSFS_USB
from .screen_checks import check_screens

__all__ = ["BACKUP_MAX_AGE_DAYS", "DEFAULT_CONFIG", "FONT_CANDIDATES", "SERVICE_USER", "VIETNAMESE_SAMPLE",
           "as_service_user", "check_agency", "check_backups", "check_catalog_from_hub", "check_clock",
           "check_config", "check_database", "check_disk", "check_fonts", "check_gpio", "check_screens",
           "check_services", "check_services_and_counters", "check_sync", "init_command", "main",
           "run_doctor", "vn_number"]


def run_doctor(settings: Settings, *, clock_synced: Callable[[], bool] | None = None,
               min_free_mb: int | None = None, warn_free_mb: int | None = None,
               sysfs_usb: Path = SYSFS_USB, dev_dir: Path = Path("/dev"),
               fonts: tuple[str, ...] = FONT_CANDIDATES, hub_timeout_s: float = 3.0,
               now: Callable[[], float] = time.time, **parts) -> list[Check]:
    """Every family's checks, in order. Never raises for a broken part: a family that crashes is
    itself reported as a failed check (``parts``: more of :class:`Context`'s fields)."""
    if clock_synced is None:
        from ..clock import clock_synced as clock_synced_fn
        clock_synced = clock_synced_fn
    ctx = Context(settings, clock_synced, min_free_mb=min_free_mb, warn_free_mb=warn_free_mb,
                  sysfs_usb=sysfs_usb, dev_dir=dev_dir, fonts=fonts, hub_timeout_s=hub_timeout_s,
                  now=now, **parts)
    checks: list[Check] = []
    for family in FAMILIES:
        try:
            checks += family.run(ctx)
        except Exception as exc:  # a bug in one check must not hide the others' answers
            name = family.__name__.rsplit(".", 1)[-1]
            checks.append(Check(f"Kiểm tra {name}", FAIL, f"không kiểm tra được: {type(exc).__name__}: {exc}",
                                "Gửi tệp hỗ trợ (motcua support-bundle) cho người bảo trì"))
    return checks


def main(config_path: str | None = None, **kwargs) -> int:
    """Load the configuration, run every check, print the report; returns the exit status."""
    try:
        settings = load(config_path)
    except ConfigError as exc:
        checks = [Check("Cấu hình", FAIL, str(exc),
                        "Sửa tệp cấu hình theo thông báo trên rồi chạy lại: sudo motcua doctor")]
    else:
        checks = run_doctor(settings, **kwargs)
    print(format_report(checks), end="")
    return exit_status(checks)


if __name__ == "__main__":  # python -m appliance.ops.doctor [CONFIG]
    import sys
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))

"""The boot slip: the panel's address printed once per boot, so staff can find it."""
from __future__ import annotations

from pathlib import Path

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
MARKER = "printer-boot-slip"


def boot_slip_due(state_dir: Path, boot_id_file: Path = BOOT_ID) -> bool:
    """True the first time it is asked after each boot (remembers the kernel's boot id)."""
    try:
        boot_id = boot_id_file.read_text().strip()
    except OSError:
        boot_id = ""
    marker = Path(state_dir) / MARKER
    try:
        if boot_id and marker.read_text().strip() == boot_id:
            return False
    except OSError:
        pass
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(boot_id + "\n")
    except OSError:
        pass
    return True


def announce_panel(service, state_dir: Path, urls: list[str], setup_code: str | None = None) -> str | None:
    """Print the boot slip (the panel's ``urls``, from ``appliance.netinfo.panel_urls``, and the
    first setup's code while no administrator exists) if enabled, a printer is configured, and
    not yet done since boot."""
    if not service.enabled or not service.options.boot_slip or not boot_slip_due(state_dir):
        return None
    return service.print_boot_slip(urls, setup_code)

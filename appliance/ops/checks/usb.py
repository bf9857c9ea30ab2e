"""What is plugged into the USB ports, by vendor:product id, with the printers and pager
transmitters motcua knows named (``appliance/devices/usb_ids.py``, the ids the udev rules use); a
known printer or transmitter plugged in but not configured is said so."""
from __future__ import annotations

from pathlib import Path

from ...devices import usb_ids
from ..check import OK, SKIP, WARN, Check
from .context import Context

AREA = "Thiết bị USB"
ROOT_HUB_VENDOR = "1d6b"  # Linux Foundation: the controllers' own root hubs
KIND_NAMES = {usb_ids.PRINTER: "máy in", usb_ids.PAGER: "bộ phát thẻ rung",
              usb_ids.SERIAL_ADAPTER: "bộ phát thẻ rung?"}


def plugged(sysfs_usb: Path) -> list[tuple[str, str, str]]:
    """(vendor, product, the device's own name) of every USB device but the root hubs."""
    found: list[tuple[str, str, str]] = []
    if not sysfs_usb.is_dir():
        return found
    for dev in sorted(sysfs_usb.iterdir()):
        try:
            vendor = (dev / "idVendor").read_text().strip().lower()
            product = (dev / "idProduct").read_text().strip().lower()
        except OSError:
            continue  # an interface, not a device
        if vendor == ROOT_HUB_VENDOR:
            continue
        label = ""
        for name in ("manufacturer", "product"):
            try:
                label += (" " if label else "") + (dev / name).read_text().strip()
            except OSError:
                pass
        found.append((vendor, product, label))
    return found


def check_usb(sysfs_usb: Path, printer_url: str, pager_url: str) -> Check:
    if not sysfs_usb.is_dir():
        return Check(AREA, SKIP, f"không đọc được {sysfs_usb}")
    devices = plugged(sysfs_usb)
    if not devices:
        return Check(AREA, OK, "không có thiết bị USB nào được cắm")
    names, unconfigured = [], []
    for vendor, product, label in devices:
        known = usb_ids.identify(vendor, product)
        if known:
            names.append(f"{vendor}:{product} {known.name} ({KIND_NAMES[known.kind]})")
            role = usb_ids.serial_role(vendor, product)
            if role == usb_ids.PRINTER and not printer_url:
                unconfigured.append(f"máy in {vendor}:{product}")
            if role == usb_ids.PAGER and not pager_url:
                unconfigured.append(f"bộ phát thẻ rung {vendor}:{product}")
        else:
            names.append(f"{vendor}:{product} {label or 'không rõ'}")
    text = "; ".join(names)
    if unconfigured:
        return Check(AREA, WARN, f"{text}. Có {', '.join(unconfigured)} nhưng chưa cấu hình",
                     "Vào Quản trị → Thiết bị để chọn, hoặc đặt [printer] url = \"file:///dev/motcua-printer\" "
                     "(hay \"usb://VID:PID\"), [pager] url = \"serial:///dev/motcua-pager\" trong tệp cấu hình")
    return Check(AREA, OK, text)


def run(ctx: Context) -> list[Check]:
    return [check_usb(ctx.sysfs_usb, ctx.settings.printer.url, ctx.settings.pager.url)]

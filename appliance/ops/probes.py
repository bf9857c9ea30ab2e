"""Is the device named by a config URL there? Quick, read-only probes for ``motcua doctor``.

Nothing here opens the device for I/O (the running service owns it): a path is checked for
existence and permissions, a USB id is looked up in sysfs, a TCP printer gets a connect only.
"""
from __future__ import annotations

import os
import socket
import stat
from pathlib import Path
from urllib.parse import urlsplit

from .check import FAIL, OK, SKIP, WARN, Check

SYSFS_USB = Path("/sys/bus/usb/devices")


def probe_device(area: str, url: str, *, sysfs_usb: Path = SYSFS_USB,
                 dev_dir: Path = Path("/dev"), timeout_s: float = 2.0) -> Check:
    """One :class:`Check` for the printer or pager URL of the configuration."""
    if not url:
        return Check(area, SKIP, "chưa cấu hình (không dùng thiết bị này)")
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "sim":
        where = parts.netloc + parts.path
        return Check(area, WARN, f"đang dùng thiết bị mô phỏng ({where}), không có thiết bị thật",
                     "Nếu đã lắp thiết bị, sửa địa chỉ thiết bị trong /etc/motcua/config.toml "
                     "rồi khởi động lại: sudo systemctl restart motcua")
    if scheme == "loop":
        return Check(area, WARN, "đang dùng cổng nối vòng loop:// (chỉ để thử)")
    if scheme in ("file", "serial"):
        return _probe_path(area, parts.path, scheme)
    if scheme in ("tcp", "socket"):
        return _probe_tcp(area, parts.hostname or "", parts.port or 9100, timeout_s)
    if scheme == "usb":
        return _probe_usb(area, parts.netloc or parts.path.lstrip("/"), sysfs_usb)
    if scheme == "gpio":
        return probe_gpiochip(area, dev_dir)
    return Check(area, FAIL, f"không hiểu địa chỉ thiết bị {url!r}",
                 "Sửa địa chỉ theo mẫu trong /etc/motcua/config.toml")


def _probe_path(area: str, path: str, scheme: str) -> Check:
    what = "máy in" if scheme == "file" else "cổng nối tiếp"
    p = Path(path)
    if not p.exists():
        return Check(area, FAIL, f"không thấy {what} {path}",
                     "Kiểm tra cáp USB và nguồn thiết bị, cắm lại rồi chạy lại 'motcua doctor'; "
                     "xem danh sách: ls -l /dev/motcua-* /dev/serial/by-id/")
    mode = p.stat().st_mode
    if not (stat.S_ISCHR(mode) or stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        return Check(area, FAIL, f"{path} không phải thiết bị",
                     "Sửa địa chỉ thiết bị trong /etc/motcua/config.toml")
    real = os.path.realpath(path)
    if not os.access(path, os.R_OK | os.W_OK):
        return Check(area, WARN, f"{what} {path} có mặt ({real}) nhưng người dùng này không có quyền ghi",
                     "Dịch vụ chạy bằng người dùng 'motcua' (nhóm dialout, lp); nếu dịch vụ báo lỗi "
                     "quyền, cắm lại thiết bị để quy tắc udev áp dụng")
    return Check(area, OK, f"{what} {path} có mặt ({real})")


def _probe_tcp(area: str, host: str, port: int, timeout_s: float) -> Check:
    if not host:
        return Check(area, FAIL, "địa chỉ mạng thiếu tên máy", "Sửa địa chỉ dạng tcp://IP:9100")
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as exc:
        return Check(area, FAIL, f"không kết nối được {host}:{port} ({exc.strerror or exc})",
                     "Kiểm tra máy in đã bật, cáp mạng, và địa chỉ IP in trên trang tự kiểm tra của máy in")
    return Check(area, OK, f"kết nối được {host}:{port}")


def _usb_ids(sysfs_usb: Path) -> set[tuple[str, str]]:
    ids: set[tuple[str, str]] = set()
    if not sysfs_usb.is_dir():
        return ids
    for dev in sysfs_usb.iterdir():
        try:
            vid = (dev / "idVendor").read_text().strip().lower()
            pid = (dev / "idProduct").read_text().strip().lower()
        except OSError:
            continue
        ids.add((vid, pid))
    return ids


def _probe_usb(area: str, ident: str, sysfs_usb: Path) -> Check:
    vid, _, pid = ident.lower().partition(":")
    vid, pid = vid.removeprefix("0x").zfill(4), pid.removeprefix("0x").zfill(4)
    if (vid, pid) in _usb_ids(sysfs_usb):
        return Check(area, OK, f"thấy thiết bị USB {vid}:{pid}")
    return Check(area, FAIL, f"không thấy thiết bị USB {vid}:{pid}",
                 "Kiểm tra cáp USB và nguồn; 'lsusb' liệt kê các mã VID:PID đang cắm")


def probe_gpiochip(area: str, dev_dir: Path = Path("/dev")) -> Check:
    chips = sorted(dev_dir.glob("gpiochip*"))
    if not chips:
        return Check(area, FAIL, "không thấy /dev/gpiochip* (không phải Raspberry Pi?)",
                     "Chạy trên Raspberry Pi, hoặc đặt [gpio] factory = \"none\" nếu không dùng nút bấm")
    if not any(os.access(c, os.R_OK | os.W_OK) for c in chips):
        return Check(area, WARN, f"có {chips[0]} nhưng người dùng này không có quyền",
                     "Dịch vụ chạy bằng người dùng 'motcua' thuộc nhóm gpio; kiểm tra: id motcua")
    return Check(area, OK, "có " + ", ".join(c.name for c in chips))

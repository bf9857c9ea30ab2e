"""``[printer]`` settings checked once: the profile's paper width and every ``options`` key.

A mistake raises :class:`appliance.config.ConfigError` with one Vietnamese line naming
``[printer].profile`` or ``[printer].options.KEY`` and what is allowed.
"""
from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from escpos.capabilities import get_profile

from appliance.config import ConfigError

#: Profiles of python-escpos 3.1 with a known paper width, as documented in docs/printer.md.
PROFILES_58MM = ("POS-5890", "NT-5890K", "ZJ-5870", "Sunmi-V2")
PROFILES_80MM = ("TM-T20II", "TM-T88V", "TM-T88IV", "TM-L90", "TM-P80", "RP-F10-80mm", "P822D", "KR-306",
                 "TSP600", "TH230Plus", "NT-80-V-UL")
QR_PLACEHOLDERS = ("number", "service", "office", "date", "time")


def _where(key: str) -> str:
    return f"[printer].options.{key}"


@dataclass(frozen=True)
class PrinterOptions:
    """Every knob of ``[printer].options`` with its default (see docs/printer.md)."""

    width_px: int = 0                   # 0: from the profile
    number_mode: str = "text"           # 'text': printer's own font, magnified; 'raster': drawn by Pillow
    number_size: int = 0                # text-mode magnification 1–8; 0: as large as fits, at most 6
    align: str = "printer"              # 'printer': ESC a centres each cropped image; 'pad': left margin in the image
    qr: bool = True                     # print the QR code when there is content for it
    qr_template: str = ""               # e.g. 'http://motcua.local/t/{number}'; '' = the ticket's own qr
    header_lines: tuple[str, ...] = ()  # above the office name
    footer_lines: tuple[str, ...] = ()  # after the ticket's own footer lines
    show_time: bool = True
    show_ahead: bool = True
    fragment_height: int = 256          # rows per GS v 0 image (smaller: safer on printers with small buffers)
    cut: str = "full"                   # full | partial | none
    feed_lines: int = 4                 # blank lines before the cut (to clear the cutter)
    poll_s: float = 15.0                # status query interval when idle
    status_timeout_s: float = 1.0       # wait for a DLE EOT answer
    retry_s: float = 30.0               # a ticket not printed within this is left for staff to reprint
    boot_slip: bool = True              # print the panel address once per boot
    font: str = ""                      # .ttf with Vietnamese; '' = search list (DejaVu first)
    font_bold: str = ""


def _check_int(key: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(f"Cấu hình sai {_where(key)} = {value!r}: phải là số nguyên {lo}–{hi}")
    return value


def _check_number(key: str, value: Any, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ConfigError(f"Cấu hình sai {_where(key)} = {value!r}: phải là số từ {lo:g} đến {hi:g}")
    return float(value)


def _check_choice(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(f"Cấu hình sai {_where(key)} = {value!r}: phải là một trong " + ", ".join(allowed))
    return value


def _check_bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"Cấu hình sai {_where(key)} = {value!r}: phải là true hoặc false")
    return value


def _check_str(key: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > 300:
        raise ConfigError(f"Cấu hình sai {_where(key)} = {value!r}: phải là chuỗi tối đa 300 ký tự")
    return value


def _check_lines(key: str, value: Any) -> tuple[str, ...]:
    if (not isinstance(value, (list, tuple)) or len(value) > 6
            or not all(isinstance(v, str) and len(v) <= 120 for v in value)):
        raise ConfigError(f"Cấu hình sai {_where(key)} = {value!r}: phải là danh sách tối đa 6 dòng chữ, "
                          "mỗi dòng tối đa 120 ký tự")
    return tuple(value)


def _check_template(key: str, value: Any) -> str:
    value = _check_str(key, value)
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    except ValueError:
        names = {"?"}
    bad = names - set(QR_PLACEHOLDERS)
    if bad:
        raise ConfigError(f"Cấu hình sai {_where(key)} = {value!r}: chỉ dùng các chỗ thay "
                          + ", ".join("{" + p + "}" for p in QR_PLACEHOLDERS))
    return value


_CHECKS = {
    "width_px": lambda k, v: _check_int(k, v, 0, 2048),
    "number_mode": lambda k, v: _check_choice(k, v, ("text", "raster")),
    "number_size": lambda k, v: _check_int(k, v, 0, 8),
    "align": lambda k, v: _check_choice(k, v, ("printer", "pad")),
    "qr": _check_bool,
    "qr_template": _check_template,
    "header_lines": _check_lines,
    "footer_lines": _check_lines,
    "show_time": _check_bool,
    "show_ahead": _check_bool,
    "fragment_height": lambda k, v: _check_int(k, v, 8, 2400),
    "cut": lambda k, v: _check_choice(k, v, ("full", "partial", "none")),
    "feed_lines": lambda k, v: _check_int(k, v, 0, 12),
    "poll_s": lambda k, v: _check_number(k, v, 0.1, 3600),
    "status_timeout_s": lambda k, v: _check_number(k, v, 0.05, 10),
    "retry_s": lambda k, v: _check_number(k, v, 0, 3600),
    "boot_slip": _check_bool,
    "font": _check_str,
    "font_bold": _check_str,
}


def parse_options(raw: Mapping[str, Any] | None) -> PrinterOptions:
    raw = dict(raw or {})
    unknown = sorted(set(raw) - set(_CHECKS))
    if unknown:
        raise ConfigError(f"Khóa cấu hình không hợp lệ {_where(unknown[0])}: các khóa được phép là "
                          + ", ".join(_CHECKS))
    checked: dict[str, Any] = {k: _CHECKS[k](k, v) for k, v in raw.items()}
    return PrinterOptions(**checked)


def profile_width(profile: str, options: PrinterOptions | None = None) -> int:
    """Printable width in dots: ``options.width_px`` if set, else the python-escpos profile's."""
    if options is not None and options.width_px:
        return options.width_px
    try:
        data = get_profile(profile).profile_data
    except Exception:
        data = None
    hint = f"58 mm: {', '.join(PROFILES_58MM[:2])}; 80 mm: {', '.join(PROFILES_80MM[:3])}"
    if data is None:
        raise ConfigError(f"Cấu hình sai [printer].profile = {profile!r}: không có hồ sơ máy in này "
                          f"trong python-escpos ({hint})")
    pixels = data.get("media", {}).get("width", {}).get("pixels")
    if not isinstance(pixels, int):
        raise ConfigError(f"Cấu hình sai [printer].profile = {profile!r}: hồ sơ không ghi bề rộng giấy; "
                          f"chọn hồ sơ khác ({hint}) hoặc đặt [printer].options.width_px")
    return pixels

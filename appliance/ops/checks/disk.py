"""Free space where the database lives."""
from __future__ import annotations

import shutil
from pathlib import Path

from ...config import Settings
from ..check import FAIL, OK, WARN, Check
from .context import Context


def _existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def vn_number(value: float, decimals: int = 0) -> str:
    """A number as Vietnamese writes it: ``.`` between thousands, ``,`` before decimals
    (``79.575``, ``252,0``)."""
    return f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def check_disk(settings: Settings, min_free_mb: int | None = None, warn_free_mb: int | None = None) -> Check:
    """FAIL ("đầy") below ``[storage] full_space_mb`` free, WARN below ``low_space_mb`` (the
    thresholds of the panel's own alarm) or under 10 % free."""
    min_free_mb = settings.storage.full_space_mb if min_free_mb is None else min_free_mb
    warn_free_mb = settings.storage.low_space_mb if warn_free_mb is None else warn_free_mb
    where = _existing(Path(settings.storage.path).parent)
    usage = shutil.disk_usage(where)
    free_mb = usage.free / 2**20
    text = f"còn trống {vn_number(free_mb)} MB / {vn_number(usage.total / 2**30, 1)} GB tại {where}"
    if free_mb < min_free_mb:
        return Check("Dung lượng thẻ nhớ", FAIL, f"Thẻ nhớ đã đầy: {text}; máy không ghi được số mới",
                     "Xóa bản sao lưu cũ đã chép ra ngoài, hoặc thay thẻ nhớ lớn hơn; "
                     "nhật ký: sudo journalctl --vacuum-size=100M")
    if free_mb < warn_free_mb or usage.free < usage.total * 0.1:
        return Check("Dung lượng thẻ nhớ", WARN, text, "Chép bản sao lưu cũ ra ngoài rồi xóa bớt")
    return Check("Dung lượng thẻ nhớ", OK, text)


def run(ctx: Context) -> list[Check]:
    return [check_disk(ctx.settings, ctx.min_free_mb, ctx.warn_free_mb)]

"""The configuration file: found, valid, and not world-readable with a sync token in it."""
from __future__ import annotations

from ...config import Settings
from ..check import OK, WARN, Check
from .common import _config_file
from .context import Context


def check_config(settings: Settings) -> Check:
    file = _config_file(settings)
    if file is None:
        return Check("Cấu hình", WARN, f"không có tệp cấu hình, đang dùng {settings.source}",
                     "Tạo /etc/motcua/config.toml (cài lại gói motcua sẽ tạo tệp mẫu)")
    try:
        mode = file.stat().st_mode
    except OSError:
        mode = 0
    if settings.sync.token and mode & 0o004:
        return Check("Cấu hình", WARN, f"{file} chứa mã đồng bộ nhưng ai cũng đọc được",
                     f"Chạy: sudo chmod 640 {file}")
    return Check("Cấu hình", OK, f"hợp lệ ({settings.source})")


def run(ctx: Context) -> list[Check]:
    return [check_config(ctx.settings)]

"""The catalog of procedures from the hub: none refused by this appliance (the law lane's contract)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ...config import Settings
from ..check import OK, SKIP, WARN, Check
from .context import Context


def check_catalog_from_hub(settings: Settings) -> Check:
    """A catalog the hub sent and this appliance refused: one line per problem (at most a few)."""
    path = Path(settings.storage.path)
    if not path.exists():
        return Check("Danh mục từ cấp trên", SKIP, "chưa có cơ sở dữ liệu")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM kv WHERE key = 'sync.catalog_rejected'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Check("Danh mục từ cấp trên", SKIP, f"không đọc được: {exc}")
    if not row:
        return Check("Danh mục từ cấp trên", OK, "không có danh mục nào bị từ chối")
    import json
    rejected = json.loads(row[0])
    lines = "\n    ".join(rejected.get("problems") or [])
    return Check("Danh mục từ cấp trên", WARN,
                 f"phiên bản {rejected.get('version')} bị từ chối, vẫn dùng bản cũ:\n    {lines}",
                 "Báo cán bộ quản trị cấp trên sửa danh mục rồi công bố lại (motcua-hub catalog publish)")


def run(ctx: Context) -> list[Check]:
    return [check_catalog_from_hub(ctx.settings)]

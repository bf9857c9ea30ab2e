"""``motcua support-bundle``: one .tar.gz a technician can read, with no secret and no citizen's
personal data: the effective configuration (redacted), versions, the doctor report, database
table sizes and recent log lines (redacted).
"""
from __future__ import annotations

import io
import json
import platform
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from ..config import Settings
from .check import format_report
from .doctor import run_doctor
from .redact import redact_mapping, redact_text

LOG_UNITS = ("motcua.service", "motcua-sync.service", "motcua-firstboot.service")
LOG_LINES = 2000


def write_support_bundle(settings: Settings, path: str | Path, *,
                         journal: Callable[[], str] | None = None,
                         doctor: Callable[[Settings], list] | None = None) -> Path:
    """Write the bundle to ``path`` (a directory gets a dated file name); returns the file.

    ``journal`` returns recent log text (default: journalctl for our units); ``doctor`` returns
    the checks (default: :func:`run_doctor`). Both are parameters so tests need no systemd.
    """
    path = Path(path)
    stamp = datetime.now(UTC).astimezone().strftime("%Y%m%d-%H%M%S")
    if path.is_dir():
        path = path / f"motcua-ho-tro-{stamp}.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    journal = journal or recent_logs
    doctor = doctor or run_doctor
    files: dict[str, str] = {
        "README.txt": _readme(settings, stamp),
        "config.json": json.dumps(redact_mapping(settings.as_dict()), ensure_ascii=False, indent=2,
                                  default=list) + "\n",
        "versions.json": json.dumps(versions(), ensure_ascii=False, indent=2) + "\n",
        "database.json": json.dumps(database_summary(settings), ensure_ascii=False, indent=2) + "\n",
    }
    config_file = Path(settings.source.split(" + ")[0])
    if config_file.is_file():
        try:
            files["config.toml"] = redact_config_text(config_file.read_text(encoding="utf-8"))
        except OSError as exc:
            files["config.toml"] = f"# không đọc được {config_file}: {exc}\n"
    try:
        files["doctor.txt"] = format_report(doctor(settings))
    except Exception as exc:  # a bundle is most wanted when things are broken
        files["doctor.txt"] = f"motcua doctor lỗi: {type(exc).__name__}: {exc}\n"
    try:
        files["journal.txt"] = redact_text(journal())
    except Exception as exc:
        files["journal.txt"] = f"không đọc được nhật ký: {exc}\n"
    tmp = path.with_name(path.name + ".part")
    with tarfile.open(tmp, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"motcua-ho-tro/{name}")
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            tar.addfile(info, io.BytesIO(data))
    tmp.replace(path)
    return path


def redact_config_text(text: str) -> str:
    """The TOML file line by line: values of secret-looking keys become ``"***"``."""
    out = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        bare = key.strip().lstrip("#").strip()
        if sep and redact_mapping({bare: value.strip()})[bare] == "***" and value.strip() not in ('""', "''"):
            out.append(f'{key}= "***"')
        else:
            out.append(redact_text(line))
    return "\n".join(out) + "\n"


def versions() -> dict[str, object]:
    dists = sorted((d.metadata["Name"] or "?", d.version) for d in metadata.distributions())
    os_release = ""
    for candidate in ("/etc/os-release", "/usr/lib/os-release"):
        if Path(candidate).exists():
            os_release = Path(candidate).read_text(encoding="utf-8", errors="replace")
            break
    model = Path("/proc/device-tree/model")
    return {
        "motcua": _version("motcua"),
        "python": sys.version,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "model": model.read_text(errors="replace").strip("\0\n") if model.exists() else "",
        "os_release": os_release,
        "packages": {name: version for name, version in dists},
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "không rõ"


def database_summary(settings: Settings) -> dict[str, object]:
    """Row counts per table and schema version: sizes, never contents."""
    path = Path(settings.storage.path)
    if not path.exists():
        return {"path": str(path), "exists": False}
    out: dict[str, object] = {"path": str(path), "exists": True, "bytes": path.stat().st_size}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            out["user_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name")]
            out["rows"] = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        out["error"] = str(exc)
    return out


def recent_logs(units: tuple[str, ...] = LOG_UNITS, lines: int = LOG_LINES) -> str:
    if not shutil.which("journalctl"):
        return "journalctl không có trên máy này\n"
    cmd = ["journalctl", "--no-pager", "-o", "short-iso", "-n", str(lines)]
    for unit in units:
        cmd += ["-u", unit]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30, errors="replace")
    return proc.stdout + (("\n" + proc.stderr) if proc.stderr else "")


def _readme(settings: Settings, stamp: str) -> str:
    return (f"Tệp hỗ trợ motcua, tạo lúc {stamp}\n"
            f"Cơ quan: {settings.office.name}\n"
            "Đã xóa mã bí mật, mật khẩu, số điện thoại và số giấy tờ.\n"
            "Gồm: config.json/config.toml (cấu hình), versions.json (phiên bản), doctor.txt "
            "(kết quả kiểm tra), database.json (số dòng mỗi bảng), journal.txt (nhật ký gần đây).\n")

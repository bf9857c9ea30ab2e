"""The device's identity at the hub: stored 0600 in the state directory, written atomically."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_NAME = "sync-identity.json"


class EnrolmentError(RuntimeError):
    """Enrolment failed; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Identity:
    hub_url: str
    device_id: str
    device_token: str
    hub_name: str = ""


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write, fsync the file, rename over the target, fsync the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save(state_dir: Path, identity: Identity) -> Path:
    path = Path(state_dir) / FILE_NAME
    atomic_write(path, json.dumps(asdict(identity), ensure_ascii=False, indent=1).encode())
    return path


def load(state_dir: Path) -> Identity | None:
    path = Path(state_dir) / FILE_NAME
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Identity(**{k: data[k] for k in ("hub_url", "device_id", "device_token")},
                        hub_name=data.get("hub_name", ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise EnrolmentError(f"Tệp {path} hỏng ({exc}); hãy ghi danh lại bằng 'motcua enroll URL MÃ'") from None

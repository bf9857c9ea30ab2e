"""The device's identity at the hub: stored 0600 in the state directory, written atomically."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import MotcuaError
from ..files import PRIVATE_MODE, atomic_write

FILE_NAME = "sync-identity.json"


class EnrolmentError(MotcuaError):
    """Enrolment failed; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Identity:
    hub_url: str
    device_id: str
    device_token: str
    hub_name: str = ""


def save(state_dir: Path, identity: Identity) -> Path:
    path = Path(state_dir) / FILE_NAME
    atomic_write(path, json.dumps(asdict(identity), ensure_ascii=False, indent=1).encode(), PRIVATE_MODE)
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

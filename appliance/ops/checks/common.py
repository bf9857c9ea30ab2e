"""What several check families share: the service user, and how to tell an officer to run a
command as that user with the right configuration file."""
from __future__ import annotations

from pathlib import Path

from ...config import Settings

SERVICE_USER = "motcua"
DEFAULT_CONFIG = "/etc/motcua/config.toml"


def _config_file(settings: Settings) -> Path | None:
    first = settings.source.split(" + ")[0]
    return Path(first) if first.startswith("/") or first.endswith(".toml") else None


def as_service_user(settings: Settings, command: str) -> str:
    """``motcua COMMAND`` run as the service user: run as root, `init` and `enroll` would leave
    files in the state directory that only root can read."""
    file = _config_file(settings)
    config = str(file) if file is not None and file.is_absolute() else DEFAULT_CONFIG
    return f"sudo -u {SERVICE_USER} env MOTCUA_CONFIG={config} motcua {command}"


def init_command(settings: Settings) -> str:
    return as_service_user(settings, "init")

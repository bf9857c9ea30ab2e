"""Writing files safely: whole or not at all, and with their final mode from the first byte.

:func:`atomic_write` writes a temporary file created with ``O_CREAT | O_EXCL`` and the wanted mode
(never a ``chmod`` afterwards: under the usual umask 022 a secret would otherwise be
world-readable for a moment, and for good if the process died in between), fsyncs it, renames it
over the target and fsyncs the directory. Config edits, the device identity, the hub's catalog,
the admin password and the simulated printer's jobs all go through it.
"""
from __future__ import annotations

import os
from pathlib import Path

PRIVATE_MODE = 0o600


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str | Path, data: bytes, mode: int = 0o644, durable: bool = True) -> Path:
    """Replace ``path`` with ``data``; ``durable=False`` skips the fsyncs (simulated devices)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)  # left by a crash, maybe with another mode: never reuse it
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    try:
        os.fchmod(fd, mode)  # the umask must not change the mode asked for
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    if durable:
        _fsync_dir(path.parent)
    return path


def create_private(path: str | Path) -> Path:
    """Create ``path`` empty with mode 0600; ``FileExistsError`` if it is already there."""
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)  # a stricter umask must not leave the owner unable to read it
    finally:
        os.close(fd)
    return path


def write_private(path: str | Path, text: str) -> Path:
    """Replace ``path`` atomically with ``text`` (UTF-8), mode 0600 from the first byte on."""
    return atomic_write(path, text.encode("utf-8"), PRIVATE_MODE)

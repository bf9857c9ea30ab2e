"""Files that hold secrets or citizens' personal data, created readable by their owner only.

The mode is set when the file is created (``O_CREAT | O_EXCL``, 0600), never by a ``chmod`` after
the content is written: under the usual umask 022 the content would otherwise be world-readable
for a moment, and for good if the process died in between.
"""
from __future__ import annotations

import os
from pathlib import Path

PRIVATE_MODE = 0o600


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
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)  # left by a crash, maybe with another mode: never reuse it
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return path

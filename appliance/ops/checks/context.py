"""What every check family is handed: the settings, and the machine's parts a test replaces."""
from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...config import Settings
from ..probes import SYSFS_USB


@dataclass
class Context:
    settings: Settings
    clock_synced: Callable[[], bool]
    min_free_mb: int | None = None                 # None: [storage] full_space_mb
    warn_free_mb: int | None = None                # None: [storage] low_space_mb
    sysfs_usb: Path = SYSFS_USB
    dev_dir: Path = Path("/dev")
    fonts: tuple[str, ...] | None = None          # None: fonts.FONT_CANDIDATES
    hub_timeout_s: float = 3.0
    now: Callable[[], float] = time.time
    proc_cmdline: Path = Path("/proc/cmdline")
    which: Callable[[str], str | None] = shutil.which
    units: tuple[str, ...] = ("motcua.service", "motcua-sync.service")

    @contextlib.contextmanager
    def database(self) -> Iterator[sqlite3.Connection | None]:
        """The database read-only (the service keeps writing), or None when it cannot be read:
        the database family reports why, the others then say nothing about it."""
        path = Path(self.settings.storage.path)
        if not path.exists():
            yield None
            return
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
            conn.row_factory = sqlite3.Row
        except sqlite3.Error:
            yield None
            return
        try:
            yield conn
        finally:
            conn.close()


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None

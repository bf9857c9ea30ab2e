"""The disk watch's rules on this machine's real file system (the full-card path itself is
tests/appliance/web/test_disk_full.py, on a small tmpfs)."""
import errno
import sqlite3

from appliance.ops.disk import DiskWatch, is_disk_full


def test_a_refused_write_latches_the_alarm_only_while_space_is_low(tmp_path):
    events = []
    watch = DiskWatch(tmp_path, low_space_mb=0, full_space_mb=0, publish=lambda t, p: events.append(p))
    assert watch.check()["state"] == "ok"
    watch.write_failed()  # reported after space came back (plenty free): no alarm stuck on
    assert watch.status()["state"] == "ok"
    watch.low_space_mb = 10**9  # every byte free counts as "low"
    watch.write_failed()
    assert watch.status()["state"] == "error" and watch.status()["full"]
    assert events[-1]["device"] == "disk" and events[-1]["state"] == "error"
    assert events[-1]["message"].startswith("Thẻ nhớ đã đầy")  # (the free MB in it moves: other writers)


def test_thresholds_warning_then_error(tmp_path):
    watch = DiskWatch(tmp_path, low_space_mb=10**9, full_space_mb=0)
    assert watch.status()["state"] == "warning" and "sắp đầy" in watch.status()["message"]
    watch.full_space_mb = 10**9
    assert watch.status()["state"] == "error" and "Thẻ nhớ đã đầy" in watch.status()["message"]


def test_what_counts_as_disk_full():
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13
    assert is_disk_full(full)
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 5
    assert not is_disk_full(busy)

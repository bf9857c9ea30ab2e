"""Skew correction: unsynced device clocks are moved by (hub receive time − sent_at)."""
from __future__ import annotations

from datetime import datetime, timedelta

from district.domain import clock
from tests.district.conftest import VN

RECEIVED = datetime(2026, 11, 23, 10, 0, tzinfo=VN)


def test_synced_events_keep_their_time_and_unsynced_ones_are_shifted():
    # the device believes it is 07:00 when the hub receives at 10:00: three hours slow
    p, learned = clock.plan(RECEIVED - timedelta(hours=3), RECEIVED, {})
    assert p.batch_skew_s == 3 * 3600 and learned == {}
    wall = datetime(2026, 11, 23, 6, 30, tzinfo=VN)
    assert p.event_time(wall, False, "b1") == wall + timedelta(hours=3)
    synced = datetime(2026, 11, 23, 9, 30, tzinfo=VN)
    assert p.event_time(synced, True, "b1") == synced


def test_the_senders_boot_skew_is_remembered_and_used_for_that_boot_later():
    p, learned = clock.plan(RECEIVED + timedelta(days=400), RECEIVED, {}, sender_boot_id="b1",
                            sender_clock_synced=False)
    assert learned == {"b1": -400 * 86400}
    # later, after a reboot with a synced clock, old b1 events arrive: b1's skew is used, not the new batch's 0
    later = RECEIVED + timedelta(hours=1)
    p2, learned2 = clock.plan(later, later, learned, sender_boot_id="b2", sender_clock_synced=True)
    assert learned2 == {}
    wall = RECEIVED + timedelta(days=400) - timedelta(minutes=10)
    assert p2.event_time(wall, False, "b1") == RECEIVED - timedelta(minutes=10)


def test_no_event_is_placed_after_its_arrival():
    p, _ = clock.plan(RECEIVED, RECEIVED, {})
    assert p.event_time(RECEIVED + timedelta(hours=5), True, "b1") == RECEIVED

"""Clock-skew correction. The Pi has no RTC: until NTP syncs, its wall clock may be hours off.

Each event carries ``clock_synced``. For events whose clock was *not* synced the hub estimates the
skew as ``hub receive time − batch sent_at`` (network latency, a second at most, is negligible
next to the errors being corrected) and adds it to ``wall_time``.

Skews belong to a boot: the clock is set once at boot (fake-hwclock) and then runs at the right
rate. When the batch names the sender's boot (optional ``boot_id`` in the envelope, see
docs/events.md) and its clock is still unsynced, the measured skew is remembered for that boot and
applied to that boot's unsynced events even when they arrive later, from another boot. Events of a
boot with no measurement get the batch's skew (best effort). No event is placed after the moment
the hub received it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SkewPlan:
    received_at: datetime
    batch_skew_s: float
    boot_skews: Mapping[str, float] = field(default_factory=dict)

    def event_time(self, wall_time: datetime, clock_synced: bool, boot_id: str) -> datetime:
        if clock_synced:
            corrected = wall_time
        else:
            corrected = wall_time + timedelta(seconds=self.boot_skews.get(boot_id, self.batch_skew_s))
        return min(corrected, self.received_at)


def plan(sent_at: datetime, received_at: datetime, known: Mapping[str, float],
         sender_boot_id: str | None = None, sender_clock_synced: bool | None = None
         ) -> tuple[SkewPlan, dict[str, float]]:
    """The plan for one batch and the per-boot skews to remember (``{boot_id: skew_s}``)."""
    measured = (received_at - sent_at).total_seconds()
    boot_skews = dict(known)
    learned: dict[str, float] = {}
    if sender_boot_id is not None and sender_clock_synced is not True:
        boot_skews[sender_boot_id] = measured
        learned[sender_boot_id] = measured
    return SkewPlan(received_at, measured, boot_skews), learned

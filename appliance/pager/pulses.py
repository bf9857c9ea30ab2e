"""Pure helpers for OOK pulse trains: chips to pulses, 1 µs quantisation, the wave model, timing error.

Encoders describe a frame with *ideal* durations (floats: 4800 chips/s is 208.33 µs a chip) and
quantise it once with :func:`quantise`, which rounds every *edge* (not every pulse) to the
microsecond: each pulse is then off by < 1 µs and the error never accumulates along the frame.
:func:`build_wave` turns a pulse list into lgpio ``tx_wave`` triplets ``(bits, mask, delay_us)``;
the GPIO transport and the timing benchmark use the same function.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from .frames import Pulse

IdealPulse = tuple[int, float]


def chips_to_ideal(chips: str, chip_us: float) -> list[IdealPulse]:
    """``"1110" "1000"`` … at ``chip_us`` a chip → merged ``(level, µs)`` runs."""
    out: list[IdealPulse] = []
    for c in chips:
        level = 1 if c == "1" else 0
        if out and out[-1][0] == level:
            out[-1] = (level, out[-1][1] + chip_us)
        else:
            out.append((level, chip_us))
    return out


def merge(pulses: Iterable[tuple[int, float]]) -> list:
    out: list = []
    for level, us in pulses:
        if us <= 0:
            continue
        if out and out[-1][0] == level:
            out[-1] = (level, out[-1][1] + us)
        else:
            out.append((level, us))
    return out


def quantise(ideal: Sequence[IdealPulse]) -> tuple[Pulse, ...]:
    """Round the cumulative edge times to whole microseconds."""
    out: list[Pulse] = []
    t_ideal = 0.0
    t_done = 0
    for level, us in ideal:
        t_ideal += us
        edge = int(t_ideal + 0.5)
        out.append((level, edge - t_done))
        t_done = edge
    return tuple(out)


def build_wave(pulses: Sequence[Pulse], mask: int = 1) -> list[tuple[int, int, int]]:
    """lgpio ``tx_wave`` triplets for one GPIO (group bit 0): set the level, then wait ``delay`` µs."""
    return [(mask if level else 0, mask, int(us)) for level, us in pulses]


def wave_durations(wave: Sequence[tuple[int, int, int]], mask: int = 1) -> list[Pulse]:
    """What a wave made by :func:`build_wave` puts on the pin, at 1 µs resolution."""
    return [(1 if bits & mask else 0, delay) for bits, _, delay in wave]


def timing_error(ideal: Sequence[IdealPulse], produced: Sequence[Pulse]) -> dict:
    """Compare intended and produced durations pulse by pulse, and edge by edge."""
    if len(ideal) != len(produced):
        raise ValueError("ideal and produced trains differ in length")
    worst_pulse = 0.0
    worst_edge = 0.0
    t_ideal = 0.0
    t_prod = 0
    for (li, di), (lp, dp) in zip(ideal, produced, strict=True):
        if li != lp:
            raise ValueError("ideal and produced trains differ in level")
        worst_pulse = max(worst_pulse, abs(dp - di))
        t_ideal += di
        t_prod += dp
        worst_edge = max(worst_edge, abs(t_prod - t_ideal))
    shortest = min(d for _, d in ideal)
    return {
        "pulses": len(ideal),
        "shortest_us": shortest,
        "max_pulse_error_us": worst_pulse,
        "max_edge_error_us": worst_edge,
        "error_pct_of_shortest": 100.0 * max(worst_pulse, worst_edge) / shortest,
    }

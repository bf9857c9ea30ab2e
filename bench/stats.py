"""Small helpers shared by the benchmarks."""
from __future__ import annotations

import statistics


def percentiles(samples_s: list[float]) -> str:
    """p50/p95/p99/max of durations given in seconds, printed in milliseconds."""
    xs = sorted(samples_s)
    if not xs:
        return "no samples"

    def pct(p: float) -> float:
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000
    return (f"p50 {pct(50):.2f} ms · p95 {pct(95):.2f} ms · p99 {pct(99):.2f} ms · "
            f"max {xs[-1] * 1000:.2f} ms · mean {statistics.fmean(xs) * 1000:.2f} ms · n={len(xs)}")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

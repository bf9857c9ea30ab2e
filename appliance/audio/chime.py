"""A soft two-tone "ding-dong" synthesised with the standard library (no sound files shipped)."""
from __future__ import annotations

import math
from array import array
from pathlib import Path

from appliance.audio.wavfile import SAMPLE_RATE, write_wav

DING_HZ = 659.25   # E5
DONG_HZ = 523.25   # C5
NOTE_SECONDS = 0.65
AMPLITUDE = 0.30   # of full scale: soft, the words follow at espeak-ng's level


def _note(freq: float, seconds: float, rate: int) -> list[float]:
    """A bell-like note: fundamental plus two soft partials, 8 ms attack, exponential decay."""
    n = int(seconds * rate)
    attack = int(0.008 * rate)
    out = []
    for i in range(n):
        t = i / rate
        envelope = math.exp(-4.5 * t) * (min(1.0, i / attack) if attack else 1.0)
        fade_out = min(1.0, (n - i) / (0.02 * rate))  # no click at the end
        sample = (math.sin(2 * math.pi * freq * t)
                  + 0.25 * math.sin(2 * math.pi * 2 * freq * t) * math.exp(-3 * t)
                  + 0.10 * math.sin(2 * math.pi * 3.01 * freq * t) * math.exp(-6 * t))
        out.append(sample / 1.35 * envelope * fade_out)
    return out


def chime_samples(rate: int = SAMPLE_RATE) -> array:
    """Signed 16-bit mono samples of ding (E5) then dong (C5), the second overlapping the tail."""
    ding = _note(DING_HZ, NOTE_SECONDS, rate)
    dong = _note(DONG_HZ, NOTE_SECONDS * 1.4, rate)
    offset = int(NOTE_SECONDS * 0.75 * rate)
    total = offset + len(dong)
    mix = [0.0] * total
    for i, s in enumerate(ding):
        mix[i] += s
    for i, s in enumerate(dong):
        mix[offset + i] += s
    peak = max(abs(s) for s in mix) or 1.0
    scale = AMPLITUDE * 32767 / peak
    return array("h", (int(round(s * scale)) for s in mix))


def write_chime(path: str | Path, rate: int = SAMPLE_RATE) -> Path:
    """Write the chime as a 16-bit mono WAV file; returns the path."""
    return write_wav(path, chime_samples(rate), rate)

"""Small WAV helpers on the standard ``wave`` module: write, read, check, trim silence."""
from __future__ import annotations

import os
import sys
import tempfile
import wave
from array import array
from pathlib import Path

from appliance.errors import AudioError

SAMPLE_RATE = 22050  # espeak-ng's rate; the chime uses it too
SILENCE_THRESHOLD = 500  # of 32767: below this a 16-bit sample counts as silence
KEEP_SILENCE_S = 0.04  # keep this much around the voice when trimming


class BadWav(AudioError):
    """Not a readable PCM WAV file."""


def _native(samples: array) -> array:
    """WAV data is little-endian; ``array`` uses the machine's order."""
    if sys.byteorder == "big":
        samples = array(samples.typecode, samples)
        samples.byteswap()
    return samples


def write_wav(path: str | Path, samples: array, rate: int = SAMPLE_RATE) -> Path:
    """Write signed 16-bit mono samples atomically (temporary file then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".wav", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(_native(samples).tobytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def wav_info(path: str | Path) -> tuple[int, int, int, float]:
    """``(channels, sample_width, rate, seconds)``; :class:`BadWav` if unreadable or empty."""
    try:
        with wave.open(str(path), "rb") as w:
            frames, rate = w.getnframes(), w.getframerate()
            info = (w.getnchannels(), w.getsampwidth(), rate, frames / rate if rate else 0.0)
    except (wave.Error, EOFError, OSError) as exc:
        raise BadWav(f"Tệp âm thanh {path} không phải WAV PCM đọc được: {exc}") from exc
    if info[3] <= 0:
        raise BadWav(f"Tệp âm thanh {path} rỗng (không có mẫu âm nào).")
    return info


def read_mono16(path: str | Path) -> tuple[array, int]:
    """Samples and rate of a 16-bit mono WAV."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise BadWav(f"Tệp {path} không phải WAV 16-bit một kênh.")
        samples = array("h")
        samples.frombytes(w.readframes(w.getnframes()))
        return _native(samples), w.getframerate()


def trim_silence(samples: array, rate: int, keep_s: float = KEEP_SILENCE_S,
                 threshold: int = SILENCE_THRESHOLD) -> array:
    """Cut leading and trailing silence, keeping ``keep_s`` seconds around the sound."""
    first = next((i for i, s in enumerate(samples) if abs(s) >= threshold), None)
    if first is None:
        return samples
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) >= threshold)
    keep = int(keep_s * rate)
    return samples[max(0, first - keep):min(len(samples), last + 1 + keep)]

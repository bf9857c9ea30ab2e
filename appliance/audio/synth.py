"""Speech synthesis behind one small interface: espeak-ng (real) or tones (simulated).

``synthesize(text, path)`` writes a 16-bit mono WAV of ``text`` spoken and returns the path.
"""
from __future__ import annotations

import hashlib
import math
import shutil
import subprocess
import tempfile
from array import array
from pathlib import Path
from typing import Protocol

from appliance.audio.wavfile import SAMPLE_RATE, read_mono16, trim_silence, write_wav
from appliance.errors import AudioError

ESPEAK_PACKAGE = "espeak-ng"


class SpeechError(AudioError):
    """Speech could not be generated; the message says what the officer can do."""


class Synthesizer(Protocol):
    #: changes whenever the same text would sound different (voice, speed…): part of the cache key
    key: str

    def synthesize(self, text: str, path: Path) -> Path: ...


class EspeakSynthesizer:
    """espeak-ng, fully offline. ``voice``: ``vi`` (northern), ``vi-vn-x-central``, ``vi-vn-x-south``."""

    def __init__(self, voice: str = "vi", speed: int = 145, pitch: int = 50, amplitude: int = 120,
                 executable: str = "espeak-ng", timeout_s: float = 20.0):
        self.voice, self.speed, self.pitch, self.amplitude = voice, speed, pitch, amplitude
        self.executable = executable
        self.timeout_s = timeout_s
        self.key = f"espeak-ng:{voice}:s{speed}:p{pitch}:a{amplitude}:trim1"

    def __repr__(self) -> str:
        return f"<EspeakSynthesizer voice={self.voice!r} speed={self.speed}>"

    def _command(self) -> str:
        found = shutil.which(self.executable)
        if not found:
            raise SpeechError(
                f"Không tìm thấy chương trình đọc tiếng Việt '{self.executable}'. "
                f"Hãy cài gói Debian '{ESPEAK_PACKAGE}': sudo apt-get install {ESPEAK_PACKAGE} "
                "(hoặc đặt tệp ghi âm sẵn vào thư mục [audio].clips_dir).")
        return found

    def synthesize(self, text: str, path: Path) -> Path:
        command = self._command()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".espeak-") as tmp:
            raw = Path(tmp) / "raw.wav"
            args = [command, "-v", self.voice, "-s", str(self.speed), "-p", str(self.pitch),
                    "-a", str(self.amplitude), "-b", "1", "-z", "--stdin", "-w", str(raw)]
            try:
                done = subprocess.run(args, input=text.encode("utf-8"), capture_output=True,
                                      timeout=self.timeout_s, check=False)
            except subprocess.TimeoutExpired as exc:
                raise SpeechError(f"espeak-ng không trả lời sau {self.timeout_s:g} giây khi đọc '{text}'.") from exc
            error = done.stderr.decode("utf-8", "replace").strip()
            if done.returncode != 0 or not raw.exists() or raw.stat().st_size <= 44:
                if "voice does not exist" in error:
                    raise SpeechError(f"espeak-ng không có giọng '{self.voice}'. Hãy đặt [audio].voice "
                                      "là vi, vi-vn-x-central hoặc vi-vn-x-south.")
                raise SpeechError(f"espeak-ng không tạo được âm thanh cho '{text}' "
                                  f"(mã lỗi {done.returncode}): {error or 'không có thông báo'}")
            samples, rate = read_mono16(raw)
            return write_wav(path, trim_silence(samples, rate), rate)


class ToneSynthesizer:
    """Simulated speech for ``motcua demo`` on machines without espeak-ng: a short tone whose
    pitch depends on the text, so clips stay distinguishable by ear and by content."""

    key = "tone:1"

    def __repr__(self) -> str:
        return "<ToneSynthesizer>"

    def synthesize(self, text: str, path: Path) -> Path:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        freq = 300 + digest[0] * 2
        seconds = 0.12 + 0.03 * len(text.split())
        n = int(seconds * SAMPLE_RATE)
        fade = int(0.01 * SAMPLE_RATE)
        samples = array("h", (
            int(6000 * math.sin(2 * math.pi * freq * i / SAMPLE_RATE) * min(1.0, i / fade, (n - i) / fade))
            for i in range(n)))
        return write_wav(path, samples, SAMPLE_RATE)


def synthesizer_for(voice: str = "vi", simulated: bool = False) -> Synthesizer:
    """The espeak-ng synthesizer for ``voice``, or the tone one when ``simulated``."""
    return ToneSynthesizer() if simulated else EspeakSynthesizer(voice)

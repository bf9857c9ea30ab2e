"""The clip store: one WAV per clip name, a recorded override if present, else generated offline.

Lookup for clip ``name``:

1. ``<overrides_dir>/<name>.wav`` (``[audio].clips_dir``) if it is a readable PCM WAV;
2. ``<cache_dir>/<name>.<key>.wav``, generated on first use: the chime with :mod:`chime`, words
   with the synthesizer (espeak-ng). ``key`` hashes the text and the voice settings, so changing
   the voice or a clip's text regenerates it; stale files are removed by :meth:`ClipStore.ensure`.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path

from appliance.audio.chime import write_chime
from appliance.audio.plan import CHIME, KNOWN_CLIPS, speech_text
from appliance.audio.synth import Synthesizer, synthesizer_for
from appliance.audio.wavfile import BadWav, wav_info
from appliance.errors import AudioError

log = logging.getLogger(__name__)

CHIME_KEY = "chime:1"
ABANDONED_TEMP_S = 3600


def overrides_folder(settings) -> Path:
    """Where recorded clips are: ``[audio].clips_dir``, else ``<state dir>/voice`` (the admin's upload)."""
    return Path(settings.audio.clips_dir) if settings.audio.clips_dir else Path(settings.state_dir) / "voice"


class UnknownClip(AudioError):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"Không có đoạn âm thanh '{self.name}'."


class ClipStore:
    def __init__(self, cache_dir: str | Path, overrides_dir: str | Path | None = None,
                 synthesizer: Synthesizer | None = None):
        self.cache_dir = Path(cache_dir)
        self.overrides_dir = Path(overrides_dir) if overrides_dir else None
        self.synthesizer = synthesizer or synthesizer_for("vi")
        self._lock = threading.Lock()
        self._checked: dict[Path, tuple[float, int, bool]] = {}
        #: clip name -> Vietnamese message for overrides that were ignored (shown on the admin page)
        self.problems: dict[str, str] = {}

    @classmethod
    def from_settings(cls, settings, simulated: bool = False) -> ClipStore:
        """Cache under ``<state dir>/audio``; overrides from ``[audio].clips_dir`` (empty: the set
        uploaded from the admin page, ``<state dir>/voice``); voice ``[audio].voice``."""
        return cls(Path(settings.state_dir) / "audio", overrides_folder(settings),
                   synthesizer_for(settings.audio.voice, simulated))

    def __repr__(self) -> str:
        return f"<ClipStore cache={str(self.cache_dir)!r} overrides={str(self.overrides_dir)!r} {self.synthesizer!r}>"

    # -- lookup ---------------------------------------------------------------------------------

    def _key(self, name: str) -> str:
        material = CHIME_KEY if name == CHIME else f"{self.synthesizer.key}|{speech_text(name)}"
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:12]

    def cached_path(self, name: str) -> Path:
        self._check_name(name)
        return self.cache_dir / f"{name}.{self._key(name)}.wav"

    def override_path(self, name: str) -> Path | None:
        """The recorded clip for ``name`` if there is a usable one."""
        self._check_name(name)
        if not self.overrides_dir:
            return None
        candidate = self.overrides_dir / f"{name}.wav"
        try:
            stat = candidate.stat()
        except OSError:
            self.problems.pop(name, None)
            return None
        seen = self._checked.get(candidate)
        if seen and seen[:2] == (stat.st_mtime, stat.st_size):
            return candidate if seen[2] else None
        try:
            wav_info(candidate)
            ok = True
            self.problems.pop(name, None)
        except BadWav as exc:
            ok = False
            self.problems[name] = f"Bỏ qua tệp ghi âm {candidate}: {exc}. Đang dùng giọng tổng hợp."
            log.warning(self.problems[name])
        self._checked[candidate] = (stat.st_mtime, stat.st_size, ok)
        return candidate if ok else None

    def source(self, name: str) -> str:
        """``"override"`` or ``"generated"``."""
        return "override" if self.override_path(name) else "generated"

    def path(self, name: str) -> Path:
        """The WAV to play for ``name``: the override, else the cached clip (generated if missing).

        Raises :class:`UnknownClip` or :class:`appliance.audio.synth.SpeechError`.
        """
        override = self.override_path(name)
        if override:
            return override
        target = self.cached_path(name)
        if target.exists():
            return target
        with self._lock:
            if not target.exists():
                self._generate(name, target)
        return target

    def _generate(self, name: str, target: Path) -> None:
        if name == CHIME:
            write_chime(target)
        else:
            self.synthesizer.synthesize(speech_text(name), target)
        log.info("generated clip %s -> %s", name, target)

    @staticmethod
    def _check_name(name: str) -> None:
        if name not in KNOWN_CLIPS:
            raise UnknownClip(name)

    # -- bulk -----------------------------------------------------------------------------------

    def ensure(self) -> dict[str, Path]:
        """Make every known clip available (generate what is missing, drop stale cache files)."""
        paths = {name: self.path(name) for name in KNOWN_CLIPS}
        wanted = {self.cached_path(name) for name in KNOWN_CLIPS}
        for stale in self.cache_dir.glob("*.wav"):
            if stale in wanted or (stale.name.startswith(".") and not self._abandoned(stale)):
                continue  # ".<name>.XXXX.wav": another thread is still writing it (wavfile.write_wav)
            stale.unlink(missing_ok=True)
        return paths

    @staticmethod
    def _abandoned(temp: Path) -> bool:
        """A hidden temp file left by a crash (no writer takes an hour over one clip)."""
        try:
            return time.time() - temp.stat().st_mtime > ABANDONED_TEMP_S
        except OSError:
            return False


def ensure_clips(cache_dir: str | Path, overrides_dir: str | Path | None = None,
                 synthesizer: Synthesizer | None = None) -> dict[str, Path]:
    """Every known clip name -> the WAV file to play (override first, else generated into cache)."""
    return ClipStore(cache_dir, overrides_dir, synthesizer).ensure()


def pregenerate(settings, simulated: bool = False) -> dict[str, Path]:
    """Generate all clips for ``settings`` at install/start so the first call is not delayed."""
    return ClipStore.from_settings(settings, simulated).ensure()

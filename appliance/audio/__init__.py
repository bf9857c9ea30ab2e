"""Announcements: "Mời số A015 đến quầy số 2" as word-level clips, played by the hall display.

- :mod:`.plan`: which clips an announcement uses (pure);
- :mod:`.clips`: the clip store (recorded overrides, else generated offline and cached);
- :mod:`.synth`: espeak-ng (real) or tones (simulated); :mod:`.chime`: the ding-dong;
- :mod:`.blueprint`: ``/audio/clip/<name>.wav`` and ``/audio/announce``.
"""
from appliance.audio.clips import ClipStore, ensure_clips, pregenerate
from appliance.audio.plan import KNOWN_CLIPS, announcement_clips, announcement_text
from appliance.audio.synth import SpeechError

__all__ = ["ClipStore", "ensure_clips", "pregenerate", "KNOWN_CLIPS", "announcement_clips",
           "announcement_text", "SpeechError"]

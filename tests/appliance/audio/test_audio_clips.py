import itertools
import os
import shutil
import tempfile
import time
import wave
from array import array
from pathlib import Path

import pytest

from appliance.audio.chime import DING_HZ, DONG_HZ, chime_samples, write_chime
from appliance.audio.clips import ClipStore, UnknownClip, ensure_clips
from appliance.audio.plan import CLIP_TEXTS, KNOWN_CLIPS
from appliance.audio.synth import EspeakSynthesizer, SpeechError, ToneSynthesizer
from appliance.audio.wavfile import read_mono16, trim_silence, wav_info, write_wav


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def test_espeak_ng_really_speaks_vietnamese(tmp_path):
    out = EspeakSynthesizer("vi").synthesize("Mời số", tmp_path / "moi_so.wav")
    data = out.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert 0.2 < duration(out) < 3.0
    samples, rate = read_mono16(out)
    assert rate == 22050
    assert max(abs(s) for s in samples) > 3000  # real speech, not silence


def test_longer_text_gives_longer_audio(tmp_path):
    short = EspeakSynthesizer("vi").synthesize("hai", tmp_path / "a.wav")
    long = EspeakSynthesizer("vi").synthesize("một trăm hai mươi mốt", tmp_path / "b.wav")
    assert duration(long) > duration(short) * 1.5


def test_silence_is_trimmed_around_words(tmp_path):
    rate = 22050
    samples = array("h", [0] * rate + [8000, -8000] * 2205 + [0] * rate)
    trimmed = trim_silence(samples, rate)
    assert len(trimmed) == 4410 + 2 * int(0.04 * rate)
    assert trim_silence(array("h", [0] * 100), rate) == array("h", [0] * 100)


def test_ensure_generates_every_known_clip(generated_cache):
    paths = ensure_clips(generated_cache)  # already generated: nothing to redo
    assert set(paths) == set(KNOWN_CLIPS)
    for name, path in paths.items():
        assert path.parent == generated_cache and path.name.startswith(name + ".")
        channels, width, rate, seconds = wav_info(path)
        assert (channels, width, rate) == (1, 2, 22050) and seconds > 0.05, name
    assert len(list(generated_cache.glob("*.wav"))) == len(KNOWN_CLIPS)


def test_missing_clip_is_generated_on_first_use(tmp_path):
    store = ClipStore(tmp_path / "cache", None, EspeakSynthesizer("vi"))
    path = store.path("lam")
    assert path.exists() and duration(path) > 0
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [path.name]
    assert store.path("lam") == path


def test_override_takes_precedence(store, tmp_path):
    generated = store.path("moi_so")
    recorded = store.overrides_dir / "moi_so.wav"
    write_wav(recorded, array("h", [1000, -1000] * 4000))
    assert store.path("moi_so") == recorded
    assert store.source("moi_so") == "override"
    assert store.path("den_quay").parent == store.cache_dir  # other clips stay generated
    recorded.unlink()
    assert store.path("moi_so") == generated
    assert store.source("moi_so") == "generated"


def test_broken_override_falls_back_with_a_message(store):
    broken = store.overrides_dir / "hai.wav"
    broken.write_bytes(b"not a wav at all")
    path = store.path("hai")
    assert path.parent == store.cache_dir
    assert "Bỏ qua tệp ghi âm" in store.problems["hai"]
    write_wav(broken, array("h", [500] * 2000))
    os.utime(broken, (1, 1))  # the check is cached by mtime and size
    assert store.path("hai") == broken
    assert "hai" not in store.problems


def test_changing_the_voice_regenerates_and_cleans_stale_files(tmp_path, generated_cache):
    cache = tmp_path / "cache"
    shutil.copytree(generated_cache, cache)
    north = ClipStore(cache, None, EspeakSynthesizer("vi")).cached_path("lam")
    south_store = ClipStore(cache, None, EspeakSynthesizer("vi-vn-x-south"))
    paths = south_store.ensure()
    assert paths["lam"] != north and not north.exists()
    assert paths["chime"].exists()  # the chime does not depend on the voice
    assert len(list(cache.glob("*.wav"))) == len(KNOWN_CLIPS)


def test_ensure_keeps_another_threads_clip_in_progress(tmp_path, generated_cache):
    """write_wav writes ".<name>.XXXX.wav" then renames it: ensure() must not delete it meanwhile,
    but does sweep one a crash left behind long ago, and any stale visible clip."""
    cache = tmp_path / "cache"
    shutil.copytree(generated_cache, cache)
    fd, writing = tempfile.mkstemp(prefix=".lam.", suffix=".wav", dir=cache)
    os.close(fd)
    fd, abandoned = tempfile.mkstemp(prefix=".chime.", suffix=".wav", dir=cache)
    os.close(fd)
    long_ago = time.time() - 2 * 3600
    os.utime(abandoned, (long_ago, long_ago))
    stale = cache / "lam.0123456789ab.wav"
    stale.write_bytes(b"old voice")
    ClipStore(cache, None, EspeakSynthesizer("vi")).ensure()
    assert Path(writing).exists()
    assert not Path(abandoned).exists() and not stale.exists()


def test_unknown_clip_names_are_refused(store):
    for name in ("../etc/passwd", "moi", "", "CHIME"):
        with pytest.raises(UnknownClip, match="Không có đoạn âm thanh"):
            store.path(name)


def test_missing_espeak_names_the_debian_package(tmp_path):
    synth = EspeakSynthesizer("vi", executable="espeak-ng-khong-co")
    with pytest.raises(SpeechError, match=r"gói Debian 'espeak-ng'.*apt-get install espeak-ng"):
        synth.synthesize("hai", tmp_path / "x.wav")
    store = ClipStore(tmp_path / "cache", None, synth)
    assert store.path("chime").exists()  # the chime needs no speech engine
    with pytest.raises(SpeechError):
        store.path("hai")


def test_unknown_voice_is_explained(tmp_path):
    with pytest.raises(SpeechError, match=r"không có giọng 'xx-khong-co'"):
        EspeakSynthesizer("xx-khong-co").synthesize("hai", tmp_path / "x.wav")


def zero_crossing_hz(samples, rate) -> float:
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / rate)


def test_chime_is_a_soft_ding_dong(tmp_path):
    path = write_chime(tmp_path / "chime.wav")
    assert path.read_bytes()[:4] == b"RIFF"
    samples, rate = read_mono16(path)
    assert 1.0 < len(samples) / rate < 2.0
    peak = max(abs(s) for s in samples)
    assert 0.2 * 32767 < peak <= 0.31 * 32767  # soft, never clipping
    ding = samples[int(0.05 * rate):int(0.3 * rate)]
    dong = samples[int(1.0 * rate):int(1.25 * rate)]
    assert abs(zero_crossing_hz(ding, rate) - DING_HZ) < 25
    assert abs(zero_crossing_hz(dong, rate) - DONG_HZ) < 25
    assert abs(samples[0]) < 300 and abs(samples[-1]) < 300  # no click at either end
    assert chime_samples(rate) == samples  # deterministic


def test_simulated_synthesizer_writes_distinct_clips(tmp_path):
    store = ClipStore(tmp_path / "cache", None, ToneSynthesizer())
    paths = store.ensure()
    assert len(paths) == len(KNOWN_CLIPS)
    assert paths["hai"].read_bytes() != paths["ba"].read_bytes()
    assert all(wav_info(p)[3] > 0 for p in paths.values())


def test_every_clip_has_text():
    assert set(CLIP_TEXTS) == set(KNOWN_CLIPS[1:])
    import unicodedata
    assert all(unicodedata.is_normalized("NFC", t) and t.strip() == t for t in CLIP_TEXTS.values())

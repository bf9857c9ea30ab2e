"""Announcement figures: number words, plan, cold clip generation, endpoint latency.

Run: .venv/bin/python -m bench.bench_audio
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path


def _timed(fn, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    from flask import Flask

    from appliance.audio.blueprint import bp, init_app
    from appliance.audio.chime import write_chime
    from appliance.audio.clips import ClipStore
    from appliance.audio.plan import KNOWN_CLIPS, announcement_clips
    from appliance.audio.synth import EspeakSynthesizer
    from appliance.domain.vnwords import number_to_words

    n = 100_000
    t = _timed(lambda: [number_to_words(i * 9_999_991 % 10**12) for i in range(n)])
    print(f"number_to_words: {n / t:,.0f} numbers/s ({t / n * 1e6:.1f} µs each)")
    t = _timed(lambda: [announcement_clips(f"A{i % 1000:03d}", i % 20 + 1) for i in range(20_000)])
    print(f"announcement_clips: {20_000 / t:,.0f} plans/s")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"chime synthesis: {_timed(lambda: write_chime(root / 'chime.wav'), 3) * 1000:.0f} ms")
        synth = EspeakSynthesizer("vi")
        clip_s = _timed(lambda: synth.synthesize("mười lăm", root / "w.wav"), 5)
        print(f"espeak-ng one word clip: {clip_s * 1000:.0f} ms")
        store = ClipStore(root / "cache", None, synth)
        t = _timed(store.ensure)
        size = sum(p.stat().st_size for p in (root / "cache").glob("*.wav"))
        print(f"cold ensure of all {len(KNOWN_CLIPS)} clips: {t:.2f} s, cache {size / 1024:.0f} KiB")
        print(f"warm ensure: {_timed(store.ensure, 5) * 1000:.1f} ms")

        app = Flask(__name__)
        app.register_blueprint(bp)
        init_app(app, store)
        client = app.test_client()
        t = _timed(lambda: client.get("/audio/announce?number=A015&counter=2"), 200)
        print(f"GET /audio/announce: {t * 1000:.2f} ms")
        t = _timed(lambda: client.get("/audio/clip/moi_so.wav").close(), 200)
        print(f"GET /audio/clip/moi_so.wav (warm cache): {t * 1000:.2f} ms")
        from appliance.audio.wavfile import wav_info
        total = sum(wav_info(store.path(name))[3] for name in announcement_clips("A015", 2))
        print(f"spoken length of 'Mời số A015 đến quầy số 2' incl. chime: {total:.2f} s")


if __name__ == "__main__":
    main()

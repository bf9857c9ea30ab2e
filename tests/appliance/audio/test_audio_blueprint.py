import wave
from array import array
from io import BytesIO

import pytest
from flask import Flask

from appliance.audio.blueprint import bp, init_app
from appliance.audio.clips import ClipStore
from appliance.audio.plan import KNOWN_CLIPS
from appliance.audio.synth import EspeakSynthesizer
from appliance.audio.wavfile import write_wav
from appliance.config import Settings


def make_app(store=None, **options):
    app = Flask(__name__)
    app.config.update(TESTING=True, **options.pop("config", {}))
    app.register_blueprint(bp)
    if store is not None:
        init_app(app, store, **options)
    return app


@pytest.fixture
def client(store):
    return make_app(store).test_client()


def test_announce_lists_clip_urls_in_order(client):
    response = client.get("/audio/announce?number=A015&counter=2")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == [f"/audio/clip/{name}.wav" for name in
                                   ("chime", "moi_so", "chu_a", "muoi_huyen", "lam", "den_quay", "hai")]


def test_every_announced_url_serves_a_wav(client):
    for url in client.get("/audio/announce?number=b121&counter=10").get_json():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "audio/wav"
        with wave.open(BytesIO(response.data)) as w:
            assert w.getnframes() > 0


def test_clip_has_cache_headers_and_revalidates(client):
    response = client.get("/audio/clip/moi_so.wav")
    assert response.status_code == 200
    assert response.data[:4] == b"RIFF"
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=300" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get("/audio/clip/moi_so.wav", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_override_is_served(store, client):
    write_wav(store.overrides_dir / "den_quay.wav", array("h", [1234, -1234] * 3000))
    response = client.get("/audio/clip/den_quay.wav")
    with wave.open(BytesIO(response.data)) as w:
        assert w.getnframes() == 6000


@pytest.mark.parametrize("name", ["unknown", "CHIME", "..%2Fsecret", "moi_so.mp3"])
def test_only_known_clips(client, name):
    response = client.get(f"/audio/clip/{name}.wav")
    assert response.status_code == 404
    if response.is_json:
        assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("query,field,text", [
    ("counter=2", "number", "Thiếu số thứ tự"),
    ("number=A015", "counter", "Thiếu số quầy"),
    ("number=A015&counter=x", "counter", "Số quầy"),
    ("number=15A&counter=2", "number", "không đúng dạng"),
    ("number=A1000000000000&counter=2", "number", "Chỉ đọc được số"),
    ("number=A015&counter=1000000000000", "counter", "từ 1 đến 999"),
    ("number=A015&counter=2&lang=fr", "lang", "tiếng Việt"),
])
def test_announce_errors_are_vietnamese_json(client, query, field, text):
    response = client.get("/audio/announce?" + query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and text in error["message"]


def test_disabled_audio_announces_nothing(store):
    client = make_app(store, enabled=False).test_client()
    assert client.get("/audio/announce?number=A015&counter=2").get_json() == []


def test_missing_espeak_is_a_503_with_the_package_name(tmp_path):
    store = ClipStore(tmp_path / "cache", None, EspeakSynthesizer(executable="espeak-ng-khong-co"))
    client = make_app(store).test_client()
    response = client.get("/audio/clip/hai.wav")
    assert response.status_code == 503
    assert "espeak-ng" in response.get_json()["error"]["message"]
    assert client.get("/audio/clip/chime.wav").status_code == 200


def test_store_from_settings_when_not_initialised(tmp_path):
    settings = Settings().replace(storage={"path": str(tmp_path / "state" / "motcua.db")},
                                  audio={"voice": "vi-vn-x-south"})
    app = make_app(config={"SETTINGS": settings})
    client = app.test_client()
    assert client.get("/audio/announce?number=A105&counter=1").get_json()[2:7] == [
        "/audio/clip/chu_a.wav", "/audio/clip/mot.wav", "/audio/clip/tram.wav", "/audio/clip/le.wav",
        "/audio/clip/nam.wav"]
    assert client.get("/audio/clip/le.wav").status_code == 200
    assert len(list((tmp_path / "state" / "audio").glob("le.*.wav"))) == 1
    assert len(KNOWN_CLIPS) > 40

"""Quản trị → Giọng đọc (#18): the admin uploads a recorded voice set, made here as real WAV files
(and one ZIP of them); the page says which clips the announcer still needs (said by espeak-ng
until recorded); a file that is not a WAV or not a clip is refused with the reason; the announcer's
clip route then plays the recording; removing the set goes back to espeak-ng."""
from __future__ import annotations

import io
import math
import re
import zipfile
from array import array

import pytest
from page_helpers import csrf

from appliance.audio.clips import overrides_folder
from appliance.audio.wavfile import write_wav


def wav_bytes(tmp_path, name: str, freq: float, seconds: float = 0.4) -> bytes:
    rate = 22050
    samples = array("h", (int(12000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(int(rate * seconds))))
    return write_wav(tmp_path / f"{name}.wav", samples, rate).read_bytes()


def page(client) -> str:
    return client.get("/admin/voice").get_data(as_text=True)


def missing(html: str) -> set[str]:
    return set(re.findall(r'<tr data-clip="([a-z_]+)" class="missing"', html))


@pytest.fixture
def voice_dir(appliance):
    return overrides_folder(appliance.settings)


def upload(client, files: list[tuple[str, bytes]]):
    data = {"csrf_token": csrf(client, "/admin/voice"), "clips": [(io.BytesIO(b), n) for n, b in files]}
    return client.post("/admin/voice", data=data, content_type="multipart/form-data", follow_redirects=True)


def test_upload_a_voice_set_and_see_what_is_missing(admin_client, appliance, tmp_path, voice_dir):
    before = page(admin_client)
    needed = missing(before)
    assert {"chime", "moi_so", "den_quay", "mot", "hai"} <= needed                # nothing recorded yet
    notice = re.search(r"đoạn chưa ghi âm \(đọc bằng espeak-ng\): ([^<]+)", before).group(1)
    assert "moi_so" in notice and "chime" not in notice                         # the chime is not a word
    assert "moi_so.wav" in before and "Mời số" in before and "espeak-ng" in before

    moi_so = wav_bytes(tmp_path, "moi_so", 440)
    answer = upload(admin_client, [("moi_so.wav", moi_so), ("den_quay.wav", wav_bytes(tmp_path, "den_quay", 330)),
                                   ("mot.wav", b"RIFF but not a wave file"), ("hello.wav", moi_so)])
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Đã lưu 2 đoạn ghi âm: moi_so, den_quay." in html
    assert "Bỏ qua mot.wav: không phải tệp WAV PCM đọc được" in html
    assert "Bỏ qua hello.wav: tên tệp không phải một đoạn của bộ giọng đọc" in html
    assert missing(html) == needed - {"moi_so", "den_quay"}
    assert (voice_dir / "moi_so.wav").read_bytes() == moi_so and not (voice_dir / "mot.wav").exists()

    # the announcer's clip route now plays the recording; a clip not recorded is still espeak-ng's
    played = admin_client.get("/audio/clip/moi_so.wav")
    assert played.status_code == 200 and played.data == moi_so

    # a ZIP of the rest
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for i, name in enumerate(sorted(needed - {"moi_so", "den_quay"})):
            z.writestr(f"giong-doc/{name}.wav", wav_bytes(tmp_path, name, 200 + 10 * i, 0.2))
    html = upload(admin_client, [("bo-giong.zip", buffer.getvalue())]).get_data(as_text=True)
    assert missing(html) == set() and "Đủ mọi đoạn máy gọi số cần" in html

    html = admin_client.post("/admin/voice/remove", data={"csrf_token": csrf(admin_client, "/admin/voice")},
                             follow_redirects=True).get_data(as_text=True)
    assert f"Đã xóa {len(needed)} đoạn ghi âm" in html and missing(html) == needed
    assert admin_client.get("/audio/clip/moi_so.wav").data != moi_so


def test_only_the_admin_and_nothing_chosen_is_said(admin_client, role_client):
    officer = role_client("officer")
    assert officer.get("/admin/voice").status_code == 403
    html = admin_client.post("/admin/voice", data={"csrf_token": csrf(admin_client, "/admin/voice")},
                             follow_redirects=True).get_data(as_text=True)
    assert "Chưa chọn tệp nào" in html


def test_the_needed_words_follow_the_services_prefixes(admin_client, appliance):
    with appliance.db.write() as conn:
        conn.execute("UPDATE services SET prefix = 'Đ' WHERE id = (SELECT MIN(id) FROM services)")
    assert "chu_dd" in missing(page(admin_client))


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return bytearray(buffer.getvalue())


def _corrupt_zips(good: bytes) -> dict[str, bytes]:
    """ZIPs whose directory reads but whose member does not: a wrong CRC, a broken deflate stream,
    a hole cut in the middle (the offsets then point nowhere)."""
    crc = _zip([("mot.wav", good)], zipfile.ZIP_STORED)
    crc[crc.find(b"RIFF") + 200] ^= 0xFF
    deflate = _zip([("mot.wav", good)])
    start = 30 + len("mot.wav")
    for i in range(start + 5, start + 60):
        deflate[i] ^= 0x55
    cut = _zip([("mot.wav", good)])
    cut = cut[:len(cut) // 2] + cut[len(cut) // 2 + 10:]
    return {"crc": bytes(crc), "deflate": bytes(deflate), "cut": bytes(cut)}


@pytest.mark.parametrize("kind", ["crc", "deflate", "cut"])
def test_a_zip_broken_inside_is_refused_not_a_500(admin_client, tmp_path, voice_dir, kind):
    good = wav_bytes(tmp_path, "mot", 300)
    answer = upload(admin_client, [(f"bo-giong-{kind}.zip", _corrupt_zips(good)[kind]),
                                   ("hai.wav", wav_bytes(tmp_path, "hai", 350))])
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200, html[:300]
    assert "tệp ZIP hỏng" in html and "Đã lưu 1 đoạn ghi âm: hai." in html
    assert not (voice_dir / "mot.wav").exists() and (voice_dir / "hai.wav").exists()

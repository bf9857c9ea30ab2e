import pytest

from appliance.audio.plan import (
    CHIME,
    CLIP_TEXTS,
    KNOWN_CLIPS,
    LETTERS,
    NumberStyle,
    announcement_clips,
    announcement_text,
    number_clips,
    ticket_clips,
)
from appliance.domain.vnwords import number_to_words


def test_plan_for_a015_at_counter_2():
    assert announcement_clips("A015", 2) == [
        "chime", "moi_so", "chu_a", "muoi_huyen", "lam", "den_quay", "hai"]
    assert announcement_clips("A015", "2") == announcement_clips("A015", 2)
    assert announcement_text("A015", 2) == "Mời số A mười lăm đến quầy số hai"


def test_plan_without_chime_and_bigger_numbers():
    assert announcement_clips("B105", 12, chime=False) == [
        "moi_so", "chu_b", "mot", "tram", "linh", "nam", "den_quay", "muoi_huyen", "hai"]
    assert announcement_clips("C021", 21)[-3:] == ["hai", "muoi_ngang", "mot_sac"]


def test_every_number_is_covered_by_the_clip_set_and_says_the_right_words():
    styles = [NumberStyle(), NumberStyle(zero_tens="lẻ", thousand="ngàn", four="tư")]
    for style in styles:
        for n in list(range(0, 1101)) + [9999, 10015, 1001001, 21024, 999999999999]:
            names = number_clips(n, style)
            assert set(names) <= set(KNOWN_CLIPS)
            spoken = " ".join(CLIP_TEXTS[name] for name in names)
            assert spoken == number_to_words(n, zero_tens=style.zero_tens, thousand=style.thousand,
                                             four=style.four)


def test_clip_set_is_small_and_ascii():
    assert KNOWN_CLIPS[0] == CHIME
    assert len(KNOWN_CLIPS) == len(set(KNOWN_CLIPS)) < 80
    for name in KNOWN_CLIPS:
        assert name.isascii() and name.replace("_", "").isalnum() and name.islower()


def test_letters():
    assert ticket_clips("đ003") == [LETTERS["Đ"], "ba"] == ["chu_dd", "ba"]
    assert CLIP_TEXTS["chu_b"] == "bê" and CLIP_TEXTS["chu_c"] == "xê"
    assert ticket_clips("015") == ["muoi_huyen", "lam"]


def test_speech_text_respells_only_what_espeak_misreads():
    from appliance.audio.plan import speech_text
    assert speech_text("chu_j") == "di" and CLIP_TEXTS["chu_j"] == "gi"
    assert speech_text("moi_so") == "Mời số"


def test_southern_voice_style():
    style = NumberStyle.for_voice("vi-vn-x-south")
    assert number_clips(1005, style) == ["mot", "ngan", "khong", "tram", "le", "nam"]
    assert NumberStyle.for_voice("vi") == NumberStyle()


@pytest.mark.parametrize("number,counter,message", [
    ("A015", 0, "Số quầy"), ("A015", "hai", "Số quầy"), ("A015", -2, "Số quầy"), ("A015", True, "Số quầy"),
    ("15A", 2, "không đúng dạng"), ("", 2, "không đúng dạng"),
])
def test_bad_input(number, counter, message):
    with pytest.raises(ValueError, match=message):
        announcement_clips(number, counter)


def test_unsupported_language():
    with pytest.raises(ValueError, match="tiếng Việt"):
        announcement_clips("A015", 2, lang="en")

"""What an announcement says, as a list of clip names; pure, no I/O.

"Mời số A015 đến quầy số 2" becomes::

    ["chime", "moi_so", "chu_a", "muoi_huyen", "lam", "den_quay", "hai"]

Clips are word-level, so about sixty files cover every ticket and counter number, and a recorded
clip (``<clips_dir>/<name>.wav``) can replace any single word. :data:`CLIP_TEXTS` gives the text
each clip says (what a person recording an override should say; espeak-ng is fed the same text,
or its :data:`SPEAK_AS` respelling).

Clip names are ASCII; words that differ only by tone carry the tone name: ``muoi_huyen`` (mười,
10–19) and ``muoi_ngang`` (mươi, 20–99), ``mot`` (một) and ``mot_sac`` (mốt).
"""
from __future__ import annotations

from dataclasses import dataclass

from appliance.domain.vnwords import LETTER_NAMES, number_words, split_ticket

CHIME = "chime"

PHRASES = {
    "moi_so": "Mời số",
    "den_quay": "đến quầy số",
    # a ready result for a citizen with no pager: "Mời công dân có hồ sơ số 12 nhận kết quả tại quầy số 2"
    "moi_ho_so": "Mời công dân có hồ sơ số",
    "nhan_tai_quay": "nhận kết quả tại quầy số",
    "nhan_ket_qua": "đến nhận kết quả",
}

WORDS = {
    "không": "khong", "một": "mot", "hai": "hai", "ba": "ba", "bốn": "bon", "năm": "nam",
    "sáu": "sau", "bảy": "bay", "tám": "tam", "chín": "chin",
    "mốt": "mot_sac", "lăm": "lam", "tư": "tu",
    "mười": "muoi_huyen", "mươi": "muoi_ngang", "trăm": "tram", "linh": "linh", "lẻ": "le",
    "nghìn": "nghin", "ngàn": "ngan", "triệu": "trieu", "tỷ": "ty",
}

LETTERS = {letter: "chu_" + ("dd" if letter == "Đ" else letter.lower()) for letter in LETTER_NAMES}

#: every clip name except the chime -> the Vietnamese text it says
CLIP_TEXTS: dict[str, str] = {
    **PHRASES,
    **{name: word for word, name in WORDS.items()},
    **{name: LETTER_NAMES[letter] for letter, name in LETTERS.items()},
}

#: spellings that make espeak-ng say a clip's text right (it reads a bare "gi" as a consonant)
SPEAK_AS = {"chu_j": "di"}

#: every clip an announcement can use, the chime first
KNOWN_CLIPS: tuple[str, ...] = (CHIME, *CLIP_TEXTS)

LANGUAGES = ("vi",)
MAX_COUNTER = 999


@dataclass(frozen=True)
class NumberStyle:
    """How numbers are read: northern standard by default."""
    zero_tens: str = "linh"
    thousand: str = "nghìn"
    four: str = "bốn"

    @classmethod
    def for_voice(cls, voice: str) -> NumberStyle:
        """The espeak-ng southern voice (``vi-vn-x-south``) reads ``lẻ`` and ``ngàn``."""
        if "south" in voice.lower():
            return cls(zero_tens="lẻ", thousand="ngàn")
        return cls()

    def words(self, n: int) -> list[str]:
        return number_words(n, zero_tens=self.zero_tens, thousand=self.thousand, four=self.four)


NORTHERN = NumberStyle()


def speech_text(name: str) -> str:
    """The text handed to the synthesizer for clip ``name``."""
    return SPEAK_AS.get(name, CLIP_TEXTS[name])


def number_clips(n: int, style: NumberStyle = NORTHERN) -> list[str]:
    """``115 -> ["mot", "tram", "muoi_huyen", "lam"]``."""
    return [WORDS[word] for word in style.words(n)]


def ticket_clips(ticket_number: str, style: NumberStyle = NORTHERN) -> list[str]:
    """``"A015" -> ["chu_a", "muoi_huyen", "lam"]``: letter names, then the number in words."""
    letters, value = split_ticket(ticket_number)
    return [LETTERS[ch] for ch in letters] + number_clips(value, style)


def counter_value(counter: int | str) -> int:
    """A counter number from ``2`` or ``"2"``: 1 to :data:`MAX_COUNTER`."""
    if isinstance(counter, bool):
        raise ValueError(f"Số quầy {counter!r} không hợp lệ.")
    text = str(counter).strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_COUNTER:
        raise ValueError(f"Số quầy '{counter}' không hợp lệ: phải là số nguyên từ 1 đến {MAX_COUNTER}, ví dụ 2.")
    return int(text)


def announcement_clips(ticket_number: str, counter: int | str, lang: str = "vi", *,
                       style: NumberStyle = NORTHERN, chime: bool = True, times: int = 1) -> list[str]:
    """Clip names, in order, for "Mời số <ticket> đến quầy số <counter>", said ``times`` times after
    one chime ([audio].repeat, twice by default)."""
    if lang not in LANGUAGES:
        raise ValueError(f"Chưa có lời gọi số bằng ngôn ngữ '{lang}'; hiện chỉ có tiếng Việt (vi).")
    clips = [CHIME] if chime else []
    call = ["moi_so", *ticket_clips(ticket_number, style), "den_quay", *number_clips(counter_value(counter), style)]
    return clips + call * max(1, times)


def announcement_text(ticket_number: str, counter: int | str, *, style: NumberStyle = NORTHERN) -> str:
    """The sentence the clips say, for captions and logs: "Mời số A mười lăm đến quầy số hai"."""
    letters, value = split_ticket(ticket_number)
    parts = [PHRASES["moi_so"], *letters, *style.words(value), PHRASES["den_quay"],
             *style.words(counter_value(counter))]
    return " ".join(parts)


MAX_DOSSIER_NUMBER = 9999


def dossier_number_value(number: int | str) -> int:
    """A dossier's number of the day (the last part of its code, ``…-0012`` → 12): 1 to 9999."""
    text = str(number).strip()
    if isinstance(number, bool) or not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_DOSSIER_NUMBER):
        raise ValueError(f"Số hồ sơ '{number}' không hợp lệ: phải là số nguyên từ 1 đến "
                         f"{MAX_DOSSIER_NUMBER}, ví dụ 12.")
    return int(text)


def result_clips(dossier_number: int | str, counter: int | str | None, lang: str = "vi", *,
                 style: NumberStyle = NORTHERN, chime: bool = True, times: int = 1) -> list[str]:
    """Clip names for "Mời công dân có hồ sơ số <n> nhận kết quả tại quầy số <counter>" (or "… đến
    nhận kết quả" with no counter), said ``times`` times after one chime: a ready result whose
    citizen holds no pager."""
    if lang not in LANGUAGES:
        raise ValueError(f"Chưa có lời gọi số bằng ngôn ngữ '{lang}'; hiện chỉ có tiếng Việt (vi).")
    where = (["nhan_ket_qua"] if counter in (None, "") else
             ["nhan_tai_quay", *number_clips(counter_value(counter), style)])
    call = ["moi_ho_so", *number_clips(dossier_number_value(dossier_number), style), *where]
    return ([CHIME] if chime else []) + call * max(1, times)


def result_text(dossier_number: int | str, counter: int | str | None, *, style: NumberStyle = NORTHERN) -> str:
    """The sentence :func:`result_clips` says, for captions and logs."""
    words = [PHRASES["moi_ho_so"], *style.words(dossier_number_value(dossier_number))]
    if counter in (None, ""):
        words.append(PHRASES["nhan_ket_qua"])
    else:
        words += [PHRASES["nhan_tai_quay"], *style.words(counter_value(counter))]
    return " ".join(words)

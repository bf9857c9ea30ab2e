"""Which passwords are refused: too short or too long, common, trivial, or guessable from the
office. Pure rules; the list of common passwords is data shipped beside this module
(``common_passwords.txt``, read once).

Refused (casefolded, Vietnamese diacritics removed before comparing):

* fewer than :data:`MIN_LENGTH` or more than :data:`MAX_LENGTH` characters;
* a password on the shipped list (``12345678``, ``password``, ``matkhau123``, ``motcua``, …),
  also with digits or punctuation added before or after (``password2026!``);
* repeated characters or fewer than :data:`MIN_DISTINCT` different ones (``aaaaaaaa``, ``abababab``);
* a run along the alphabet, the digits or a keyboard row (``abcdefgh``, ``87654321``, ``qwertyui``);
* the user's login name (contained, or containing it), the office's name (its distinctive words,
  e.g. ``dongngac`` for "UBND xã Đông Ngạc").
"""
from __future__ import annotations

import functools
import unicodedata
from importlib import resources

from .errors import DomainError

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_DISTINCT = 4
# words every office name has: they say nothing about which office it is
GENERIC_OFFICE_WORDS = frozenset("ubnd uy ban nhan dan xa phuong thi tran dac khu bo phan mot cua tiep nhan "
                                 "va tra ket qua trung tam phuc vu hanh chinh cong tinh thanh pho huyen quan".split())
RUNS = ("abcdefghijklmnopqrstuvwxyz", "01234567890123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv")


@functools.cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#")


def plain(text: str) -> str:
    """Casefolded, without diacritics (đ → d), for comparing."""
    text = text.casefold().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _core(text: str) -> str:
    """``text`` without the digits and punctuation people add before or after a word."""
    return text.strip("0123456789!@#$%^&*()-_=+.,;:?/ ")


def _is_run(text: str) -> bool:
    return len(text) >= 4 and any(text in run or text in run[::-1] for run in RUNS)


def office_words(office_name: str) -> list[str]:
    """The distinctive part of an office's name, as one word without spaces, and its long words."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in plain(office_name)).split()
             if w not in GENERIC_OFFICE_WORDS]
    joined = "".join(words)
    return [w for w in {joined, *words} if len(w) >= 4]


def problem(password: str, login: str = "", office_name: str = "") -> tuple[str, str] | None:
    """Why ``password`` is refused, as (Vietnamese, English), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return (f"mật khẩu cần ít nhất {MIN_LENGTH} ký tự", f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        return (f"mật khẩu dài tối đa {MAX_LENGTH} ký tự", f"a password has at most {MAX_LENGTH} characters")
    p = plain(password)
    if p in common_passwords() or _core(p) in common_passwords():
        return ("mật khẩu này quá phổ biến, ai cũng đoán được; hãy chọn mật khẩu khác",
                "this password is too common, anyone can guess it; choose another")
    if len(set(p)) < MIN_DISTINCT:
        return (f"mật khẩu chỉ lặp lại vài ký tự; cần ít nhất {MIN_DISTINCT} ký tự khác nhau",
                f"the password only repeats a few characters; use at least {MIN_DISTINCT} different ones")
    if _is_run(p) or _is_run(_core(p)):
        return ("mật khẩu là một dãy liên tiếp (abcd…, 1234…, qwerty…), quá dễ đoán",
                "the password is a run (abcd…, 1234…, qwerty…), too easy to guess")
    name = plain(login.strip())
    core = _core(p)
    if len(name) >= 4 and (name in p or (len(core) >= 4 and core in name)):
        return ("mật khẩu không được chứa tên đăng nhập", "the password must not contain the login name")
    compact = "".join(c for c in p if c.isalnum())
    if any(word in compact for word in office_words(office_name)):
        return ("mật khẩu không được chứa tên cơ quan", "the password must not contain the office's name")
    return None


def check(password: str, login: str = "", office_name: str = "") -> None:
    """Raise ``DomainError("invalid", "password")`` with the reason when ``password`` is refused."""
    why = problem(password, login, office_name)
    if why:
        raise DomainError("invalid", "password", detail=why)

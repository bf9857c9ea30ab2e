"""Which hub staff passwords are refused (pure; the list is data beside this module).

The same rules as the appliance's (``appliance/domain/passwords.py``; the hub imports nothing of
the appliance but its error root, so they are restated here): at least :data:`MIN_LENGTH`
characters, at most 128; not on the shipped list of common passwords (also with digits or
punctuation added at either end); not a few characters repeated; not a run along the alphabet,
the digits or a keyboard row; not containing the login name.
"""
from __future__ import annotations

import functools
import unicodedata
from importlib import resources

MIN_LENGTH = 10
MAX_LENGTH = 128
RUNS = ("abcdefghijklmnopqrstuvwxyz", "01234567890123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@functools.cache
def common() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(w.strip().casefold() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def problem(password: str, name: str = "") -> str | None:
    """Why ``password`` is refused (Vietnamese), or None."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự"
    if len(password) > MAX_LENGTH:
        return f"Mật khẩu dài tối đa {MAX_LENGTH} ký tự"
    p = _plain(password)
    core = p.strip("0123456789!@#$%^&*()-_=+.,;:?/ ")
    if p in common() or core in common():
        return "Mật khẩu này quá phổ biến, ai cũng đoán được; hãy chọn mật khẩu khác"
    if len(set(p)) < 4:
        return "Mật khẩu chỉ lặp lại vài ký tự; cần ít nhất 4 ký tự khác nhau"
    if any(len(x) >= 4 and (x in run or x in run[::-1]) for x in (p, core) for run in RUNS):
        return "Mật khẩu là một dãy liên tiếp (abcd…, 1234…, qwerty…), quá dễ đoán"
    login = _plain(name.strip())
    if len(login) >= 4 and (login in p or (len(core) >= 4 and core in login)):
        return "Mật khẩu không được chứa tên đăng nhập"
    return None

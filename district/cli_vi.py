"""argparse in Vietnamese for ``motcua-hub``: its own English words ("usage:", "show this help
message and exit", "positional arguments", "options", "error:" and the error messages) replaced.

argparse formats these with ``gettext`` under the default domain and ships no Vietnamese catalog, and
installing a process-wide catalog would change every library's messages; so the parser sets its
headings and ``-h`` itself, the formatter its usage prefix, and ``error`` rewrites the messages argparse
makes (``ERRORS``, the texts of Python 3.11–3.13). Every action of the hub's parser has Vietnamese help
(``tests/district/test_cli_help.py`` walks them all).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

USAGE = "cách dùng: "
TYPES = {"int": "số nguyên", "float": "số thực"}
#: argparse's error messages (``argparse.py``, Python 3.11–3.13) and what they say in Vietnamese
Replacement = str | Callable[[re.Match[str]], str]
ERRORS: tuple[tuple[re.Pattern[str], Replacement], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^argument (\S+): (.*)$", r"tham số \1: \2"),
    (r"the following arguments are required: (.*)$", r"thiếu tham số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)$", r"không hiểu tham số: \1"),
    (r"invalid choice: (.*?) \(choose from (.*)\)$", r"giá trị không hợp lệ: \1 (chọn một trong: \2)"),
    (r"invalid (\w+) value: (.*)$",
     lambda m: f"giá trị {m.group(2)} không phải {TYPES.get(m.group(1), m.group(1))}"),
    (r"expected one argument$", "cần một giá trị"),
    (r"expected at most one argument$", "cần nhiều nhất một giá trị"),
    (r"expected at least one argument$", "cần ít nhất một giá trị"),
    (r"expected (\d+) arguments?$", r"cần \1 giá trị"),
    (r"ambiguous option: (\S+) could match (.*)$", r"tùy chọn \1 chưa rõ, có thể là: \2"),
    (r"not allowed with argument (.*)$", r"không dùng cùng tham số \1"),
    (r"one of the arguments (.*) is required$", r"cần một trong các tham số: \1"),
    (r"ignored explicit argument (.*)$", r"không nhận giá trị \1"),
))


def vietnamese(message: str) -> str:
    """An argparse error message in Vietnamese (a message it does not know is left as it is)."""
    for pattern, replacement in ERRORS:
        message = pattern.sub(replacement, message)
    return message


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are Vietnamese (sub-commands get the same class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {vietnamese(message)}\n")

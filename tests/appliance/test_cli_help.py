"""`motcua --help` and every sub-command's help are Vietnamese: argparse's English headings,
"-h" and "--version" texts are replaced, and every option says what it does."""
from __future__ import annotations

import argparse
import re

import pytest

from appliance.cli import build_parser, main

ENGLISH = ("positional arguments", "show this help message", "show program's version", "usage:",
           "optional arguments", "\noptions:")


def parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from parsers(child)


def test_every_help_page_is_vietnamese_and_every_option_has_help():
    root = build_parser()
    pages = list(parsers(root))
    assert len(pages) > 15
    for parser in pages:
        text = parser.format_help()
        assert text.startswith("cách dùng: "), text
        for english in ENGLISH:
            assert english not in text, (parser.prog, english)
        assert "in hướng dẫn này rồi thoát" in text
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, (parser.prog, action.dest)
    assert "tùy chọn / options" in root.format_help() and "in số phiên bản rồi thoát" in root.format_help()
    assert "ghi nhật ký chi tiết" in root.format_help()


def test_mistakes_are_reported_in_vietnamese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["user", "add", "hoa", "--role", "boss"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert re.search(r"motcua user add: lỗi: tham số --role: giá trị không hợp lệ", err), err
    with pytest.raises(SystemExit):
        main(["user"])
    assert "thiếu tham số bắt buộc" in capsys.readouterr().err

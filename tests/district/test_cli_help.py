"""``motcua-hub --help`` and every sub-command's help are Vietnamese (#18): argparse's own English
("usage:", "show this help message and exit", "positional arguments", "options", "error:") is
replaced, every option and argument says what it does in Vietnamese, and mistakes are reported in
Vietnamese. The real command in a subprocess too, as an operator runs it."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from district import cli
from district.cli_vi import vietnamese
from tests.language_check import ENGLISH_WORDS

ROOT = Path(__file__).resolve().parents[2]
ARGPARSE_ENGLISH = ("usage:", "show this help message", "positional arguments", "optional arguments",
                    "options:", "error:", "the following arguments", "invalid choice", "choose from")


def parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from parsers(child)


def english_words(text: str) -> set[str]:
    import re
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH_WORDS}


def test_every_help_page_is_vietnamese():
    pages = list(parsers(cli.parser()))
    assert len(pages) >= 17
    for parser in pages:
        text = parser.format_help()
        assert text.startswith("cách dùng: motcua-hub"), text
        for english in ARGPARSE_ENGLISH:
            assert english not in text, (parser.prog, english)
        assert "in hướng dẫn này rồi thoát" in text and "tùy chọn:" in text
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert all(a.help for a in action._choices_actions), parser.prog
            elif action.help is not argparse.SUPPRESS:
                assert action.help, (parser.prog, action.dest)
                assert not english_words(action.help), (parser.prog, action.help)
            if action.metavar and action.metavar != argparse.SUPPRESS:
                assert not english_words(str(action.metavar)), (parser.prog, action.metavar)


@pytest.mark.parametrize("argv, words", [
    (["device", "add"], "lỗi: thiếu tham số bắt buộc: MÃ_THIẾT_BỊ"),
    (["serve", "--port", "tám"], "lỗi: tham số --port: giá trị 'tám' không phải số nguyên"),
    (["khong-co"], "lỗi: tham số LỆNH: giá trị không hợp lệ: 'khong-co' (chọn một trong:"),
    (["init", "--thua"], "lỗi: không hiểu tham số: --thua"),
    (["device", "add", "xa", "--name"], "lỗi: tham số --name: cần một giá trị"),
])
def test_mistakes_are_reported_in_vietnamese(capsys, argv, words):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert words in err and err.startswith("cách dùng: motcua-hub"), err
    for english in ARGPARSE_ENGLISH:
        assert english not in err, (argv, english)


def test_messages_argparse_may_make_in_other_versions():
    assert vietnamese("ambiguous option: --wo could match --workers, --worker") == \
        "tùy chọn --wo chưa rõ, có thể là: --workers, --worker"
    assert vietnamese("argument --x: expected at most one argument") == "tham số --x: cần nhiều nhất một giá trị"
    assert vietnamese("one of the arguments --a --b is required") == "cần một trong các tham số: --a --b"


def test_the_installed_command_speaks_vietnamese():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "district.cli", "--help"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("cách dùng: motcua-hub")
    assert "lệnh:" in done.stdout and "in hướng dẫn này rồi thoát" in done.stdout
    done = subprocess.run([sys.executable, "-m", "district.cli", "user"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "motcua-hub user: lỗi: thiếu tham số bắt buộc: LỆNH" in done.stderr

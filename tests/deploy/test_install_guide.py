"""docs/install-vi.md walks an office from unboxing to the first ticket with no keyboard on the Pi
and no command line: the steps before the appendices hold no shell command, and name each stage
of the way (Imager's Wi-Fi country, first boot, setup code, wizard, pairing, first ticket)."""
from __future__ import annotations

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs/install-vi.md"


def steps() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text.split("## 10.", 1)[0]  # sections 1–9: from unboxing to the first ticket


def test_the_steps_need_no_command_line():
    text = steps()
    assert "```sh" not in text and "sudo " not in text and "ssh " not in text.lower()
    assert not re.search(r"`motcua [a-z]", text)


def test_the_steps_cover_the_whole_way():
    text = steps()
    for stage in ("Raspberry Pi Imager", "Wireless LAN country", "phiếu khởi động", "mã cài đặt",
                  "Cài đặt lần đầu", "Lĩnh vực và quầy", "Máy in và thẻ rung", "Quản trị → Màn hình",
                  "mã ghép nối", "Máy lấy số", "motcua-XXXX.local", "Mời số A001 đến quầy số 1"):
        assert stage in text, stage
    numbered = re.findall(r"^## (\d+)\. ", text, re.M)
    assert numbered == [str(n) for n in range(1, 10)]

"""A font with every Vietnamese mark for the tickets."""
from __future__ import annotations

from pathlib import Path

from ..check import FAIL, OK, Check
from .context import Context

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
VIETNAMESE_SAMPLE = "Phiếu số ĐẶNG Ệ ữ ỹ"


def check_fonts(candidates: tuple[str, ...] = FONT_CANDIDATES) -> Check:
    from PIL import ImageFont
    for path in candidates:
        if not Path(path).exists():
            continue
        try:
            font = ImageFont.truetype(path, 24)
            box = font.getbbox(VIETNAMESE_SAMPLE)
        except OSError as exc:
            return Check("Phông chữ", FAIL, f"{path} không mở được: {exc}",
                         "Cài lại phông: sudo apt install --reinstall fonts-dejavu-core")
        if box[2] - box[0] > 0:
            return Check("Phông chữ", OK, f"{Path(path).name} có đủ dấu tiếng Việt")
    return Check("Phông chữ", FAIL, "không có phông chữ tiếng Việt để in phiếu",
                 "Cài phông: sudo apt install fonts-dejavu-core")


def run(ctx: Context) -> list[Check]:
    return [check_fonts(ctx.fonts or FONT_CANDIDATES)]

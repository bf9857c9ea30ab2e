"""A font with every Vietnamese mark for the tickets, and the A4 papers' serif (Liberation Serif 2.x)."""
from __future__ import annotations

from pathlib import Path

from ..check import FAIL, OK, WARN, Check
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


# Liberation Serif 2.x: Debian bookworm's fonts-liberation2, trixie's fonts-liberation. Version 1.07
# (bookworm's fonts-liberation) has the same name but no Vietnamese letters: Chromium then sets
# each accented letter in another font.
PAPER_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)
PAPER_HINT = ("Cài phông giấy A4: sudo apt install fonts-liberation (Debian 13) hoặc fonts-liberation2 "
              "(Debian 12)")


def has_letters(path: str, letters: str) -> bool:
    """Every letter of ``letters`` is drawn by the font itself, not as its 'missing glyph' box."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(path, 32)

    def drawn(ch: str) -> bytes:
        image = Image.new("L", (64, 64))
        ImageDraw.Draw(image).text((8, 4), ch, font=font, fill=255)
        return image.tobytes()
    missing = drawn("\ue000")                      # a private-use code point: the .notdef box
    return all(drawn(ch) != missing for ch in letters if not ch.isspace())


def check_paper_font(candidates: tuple[str, ...] = PAPER_FONT_CANDIDATES) -> Check:
    area = "Phông giấy A4"
    for path in candidates:
        if not Path(path).exists():
            continue
        try:
            complete = has_letters(path, VIETNAMESE_SAMPLE + "ẠặỵỘờ")
        except OSError as exc:
            return Check(area, WARN, f"{path} không mở được: {exc}", PAPER_HINT)
        if complete:
            return Check(area, OK, f"Liberation Serif có đủ dấu tiếng Việt ({Path(path).parent.name})")
    return Check(area, WARN, "không có Liberation Serif 2.x: tờ khai, Mẫu 01–07 in PDF bằng phông khác, dấu có thể "
                 "lệch phông", PAPER_HINT)


def run(ctx: Context) -> list[Check]:
    return [check_fonts(ctx.fonts or FONT_CANDIDATES), check_paper_font()]

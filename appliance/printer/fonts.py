"""Finding a TrueType font that covers Vietnamese, with a clear error when there is none.

Debian's ``fonts-dejavu-core`` (already on Raspberry Pi OS) is the first choice; the search list
below names the alternatives. ``[printer].options.font`` / ``font_bold`` point at another file.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from appliance.errors import PrinterError

#: (regular, bold) pairs tried in order.
SEARCH = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
     "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf"),
    ("/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf",
     "/usr/share/fonts/truetype/open-sans/OpenSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/freefont/FreeSans.ttf",
     "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf"),
)
#: Letters that a font must draw for a Vietnamese ticket (every tone on every vowel family).
VIETNAMESE_PROBE = "ĐđƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
INSTALL_HINT = "cài gói phông chữ: sudo apt install fonts-dejavu-core"


class FontMissingError(PrinterError):
    """No usable font; ``str()`` is one Vietnamese line that says what to install."""


@dataclass(frozen=True)
class FontPair:
    regular: str
    bold: str

    def get(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _load(self.bold if bold else self.regular, int(size))


@functools.lru_cache(maxsize=128)
def _load(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=32)
def missing_letters(path: str) -> str:
    """The probe letters the font has no glyph for (drawn like its 'missing glyph' box)."""
    font = _load(path, 24)

    def mask(ch: str) -> bytes:
        img = Image.new("1", (40, 40), 1)
        ImageDraw.Draw(img).text((4, 4), ch, font=font, fill=0)
        return img.tobytes()

    notdef = {mask("\U000F0000"), mask("\uFFFF")}  # private-use / non-character: never in a text font
    return "".join(ch for ch in VIETNAMESE_PROBE if mask(ch) in notdef)


def _usable(path: str) -> str | None:
    """None if the file is a font covering Vietnamese, else why not (Vietnamese)."""
    p = Path(path)
    if not p.is_file():
        return f"không có tệp {path}"
    try:
        _load(path, 24)
    except OSError as exc:
        return f"tệp {path} không phải phông TrueType ({exc})"
    missing = missing_letters(path)
    if missing:
        return f"phông {path} thiếu chữ tiếng Việt: {missing[:12]}"
    return None


@functools.lru_cache(maxsize=8)
def find_fonts(regular: str = "", bold: str = "") -> FontPair:
    """The configured pair (each checked) or the first pair of :data:`SEARCH` that is usable."""
    if regular or bold:
        regular = regular or bold
        bold = bold or regular
        for key, path in (("font", regular), ("font_bold", bold)):
            why = _usable(path)
            if why:
                raise FontMissingError(f"Không dùng được phông chữ [printer].options.{key}: {why}; {INSTALL_HINT} "
                                       "hoặc chọn tệp phông khác")
        return FontPair(regular, bold)
    for reg, bld in SEARCH:
        if _usable(reg) is None:
            return FontPair(reg, bld if _usable(bld) is None else reg)
    raise FontMissingError("Không tìm thấy phông chữ có đủ dấu tiếng Việt để in phiếu; " + INSTALL_HINT
                           + " (hoặc đặt [printer].options.font = đường dẫn tệp .ttf)")


MONO_BOLD = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMono-Bold.ttf",
)


@functools.lru_cache(maxsize=1)
def mono_bold(fallback: str) -> str:
    """A monospaced bold font to imitate the printer's own 12×24 font in the preview (ASCII only)."""
    for path in MONO_BOLD:
        if Path(path).is_file():
            return path
    return fallback

"""A ticket as a plan of blocks: small 1-bit images, printer-font text, and blank feeds.

Each line of text is its own tightly cropped image (no blank margins travel down the cable); the
blank space between lines is a paper feed (``ESC J``, 3 bytes); the big ticket number, pure ASCII,
may be printed with the printer's own font, magnified (a dozen bytes instead of kilobytes).
:func:`compose` stacks the blocks into the one image that is both the preview and — block for
block — what the printer receives. Pure: no I/O besides reading font files.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import qrcode
import qrcode.util
from PIL import Image, ImageChops, ImageDraw, ImageFont

from .fonts import FontPair, find_fonts, mono_bold
from .options import PrinterOptions
from .slip import TicketSlip

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
PRINTER_FONT_CELL = (12, 24)   # ESC/POS font A, in dots
MAX_NUMBER_MAG = 6


@dataclass(frozen=True)
class Gap:
    """Blank paper, ``dots`` high (sent as a feed, not as white pixels)."""
    dots: int


@dataclass(frozen=True)
class Raster:
    """A 1-bit image whose width is a multiple of 8; centred by the printer when ``centered``."""
    image: Image.Image
    centered: bool = True


@dataclass(frozen=True)
class BigText:
    """ASCII text in the printer's font magnified ``mag`` times; ``preview`` imitates it."""
    text: str
    mag: int
    preview: Image.Image


Block = Gap | Raster | BigText


@dataclass
class Plan:
    width: int
    blocks: list[Block] = field(default_factory=list)

    def gap(self, dots: int) -> None:
        if dots <= 0:
            return
        if self.blocks and isinstance(self.blocks[-1], Gap):
            self.blocks[-1] = Gap(self.blocks[-1].dots + dots)
        else:
            self.blocks.append(Gap(dots))

    @property
    def height(self) -> int:
        return sum(_block_height(b) for b in self.blocks)


def _block_height(block: Block) -> int:
    if isinstance(block, Gap):
        return block.dots
    if isinstance(block, Raster):
        return block.image.height
    return block.preview.height


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- text to images

def _byte_aligned(img: Image.Image, left_pad: int = 0) -> Image.Image:
    width = left_pad + img.width
    width = (width + 7) // 8 * 8
    out = Image.new("1", (max(8, width), img.height), 1)
    out.paste(img, (left_pad, 0))
    return out


INK_THRESHOLD = 150  # grey level under which an anti-aliased pixel becomes a printed dot
_INK_LUT = [255 if v < INK_THRESHOLD else 0 for v in range(256)]  # (a lambda is called 256 times a line)


def text_image(text: str, font: ImageFont.FreeTypeFont, invert_pad: int = 0) -> Image.Image:
    """``text`` drawn black on white, cropped to its ink (inverted in a box when ``invert_pad``).

    Drawn anti-aliased on a canvas with generous slack, then thresholded and cropped to the pixels
    actually inked. (Pillow's 1-bit text mode clips marks that rise above the line, such as the
    horn of Ư or the circumflex of Ê, so it is not used.)
    """
    left, top, right, bottom = font.getbbox(text)
    slack = max(4, int(font.size) // 2)
    canvas = Image.new("L", (int(right - left) + 2 * slack, int(bottom - top) + 2 * slack), 255)
    ImageDraw.Draw(canvas).text((slack - left, slack - top), text, font=font, fill=0)
    ink_mask = canvas.point(_INK_LUT)
    ink = ink_mask.getbbox()
    if not ink:
        return Image.new("1", (1, 1), 1)
    if invert_pad:
        img = ink_mask.crop(ink).convert("1")  # ink white on black
        box = Image.new("1", (img.width + 2 * invert_pad, img.height + 2 * invert_pad), 0)
        box.paste(img, (invert_pad, invert_pad))
        return box
    return ImageChops.invert(ink_mask.crop(ink)).convert("1")


def wrap(text: str, font: ImageFont.FreeTypeFont, max_w: int) -> list[str]:
    """Greedy word wrap; a word wider than ``max_w`` is broken between letters. Never drops text."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= max_w:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while font.getlength(word) > max_w:
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > max_w:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def fit(text: str, fonts: FontPair, bold: bool, size: int, min_size: int, max_w: int,
        max_lines: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """Wrap at ``size``; shrink (down to ``min_size``) until it takes at most ``max_lines`` lines."""
    while True:
        font = fonts.get(size, bold)
        lines = wrap(text, font, max_w)
        if len(lines) <= max_lines or size <= min_size:
            return lines, font
        size = max(min_size, size - 2)


# ---------------------------------------------------------------- the builder

@dataclass
class _Builder:
    plan: Plan
    fonts: FontPair
    options: PrinterOptions
    scale: float
    pause: Callable[[], None] = lambda: None

    @property
    def margin(self) -> int:
        return max(4, round(8 * self.scale))

    @property
    def max_w(self) -> int:
        return self.plan.width - 2 * self.margin

    def px(self, value: float) -> int:
        return max(1, round(value * self.scale))

    def image(self, img: Image.Image) -> None:
        if self.options.align == "pad":
            self.plan.blocks.append(Raster(_byte_aligned(img, (self.plan.width - img.width) // 2), False))
        else:
            self.plan.blocks.append(Raster(_byte_aligned(img), True))
        self.pause()

    def paragraph(self, text: str, size: float, bold: bool = False, min_size: float | None = None,
                  max_lines: int = 2, leading: float = 5) -> None:
        text = nfc(text).strip()
        if not text:
            return
        lines, font = fit(text, self.fonts, bold, self.px(size), self.px(min_size or size), self.max_w,
                          max_lines)
        for i, line in enumerate(lines):
            if i:
                self.plan.gap(self.px(leading))
            self.image(text_image(line, font))

    def space(self, dots: float) -> None:
        self.plan.gap(self.px(dots))


def _number_block(b: _Builder, number: str) -> None:
    number = nfc(number).strip()
    ascii_only = number.isascii() and number.isprintable() and number
    if b.options.number_mode == "text" and ascii_only:
        cw, ch = PRINTER_FONT_CELL
        mag = b.options.number_size or max(1, min(MAX_NUMBER_MAG, b.plan.width // (cw * len(number))))
        mag = min(mag, max(1, b.plan.width // (cw * len(number))))
        b.plan.blocks.append(BigText(number, mag, printer_font_preview(number, mag, b.fonts)))
        return
    size = b.px(120)
    font = b.fonts.get(size, True)
    while size > 12 and font.getlength(number) > b.max_w:
        size -= 4
        font = b.fonts.get(size, True)
    for line in wrap(number, font, b.max_w):
        b.image(text_image(line, font))


def printer_font_preview(text: str, mag: int, fonts: FontPair) -> Image.Image:
    """How the printer's 12×24 font looks magnified ``mag`` times: a mono bold font, blown up."""
    cw, ch = PRINTER_FONT_CELL
    cell = Image.new("1", (cw * len(text), ch), 1)
    font = ImageFont.truetype(mono_bold(fonts.bold), 20, layout_engine=ImageFont.Layout.BASIC)
    draw = ImageDraw.Draw(cell)
    for i, c in enumerate(text):
        left, top, right, bottom = font.getbbox(c)
        draw.text((i * cw + (cw - (right - left)) // 2 - left, (ch - (bottom - top)) // 2 - top), c,
                  font=font, fill=0)
    return cell.resize((cell.width * mag, ch * mag), Image.Resampling.NEAREST)


QR_MODULE_DOTS = 3  # 0.375 mm at 203 dpi: read by any phone, ~0.8 KB for a short URL


class _QRCode(qrcode.QRCode):
    """qrcode's own choice of mask (all eight tried, the lowest penalty kept: the same code as
    ``QRCode.best_mask_pattern``), with ``pause()`` after each try: the eight tries are most of a
    ticket's rendering, pure Python, and a pause lets a request waiting for the interpreter in
    (see :func:`ticket_plan`)."""

    def __init__(self, pause: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pause = pause

    def best_mask_pattern(self) -> int:
        best: int | None = None
        pattern = 0
        for mask in range(8):
            self.makeImpl(True, mask)
            lost = qrcode.util.lost_point(self.modules)
            if best is None or lost < best:
                best, pattern = lost, mask
            self._pause()
        return pattern


def qr_image(content: str, width: int, pause: Callable[[], None] = lambda: None) -> Image.Image:
    code = _QRCode(pause, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=0)
    code.add_data(content)
    code.make(fit=True)
    n = code.modules_count
    box = max(1, min(QR_MODULE_DOTS, (width - 16) // n))
    # one module one pixel, straight from the matrix (qrcode's image factory draws a rectangle per
    # dark module in Python: the same pixels, twenty times slower)
    img = Image.frombytes("L", (n, n), bytes(0 if dark else 255 for row in code.modules for dark in row))
    return img.convert("1").resize((n * box, n * box), Image.Resampling.NEAREST)


def qr_content(slip: TicketSlip, options: PrinterOptions) -> str | None:
    if not options.qr:
        return None
    if options.qr_template:
        return options.qr_template.format(
            number=slip.number, service=slip.service_name, office=slip.office_name,
            date=slip.issued_at.strftime("%Y-%m-%d"), time=slip.issued_at.strftime("%H:%M"))
    return slip.qr or None


def issued_line(at: datetime) -> str:
    return f"{at:%H:%M} · {WEEKDAYS_VI[at.weekday()]} {at:%d/%m/%Y}"


def ahead_line(ahead: int) -> str:
    if ahead <= 0:
        return "Không có người chờ trước bạn"
    return f"Trước bạn còn {ahead} người đang chờ"


def appointment_line(at: datetime) -> str:
    return f"Lịch hẹn: được gọi lúc {at:%H:%M}"


def builder(width: int, options: PrinterOptions, pause: Callable[[], None] | None = None) -> _Builder:
    fonts = find_fonts(options.font, options.font_bold)
    return _Builder(Plan(width), fonts, options, scale=(width / 576) ** 0.5, pause=pause or (lambda: None))


def ticket_plan(slip: TicketSlip, width: int, options: PrinterOptions | None = None,
                pause: Callable[[], None] | None = None) -> Plan:
    """The ticket's blocks. ``pause()`` is called after each block and each QR mask tried: the
    printer's worker passes one that steps aside for a moment, so that rendering a ticket (pure
    Python for the most part, holding the interpreter) never makes a request wait for the
    interpreter's 5 ms switch interval at each of its database calls and socket writes."""
    options = options or PrinterOptions()
    b = builder(width, options, pause)
    for line in options.header_lines:
        b.paragraph(line, 18, max_lines=3)
        b.space(4)
    if options.header_lines:
        b.space(4)
    b.paragraph(slip.office_name, 26, bold=True, min_size=20, max_lines=3)
    b.space(8)
    b.paragraph(slip.service_name, 23, min_size=18, max_lines=3)
    b.space(12)
    if slip.priority:
        b.image(text_image("ƯU TIÊN", b.fonts.get(b.px(24), True), invert_pad=b.px(6)))
        b.space(8)
    b.paragraph("SỐ THỨ TỰ CỦA BẠN", 16)
    b.space(6)
    _number_block(b, slip.number)
    b.space(10)
    if slip.appointment_at is not None:     # called at the booked time: the queue ahead does not apply
        b.paragraph(appointment_line(slip.appointment_at), 22, bold=True)
        b.space(6)
    if options.show_ahead and slip.appointment_at is None:
        b.paragraph(ahead_line(slip.ahead), 21)
        b.space(6)
    if slip.estimated_wait_min is not None and slip.appointment_at is None:
        b.paragraph(f"Thời gian chờ dự kiến: khoảng {slip.estimated_wait_min} phút", 20)
        b.space(6)
    if slip.pager is not None:
        b.paragraph(f"Thẻ rung của bạn: số {slip.pager}", 21, bold=True)
        b.space(6)
    content = qr_content(slip, options)
    if content:
        b.space(8)
        b.image(qr_image(content, width, b.pause))
        b.space(12)
    if options.show_time:
        b.paragraph(issued_line(slip.issued_at), 18)
        b.space(6)
    for line in (*slip.footer_lines, *options.footer_lines):
        b.paragraph(line, 17, max_lines=4)
        b.space(4)
    _trim_trailing_gap(b.plan)
    return b.plan


def boot_plan(urls: list[str], width: int, options: PrinterOptions | None = None,
              title: str = "Bảng điều khiển motcua", setup_code: str | None = None) -> Plan:
    """The slip printed once at start so staff can find the panel (and, on a fresh install with
    no administrator, the one-time setup code that creates the administrator in the browser)."""
    options = options or PrinterOptions()
    b = builder(width, options)
    b.paragraph(title, 26, bold=True, max_lines=2)
    b.space(8)
    b.paragraph("Trên máy tính cùng mạng,", 20, max_lines=2)
    b.space(4)
    b.paragraph("mở trình duyệt và gõ:", 20, max_lines=2)
    b.space(8)
    for url in urls:
        b.paragraph(url, 24, bold=True, min_size=16, max_lines=2)
        b.space(8)
    if urls:
        b.space(4)
        b.image(qr_image(urls[-1], width))
    if setup_code:
        b.space(12)
        b.paragraph("Cài đặt lần đầu – mã cài đặt:", 20, max_lines=2)
        b.space(4)
        b.paragraph(setup_code, 32, bold=True, min_size=20, max_lines=1)
        b.space(4)
        b.paragraph("(First setup code)", 18, max_lines=1)
    _trim_trailing_gap(b.plan)
    return b.plan


def _trim_trailing_gap(plan: Plan) -> None:
    while plan.blocks and isinstance(plan.blocks[-1], Gap):
        plan.blocks.pop()


def compose(plan: Plan) -> Image.Image:
    """Stack the blocks: the preview, and exactly what the printer puts on paper."""
    out = Image.new("1", (plan.width, max(1, plan.height)), 1)
    y = 0
    for block in plan.blocks:
        if isinstance(block, Raster):
            x = (plan.width - block.image.width) // 2 if block.centered else 0
            out.paste(block.image, (x, y))
        elif isinstance(block, BigText):
            out.paste(block.preview, ((plan.width - block.preview.width) // 2, y))
        y += _block_height(block)
    return out

"""Rendering: golden images, long names never clipped, NFC, fonts with Vietnamese."""
from __future__ import annotations

import os
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from appliance.printer import FontMissingError, render_ticket
from appliance.printer.fonts import find_fonts, missing_letters
from appliance.printer.layout import BigText, Raster, fit, ticket_plan, wrap
from appliance.printer.options import PrinterOptions

GOLDEN = Path(__file__).parent / "golden"
LONG_NAME = "Ủy ban nhân dân xã Nghĩa Hưng Đông huyện Ỷ Lan, tỉnh Nghệ An"  # 60 characters


def _check_golden(img: Image.Image, name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MOTCUA_UPDATE_GOLDEN") == "1":
        img.save(path)
    assert path.exists(), f"thiếu ảnh mẫu {path}: chạy với MOTCUA_UPDATE_GOLDEN=1 rồi xem lại ảnh"
    expected = Image.open(path).convert("1")
    assert img.mode == "1"
    assert img.size == expected.size
    assert ImageChops.difference(img.convert("L"), expected.convert("L")).getbbox() is None


@pytest.mark.parametrize("width", [576, 384])
def test_ticket_matches_golden_image(slip, width):
    _check_golden(render_ticket(slip, width), f"ticket-{width}.png")


def test_priority_ticket_with_raster_number_matches_golden(slip):
    long = replace(slip, office_name=LONG_NAME, priority=True, pager=None, qr=None, ahead=0)
    _check_golden(render_ticket(long, 384, PrinterOptions(number_mode="raster")), "ticket-priority-384.png")


def test_long_name_fixture_is_sixty_characters():
    assert len(LONG_NAME) == 60


@pytest.mark.parametrize("width", [384, 576])
def test_sixty_character_commune_name_is_wrapped_never_clipped(slip, width):
    plan = ticket_plan(replace(slip, office_name=LONG_NAME), width)
    fonts = find_fonts()
    lines, font = fit(LONG_NAME, fonts, True, round(30 * (width / 576) ** 0.5),
                      round(20 * (width / 576) ** 0.5), width - 16, 3)
    assert len(lines) >= 2
    assert " ".join(lines) == LONG_NAME                      # every letter kept, in order
    for line in lines:
        assert font.getlength(line) <= width - 16
    office_blocks = [b for b in plan.blocks if isinstance(b, Raster)][:len(lines)]
    for block in office_blocks:
        assert block.image.width <= width
        ink = ImageChops.invert(block.image.convert("L")).getbbox()
        # cropped to its ink: ink touches all four edges (nothing was cut by the canvas) ...
        assert ink[0] == 0 and ink[1] == 0 and ink[3] == block.image.height
        assert ink[2] >= block.image.width - 7
    img = render_ticket(replace(slip, office_name=LONG_NAME), width)
    assert img.width == width


def test_one_very_long_word_is_broken_not_clipped():
    font = find_fonts().get(30, True)
    word = "Nghĩa" * 30
    lines = wrap(word, font, 360)
    assert "".join(lines) == word
    assert all(font.getlength(line) <= 360 for line in lines)


def test_decomposed_input_prints_like_precomposed(slip):
    decomposed = replace(slip, office_name=unicodedata.normalize("NFD", slip.office_name),
                         service_name=unicodedata.normalize("NFD", slip.service_name))
    a, b = render_ticket(slip, 576), render_ticket(decomposed, 576)
    assert ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_big_number_uses_printer_font_when_ascii_and_raster_otherwise(slip):
    plan = ticket_plan(slip, 576)
    big = [b for b in plan.blocks if isinstance(b, BigText)]
    assert [(b.text, b.mag) for b in big] == [("A015", 6)]
    assert not [b for b in ticket_plan(replace(slip, number="Đ015"), 576).blocks if isinstance(b, BigText)]
    assert [b.mag for b in ticket_plan(slip, 384, PrinterOptions(number_size=3)).blocks
            if isinstance(b, BigText)] == [3]


def test_lines_and_qr_are_configurable(slip):
    base = render_ticket(slip, 576)
    no_qr = render_ticket(slip, 576, PrinterOptions(qr=False))
    assert no_qr.height < base.height - 60
    more = render_ticket(slip, 576, PrinterOptions(footer_lines=("Hotline 0123 456 789",),
                                                   header_lines=("Bộ phận Một cửa",)))
    assert more.height > base.height
    templated = ticket_plan(slip, 576, PrinterOptions(qr_template="https://dvc.example/{number}?d={date}"))
    qr_blocks = [b for b in templated.blocks if isinstance(b, Raster) and b.image.height > 60
                 and abs(b.image.width - b.image.height) < 8]
    assert len(qr_blocks) == 1


def test_default_font_covers_vietnamese():
    fonts = find_fonts()
    assert missing_letters(fonts.regular) == ""
    assert missing_letters(fonts.bold) == ""


def test_a_font_file_that_is_not_a_font_gives_a_vietnamese_error(tmp_path, slip):
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    with pytest.raises(FontMissingError) as err:
        render_ticket(slip, 576, PrinterOptions(font=str(bad)))
    assert "[printer].options.font" in str(err.value) and "fonts-dejavu-core" in str(err.value)
    with pytest.raises(FontMissingError, match="không có tệp"):
        render_ticket(slip, 576, PrinterOptions(font=str(tmp_path / "missing.ttf")))


def test_no_font_anywhere_names_the_package_to_install(monkeypatch, slip):
    from appliance.printer import fonts
    monkeypatch.setattr(fonts, "SEARCH", (("/nonexistent/a.ttf", "/nonexistent/b.ttf"),))
    fonts.find_fonts.cache_clear()
    try:
        with pytest.raises(FontMissingError, match="apt install fonts-dejavu-core"):
            fonts.find_fonts()
    finally:
        fonts.find_fonts.cache_clear()


def test_time_line_is_in_vietnamese(slip):
    from appliance.printer.layout import ahead_line, issued_line
    assert issued_line(datetime(2026, 11, 23, 8, 1)) == "08:01 · Thứ Hai 23/11/2026"
    assert ahead_line(0) == "Không có người chờ trước bạn"
    assert ahead_line(3) == "Trước bạn còn 3 người đang chờ"


def test_every_vietnamese_mark_is_printed():
    """Each accented letter prints differently from its bare letter (no mark lost or clipped)."""
    from appliance.printer.fonts import VIETNAMESE_PROBE
    from appliance.printer.layout import text_image
    fonts = find_fonts()
    for bold in (False, True):
        font = fonts.get(20, bold)
        for letter in VIETNAMESE_PROBE:
            bare = unicodedata.normalize("NFD", letter)[0]
            if bare == letter:  # Đ, đ: compare with D, d
                bare = {"Đ": "D", "đ": "d"}[letter]
            marked, plain = text_image(letter + "N", font), text_image(bare + "N", font)
            assert marked.tobytes() != plain.tobytes() or marked.size != plain.size, letter
    tien, tien_bare = text_image("ƯU TIÊN", fonts.get(20, True)), text_image("UU TIEN", fonts.get(20, True))
    assert tien.height > tien_bare.height and tien.width > tien_bare.width  # circumflex above, horn beside


@pytest.mark.parametrize("content", ["http://motcua.local/thu-tuc/tra-cuu?so=500346&k=" + "a" * 22, "Số 1 – ô",
                                     "x" * 300])
def test_qr_is_qrcodes_own_with_a_pause_after_each_mask(content):
    """The QR drawn from the module matrix is qrcode's own image, pixel for pixel, with the mask it
    would choose; rendering pauses after each of the eight mask tries (the printer's worker steps
    aside there, so a request never waits for the interpreter behind it)."""
    import qrcode

    from appliance.printer.layout import QR_MODULE_DOTS, qr_image
    pauses = []
    img = qr_image(content, 576, lambda: pauses.append(1))
    ref = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=QR_MODULE_DOTS, border=0)
    ref.add_data(content)
    ref.make(fit=True)
    expected = ref.make_image().get_image().convert("1")
    assert len(pauses) == 8
    assert img.mode == "1" and img.size == expected.size
    assert ImageChops.difference(img.convert("L"), expected.convert("L")).getbbox() is None


def test_ticket_plan_pauses_between_blocks(slip):
    pauses = []
    plan = ticket_plan(slip, 576, pause=lambda: pauses.append(1))
    rasters = [b for b in plan.blocks if isinstance(b, Raster)]
    assert len(pauses) == len(rasters) + 8            # one per image, one per QR mask tried
    plain = [b for b in ticket_plan(slip, 576).blocks if isinstance(b, Raster)]
    assert all(ImageChops.difference(a.image, b.image).getbbox() is None   # the same ticket either way
               for a, b in zip(rasters, plain, strict=True))


def test_an_appointment_ticket_says_when_it_is_called_instead_of_the_wait(slip):
    from dataclasses import replace

    from appliance.printer.layout import appointment_line
    from appliance.printer.slip import TicketSlip
    at = datetime(2026, 11, 30, 10, 0)
    assert appointment_line(at) == "Lịch hẹn: được gọi lúc 10:00"
    booked = replace(slip, appointment_at=at)
    assert TicketSlip.from_json(booked.as_json()) == booked           # the journal reprints it the same
    plain, with_time = render_ticket(slip, 576), render_ticket(booked, 576)
    assert with_time.tobytes() != plain.tobytes()
    # one line instead of "ahead" and "wait"
    assert with_time.height < plain.height

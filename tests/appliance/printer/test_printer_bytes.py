"""ESC/POS bytes: GS v 0 decoded back equals the rendered ticket, pixel for pixel; size targets."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PIL import ImageChops

from appliance.printer import render_ticket
from appliance.printer.decode import parse, rasters, reconstruct
from appliance.printer.encode import encode
from appliance.printer.layout import BigText, Raster, boot_plan, compose, ticket_plan
from appliance.printer.options import PrinterOptions

LONG_NAME = "Ủy ban nhân dân xã Nghĩa Hưng Đông huyện Ỷ Lan, tỉnh Nghệ An"


def _same(a, b) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


@pytest.mark.parametrize("profile,width", [("TM-T20II", 576), ("POS-5890", 384)])
@pytest.mark.parametrize("align", ["printer", "pad"])
def test_raster_ticket_decodes_back_to_the_rendered_image(slip, profile, width, align):
    options = PrinterOptions(number_mode="raster", align=align, fragment_height=40)
    data = encode(ticket_plan(slip, width, options), profile, options)
    assert _same(reconstruct(data, width), render_ticket(slip, width, options))


def test_text_number_ticket_sends_each_rendered_block_exactly(slip):
    plan = ticket_plan(replace(slip, office_name=LONG_NAME, priority=True), 576)
    data = encode(plan, "TM-T20II")
    expected = [b.image for b in plan.blocks if isinstance(b, Raster)]
    got = rasters(data)
    assert len(got) == len(expected)
    assert all(_same(a, b) for a, b in zip(got, expected, strict=True))
    ops = [op for op in parse(data)[0]]
    size = [op.arg for op in ops if op.name == "size"]
    texts = [op.arg for op in ops if op.name == "text"]
    big = [b for b in plan.blocks if isinstance(b, BigText)][0]
    assert texts == ["A015"]
    assert size[0] == (big.mag - 1) << 4 | (big.mag - 1) and size[-1] == 0
    # the paper (text cell left blank) has the preview's height
    assert reconstruct(data, 576).height == compose(plan).height


def test_blank_space_travels_as_feeds_not_pixels(slip):
    data = encode(ticket_plan(slip, 576), "TM-T20II")
    ops = parse(data)[0]
    assert any(op.name == "feed_dots" for op in ops)
    for img in rasters(data):  # every image is cropped to its ink: no blank rows at top or bottom
        inverted = ImageChops.invert(img.convert("L"))
        bbox = inverted.getbbox()
        assert bbox[1] == 0 and bbox[3] == img.height


@pytest.mark.parametrize("profile,width,limit", [("TM-T20II", 576, 12 * 1024), ("POS-5890", 384, 9 * 1024)])
def test_ticket_fits_the_byte_budget(slip, profile, width, limit):
    worst = replace(slip, office_name=LONG_NAME, priority=True,
                    service_name="Đăng ký khai sinh, kết hôn, khai tử và chứng thực bản sao")
    for s in (slip, worst):
        assert len(encode(ticket_plan(s, width), profile)) <= limit


def test_full_page_raster_would_be_much_bigger(slip):
    from escpos.printer import Dummy
    p = Dummy(profile="TM-T20II")
    p.image(render_ticket(slip, 576), impl="bitImageRaster")
    assert len(p.output) > 2 * len(encode(ticket_plan(slip, 576), "TM-T20II"))


def test_cut_follows_the_profile(slip):
    plan = ticket_plan(slip, 576)
    assert encode(plan, "TM-T20II").endswith(b"\x1dV\x00")
    assert encode(plan, "TM-T20II", PrinterOptions(cut="partial")).endswith(b"\x1dV\x01")
    assert encode(plan, "TM-T20II", PrinterOptions(cut="none", feed_lines=3)).endswith(b"\x1bd\x03")
    # POS-5890 has no cutter: feed only, for tearing off
    assert encode(ticket_plan(slip, 384), "POS-5890").endswith(b"\x1bd\x04")


def test_boot_slip_lists_every_address():
    plan = boot_plan(["http://motcua.local:8080", "http://192.168.1.20:8080"], 384)
    data = encode(plan, "POS-5890")
    assert len(rasters(data)) >= 5
    assert len(data) < 9 * 1024


def test_boot_slip_of_a_fresh_install_carries_the_setup_code():
    urls = ["http://motcua-b9c1.local:8080", "http://192.168.1.20:8080"]
    plain = boot_plan(urls, 384)
    fresh = boot_plan(urls, 384, setup_code="ACDE-4796")
    assert fresh.height > plain.height + 40  # the code's lines are printed below the addresses
    assert len(rasters(encode(fresh, "POS-5890"))) > len(rasters(encode(plain, "POS-5890")))

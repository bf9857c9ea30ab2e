"""A plan of blocks to the exact ESC/POS bytes of one job, written by python-escpos.

python-escpos's ``Dummy`` printer collects what its methods would send; the job's bytes are built
once (measured, stored by the simulator) and then handed to the real connector in chunks.
"""
from __future__ import annotations

from collections.abc import Callable

from escpos.constants import PAPER_FULL_CUT, PAPER_PART_CUT
from escpos.printer import Dummy

from .layout import Gap, Plan, Raster
from .options import PrinterOptions

ESC_J = b"\x1bJ"  # print and feed n dots


def encode(plan: Plan, profile: str, options: PrinterOptions | None = None,
           pause: Callable[[], None] | None = None) -> bytes:
    """``pause()`` after each image (see ``layout.ticket_plan``)."""
    options = options or PrinterOptions()
    p = Dummy(profile=profile)
    if options.width_px:  # a width the profile does not know: let python-escpos accept it
        p.profile.profile_data.setdefault("media", {}).setdefault("width", {})["pixels"] = options.width_px
    p.hw("INIT")
    align = None
    for block in plan.blocks:
        if isinstance(block, Gap):
            left = block.dots
            while left > 0:
                p._raw(ESC_J + bytes((min(255, left),)))
                left -= 255
            continue
        want = "center" if not isinstance(block, Raster) or block.centered else "left"
        if want != align:
            p.set(align=want)
            align = want
        if isinstance(block, Raster):
            p.image(block.image, impl="bitImageRaster", fragment_height=options.fragment_height)
            if pause is not None:
                pause()
        else:
            p.set(font="a", bold=True, custom_size=True, width=block.mag, height=block.mag)
            p._raw(block.text.encode("ascii") + b"\n")
            p.set(bold=False, custom_size=True, width=1, height=1)
    if align != "left":
        p.set(align="left")
    if options.feed_lines:
        p.print_and_feed(options.feed_lines)
    if options.cut != "none":
        part = options.cut == "partial"
        if part and p.profile.supports("paperPartCut"):
            p._raw(PAPER_PART_CUT)
        elif p.profile.supports("paperFullCut"):
            p._raw(PAPER_FULL_CUT)
        elif p.profile.supports("paperPartCut"):
            p._raw(PAPER_PART_CUT)
    return p.output

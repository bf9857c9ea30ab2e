"""The ticket as one 1-bit image: what the admin page previews and what the paper shows."""
from __future__ import annotations

from PIL import Image

from .layout import boot_plan, compose, ticket_plan
from .options import PrinterOptions
from .slip import TicketSlip


def render_ticket(slip: TicketSlip, width_px: int, options: PrinterOptions | None = None) -> Image.Image:
    """A mode-'1' image ``width_px`` wide (384 for 58 mm, 576 for 80 mm), text NFC-normalised."""
    return compose(ticket_plan(slip, width_px, options))


def render_boot_slip(urls: list[str], width_px: int, options: PrinterOptions | None = None) -> Image.Image:
    return compose(boot_plan(urls, width_px, options))


def to_png(img: Image.Image) -> bytes:
    """PNG bytes of a rendered ticket (for the admin page's ``<img>``)."""
    import io
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()

"""QR codes drawn by the server as inline SVG (the ``qrcode`` library; no CDN, no script)."""
from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from markupsafe import Markup, escape


def qr_svg(data: str, label: str = "") -> Markup:
    """``data`` as an ``<svg>`` element sized by CSS (class ``qr``), with ``label`` for screen readers."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"',
                 f'<svg class="qr" role="img" shape-rendering="crispEdges" aria-label="{escape(label or data)}"', svg)
    return Markup(svg)

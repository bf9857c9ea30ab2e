"""Trend charts drawn on the server as inline SVG (no script, no CDN, readable when printed in black
and white: each series has its own dash pattern and marker, and its last value is written)."""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

# colour, dash pattern, marker shape: told apart on screen and on a grey printout
STYLES = (("#1f5fa8", "", "circle"), ("#b35900", "6 3", "square"), ("#2e7d32", "2 2", "diamond"),
          ("#7b1fa2", "8 3 2 3", "triangle"))


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if shape == "diamond":
        return (f'<path d="M{x:.1f} {y - 4:.1f}L{x + 4:.1f} {y:.1f}L{x:.1f} {y + 4:.1f}L{x - 4:.1f} {y:.1f}Z" '
                f'fill="{colour}"/>')
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 4:.1f}L{x + 4:.1f} {y + 3:.1f}L{x - 4:.1f} {y + 3:.1f}Z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def _pct(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return (text.replace(".", ",") if lang != "en" else text) + " %"


def lines(series: Sequence[tuple[str, Sequence[float | None]]], months: Sequence[str], title: str,
          lang: str = "vi", width: int = 960, height: int = 260) -> Markup:
    """Percent series (0–100) over the months, one line each, with a legend; a gap where a month has
    no figure."""
    left, right, top, bottom = 44, 330, 28, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(months), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, v)) / 100)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
           f'<title>{escape(title)}</title>',
           f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for tick in (0, 25, 50, 75, 100):
        ty = y(tick)
        out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="#ccc" '
                   f'stroke-width="0.6"/><text x="{left - 6}" y="{ty + 4:.1f}" font-size="11" '
                   f'text-anchor="end">{tick}</text>')
    step = max(1, n // 12)
    for i, month in enumerate(months):
        if i % step == 0 or i == n - 1:
            out.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" font-size="10" '
                       f'text-anchor="middle">{escape(month[5:] + "/" + month[2:4])}</text>')
    for k, (name, values) in enumerate(series):
        colour, dash, shape = STYLES[k % len(STYLES)]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(v)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
                           + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
            for px, py in run:
                out.append(_marker(shape, px, py, colour))
        ly = top + 14 + 22 * k
        at = next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), None)
        last = None if at is None else values[at]
        when = "" if at is None or at == len(values) - 1 else f" ({months[at][5:]}/{months[at][2:4]})"
        out.append(f'<line x1="{width - right + 10}" y1="{ly - 4}" x2="{width - right + 34}" y2="{ly - 4}" '
                   f'stroke="{colour}" stroke-width="2"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
                   + _marker(shape, width - right + 22, ly - 4, colour)
                   + f'<text x="{width - right + 40}" y="{ly}" font-size="11">{escape(name)}'
                   + (f": {_pct(last, lang)}{when}" if last is not None else "") + "</text>")
    out.append("</svg>")
    return Markup("".join(out))   # noqa: S704 - every text above is escaped


def spark(values: Sequence[float | None], label: str, lang: str = "vi", width: int = 120, height: int = 30) -> Markup:
    """A small line of one component's months for a table cell; the last figure is written beside it."""
    pad = 3
    n = max(len(values), 1)
    pts = [(pad + (width - 2 * pad) * i / (n - 1 if n > 1 else 1), pad + (height - 2 * pad) * (1 - v / 100))
           for i, v in enumerate(values) if v is not None]
    body = ""
    if len(pts) > 1:
        body += ('<polyline fill="none" stroke="#1f5fa8" stroke-width="1.5" points="'
                 + " ".join(f"{px:.1f},{py:.1f}" for px, py in pts) + '"/>')
    if pts:
        body += f'<circle cx="{pts[-1][0]:.1f}" cy="{pts[-1][1]:.1f}" r="2.5" fill="#1f5fa8"/>'
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="spark" viewBox="0 0 {width} {height}" '  # noqa: S704
                  f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
                  f'<title>{escape(label)}</title><rect x="0" y="0" width="{width}" height="{height}" fill="none" '
                  f'stroke="#ddd"/>{body}</svg>')

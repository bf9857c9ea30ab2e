"""Charts drawn on the server as SVG: no script, no CDN, no build step; readable when printed in black
and white (each value is written on its bar, series differ by shade and by hatching, a legend names them).

Each function takes a :class:`~appliance.domain.report_local.Table` and returns the ``<svg>`` text
(escaped), or ``""`` when there is nothing to draw.
"""
from __future__ import annotations

from html import escape
from typing import Any

from ...domain.report_local import Table

WIDTH = 720
FONT = "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\""
# (fill, pattern) per series: a dark and a light shade, then hatched ones, so grey print keeps them apart
SERIES = (("#1f5f8b", None), ("#9cc3e0", None), ("#c0392b", "hatch"), ("#e9b44c", "dots"), ("#5b2c6f", None))
DEFS = ("<defs>"
        "<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\">"
        "<rect width=\"6\" height=\"6\" fill=\"#f4c7c3\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c0392b\" "
        "stroke-width=\"3\"/></pattern>"
        "<pattern id=\"dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
        "<rect width=\"5\" height=\"5\" fill=\"#f8e5bf\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"#8a6412\"/>"
        "</pattern></defs>")


def _fill(i: int) -> str:
    color, pattern = SERIES[i % len(SERIES)]
    return f"url(#{pattern})" if pattern else color


def _num(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _svg(height: int, body: list[str], title: str) -> str:
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" "
            f"width=\"100%\" role=\"img\" aria-label=\"{escape(title)}\" {FONT} font-size=\"13\">"
            f"<title>{escape(title)}</title>{DEFS}{''.join(body)}</svg>")


def _legend(names: list[str], y: int, x0: int = 10, first: int = 0) -> list[str]:
    out, x = [], x0
    for i, name in enumerate(names):
        out.append(f"<rect x=\"{x}\" y=\"{y - 10}\" width=\"14\" height=\"12\" fill=\"{_fill(first + i)}\" "
                   f"stroke=\"#333\" stroke-width=\"0.6\"/><text x=\"{x + 19}\" y=\"{y}\">{escape(name)}</text>")
        x += 28 + int(len(name) * 7.2)
    return out


def bars(table: Table, lang: str, column: int = 1) -> str:
    """One horizontal bar per row for the count in ``column`` (tickets, ballots, dossiers)."""
    rows = [(str(r[0]), r[column]) for r in table.rows if isinstance(r[column], int)]
    if not rows or not any(v for _n, v in rows):
        return ""
    top = max(v for _n, v in rows) or 1
    label_w = min(260, 16 + max(len(n) for n, _v in rows) * 7)
    bar_w = WIDTH - label_w - 70
    body, y = [], 8
    for name, value in rows:
        w = round(bar_w * value / top)
        body.append(f"<text x=\"{label_w - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{escape(name[:36])}</text>"
                    f"<rect x=\"{label_w}\" y=\"{y + 2}\" width=\"{max(w, 1)}\" height=\"18\" fill=\"{_fill(0)}\"/>"
                    f"<text x=\"{label_w + w + 6}\" y=\"{y + 16}\" font-weight=\"bold\">{_num(value)}</text>")
        y += 26
    return _svg(y + 6, body, table.heading(lang))


def hours(table: Table, lang: str) -> str:
    """Waiting time by hour: median and 90th percentile side by side, minutes written on top."""
    rows = [r for r in table.rows if r[2] is not None]
    if not rows:
        return ""
    top = max(max(r[3] or 0, r[2] or 0) for r in rows) or 1.0
    height, base, left = 260, 210, 48
    slot = (WIDTH - left - 10) / len(rows)
    bw = min(28.0, slot / 2.6)
    body = [f"<line x1=\"{left}\" y1=\"{base}\" x2=\"{WIDTH - 10}\" y2=\"{base}\" stroke=\"#333\"/>",
            f"<text x=\"4\" y=\"20\" font-size=\"12\">{'min' if lang == 'en' else 'phút'}</text>"]
    for i, r in enumerate(rows):
        x = left + i * slot + slot / 2
        for j, value in enumerate((r[2], r[3])):
            h = round(170 * (value or 0) / top)
            bx = x - bw + j * bw
            body.append(f"<rect x=\"{bx:.1f}\" y=\"{base - h}\" width=\"{bw:.1f}\" height=\"{h}\" fill=\"{_fill(j)}\" "
                        f"stroke=\"#333\" stroke-width=\"0.5\"/>"
                        f"<text x=\"{bx + bw / 2:.1f}\" y=\"{base - h - 4}\" text-anchor=\"middle\" "
                        f"font-size=\"11\">{_num(value)}</text>")
        body.append(f"<text x=\"{x:.1f}\" y=\"{base + 16}\" text-anchor=\"middle\" font-size=\"12\">"
                    f"{escape(str(r[0])[:2])}h</text>")
    names = ["Chờ: trung vị", "Chờ: 90%"] if lang != "en" else ["Wait: median", "Wait: p90"]
    body += _legend(names, height - 10, left)
    return _svg(height, body, table.heading(lang))


def stack(table: Table, lang: str) -> str:
    """Per field: resolved early / on time / late, then pending within / over the time limit."""
    # columns of report_local.timeliness_table: 6 early, 7 on time, 8 late, 9 pending in time, 10 overdue
    rows = [r for r in table.rows if sum(r[i] or 0 for i in (6, 7, 8, 9, 10))]
    if not rows:
        return ""
    top = max(sum(r[i] for i in (6, 7, 8, 9, 10)) for r in rows) or 1
    label_w = min(220, 16 + max(len(str(r[0])) for r in rows) * 7)
    bar_w = WIDTH - label_w - 20
    body, y = [], 8
    order = ((6, 0), (7, 1), (8, 2), (9, 3), (10, 4))
    for r in rows:
        x = float(label_w)
        body.append(f"<text x=\"{label_w - 8}\" y=\"{y + 17}\" text-anchor=\"end\">{escape(str(r[0])[:30])}</text>")
        for col, series in order:
            value = r[col] or 0
            if not value:
                continue
            w = bar_w * value / top
            body.append(f"<rect x=\"{x:.1f}\" y=\"{y + 2}\" width=\"{w:.1f}\" height=\"22\" fill=\"{_fill(series)}\" "
                        f"stroke=\"#333\" stroke-width=\"0.5\"/>")
            if w > 22:
                color = "#fff" if series == 0 else "#000"
                body.append(f"<text x=\"{x + w / 2:.1f}\" y=\"{y + 18}\" text-anchor=\"middle\" fill=\"{color}\" "
                            f"font-weight=\"bold\" font-size=\"12\">{_num(value)}</text>")
            x += w
        y += 32
    names = (["Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết trong hạn", "Đang giải quyết quá hạn"]
             if lang != "en" else ["Early", "On time", "Late", "Pending in time", "Pending overdue"])
    body += _legend(names[:3], y + 14)
    body += _legend(names[3:], y + 34, first=3)
    return _svg(y + 44, body, table.heading(lang))


def draw(table: Table, lang: str) -> str:
    if table.chart == "bars":
        return bars(table, lang)
    if table.chart == "hours":
        return hours(table, lang)
    if table.chart == "stack":
        return stack(table, lang)
    return ""

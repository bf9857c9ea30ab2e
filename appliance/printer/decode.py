"""Reading ESC/POS back: the commands this package sends, parsed from raw bytes.

Used by the tests (decode ``GS v 0`` and compare with the rendered ticket pixel for pixel), by
the loopback fake printers (answer ``DLE EOT`` found in the stream) and by the benchmark.
Only the subset we emit is understood; anything else raises ``ValueError`` naming the offset.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps

ESC, GS, DLE = 0x1B, 0x1D, 0x10
_ESC_1 = {0x61: "align", 0x4A: "feed_dots", 0x45: "bold", 0x4D: "font", 0x21: "mode", 0x64: "feed_lines",
          0x74: "codepage", 0x2D: "underline", 0x47: "double_strike"}


@dataclass(frozen=True)
class Op:
    name: str
    arg: Any = None


def parse(data: bytes, final: bool = True) -> tuple[list[Op], int]:
    """Commands in ``data`` and how many bytes they used (a cut-off command is left when not ``final``)."""
    ops: list[Op] = []
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        need = 0
        if b == ESC:
            if i + 1 >= n:
                need = 2
            elif data[i + 1] == 0x40:
                ops.append(Op("init"))
                i += 2
                continue
            elif data[i + 1] in _ESC_1:
                if i + 2 >= n:
                    need = 3
                else:
                    ops.append(Op(_ESC_1[data[i + 1]], data[i + 2]))
                    i += 3
                    continue
            else:
                raise ValueError(f"lệnh ESC 0x{data[i + 1]:02x} lạ ở byte {i}")
        elif b == GS:
            if i + 1 >= n:
                need = 2
            elif data[i + 1] == 0x21:
                if i + 2 >= n:
                    need = 3
                else:
                    ops.append(Op("size", data[i + 2]))
                    i += 3
                    continue
            elif data[i + 1] == 0x56:
                if i + 2 >= n:
                    need = 3
                else:
                    m = data[i + 2]
                    length = 4 if m in (65, 66, 97, 98, 103, 104) else 3
                    if i + length > n:
                        need = length
                    else:
                        ops.append(Op("cut", m))
                        i += length
                        continue
            elif data[i + 1] == 0x76:
                if i + 8 > n:
                    need = 8
                else:
                    if data[i + 2] != 0x30:
                        raise ValueError(f"lệnh GS v 0x{data[i + 2]:02x} lạ ở byte {i}")
                    m = data[i + 3]
                    wb = data[i + 4] | data[i + 5] << 8
                    h = data[i + 6] | data[i + 7] << 8
                    end = i + 8 + wb * h
                    if end > n:
                        need = end - i
                    else:
                        ops.append(Op("raster", (m, wb, h, bytes(data[i + 8:end]))))
                        i = end
                        continue
            else:
                raise ValueError(f"lệnh GS 0x{data[i + 1]:02x} lạ ở byte {i}")
        elif b == DLE:
            if i + 2 >= n:
                need = 3
            elif data[i + 1] == 0x04:
                ops.append(Op("status", data[i + 2]))
                i += 3
                continue
            else:
                raise ValueError(f"lệnh DLE 0x{data[i + 1]:02x} lạ ở byte {i}")
        elif b == 0x0A:
            ops.append(Op("lf"))
            i += 1
            continue
        elif 0x20 <= b < 0x7F:
            j = i
            while j < n and 0x20 <= data[j] < 0x7F:
                j += 1
            ops.append(Op("text", data[i:j].decode("ascii")))
            i = j
            continue
        else:
            raise ValueError(f"byte 0x{b:02x} lạ ở byte {i}")
        if final:
            raise ValueError(f"lệnh bị cắt cụt ở byte {i} (cần {need} byte)")
        return ops, i
    return ops, i


def raster_image(op: Op) -> Image.Image:
    """The 1-bit image (white background, black ink) carried by a ``GS v 0`` op."""
    _, wb, h, data = op.arg
    inverted = Image.frombytes("1", (wb * 8, h), data)  # 1 bits are ink
    return ImageOps.invert(inverted.convert("L")).convert("1")


def rasters(data: bytes) -> list[Image.Image]:
    return [raster_image(op) for op in parse(data)[0] if op.name == "raster"]


def reconstruct(data: bytes, width: int) -> Image.Image:
    """The paper as the printer would print it: images at their alignment, dot feeds as blank.

    Text printed in the printer's own font leaves a blank of its magnified cell height.
    """
    ops, _ = parse(data)
    rows: list[tuple[Image.Image | None, int, int]] = []  # (image, x, height)
    align, mag, pending_text = 0, 1, False
    for op in ops:
        if op.name == "align":
            align = op.arg
        elif op.name == "size":
            mag = (op.arg & 0x0F) + 1
        elif op.name == "feed_dots":
            rows.append((None, 0, op.arg))
        elif op.name == "text":
            pending_text = True
        elif op.name == "lf" and pending_text:
            rows.append((None, 0, 24 * mag))
            pending_text = False
        elif op.name == "feed_lines":
            break  # the tail feed before the cut is not part of the ticket
        elif op.name == "raster":
            img = raster_image(op)
            x = {0: 0, 1: (width - img.width) // 2, 2: width - img.width}.get(align, 0)
            rows.append((img, x, img.height))
    out = Image.new("1", (width, max(1, sum(r[2] for r in rows))), 1)
    y = 0
    for image, x, h in rows:
        if image is not None:
            out.paste(image, (x, y))
        y += h
    return out

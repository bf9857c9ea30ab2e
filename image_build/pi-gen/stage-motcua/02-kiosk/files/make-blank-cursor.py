#!/usr/bin/env python3
"""Write an Xcursor theme whose every cursor is one transparent pixel (hides the pointer in cage).

Usage: make-blank-cursor.py THEME_DIR. The Xcursor file format: a header, a table of contents
and one image chunk (see Xcursor(3)).
"""
import struct
import sys
from pathlib import Path

NAMES = ("default", "left_ptr", "pointer", "hand1", "hand2", "text", "xterm", "wait", "watch",
         "progress", "crosshair", "grab", "grabbing", "move", "not-allowed", "help")


def blank_cursor() -> bytes:
    image_type, size = 0xFFFD0002, 1
    header = struct.pack("<4sIII", b"Xcur", 16, 0x10000, 1)
    toc = struct.pack("<III", image_type, size, 16 + 12)
    chunk = struct.pack("<IIIIIIIII", 36, image_type, size, 1, 1, 1, 0, 0, 0) + b"\0\0\0\0"
    return header + toc + chunk


def main(theme: str) -> None:
    cursors = Path(theme) / "cursors"
    cursors.mkdir(parents=True, exist_ok=True)
    (cursors / "default").write_bytes(blank_cursor())
    for name in NAMES[1:]:
        link = cursors / name
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to("default")
    (Path(theme) / "index.theme").write_text("[Icon Theme]\nName=motcua-blank\n")


if __name__ == "__main__":
    main(sys.argv[1])

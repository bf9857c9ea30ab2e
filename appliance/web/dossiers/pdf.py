"""HTML → PDF with headless Chromium (``--print-to-pdf``), the browser the kiosk already runs.

The page is written to a private temporary folder and printed from ``file://`` (no network, no
login needed), with the A4 size and margins its print CSS sets (``@page``). One rendering at a
time: a Raspberry Pi has little memory to spare.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from ...errors import MotcuaError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_LOCK = threading.Lock()


class PdfError(MotcuaError):
    """Printing to PDF failed; the message says in Vietnamese what to do."""


def find_chromium(explicit: str | None = None) -> str:
    """The Chromium program: ``explicit`` (a path or a name) or the first found on PATH."""
    for name in ((explicit,) if explicit else CANDIDATES):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError("Không tìm thấy trình duyệt Chromium để xuất PDF. Cài gói 'chromium' "
                   "(sudo apt-get install chromium) hoặc dùng nút In (Ctrl+P) của trình duyệt để in/lưu PDF.")


def html_to_pdf(html: str, *, chromium: str | None = None, timeout_s: float = 60.0) -> bytes:
    """Render a complete HTML document (UTF-8, styles inline or ``file://``) to PDF bytes."""
    program = find_chromium(chromium)
    with _LOCK, tempfile.TemporaryDirectory(prefix="motcua-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "page.html"
        out = folder / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
                   "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
                   "--hide-scrollbars", "--mute-audio", "--no-pdf-header-footer",
                   f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={out}", page.as_uri()]
        env = {**os.environ, "HOME": str(folder)}
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout_s, env=env,
                                    stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium không xuất xong PDF sau {timeout_s:g} giây; thử lại, hoặc in "
                           "trực tiếp từ trình duyệt (Ctrl+P).") from None
        except OSError as exc:
            raise PdfError(f"Không chạy được Chromium ({program}): {exc.strerror}.") from None
        if not out.exists() or out.stat().st_size == 0:
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise PdfError(f"Chromium không tạo được tệp PDF (mã thoát {result.returncode}). {detail[0][:200]}")
        return out.read_bytes()

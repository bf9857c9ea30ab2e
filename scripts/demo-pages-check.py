"""Ask a running `make run` demo what an office's first visit asks (scripts/fresh-machine-check.sh).

    python3 scripts/demo-pages-check.py PORT DEMO_LOGINS_FILE

Standard library only (it runs with the machine's python3, outside the venv). Logs in as the demo's
admin, then: /api/v1/health answers ok, /display and /kiosk answer 200, and a PDF (the II.06a
report) is a PDF. Prints one line per page; exit status 1 when any of them is not so.
"""
from __future__ import annotations

import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def main(port: str, logins_file: str) -> int:
    base = f"http://127.0.0.1:{port}"
    logins = dict(line.split(": ", 1) for line in open(logins_file, encoding="utf-8").read().splitlines()
                  if ": " in line)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(path: str) -> tuple[int, str, bytes, float]:
        started = time.monotonic()
        try:
            answer = opener.open(base + path, timeout=300)
            status, body = answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            answer, status, body = exc, exc.code, exc.read()
        return status, answer.headers.get("Content-Type", ""), body, time.monotonic() - started

    page = get("/login")[2].decode()
    token = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
             or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page))
    form = urllib.parse.urlencode({"login": "admin", "password": logins["admin"].strip(),
                                   "csrf_token": token[1] if token else ""}).encode()
    opener.open(base + "/login", data=form, timeout=120).read()
    failed = 0
    for path, wanted in (("/api/v1/health", b'"status":"ok"'), ("/display", b"<html"), ("/kiosk", b"<html"),
                         ("/reports/ii06a.pdf", b"%PDF-")):
        status, kind, body, took = get(path)
        good = status == 200 and wanted in body[:4096]
        failed += not good
        print(f"{'ok' if good else 'FAILED'} {path}: {status} {kind.split(';')[0]}, {len(body)} bytes, {took:.2f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

"""Text messages: the modem's SIM, signal and network (or the gateway), and the queue's backlog.

While ``motcua serve`` runs, the modem's port is its own: the check reads the state the SMS worker
wrote (``STATE_DIR/devices/sms-status.json``, at most ``FRESH_S`` old); otherwise it opens the
modem itself and asks (AT+CPIN?, AT+CSQ, AT+CREG?)."""
from __future__ import annotations

import json
import sqlite3

from ..check import FAIL, OK, SKIP, WARN, Check
from .context import Context

AREA = "Nhắn tin (SMS)"
FRESH_S = 600


def _backlog(ctx: Context) -> tuple[int, int] | None:
    with ctx.database() as conn:
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT sum(state IN ('queued', 'sending')), sum(state = 'failed') "
                               "FROM sms_messages").fetchone()
        except sqlite3.Error:            # before migration 0012
            return None
        return int(row[0] or 0), int(row[1] or 0)


def _worker_state(ctx: Context) -> dict | None:
    path = ctx.settings.state_dir / "devices" / "sms-status.json"
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or ctx.now() - float(state.get("at", 0)) > FRESH_S:
        return None
    return state


def check_link(ctx: Context) -> Check:
    url = ctx.settings.sms.url.strip()
    if not url:
        return Check(AREA, SKIP, "chưa cấu hình gửi tin nhắn ([sms].url để trống)")
    state = _worker_state(ctx)
    if state is None:
        from ...sms.transport import SmsLinkError
        from ...sms.transports import make_transport
        transport = make_transport(ctx.settings.sms)
        if transport.kind == "gateway":
            return Check(AREA, OK, f"cổng SMS qua mạng {url} (kiểm tra khi gửi tin đầu tiên)")
        try:
            link = transport.link()
        except SmsLinkError as exc:
            return Check(AREA, FAIL, exc.message, "Kiểm tra modem, thẻ SIM và sóng; xem docs/sms.md")
        finally:
            transport.close()
        ok, message, sim, signal = link.ok, link.message, link.sim, link.signal
    else:
        ok = state.get("state") == "ok"
        message, sim, signal = str(state.get("message", "")), str(state.get("sim") or ""), state.get("signal")
    if ok:
        return Check(AREA, OK, message)
    if sim == "missing":
        action = "Tắt máy, lắp thẻ SIM vào modem rồi cắm lại"
    elif sim in ("pin", "puk"):
        action = "Tắt mã PIN của SIM bằng một điện thoại, hoặc thêm ?pin=MÃ vào [sms].url"
    elif sim == "ready" and signal is None:
        action = "Đặt modem gần cửa sổ hoặc dùng cáp USB nối dài; tin nhắn chờ gửi vẫn được giữ"
    else:
        action = "Kiểm tra cáp USB của modem (ls /dev/serial/by-id) và tắt ModemManager"
    return Check(AREA, FAIL, message, action)


def run(ctx: Context) -> list[Check]:
    checks = [check_link(ctx)]
    backlog = _backlog(ctx)
    if backlog is not None and ctx.settings.sms.url.strip():
        waiting, failed = backlog
        status = WARN if failed or waiting > 20 else OK
        checks.append(Check("Hàng đợi tin nhắn", status, f"{waiting} tin chờ gửi, {failed} tin không gửi được",
                            "Xem trang Quản trị → Thiết bị → Tin nhắn" if status == WARN else ""))
    return checks

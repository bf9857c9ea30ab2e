"""``motcua page N``: page one pager now, outside the running service, and say what happened."""
from __future__ import annotations

from appliance.config import ConfigError, Settings

from .encoders import make_encoder
from .frames import PagerError
from .transport import DisabledTransport, Transport
from .transports import make_transport


def page_once(settings: Settings, pager: int, *, transport: Transport | None = None) -> tuple[bool, str]:
    """Send one page; ``(ok, Vietnamese report)``. Never raises for configuration or device trouble."""
    cfg = settings.pager
    try:
        encoder = make_encoder(cfg)
        transport = transport or make_transport(cfg)
    except ConfigError as exc:
        return False, str(exc)
    if isinstance(transport, DisabledTransport):
        return False, ("Chưa cấu hình bộ phát thẻ rung: đặt [pager].url trong tệp cấu hình, ví dụ "
                       "serial:///dev/serial/by-id/… hoặc sim://var/devices/pager")
    try:
        tx = encoder.encode(pager)
    except ValueError as exc:
        return False, str(exc)
    head = f"Thẻ rung số {pager} ({cfg.protocol}, {transport.describe()}): "
    try:
        reply = transport.send(tx)
    except PagerError as exc:
        return False, head + exc.message
    finally:
        transport.close()
    if reply.ok:
        return True, head + reply.message + f". Dữ liệu: {tx.summary()}"
    return False, head + reply.message

"""What a ticket shows: plain data, no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketSlip:
    """One queue ticket as printed (and previewed in the admin page)."""

    office_name: str
    service_name: str
    number: str
    ahead: int
    issued_at: datetime
    priority: bool = False
    pager: int | None = None
    estimated_wait_min: int | None = None
    qr: str | None = None
    footer_lines: tuple[str, ...] = ()


def sample_slip(office_name: str = "UBND xã Gia Lâm", issued_at: datetime | None = None) -> TicketSlip:
    """The ticket printed by ``motcua print-test`` and shown as the default preview."""
    return TicketSlip(
        office_name=office_name, service_name="Hộ tịch – Chứng thực", number="A015", ahead=4,
        issued_at=issued_at or datetime.now().astimezone(), pager=7, estimated_wait_min=18,
        qr="http://motcua.local/t/A015", footer_lines=("Phiếu in thử – Xin cảm ơn!",))

"""What a ticket shows: plain data, no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo


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
    #: the booked time of the appointment it was checked in for: printed instead of the wait
    appointment_at: datetime | None = None

    def as_json(self) -> dict:
        """What the printer's journal keeps to print the slip again after a restart."""
        return {"office_name": self.office_name, "service_name": self.service_name, "number": self.number,
                "ahead": self.ahead, "issued_at": self.issued_at.isoformat(), "priority": self.priority,
                "pager": self.pager, "estimated_wait_min": self.estimated_wait_min, "qr": self.qr,
                "footer_lines": list(self.footer_lines),
                "appointment_at": self.appointment_at.isoformat() if self.appointment_at else None}

    @classmethod
    def from_json(cls, data: dict) -> TicketSlip:
        return cls(office_name=data["office_name"], service_name=data["service_name"], number=data["number"],
                   ahead=int(data.get("ahead") or 0), issued_at=datetime.fromisoformat(data["issued_at"]),
                   priority=bool(data.get("priority")), pager=data.get("pager"),
                   estimated_wait_min=data.get("estimated_wait_min"), qr=data.get("qr"),
                   footer_lines=tuple(data.get("footer_lines") or ()),
                   appointment_at=datetime.fromisoformat(data["appointment_at"]) if data.get("appointment_at")
                   else None)


PUBLIC_PAGE = "/thu-tuc"   # the QR of the test slip: the office's public list of procedures (a page that exists)


def sample_slip(office_name: str = "UBND xã Gia Lâm", issued_at: datetime | None = None,
                tz: tzinfo | None = None, base_url: str = "http://motcua.local") -> TicketSlip:
    """The ticket printed by ``motcua print-test`` and shown as the default preview: printed now in
    the office's time zone ``tz`` (not the machine's, which is UTC on a fresh Pi), its QR code
    opening the public procedures page at ``base_url``."""
    return TicketSlip(
        office_name=office_name, service_name="Hộ tịch – Chứng thực", number="A015", ahead=4,
        issued_at=issued_at or datetime.now(tz).astimezone(tz), pager=7, estimated_wait_min=18,
        qr=base_url.rstrip("/") + PUBLIC_PAGE, footer_lines=("Phiếu in thử – Xin cảm ơn!",))

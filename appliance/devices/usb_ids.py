"""USB vendor/product ids motcua knows, and what each is: a ticket printer, a pager transmitter, or
a plain USB-serial adapter that could be either. Pure data and a lookup, no I/O.

One table for two readers: the udev rules (``systemd/60-motcua.rules``, which names the devices
``/dev/motcua-printer`` and ``/dev/motcua-pager`` by id; ``tests/deploy`` checks the rules list exactly
these ids) and ``motcua doctor``, which names what is plugged in.

A printer's own vendor id (Epson, Star, Xprinter…) is never taken for the pager, even when the
printer shows up as a serial port ("USB virtual COM"). A bare USB-serial chip (CH340, FTDI, CP210x,
PL2303) says nothing about what is behind it: it is taken for the pager transmitter (what these
chips usually carry here), below the RF bridge, which wins when both are plugged in. A printer
behind such a chip is pinned by its serial number (docs/deploy.md, "udev").
"""
from __future__ import annotations

from dataclasses import dataclass

PRINTER = "printer"
PAGER = "pager"
SERIAL_ADAPTER = "serial-adapter"


@dataclass(frozen=True)
class UsbKind:
    vendor: str          # 4 hex digits, lower case, as udev's ATTRS{idVendor}
    product: str | None  # None: every product of the vendor
    kind: str            # PRINTER, PAGER or SERIAL_ADAPTER
    name: str


KNOWN: tuple[UsbKind, ...] = (
    # Ticket printers: vendors that make only (or mostly) receipt printers.
    UsbKind("04b8", None, PRINTER, "Epson (TM-T20, TM-T88…)"),
    UsbKind("0519", None, PRINTER, "Star Micronics"),
    UsbKind("1504", None, PRINTER, "Bixolon"),
    UsbKind("0fe6", None, PRINTER, "Xprinter"),
    UsbKind("20d1", None, PRINTER, "Rongta"),
    UsbKind("6868", None, PRINTER, "Zjiang"),
    # The "POS58/POS80" printers' virtual COM port (Winbond chip): a serial port that is a printer.
    UsbKind("0416", "5011", PRINTER, "máy in nhiệt POS-58/80 (cổng COM ảo Winbond)"),
    # Our RF bridge (Raspberry Pi Pico / RP2040, USB CDC): always the pager.
    UsbKind("2e8a", None, PAGER, "cầu RF thẻ rung (Raspberry Pi Pico RP2040)"),
    # Bare USB-serial chips: the pager transmitter unless pinned otherwise.
    UsbKind("1a86", None, SERIAL_ADAPTER, "bộ chuyển USB-serial CH340/CH341"),
    UsbKind("0403", None, SERIAL_ADAPTER, "bộ chuyển USB-serial FTDI"),
    UsbKind("10c4", None, SERIAL_ADAPTER, "bộ chuyển USB-serial CP210x"),
    UsbKind("067b", None, SERIAL_ADAPTER, "bộ chuyển USB-serial PL2303"),
)


def identify(vendor: str, product: str) -> UsbKind | None:
    """The table's entry for a device: an exact product first, then the vendor's catch-all."""
    vendor, product = vendor.lower(), product.lower()
    exact = [k for k in KNOWN if k.vendor == vendor and k.product == product]
    if exact:
        return exact[0]
    return next((k for k in KNOWN if k.vendor == vendor and k.product is None), None)


def serial_role(vendor: str, product: str) -> str | None:
    """What a USB serial port with these ids becomes: 'printer', 'pager', or None (left alone)."""
    known = identify(vendor, product)
    if known is None:
        return None
    return PAGER if known.kind == SERIAL_ADAPTER else known.kind

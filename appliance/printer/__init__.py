"""Thermal ticket printing: Pillow renders each ticket 1-bit, python-escpos sends it.

Public interface (see docs/printer.md)::

    TicketSlip, render_ticket, PrinterService, print_test
"""
from .boot import announce_panel, boot_slip_due
from .fonts import FontMissingError
from .print_test import print_test
from .render import render_boot_slip, render_ticket, to_png
from .service import JobNotFound, PrinterService
from .slip import TicketSlip, sample_slip

__all__ = ["TicketSlip", "render_ticket", "render_boot_slip", "to_png", "PrinterService", "print_test", "sample_slip",
           "boot_slip_due", "announce_panel", "JobNotFound", "FontMissingError"]

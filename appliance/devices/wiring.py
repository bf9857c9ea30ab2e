"""Builds the device adapters named in the settings and connects them to the event bus.

- printer: every ``ticket.issued`` becomes a :class:`TicketSlip` submitted to the printer's
  worker (the queue never waits for paper); the boot slip prints the panel's address once a boot;
  its jobs are kept in the database (``journal.PrintJournal``);
- pager: :class:`PagerService` subscribes itself (``ticket.called``, ``dossier.ready``, …); the
  :class:`~appliance.pager.reminders.ReminderWorker` gives a ready result's repeats from disk; its
  pages are kept in the database (``journal.PageJournal``);
- sms: :class:`SmsService` drains the SMS queue (woken by ``sms.queued``);
- GPIO: :class:`ButtonBoard` turns presses into engine commands and lights the fault lamp;
- audio: the announcement clips are generated in the background so the first call is not late.

Each device is added to ``appliance.devices`` (health, the devices page, the watchdog).
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime

from ..events import Event

log = logging.getLogger(__name__)


def slip_for(appliance, event: Event):
    from ..printer import TicketSlip
    ticket = event.payload["ticket"]
    return TicketSlip(
        office_name=appliance.settings.office.name, service_name=ticket["service_name"],
        number=ticket["number"], ahead=int(event.payload.get("ahead", 0)),
        issued_at=datetime.fromisoformat(ticket["issued_at"]), priority=bool(ticket["priority"]),
        pager=ticket.get("pager"), estimated_wait_min=event.payload.get("estimated_wait_min"),
        # the ticket's QR opens /thu-tuc/tra-cuu for it: the queue, then its dossier's state
        qr=appliance.lookup.ticket_link(appliance.public_base(), ticket["id"]) if ticket.get("id") else None,
        footer_lines=("CHẾ ĐỘ TẬP HUẤN – phiếu không có giá trị",) if getattr(appliance, "training", False) else (),
        appointment_at=datetime.fromisoformat(ticket["appointment_at"]) if ticket.get("appointment_at") else None)


def attach_printer(appliance) -> None:
    from ..printer import PrinterService, announce_panel
    from .journal import PrintJournal
    printer = PrinterService(appliance.settings.printer, appliance.bus, journal=PrintJournal(appliance.db),
                             clock=appliance.clock)
    appliance.devices.add("printer", printer)

    def on_issued(event: Event) -> None:
        printer.submit(slip_for(appliance, event), ticket_id=event.payload["ticket"].get("id"))
    appliance.bus.subscribe(on_issued, ["ticket.issued"])

    def on_ready(event: Event) -> None:  # the addresses the server is really bound to
        announce_panel(printer, appliance.state_dir, event.payload["urls"], event.payload.get("setup_code"))
    appliance.bus.subscribe(on_ready, ["appliance.ready"])


def attach_pager(appliance) -> None:
    from ..pager import PagerService
    from ..pager.reminders import ReminderWorker
    from ..services.reminders import ReminderQueue
    from .journal import PageJournal
    appliance.devices.add("pager", PagerService(appliance.settings.pager, appliance.bus,
                                                journal=PageJournal(appliance.db, appliance.clock)))
    # the repeats of ready results, on disk: resumed after a restart (pager.remind, dossier.call)
    reminders = ReminderQueue(appliance.units, appliance.db, lambda: appliance.tz)
    appliance.devices.add("reminders", ReminderWorker(reminders, appliance.bus, lambda: appliance.clock()))


def attach_sms(appliance) -> None:
    from ..sms import SmsService
    from ..sms.transports import make_transport
    appliance.devices.add("sms", SmsService(appliance.messages, lambda: appliance.settings, appliance.bus,
                                            make_transport(appliance.settings.sms), state_dir=appliance.state_dir))


def attach_gpio(appliance) -> None:
    from ..gpio.board import ButtonBoard, make_pin_factory
    factory = make_pin_factory(appliance.settings.gpio.factory)
    appliance.devices.add("gpio", ButtonBoard(appliance.settings.gpio, appliance.engine, appliance.bus,
                                              pin_factory=factory))


def warm_audio(appliance) -> None:
    if not appliance.settings.audio.enabled:
        return

    def work() -> None:
        try:
            from ..audio import pregenerate
            pregenerate(appliance.settings)
        except Exception as exc:  # the display falls back to the chime; the panel says why
            log.warning("announcement clips not generated: %s", exc)
    threading.Thread(target=work, name="audio-warmup", daemon=True).start()


def attach(appliance) -> None:
    # GPIO first: devices start in this order, and the board must hear the printer's and the pager's
    # first ``device.status`` (they publish a state once, not again while it stays the same), or a
    # printer already down at boot would leave the fault lamp dark.
    attach_gpio(appliance)
    attach_printer(appliance)
    attach_pager(appliance)
    attach_sms(appliance)
    warm_audio(appliance)

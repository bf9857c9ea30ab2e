"""The first-setup wizard's work: services and counters for a fresh office, printer and pager.

A fresh office has no services and no counters. The wizard offers the fields of work of the
procedures in the catalog in force (the pilot set: hộ tịch, chứng thực, bảo trợ xã hội …, each
with its procedures named) and a number of counters; :func:`set_up_services` creates them (every
counter serves every chosen service; Quản trị → Quầy refines it later). The printer and the pager
are chosen among what the udev rules named (``/dev/motcua-printer``, ``/dev/motcua-pager``: told
apart by USB id), the simulated device, or none (:func:`device_choices`).
"""
from __future__ import annotations

import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import config as config_mod
from ..domain.catalog import Catalog
from ..domain.errors import DomainError
from ..store import office_store
from ..store.db import Database
from .uow import NoListeners, Units

MAX_COUNTERS = 20
# The letters printed before a ticket number, as in the demo office: A for hộ tịch, B for chứng thực …
KNOWN_PREFIXES = {"HT": "A", "CT": "B", "XH": "C"}


@dataclass(frozen=True)
class ServiceOffer:
    code: str               # the queue's service code (the field's former short code: HT, CT, XH)
    name: str
    name_en: str
    prefix: str
    procedures: tuple[str, ...]
    procedures_en: tuple[str, ...] = ()


def service_offers(catalog: Catalog) -> list[ServiceOffer]:
    """One offer per field of work that has procedures in the catalog, in catalog order."""
    by_field: dict[str, list[str]] = {}
    by_field_en: dict[str, list[str]] = {}
    for procedure in catalog.procedures.values():
        by_field.setdefault(procedure.field_of_work, []).append(procedure.name)
        by_field_en.setdefault(procedure.field_of_work, []).append(procedure.name_en or procedure.name)
    offers = []
    spare = iter(c for c in string.ascii_uppercase if c not in KNOWN_PREFIXES.values())
    for code, field in catalog.fields_of_work.items():
        if code not in by_field:
            continue
        short = (field.former_codes or (code,))[0]
        prefix = KNOWN_PREFIXES.get(short) or next(spare)
        offers.append(ServiceOffer(short, field.name, field.name_en or "", prefix, tuple(by_field[code]),
                                   tuple(by_field_en[code])))
    return offers


def set_up_services(db: Database, offers: list[ServiceOffer], chosen: list[str], counters: int,
                    actor: str, clock: Callable[[], float] = time.time) -> None:
    """Create the chosen services and ``counters`` counters serving them all (kept if they exist);
    ``clock`` times the audit row (the panel passes ``Appliance.clock``)."""
    wanted = [o for o in offers if o.code in set(chosen)]
    if not wanted:
        raise DomainError("invalid", "services", detail=("hãy chọn ít nhất một lĩnh vực",
                                                         "choose at least one service"))
    if isinstance(counters, bool) or not isinstance(counters, int) or not 1 <= counters <= MAX_COUNTERS:
        raise DomainError("invalid", "counters", detail=(f"số quầy từ 1 đến {MAX_COUNTERS}",
                                                         f"1 to {MAX_COUNTERS} counters"))
    codes = [o.code for o in wanted]
    with Units(db, NoListeners(), clock, lambda: False)() as tx:
        conn = tx.conn
        for sort, offer in enumerate(wanted, 1):
            office_store.upsert_service(conn, offer.code, offer.name, offer.prefix, 1, 999, offer.name_en, sort)
        existing = {c["id"] for c in office_store.list_counters(conn)}
        for n in range(1, counters + 1):
            if n not in existing:
                office_store.upsert_counter(conn, n, f"Quầy {n}", codes, name_en=f"Counter {n}")
        tx.audit(actor, "setup.services", "services", f"{', '.join(codes)}; {counters} quầy")


@dataclass(frozen=True)
class DeviceChoice:
    key: str                # what the form sends: "usb", "sim" or "none"
    url: str
    detected: bool          # the device is plugged in now (its /dev name exists)
    found: str = ""         # what is plugged in for this role, by USB id ("Epson (TM-T20…) 04b8:0202")


DEVICE_NODES = {"printer": "motcua-printer", "pager": "motcua-pager"}


def plugged_for(section: str, sysfs_usb: Path) -> list[str]:
    """The USB devices plugged in now that the udev rules give this role (``devices.usb_ids``)."""
    from ..devices import usb_ids
    from ..ops.checks.usb import plugged
    out = []
    for vendor, product, label in plugged(sysfs_usb):
        known = usb_ids.identify(vendor, product)
        if known is not None and usb_ids.serial_role(vendor, product) == section:
            out.append(f"{known.name} {vendor}:{product}" + (f" – {label}" if label else ""))
    return out


def device_choices(section: str, state_dir: Path, dev: Path = Path("/dev"),
                   sysfs_usb: Path = Path("/sys/bus/usb/devices")) -> list[DeviceChoice]:
    """The choices for ``section`` (printer or pager): the USB device the udev rules named (by USB
    id, named from the known ids), the simulated one (files in the state directory), none."""
    usb_url = {"printer": config_mod.PANEL_DEVICE_URLS[1], "pager": config_mod.PANEL_DEVICE_URLS[2]}[section]
    return [DeviceChoice("usb", usb_url, (dev / DEVICE_NODES[section]).exists(),
                         "; ".join(plugged_for(section, sysfs_usb))),
            DeviceChoice("sim", f"sim://{Path(state_dir).resolve() / 'devices' / section}", True),
            DeviceChoice("none", "", True)]


def default_choice(choices: list[DeviceChoice]) -> str:
    return "usb" if choices[0].detected else "sim"


def save_devices(settings: config_mod.Settings, printer: DeviceChoice, pager: DeviceChoice) -> config_mod.Settings:
    """Write the chosen printer and pager (used from the next start: devices are opened at start)."""
    changes = {"printer": {"url": printer.url}, "pager": {"url": pager.url}}
    return config_mod.save_panel_settings(settings, changes)

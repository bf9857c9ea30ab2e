"""The running appliance: settings, database, event bus, queue engine and devices, built once.

Both the web app and the command line take an :class:`Appliance`; tests build one over a
temporary database. Devices start only when asked (``start()``), so a CLI command or a test that
only needs the database never opens a serial port.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import __version__, clock
from .config import ConfigError, Settings
from .devices.registry import DeviceRegistry
from .domain.queue import QueueRules
from .events import EventBus
from .ops.disk import DiskWatch
from .services.appointments import AppointmentService
from .services.certification import CertificationService
from .services.dossiers import DossierService
from .services.lookup import LookupService
from .services.messages import SmsQueue
from .services.postal import PostalService
from .services.queue import QueueEngine
from .services.reports import ReportService
from .services.uow import Units
from .store import kv_store, outbox, pager_store, queue_store
from .store.checkpointer import WalCheckpointer
from .store.db import Database

log = logging.getLogger(__name__)


class Appliance:
    tls_port: int | None = None   # the HTTPS port while the TLS front runs (motcua tls enable)

    def __init__(self, settings: Settings, clock_fn: Callable[[], float] | None = None,
                 bus: EventBus | None = None):
        self.settings = settings
        #: the rehearsal clock's mode ([training].clock): every page says 'CHẾ ĐỘ TẬP HUẤN'
        self.training = settings.training.enabled
        self.clock: Callable[[], float] = clock_fn or time.time
        try:
            self.tz = ZoneInfo(settings.office.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"Cấu hình sai [office].timezone = {settings.office.timezone!r}: "
                              "phải là múi giờ IANA, ví dụ 'Asia/Ho_Chi_Minh'") from None
        self.bus = bus or EventBus()
        self.db = Database(settings.storage.path, settings.storage.busy_timeout_ms).open_checked()
        self.checkpointer = WalCheckpointer(self.db)
        # event ids keep increasing across restarts: blocks reserved in the database before use
        self.bus.resume_ids(self._reserve_event_ids)
        if clock_fn is None and self.training:
            self.clock = self._rehearsal_clock()
            self.bus.clock = self.clock   # the events' ``at`` on the same clock as the records
        #: every command's unit of work: one transaction, outbox and audit rows, events after commit
        self.units = Units(self.db, self.bus, self.clock, clock.clock_synced)
        self.engine = QueueEngine(self.units, queue_store.queries, QueueRules.from_settings(settings.queue),
                                  self.tz, self.clock)
        self.dossiers = DossierService(self.db, self.bus, lambda: self.settings, lambda: self.tz, self.clock,
                                       catalog=self.catalog, calendar=self.calendar, units=self.units)
        self.dossiers.recompute_old_deadlines()
        #: the commune's reports (/reports, Biểu II.06a): reads only
        self.reports = ReportService(self.db, lambda: self.tz, self.clock, self.catalog,
                                     lambda: self.dossiers.counting_rules, lambda: self.settings.office)
        #: the Sổ chứng thực (numbers per book and year, allocated in the transaction of the line)
        self.certifications = CertificationService(self.db, self.units, self.catalog, lambda: self.tz,
                                                   lambda: self.settings.office)
        #: text messages to citizens: the durable queue the SMS worker drains (appliance/sms/)
        self.messages = SmsQueue(self.units, self.db, lambda: self.settings, lambda: self.tz)
        #: looking a dossier up without its code (/thu-tuc/tra-cuu), the QR links of tickets and Mẫu 01
        self.lookup = LookupService(self.db, self.units, self.clock, lambda: self.tz)
        #: appointments: slots, bookings (office, kiosk, the hub's public page), check-in, no-shows
        self.appointments = AppointmentService(self.units, self.db, self.engine, lambda: self.settings,
                                               lambda: self.tz, self.calendar)
        #: postal return: the results waiting for the postal worker and the handover lists
        self.postal = PostalService(self.db, self.units, self.dossiers, lambda: self.tz)
        self.devices = DeviceRegistry()
        self.disk = self.devices.add("disk", DiskWatch(
            self.state_dir, settings.storage.low_space_mb, settings.storage.full_space_mb, self.bus.publish))
        self.started_at = time.time()
        self.stopping = threading.Event()  # set at shutdown: long-lived streams end
        with self.db.write() as conn:
            pager_store.sync_pool(conn, settings.queue.pager_pool)

    def _rehearsal_clock(self) -> clock.RehearsalClock:
        """``[training]``: the shifted, faster clock, its origin kept in the database so that a restart
        (a crash, a kill) continues the same rehearsal morning instead of going back to its start."""
        import json
        t = self.settings.training
        try:
            start = clock.parse_training_clock(t.clock, self.tz)
        except ValueError as exc:
            raise ConfigError(f"Cấu hình sai [training].clock: {exc}") from None
        now = time.time()
        with self.db.write() as conn:
            raw = kv_store.get(conn, clock.TRAINING_KEY)
            try:
                kept = json.loads(raw) if raw else None
            except ValueError:
                kept = None
            origin = clock.rehearsal_anchor(kept if isinstance(kept, dict) else None, t.clock, t.speed, start, now)
            kv_store.put(conn, clock.TRAINING_KEY, json.dumps({"clock": t.clock, "speed": t.speed, "origin": origin}))
        log.warning("training mode: the appliance's clock starts at %s, %g× faster", t.clock, t.speed)
        return clock.RehearsalClock(start, t.speed, origin)

    def _reserve_event_ids(self, at_least: int, size: int) -> int:
        with self.db.write() as conn:
            return kv_store.reserve_block(conn, EVENT_IDS_KEY, at_least, size)

    def catalog(self):
        """The procedure catalog in force: the hub's (state dir ``catalog.json``) or the shipped one.

        Re-read when the sync process has replaced the file (checked by modification time).
        """
        from .catalog.loader import load_catalog
        path = self.state_dir / "catalog.json"
        pack_path = self.state_dir / FEE_PACK_FILE
        stamp = path.stat().st_mtime_ns if path.exists() else None
        pack_stamp = pack_path.stat().st_mtime_ns if pack_path.exists() else None
        today = datetime.fromtimestamp(self.clock(), self.tz).date()
        key = (stamp, pack_stamp, today)
        cached = getattr(self, "_catalog_cache", None)
        if cached is None or cached[0] != key:
            catalog = load_catalog(path if stamp is not None else None)
            if pack_stamp is not None:
                catalog = with_fee_pack(catalog, pack_path, today)
            self._catalog_cache = (key, catalog)
        return self._catalog_cache[1]

    def fee_pack(self):
        """The province's fee pack the hub sent (:class:`~appliance.domain.catalog.fee_pack.FeePack`), or None."""
        from .domain.catalog import CatalogError
        from .domain.catalog.fee_pack import parse_fee_pack
        path = self.state_dir / FEE_PACK_FILE
        if not path.exists():
            return None
        try:
            return parse_fee_pack(path.read_bytes())
        except (CatalogError, OSError):
            return None

    def calendar(self):
        """Working calendar of the office: its own holidays file when the administrator set one
        (``[office].holidays_file``), else the holidays of the catalog in force (the hub's)."""
        return office_calendar(self.settings.office, lambda: self.catalog().holidays)

    def apply_settings(self, settings: Settings) -> None:
        """Use edited settings at once (admin panel): office, queue rules, time zone."""
        if getattr(self, "tls_port", None):   # HTTPS on (motcua tls enable): cookies only over TLS
            settings = replace(settings, web=replace(settings.web, secure_cookies=True))
        self.tz = ZoneInfo(settings.office.timezone)
        self.settings = settings
        self.engine.rules = QueueRules.from_settings(settings.queue)
        self.engine.tz = self.tz
        self.disk.low_space_mb = settings.storage.low_space_mb
        self.disk.full_space_mb = settings.storage.full_space_mb
        with self.db.write() as conn:
            pager_store.sync_pool(conn, settings.queue.pager_pool)
        self.bus.publish("settings.changed", {})

    @property
    def state_dir(self) -> Path:
        return Path(self.settings.storage.path).resolve().parent

    def public_base(self) -> str:
        """The address a citizen's phone opens for the QR links: ``[web].public_url``, else
        ``http://motcua.local`` (with the port when it is not 80)."""
        url = self.settings.web.public_url.strip()
        if url:
            return url.rstrip("/")
        port = self.settings.web.port
        return "http://motcua.local" + ("" if port == 80 else f":{port}")

    def today(self) -> str:
        return self.engine.today()

    def attach_devices(self) -> None:
        """Build the printer, pager and GPIO adapters named in the settings and wire them to events."""
        from .devices.wiring import attach
        attach(self)

    def start(self) -> None:
        # before the workers open their connections: theirs then keep only the backstop rule too
        self.checkpointer.start()
        self.devices.start_all()
        # once: the hub's lookup keys of dossiers received before they were sent (a slow hash each)
        threading.Thread(target=self._backfill_lookup_keys, name="lookup-keys", daemon=True).start()

    def _backfill_lookup_keys(self) -> None:
        from .services.lookup import backfill_hub_keys
        try:
            sent = backfill_hub_keys(self.db, self.units, self.stopping)
        except Exception:  # never in the way of serving; tried again at the next start
            log.exception("lookup keys of older dossiers not sent")
            return
        if sent:
            log.info("lookup keys sent to the hub for %d older open dossiers", sent)

    def stop(self) -> None:
        self.stopping.set()
        self.devices.stop_all()
        self.checkpointer.stop()
        self.db.close()

    def health(self) -> dict[str, Any]:
        try:
            version = self.db.version()
            conn = self.db.conn()
            backlog = outbox.backlog(conn)
            sync = {**outbox.sync_status(conn), "backlog": backlog}
            database = {"state": "ok", "schema": version}
        except Exception as exc:  # reported, never raised: health must answer
            sync = {"backlog": None}
            database = {"state": "error", "message": f"Lỗi cơ sở dữ liệu: {exc}"}
        devices = self.devices.status()
        bad = database["state"] == "error" or any(d.get("state") == "error" for d in devices.values())
        return {"status": "error" if bad else "ok", "version": __version__, "database": database,
                "devices": devices, "outbox": sync, "uptime_s": round(time.time() - self.started_at)}


FEE_PACK_FILE = "fee-pack.json"
TRAINING_DATABASE_KEY = "training.database"   # kv: set by the demo; not an office's real records


def is_training_database(settings: Settings) -> bool:
    """Did the demo make this database (so the rehearsal clock cannot touch an office's records)?
    Any other database, even one not created yet, counts as an office's."""
    path = Path(settings.storage.path)
    if not path.exists():
        return False
    db = Database(path, settings.storage.busy_timeout_ms)
    try:
        return kv_store.get(db.conn(), TRAINING_DATABASE_KEY) is not None
    except Exception:   # unreadable, or no kv table yet: treated as an office's records
        return False
    finally:
        db.close()
EVENT_IDS_KEY = "events.reserved_through"   # the high-water mark of the bus's event ids


def with_fee_pack(catalog, pack_path: Path, today):
    """The catalog with the province's fee pack applied (from its effective date); a pack that no
    longer fits the catalog is ignored (logged): the catalog's own amounts stay."""
    from .domain.catalog import CatalogError
    from .domain.catalog.fee_pack import apply_fee_pack, parse_fee_pack
    try:
        pack = parse_fee_pack(pack_path.read_bytes(), catalog)
        return apply_fee_pack(catalog, pack, today)
    except (CatalogError, OSError) as exc:
        log.warning("fee pack %s not applied: %s", pack_path, exc)
        return catalog


def office_calendar(office, catalog_holidays: Callable[[], Any]):
    """The office's working calendar: holidays from ``office.holidays_file`` when the administrator
    set one, else ``catalog_holidays()``. A wrong holidays file raises
    :class:`~appliance.domain.calendar.CalendarError` naming the file, the key and the mistake."""
    from .catalog.loader import load_holidays
    from .domain.calendar import CalendarError, WorkCalendar
    from .domain.catalog import CatalogError
    if office.holidays_file:
        try:
            holidays = load_holidays(office.holidays_file)
        except CatalogError as exc:
            raise CalendarError(str(exc)) from None
    else:
        holidays = catalog_holidays()
    return WorkCalendar.from_settings(office, holidays)

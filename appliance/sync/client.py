"""Pushes the outbox to the hub and pulls reference data down.

Batches of at most ``batch_max`` rows and 256 KB gzipped go to
``POST /api/v1/devices/{id}/events:batch``; the hub answers ``acked_through`` and rows up to it
are marked sent (never backwards). Errors back off exponentially with full jitter and honour
``Retry-After``. The status (backlog, last success, last error) is kept in the database's ``kv``
table, so the panel process shows it in ``/api/v1/health``.

The hub quarantines and acknowledges an event it cannot accept (``docs/hub.md``). Should a hub still
refuse a batch (409/422) naming one of its events (``events[i]…``), the events before it are sent on
their own, and an event refused when sent alone is **set aside**: recorded with the hub's reason
(``outbox.set_aside``, shown by health and ``motcua doctor``), its row kept in the outbox, and sent
from then on as a well-formed ``outbox.set_aside`` event under the same seq and id (every hub keeps
a well-formed event of a type it does not know), so the hub's acknowledgement passes it and the sync
goes on rather than repeating the same batch for ever.

This module is imported by ``motcua sync`` alone: it must stay free of Flask to keep the sync
process small.
"""
from __future__ import annotations

import gzip
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from ..errors import MotcuaError
from ..files import atomic_write
from ..store import kv_store, outbox
from ..store.db import Database
from . import identity as identity_mod
from .backoff import full_jitter, retry_after_seconds
from .identity import EnrolmentError, Identity

log = logging.getLogger(__name__)

MAX_GZIP_BYTES = 256 * 1024
MIN_BATCH = 25  # the smallest batch the adaptive size goes down to
NOT_JSON = "Máy chủ trả lời không phải JSON (có thể mạng cần đăng nhập qua trang web): {where}"
CATALOG_ETAG_KEY = "sync.catalog_etag"
FEE_PACK_ETAG_KEY = "sync.fee_pack_etag"
CONFIG_ETAG_KEY = "sync.config_etag"
APPOINTMENTS_ETAG_KEY = "sync.appointments_etag"
CATALOG_FILE = "catalog.json"
HUB_CONFIG_FILE = "hub-config.json"


def _not_json_detail(r: requests.Response) -> str:
    kind = r.headers.get("Content-Type", "không rõ kiểu").split(";")[0].strip() or "không rõ kiểu"
    return f"{r.url} trả {r.status_code} ({kind})"


EVENT_FIELD = re.compile(r"^events\[(\d+)\]")


class SyncError(MotcuaError):
    def __init__(self, message: str, retry_after: float | None = None, permanent: bool = False,
                 overloaded: bool = False, status: int | None = None, field: str | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.overloaded = overloaded  # no answer in time: the next batch is halved
        self.status = status          # the hub's HTTP status, when it answered
        self.field = field            # the field the hub's error names (``events[3].payload…``)

    def refused_event(self) -> int | None:
        """The index in the batch of the event a 409/422 refusal names, or None (a whole-request problem)."""
        if self.status not in (409, 422) or not self.field:
            return None
        match = EVENT_FIELD.match(self.field)
        return int(match.group(1)) if match else None


@dataclass
class PushResult:
    sent: int
    acked_through: int
    backlog: int


def encode_batch(device_id: str, events_json: list[str], backlog: int | None = None) -> bytes:
    """The gzipped batch; ``events_json`` are the outbox rows as JSON object texts."""
    from ..clock import boot_id, clock_synced
    head: dict[str, Any] = {
        "device_id": device_id,
        "sent_at": datetime.now(UTC).astimezone().isoformat(timespec="milliseconds"),
        "boot_id": boot_id(), "clock_synced": clock_synced()}
    if backlog is not None:
        head["backlog"] = backlog
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + \
        ',"events":[' + ",".join(events_json) + "]}"
    return gzip.compress(text.encode(), 6)


def enroll(url: str, token: str, state_dir: Path, ca_file: str = "", timeout_s: float = 15.0,
           session: requests.Session | None = None) -> Identity:
    """Exchange a one-time enrolment token for this device's identity and store it 0600."""
    url = url.rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise EnrolmentError("Địa chỉ máy chủ phải bắt đầu bằng https://")
    session = session or requests.Session()
    try:
        r = session.post(f"{url}/api/v1/enroll", json={"token": token.strip()}, timeout=(5, timeout_s),
                         verify=ca_file or True)
    except requests.exceptions.SSLError as exc:
        raise EnrolmentError(f"Chứng chỉ TLS của máy chủ không hợp lệ ({exc}); đặt [sync].ca_file nếu "
                             "máy chủ dùng CA riêng") from None
    except requests.RequestException as exc:
        raise EnrolmentError(f"Không kết nối được {url}: {exc}") from None
    if r.status_code != 200:
        try:
            message = r.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = r.text[:200]
        raise EnrolmentError(f"Máy chủ từ chối ghi danh ({r.status_code}): {message}")
    try:
        data = r.json()  # ValueError for HTML (a captive portal, a proxy)
        ident = Identity(hub_url=url, device_id=str(data["device_id"]), device_token=data["device_token"],
                         hub_name=data.get("hub_name", ""))
    except ValueError:
        raise EnrolmentError(NOT_JSON.format(where=_not_json_detail(r))) from None
    except (KeyError, TypeError, AttributeError):
        raise EnrolmentError("Máy chủ trả lời ghi danh thiếu 'device_id' hoặc 'device_token'; "
                             "kiểm tra địa chỉ máy chủ cấp trên") from None
    identity_mod.save(state_dir, ident)
    return ident


class SyncClient:
    def __init__(self, db: Database, sync_settings, state_dir: Path, ident: Identity | None = None,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, clock: Callable[[], float] = time.time,
                 appointments: Callable[[dict[str, Any]], Any] | None = None,
                 before_push: Callable[[], Any] | None = None):
        self.db = db
        self.settings = sync_settings
        self.state_dir = Path(state_dir)
        self.identity = ident or identity_mod.load(self.state_dir)
        self.session = session or requests.Session()
        self.session.verify = sync_settings.ca_file or True
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.clock = clock
        self.attempt = 0
        self.batch_size = sync_settings.batch_max  # adapts: halved when the hub is busy, regrown after
        #: applies the hub's public bookings and hand-backs (``AppointmentService.apply_hub``); None: not pulled
        self.appointments = appointments
        #: work due before each round's push (the appointments' no-shows counted, so they go up with it)
        self.before_push = before_push

    # --- helpers -----------------------------------------------------------------------------
    @property
    def enrolled(self) -> Identity:
        """This device's identity; :class:`SyncError` (permanent) before ``motcua enroll``."""
        if self.identity is None:
            raise SyncError("Thiết bị chưa ghi danh với máy chủ cấp trên: chạy 'motcua enroll URL MÃ'",
                            permanent=True)
        return self.identity

    @property
    def base(self) -> str:
        return self.enrolled.hub_url.rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.enrolled.device_token}"}

    def _timeout(self) -> tuple[float, float]:
        return (min(5.0, self.settings.timeout_s), self.settings.timeout_s)

    def _check(self, r: requests.Response) -> None:
        if r.status_code < 400:
            return
        field = None
        try:
            error = r.json()["error"]
            message = error["message"]
            field = error.get("field") if isinstance(error.get("field"), str) else None
        except (ValueError, KeyError, TypeError, AttributeError):
            message = r.text[:200] or r.reason
        retry = retry_after_seconds(r.headers.get("Retry-After"))
        permanent = r.status_code in (400, 401, 403, 404, 413, 422)
        # a 503/429 says "later", not "smaller": the batch size follows the answer times instead
        raise SyncError(f"Máy chủ trả lỗi {r.status_code}: {message}", retry, permanent, status=r.status_code,
                        field=field)

    def _status(self, **changes: Any) -> dict[str, Any]:
        with self.db.write() as conn:
            return outbox.record_sync_status(conn, **changes)

    def _now_iso(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).astimezone().isoformat(timespec="seconds")

    # --- push ----------------------------------------------------------------------------------
    def _batch(self, limit: int | None = None) -> tuple[list[int], bytes]:
        conn = self.db.conn()
        rows = outbox.pending_json(conn, min(self.batch_size, limit or self.batch_size))
        total = outbox.backlog(conn)
        body = encode_batch(self.enrolled.device_id, [r[1] for r in rows], total - len(rows))
        while len(body) > MAX_GZIP_BYTES and len(rows) > 1:
            rows = rows[: len(rows) // 2]
            body = encode_batch(self.enrolled.device_id, [r[1] for r in rows], total - len(rows))
        return [r[0] for r in rows], body

    def push_once(self) -> PushResult:
        """Send one batch (if any); mark what the hub acknowledged. A batch refused for one of its
        events: the events before it go alone, and that event refused alone is set aside."""
        limit: int | None = None
        for _ in range(4):   # the batch; the events before the refused one; that one alone; its placeholder
            try:
                return self._push(limit)
            except SyncError as exc:
                index = exc.refused_event()
                if index is None or (limit == 1 and not self._set_aside(exc)):
                    raise
                limit = index if index > 0 else 1
        return self._push(limit)

    def _set_aside(self, exc: SyncError) -> bool:
        """The next row, refused by the hub when sent alone, is recorded and from now on sent as its
        placeholder; False when it was set aside already (the hub refuses the placeholder too)."""
        rows = outbox.pending_json(self.db.conn(), 1)
        if not rows or rows[0][0] in outbox.set_aside_seqs(self.db.conn()):
            return False
        seq = rows[0][0]
        with self.db.write() as conn:
            outbox.set_aside(conn, seq, str(exc), self._now_iso())
        log.error("sync: máy chủ từ chối sự kiện số %s, để riêng và gửi tiếp: %s", seq, exc)
        return True

    def _push(self, limit: int | None) -> PushResult:
        base = self.base
        seqs, body = self._batch(limit)
        if not seqs:
            return PushResult(0, outbox.acked_through(self.db.conn()), 0)
        started = time.monotonic()
        try:
            try:
                r = self.session.post(
                    f"{base}/api/v1/devices/{self.enrolled.device_id}/events:batch", data=body,
                    headers={**self._headers(), "Content-Type": "application/json", "Content-Encoding": "gzip"},
                    timeout=self._timeout())
            except requests.Timeout as exc:
                raise SyncError(f"Máy chủ không trả lời kịp ({self.settings.timeout_s:g} s): {exc}",
                                overloaded=True) from None
            except requests.RequestException as exc:
                raise SyncError(f"Không gửi được tới máy chủ: {type(exc).__name__}: {exc}") from None
            self._check(r)
        except SyncError as exc:
            if exc.overloaded:
                self.batch_size = max(MIN_BATCH, self.batch_size // 2)
            raise
        self._adapt(time.monotonic() - started)
        try:
            answer = r.json()
        except ValueError:
            raise SyncError(NOT_JSON.format(where=_not_json_detail(r))) from None
        try:
            acked = int(answer["acked_through"])
        except (ValueError, KeyError, TypeError):
            raise SyncError("Máy chủ trả lời không có 'acked_through'") from None
        acked = min(acked, seqs[-1])  # never trust an ack beyond what was sent
        if acked < seqs[0] - 1:
            # the hub misses rows this device counts as acknowledged: sending on would repeat this batch
            # for ever; say so and wait (the error stays in the status for the administrators)
            raise SyncError(f"Máy chủ chỉ xác nhận đến sự kiện số {acked}, thiết bị đã được xác nhận đến "
                            f"{seqs[0] - 1}: máy chủ thiếu dữ liệu (khôi phục từ bản sao lưu cũ?); báo cán bộ "
                            "quản trị cấp trên")
        with self.db.write() as conn:
            outbox.mark_acked(conn, acked)
        return PushResult(len(seqs), acked, outbox.backlog(self.db.conn()))

    def _adapt(self, took_s: float) -> None:
        """A slow answer (over a third of the timeout) halves the next batch; a quick one lets it
        grow back towards ``batch_max``."""
        if took_s > self.settings.timeout_s / 3:
            self.batch_size = max(MIN_BATCH, self.batch_size // 2)
        else:
            self.batch_size = min(self.settings.batch_max, self.batch_size * 2)

    def drain(self, max_batches: int = 10_000) -> int:
        """Push until the backlog is empty; returns events sent. Raises SyncError on failure."""
        sent = 0
        for _ in range(max_batches):
            result = self.push_once()
            sent += result.sent
            if result.backlog == 0 or result.sent == 0:
                break
        return sent

    # --- pull ----------------------------------------------------------------------------------
    def _get_with_etag(self, path: str, etag_key: str) -> dict[str, Any] | None:
        known = kv_store.get(self.db.conn(), etag_key)
        headers = self._headers()
        if known:
            headers["If-None-Match"] = known
        try:
            r = self.session.get(f"{self.base}{path}", headers=headers, timeout=self._timeout())
        except requests.RequestException as exc:
            raise SyncError(f"Không tải được {path}: {exc}") from None
        if r.status_code == 304:
            return None
        if r.status_code == 404 and (path.endswith("/catalog") or path.endswith("/fee-pack")):
            return {"data": None, "etag": None}  # the hub has not published a catalog yet
        self._check(r)
        try:
            data = r.json()
        except ValueError:
            raise SyncError(NOT_JSON.format(where=_not_json_detail(r))) from None
        if not isinstance(data, dict):
            raise SyncError(f"Máy chủ trả {path} không phải một đối tượng JSON") from None
        etag = r.headers.get("ETag")
        return {"data": data, "etag": etag}

    def _remember_etag(self, key: str, etag: str | None) -> None:
        if etag:
            with self.db.write() as conn:
                kv_store.put(conn, key, etag)

    def pull_catalog(self) -> bool:
        """Apply a newer procedure catalog atomically, then the province's fee pack that goes with
        it (:meth:`pull_fee_pack`); True if a new catalog was applied."""
        applied = self._pull_catalog_document()
        self.pull_fee_pack()
        return applied

    def _pull_catalog_document(self) -> bool:
        got = self._get_with_etag("/api/v1/catalog", CATALOG_ETAG_KEY)
        if got is None:
            return False
        if got["data"] is None:
            return False
        data = got["data"].get("catalog", got["data"])
        from ..domain.catalog.contract import check_published
        from ..store.outbox import record_catalog_rejected
        # the same contract the hub checks with before it publishes (appliance.domain.catalog.contract)
        _catalog, problems = check_published(data)
        if problems:
            version = got["data"].get("version")
            with self.db.write() as conn:
                record_catalog_rejected(conn, {"at": self._now_iso(), "version": version, "problems": problems})
            raise SyncError("Danh mục thủ tục từ máy chủ bị từ chối, vẫn dùng bản cũ: " + "; ".join(problems),
                            permanent=True) from None
        current = self.state_dir / CATALOG_FILE
        # Hub-owned reference data: the hub's version wins, whatever the local clock says.
        atomic_write(current, json.dumps(data, ensure_ascii=False).encode(), 0o644)
        self._remember_etag(CATALOG_ETAG_KEY, got["etag"])
        with self.db.write() as conn:
            record_catalog_rejected(conn, None)
        return True

    def pull_fee_pack(self) -> bool:
        """The province's fee pack (resolution, effective date, amounts): checked against the catalog
        in force with the appliance's own parser, then written atomically; True if a new one came."""
        got = self._get_with_etag("/api/v1/fee-pack", FEE_PACK_ETAG_KEY)
        if got is None or got["data"] is None:
            return False
        from ..catalog.loader import load_catalog
        from ..domain.catalog import CatalogError
        from ..domain.catalog.contract import short_problems
        from ..domain.catalog.fee_pack import FILE, parse_fee_pack
        current = self.state_dir / CATALOG_FILE
        try:
            parse_fee_pack(got["data"], load_catalog(current if current.exists() else None))
        except CatalogError as exc:
            raise SyncError("Bảng lệ phí của tỉnh từ máy chủ bị từ chối: " + "; ".join(short_problems(exc.problems)),
                            permanent=True) from None
        atomic_write(self.state_dir / FILE, json.dumps(got["data"], ensure_ascii=False).encode(), 0o644)
        self._remember_etag(FEE_PACK_ETAG_KEY, got["etag"])
        return True

    def pull_config(self) -> bool:
        got = self._get_with_etag(f"/api/v1/devices/{self.enrolled.device_id}/config", CONFIG_ETAG_KEY) \
            if self.identity else None
        if got is None:
            return False
        atomic_write(self.state_dir / HUB_CONFIG_FILE,
                                  json.dumps(got["data"], ensure_ascii=False, indent=1).encode(), 0o644)
        self._remember_etag(CONFIG_ETAG_KEY, got["etag"])
        return True

    def pull_appointments(self) -> dict[str, int] | None:
        """The bookings made on the hub's public page and the slots it handed back
        (docs/appointments.md), applied in one unit of work; None when unchanged (304) or not asked.
        The ETag is remembered only after the document is applied: a crash in between pulls it again."""
        if self.appointments is None:
            return None
        got = self._get_with_etag(f"/api/v1/devices/{self.enrolled.device_id}/appointments", APPOINTMENTS_ETAG_KEY)
        if got is None:
            return None
        data = got["data"]
        if not isinstance(data.get("bookings", []), list) or not isinstance(data.get("released", []), list):
            raise SyncError("Máy chủ trả lịch hẹn không đúng dạng ('bookings', 'released' phải là danh sách)")
        applied = self.appointments(data)
        self._remember_etag(APPOINTMENTS_ETAG_KEY, got["etag"])
        return applied

    # --- the loop ------------------------------------------------------------------------------
    def cycle(self) -> dict[str, Any]:
        """One round: drain the outbox (the slots offered go up first), pull the hub's bookings, the
        catalog and config. Records status; raises on error."""
        self._status(last_attempt=self._now_iso())
        try:
            if self.before_push is not None:
                self.before_push()
            sent = self.drain()
            self.pull_appointments()
            self.pull_catalog()
            self.pull_config()
        except SyncError as exc:
            self._status(last_error=str(exc), last_error_at=self._now_iso())
            raise
        except Exception as exc:
            self._record_unexpected(exc)
            raise
        self.attempt = 0
        return self._status(last_success=self._now_iso(), last_sent=sent, last_error=None)

    def _record_unexpected(self, exc: BaseException) -> None:
        """An error nobody foresaw: keep it in the status so the panel shows it (best effort)."""
        try:
            self._status(last_error=f"Lỗi không lường trước khi đồng bộ: {type(exc).__name__}: {exc}",
                         last_error_at=self._now_iso())
        except Exception:  # the database itself may be what failed
            log.exception("sync: could not record the error in the status")

    def wait_after_error(self, exc: BaseException) -> float:
        """After a ``Retry-After`` the hub's own time, never sooner, spread over half as long again
        so that the devices it turned away together do not all come back in the same second (no
        exponential growth on top: the hub said when it can take the batch). After any other
        error, exponential back-off with full jitter."""
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:  # the hub answered: no step up the back-off ladder
            return min(600.0, retry_after * (1 + self.rng.uniform(0, 0.5)))
        self.attempt += 1
        return full_jitter(self.attempt, base_s=2.0, cap_s=600.0, rng=self.rng)

    def healthy(self, stuck_after_s: float = 300.0) -> bool:
        """For the systemd watchdog: False only if one round has been running for too long."""
        started = self._cycle_started
        return started is None or time.monotonic() - started < stuck_after_s

    _cycle_started: float | None = None

    def run(self, stop: threading.Event, on_cycle: Callable[[], None] | None = None) -> None:
        while not stop.is_set():
            self._cycle_started = time.monotonic()
            try:
                self.cycle()
                wait = self.settings.interval_s
            except SyncError as exc:
                log.warning("sync: %s", exc)
                wait = self.wait_after_error(exc)
            except Exception as exc:  # never let one odd answer or bug stop the sync service
                log.exception("sync: unexpected error; retrying later")
                wait = self.wait_after_error(exc)
            self._cycle_started = None
            if on_cycle:
                on_cycle()
            stop.wait(wait)


def read_status(db: Database) -> dict[str, Any]:
    return outbox.sync_status(db.conn())

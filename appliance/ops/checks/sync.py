"""The upstream hub: configured, enrolled, reachable, and still accepting this device."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ...config import Settings
from ..check import FAIL, OK, SKIP, WARN, Check
from .common import as_service_user
from .context import Context


def _device_token_present(settings: Settings) -> bool:
    """Enrolled: `motcua enroll` stored the identity (or a token is set in the config)."""
    from ...sync.identity import FILE_NAME
    return bool(settings.sync.token) or (settings.state_dir / FILE_NAME).is_file()


def _backlog(settings: Settings, set_aside: bool = False) -> int | None:
    """Outbox rows waiting (or, with ``set_aside``, rows the hub refused and the sync passed over)."""
    path = Path(settings.storage.path)
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            from ...store import outbox
            return int(outbox.set_aside_rows(conn)["count"]) if set_aside else outbox.backlog(conn)
        finally:
            conn.close()
    except (sqlite3.Error, ImportError, ValueError, KeyError):
        return None


def check_sync(settings: Settings, timeout_s: float = 3.0) -> Check:
    url = settings.sync.url.rstrip("/")
    backlog = _backlog(settings)
    waiting = "" if backlog is None else f"; {backlog} sự kiện chờ gửi"
    if not url:
        return Check("Đồng bộ", SKIP, "chưa cấu hình máy chủ cấp trên (máy hoạt động độc lập)" + waiting)
    if not _device_token_present(settings):
        return Check("Đồng bộ", WARN, f"chưa ghi danh với {url}" + waiting,
                     "Xin mã ghi danh từ cán bộ quản trị cấp trên rồi chạy: "
                     + as_service_user(settings, "enroll URL MÃ"))
    import requests
    try:
        answer = requests.get(url + "/api/v1/health", timeout=timeout_s,
                              verify=settings.sync.ca_file or True)
    except requests.RequestException as exc:
        return Check("Đồng bộ", WARN, f"không liên lạc được {url} ({type(exc).__name__})" + waiting,
                     "Kiểm tra mạng Internet; dữ liệu vẫn được giữ và sẽ gửi khi có mạng")
    if answer.status_code >= 400:
        return Check("Đồng bộ", WARN, f"máy chủ trả lời mã {answer.status_code}" + waiting,
                     "Báo cán bộ quản trị cấp trên kèm tệp hỗ trợ (motcua support-bundle)")
    refused = _device_refused(settings, timeout_s)
    if refused:
        return Check("Đồng bộ", FAIL, refused + waiting,
                     "Xin mã ghi danh mới (motcua-hub device add) rồi chạy: "
                     + as_service_user(settings, "enroll URL MÃ"))
    aside = _backlog(settings, set_aside=True)
    if aside:
        return Check("Đồng bộ", WARN, f"liên lạc được {url}; {aside} sự kiện bị máy chủ từ chối, đã để riêng"
                     + waiting, "Máy chủ cấp trên cần được nâng cấp (bản mới cách ly thay vì từ chối); gửi tệp "
                     "hỗ trợ (motcua support-bundle) cho cán bộ quản trị cấp trên")
    return Check("Đồng bộ", OK, f"liên lạc được {url}" + waiting)


def _device_refused(settings: Settings, timeout_s: float) -> str:
    """Ask the hub, with the device token, for this device's settings (what the sync service does):
    a revoked or wrong token answers 401/403 although /api/v1/health is fine. "" when accepted or
    when the answer says nothing about the token."""
    import requests

    from ...sync import identity
    try:
        ident = identity.load(settings.state_dir)
    except identity.EnrolmentError as exc:
        return str(exc)
    except OSError:  # not readable by this user: the health answer is all we know
        return ""
    if ident is None:
        return ""
    try:
        answer = requests.get(f"{ident.hub_url.rstrip('/')}/api/v1/devices/{ident.device_id}/config",
                              headers={"Authorization": f"Bearer {ident.device_token}"},
                              timeout=timeout_s, verify=settings.sync.ca_file or True)
    except requests.RequestException:
        return ""
    if answer.status_code in (401, 403):
        return (f"Thiết bị đã bị thu hồi hoặc mã không đúng (máy chủ trả lời {answer.status_code} "
                f"cho thiết bị {ident.device_id})")
    return ""


def run(ctx: Context) -> list[Check]:
    return [check_sync(ctx.settings, ctx.hub_timeout_s)]

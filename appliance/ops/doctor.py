"""``motcua doctor``: check configuration, database, fonts, devices, clock, disk and sync, and say
in Vietnamese what to do about each problem.

    checks = run_doctor(settings)
    print(format_report(checks)); sys.exit(exit_status(checks))

or, from the command line wiring, ``sys.exit(main(config_path))`` which also turns a broken
configuration file into a report line instead of a traceback.
"""
from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Callable

from ..config import ConfigError, Settings, load
from .check import FAIL, OK, SKIP, WARN, Check, exit_status, format_report
from .probes import SYSFS_USB, probe_device, probe_gpiochip
from .screen_checks import check_screens

SERVICE_USER = "motcua"
DEFAULT_CONFIG = "/etc/motcua/config.toml"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
VIETNAMESE_SAMPLE = "Phiếu số ĐẶNG Ệ ữ ỹ"
BACKUP_MAX_AGE_DAYS = 7


def run_doctor(settings: Settings, *, clock_synced: Callable[[], bool] | None = None,
               min_free_mb: int | None = None, warn_free_mb: int | None = None,
               sysfs_usb: Path = SYSFS_USB, dev_dir: Path = Path("/dev"),
               fonts: tuple[str, ...] = FONT_CANDIDATES, hub_timeout_s: float = 3.0,
               now: Callable[[], float] = time.time) -> list[Check]:
    """Every check, in the order an officer would fix them. Never raises for a broken part."""
    if clock_synced is None:
        from ..clock import clock_synced as clock_synced_fn
        clock_synced = clock_synced_fn
    checks = [check_config(settings), check_agency(settings)]
    checks += check_database(settings, now)
    checks += check_screens(settings.storage.path, now)
    checks.append(check_fonts(fonts))
    checks.append(probe_device("Máy in", settings.printer.url, sysfs_usb=sysfs_usb, dev_dir=dev_dir))
    checks.append(probe_device("Bộ phát thẻ rung", settings.pager.url, sysfs_usb=sysfs_usb,
                               dev_dir=dev_dir))
    checks.append(check_gpio(settings, dev_dir))
    checks.append(check_clock(clock_synced))
    checks.append(check_disk(settings, min_free_mb, warn_free_mb))
    checks.append(check_sync(settings, hub_timeout_s))
    checks.append(check_catalog_from_hub(settings))
    checks += check_services()
    return checks


def main(config_path: str | None = None, **kwargs) -> int:
    """Load the configuration, run every check, print the report; returns the exit status."""
    try:
        settings = load(config_path)
    except ConfigError as exc:
        checks = [Check("Cấu hình", FAIL, str(exc),
                        "Sửa tệp cấu hình theo thông báo trên rồi chạy lại: sudo motcua doctor")]
    else:
        checks = run_doctor(settings, **kwargs)
    print(format_report(checks), end="")
    return exit_status(checks)


# --- configuration ---------------------------------------------------------------------------
def _config_file(settings: Settings) -> Path | None:
    first = settings.source.split(" + ")[0]
    return Path(first) if first.startswith("/") or first.endswith(".toml") else None


def check_config(settings: Settings) -> Check:
    file = _config_file(settings)
    if file is None:
        return Check("Cấu hình", WARN, f"không có tệp cấu hình, đang dùng {settings.source}",
                     "Tạo /etc/motcua/config.toml (cài lại gói motcua sẽ tạo tệp mẫu)")
    try:
        mode = file.stat().st_mode
    except OSError:
        mode = 0
    if settings.sync.token and mode & 0o004:
        return Check("Cấu hình", WARN, f"{file} chứa mã đồng bộ nhưng ai cũng đọc được",
                     f"Chạy: sudo chmod 640 {file}")
    return Check("Cấu hình", OK, f"hợp lệ ({settings.source})")


# --- database --------------------------------------------------------------------------------
def check_agency(settings: Settings) -> Check:
    """The agency code in dossier codes: the placeholder is flagged, and refused when the province
    delegated the code space (the appliance's numbers would be official codes)."""
    from ..domain.province_code import agency_problem
    office = settings.office
    problem = agency_problem(office.agency_code)
    delegated = getattr(office, "code_space", "local") == "delegated"
    if problem is None:
        space = "tỉnh giao dải mã" if delegated else "số nội bộ; mã hồ sơ do hệ thống một cửa của tỉnh cấp"
        return Check("Mã cơ quan", OK, f"{office.agency_code} ({space})")
    fix = "sửa [office].agency_code trong /etc/motcua/config.toml hoặc trang Quản trị > Cài đặt"
    if delegated:
        return Check("Mã cơ quan", FAIL, f"{problem} Tỉnh đã giao dải mã nên không thể tiếp nhận hồ sơ.", fix)
    return Check("Mã cơ quan", WARN, str(problem), fix)


def as_service_user(settings: Settings, command: str) -> str:
    """``motcua COMMAND`` run as the service user: run as root, `init` and `enroll` would leave
    files in the state directory that only root can read."""
    file = _config_file(settings)
    config = str(file) if file is not None and file.is_absolute() else DEFAULT_CONFIG
    return f"sudo -u {SERVICE_USER} env MOTCUA_CONFIG={config} motcua {command}"


def init_command(settings: Settings) -> str:
    return as_service_user(settings, "init")


def check_database(settings: Settings, now: Callable[[], float] = time.time) -> list[Check]:
    from ..store.db import latest_version
    path = Path(settings.storage.path)
    if not path.exists():
        return [Check("Cơ sở dữ liệu", FAIL, f"chưa có {path}",
                      "Chạy: sudo systemctl restart motcua-firstboot (tự khởi tạo lần đầu), "
                      f"hoặc: {init_command(settings)}")]
    checks = []
    owner = _owner_problem(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            result = "; ".join(r[0] for r in conn.execute("PRAGMA quick_check").fetchall())
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [Check("Cơ sở dữ liệu", FAIL, f"không đọc được {path}: {exc}",
                      "Chạy lại bằng quyền quản trị: sudo motcua doctor; nếu vẫn lỗi, khôi phục "
                      "bản sao lưu gần nhất (xem hướng dẫn sao lưu)")]
    latest = latest_version()
    if result != "ok":
        checks.append(Check("Cơ sở dữ liệu", FAIL, f"{path} bị hỏng ({result[:200]})",
                            "Dừng dịch vụ (sudo systemctl stop motcua) và khôi phục bản sao lưu gần nhất"))
    elif version > latest:
        checks.append(Check("Cơ sở dữ liệu", FAIL,
                            f"phiên bản dữ liệu {version} mới hơn phần mềm ({latest})",
                            "Cài bản motcua mới hơn, hoặc khôi phục bản sao lưu tương ứng"))
    elif version < latest:
        checks.append(Check("Cơ sở dữ liệu", WARN, f"phiên bản dữ liệu {version}, cần nâng lên {latest}",
                            f"Chạy: {init_command(settings)} (nâng cấp dữ liệu, giữ nguyên số liệu)"))
    elif owner:
        checks.append(Check("Cơ sở dữ liệu", FAIL, owner,
                            f"Chạy: sudo chown -R {SERVICE_USER}:{SERVICE_USER} {path.parent}"))
    else:
        mode = "WAL" if journal.lower() == "wal" else journal
        checks.append(Check("Cơ sở dữ liệu", OK, f"{path} nguyên vẹn, phiên bản {version}, nhật ký {mode}"))
    checks.append(check_backups(path.parent / "backup", now))
    return checks


def _owner_problem(path: Path) -> str:
    try:
        expected = pwd.getpwnam(SERVICE_USER).pw_uid
    except KeyError:
        return ""  # development machine: no service user
    uid = path.stat().st_uid
    if uid != expected:
        try:
            name = pwd.getpwuid(uid).pw_name
        except KeyError:
            name = str(uid)
        return f"{path} thuộc người dùng '{name}', dịch vụ chạy bằng '{SERVICE_USER}' sẽ không ghi được"
    return ""


def check_backups(folder: Path, now: Callable[[], float] = time.time) -> Check:
    try:
        files = [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        files = []
    if not files:
        return Check("Sao lưu", WARN, f"chưa có bản sao lưu trong {folder}",
                     f"Chạy: sudo -u {SERVICE_USER} motcua backup {folder}/motcua-$(date +%F).db, "
                     "rồi chép ra USB hoặc máy khác")
    newest = max(files, key=lambda p: p.stat().st_mtime)
    age_days = (now() - newest.stat().st_mtime) / 86400
    if age_days > BACKUP_MAX_AGE_DAYS:
        return Check("Sao lưu", WARN, f"bản mới nhất {newest.name} đã {age_days:.0f} ngày",
                     "Sao lưu lại (motcua backup) và chép ra nơi khác")
    return Check("Sao lưu", OK, f"bản mới nhất {newest.name} ({age_days:.1f} ngày trước)")


# --- fonts -----------------------------------------------------------------------------------
def check_fonts(candidates: tuple[str, ...] = FONT_CANDIDATES) -> Check:
    from PIL import ImageFont
    for path in candidates:
        if not Path(path).exists():
            continue
        try:
            font = ImageFont.truetype(path, 24)
            box = font.getbbox(VIETNAMESE_SAMPLE)
        except OSError as exc:
            return Check("Phông chữ", FAIL, f"{path} không mở được: {exc}",
                         "Cài lại phông: sudo apt install --reinstall fonts-dejavu-core")
        if box[2] - box[0] > 0:
            return Check("Phông chữ", OK, f"{Path(path).name} có đủ dấu tiếng Việt")
    return Check("Phông chữ", FAIL, "không có phông chữ tiếng Việt để in phiếu",
                 "Cài phông: sudo apt install fonts-dejavu-core")


# --- GPIO ------------------------------------------------------------------------------------
def check_gpio(settings: Settings, dev_dir: Path = Path("/dev")) -> Check:
    g = settings.gpio
    pins = (len(g.ticket_buttons) + len(g.call_buttons) + len(g.recall_buttons)
            + len(g.rating_buttons) + (g.fault_led >= 0) + (g.buzzer >= 0))
    pager_gpio = settings.pager.url.startswith("gpio:")
    if not pins and not pager_gpio:
        return Check("Nút bấm GPIO", SKIP, "không cấu hình nút bấm hay đèn nào")
    if not pins:  # only a gpio:// pager: it drives lgpio itself, [gpio].factory does not matter
        chip = probe_gpiochip("Nút bấm GPIO", dev_dir)
        if chip.status != OK:
            return chip
        return Check("Nút bấm GPIO", OK, f"chỉ bộ phát thẻ rung dùng GPIO ({settings.pager.url}); {chip.message}")
    if g.factory == "none":
        return Check("Nút bấm GPIO", WARN, f"cấu hình {pins} chân nhưng [gpio] factory = \"none\"",
                     "Đặt [gpio] factory = \"auto\" để dùng nút bấm")
    if g.factory == "mock":
        return Check("Nút bấm GPIO", WARN, "đang dùng chân giả lập (mock), nút bấm thật không có tác dụng",
                     "Đặt [gpio] factory = \"auto\" trên Raspberry Pi")
    chip = probe_gpiochip("Nút bấm GPIO", dev_dir)
    if chip.status != OK:
        return chip
    return Check("Nút bấm GPIO", OK, f"{pins} chân đã cấu hình; {chip.message}")


# --- clock and disk --------------------------------------------------------------------------
def check_clock(clock_synced: Callable[[], bool]) -> Check:
    try:
        synced = bool(clock_synced())
    except Exception:
        synced = False
    if synced:
        return Check("Đồng hồ", OK, "đã đồng bộ giờ qua mạng (NTP)")
    return Check("Đồng hồ", WARN, "chưa đồng bộ giờ qua mạng; giờ trên phiếu có thể sai",
                 "Kiểm tra mạng Internet và chạy: timedatectl; máy vẫn hoạt động, máy chủ sẽ tự hiệu chỉnh")


def _existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def vn_number(value: float, decimals: int = 0) -> str:
    """A number as Vietnamese writes it: ``.`` between thousands, ``,`` before decimals
    (``79.575``, ``252,0``)."""
    return f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def check_disk(settings: Settings, min_free_mb: int | None = None, warn_free_mb: int | None = None) -> Check:
    """FAIL ("đầy") below ``[storage] full_space_mb`` free, WARN below ``low_space_mb`` (the
    thresholds of the panel's own alarm) or under 10 % free."""
    min_free_mb = settings.storage.full_space_mb if min_free_mb is None else min_free_mb
    warn_free_mb = settings.storage.low_space_mb if warn_free_mb is None else warn_free_mb
    where = _existing(Path(settings.storage.path).parent)
    usage = shutil.disk_usage(where)
    free_mb = usage.free / 2**20
    text = f"còn trống {vn_number(free_mb)} MB / {vn_number(usage.total / 2**30, 1)} GB tại {where}"
    if free_mb < min_free_mb:
        return Check("Dung lượng thẻ nhớ", FAIL, f"Thẻ nhớ đã đầy: {text}; máy không ghi được số mới",
                     "Xóa bản sao lưu cũ đã chép ra ngoài, hoặc thay thẻ nhớ lớn hơn; "
                     "nhật ký: sudo journalctl --vacuum-size=100M")
    if free_mb < warn_free_mb or usage.free < usage.total * 0.1:
        return Check("Dung lượng thẻ nhớ", WARN, text, "Chép bản sao lưu cũ ra ngoài rồi xóa bớt")
    return Check("Dung lượng thẻ nhớ", OK, text)


# --- sync ------------------------------------------------------------------------------------
def _device_token_present(settings: Settings) -> bool:
    """Enrolled: `motcua enroll` stored the identity (or a token is set in the config)."""
    from ..sync.identity import FILE_NAME
    return bool(settings.sync.token) or (settings.state_dir / FILE_NAME).is_file()


def _backlog(settings: Settings) -> int | None:
    path = Path(settings.storage.path)
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            from ..store import outbox
            return outbox.backlog(conn)
        finally:
            conn.close()
    except (sqlite3.Error, ImportError):
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
    return Check("Đồng bộ", OK, f"liên lạc được {url}" + waiting)


def check_catalog_from_hub(settings: Settings) -> Check:
    """A catalog the hub sent and this appliance refused: one line per problem (at most a few)."""
    path = Path(settings.storage.path)
    if not path.exists():
        return Check("Danh mục từ cấp trên", SKIP, "chưa có cơ sở dữ liệu")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM kv WHERE key = 'sync.catalog_rejected'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Check("Danh mục từ cấp trên", SKIP, f"không đọc được: {exc}")
    if not row:
        return Check("Danh mục từ cấp trên", OK, "không có danh mục nào bị từ chối")
    import json
    rejected = json.loads(row[0])
    lines = "\n    ".join(rejected.get("problems") or [])
    return Check("Danh mục từ cấp trên", WARN,
                 f"phiên bản {rejected.get('version')} bị từ chối, vẫn dùng bản cũ:\n    {lines}",
                 "Báo cán bộ quản trị cấp trên sửa danh mục rồi công bố lại (motcua-hub catalog publish)")


def _device_refused(settings: Settings, timeout_s: float) -> str:
    """Ask the hub, with the device token, for this device's settings (what the sync service does):
    a revoked or wrong token answers 401/403 although /api/v1/health is fine. "" when accepted or
    when the answer says nothing about the token."""
    import requests
    from ..sync import identity
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


# --- services --------------------------------------------------------------------------------
def check_services(units: tuple[str, ...] = ("motcua.service", "motcua-sync.service")) -> list[Check]:
    if not Path("/run/systemd/system").is_dir() or not shutil.which("systemctl"):
        return []
    checks = []
    for unit in units:
        state = subprocess.run(["systemctl", "is-active", unit], capture_output=True, text=True,
                               timeout=10, env={**os.environ, "LC_ALL": "C"}).stdout.strip()
        if state == "active":
            checks.append(Check(f"Dịch vụ {unit}", OK, "đang chạy"))
        else:
            checks.append(Check(f"Dịch vụ {unit}", FAIL if unit == "motcua.service" else WARN,
                                f"trạng thái '{state or 'không rõ'}'",
                                f"Xem lỗi: sudo journalctl -u {unit} -n 50; "
                                f"khởi động lại: sudo systemctl restart {unit}"))
    return checks


if __name__ == "__main__":  # python -m appliance.ops.doctor [CONFIG]
    import sys
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))

"""Typed settings: built-in defaults < config file < MOTCUA_* environment.

The file is ``/etc/motcua/config.toml`` unless ``--config PATH`` or ``MOTCUA_CONFIG`` names
another. Environment variables are ``MOTCUA_<SECTION>_<KEY>`` (``MOTCUA_WEB_PORT=9000``); their
values are read as TOML values when they parse as such (numbers, booleans, arrays, inline
tables), otherwise as plain strings.

Only variables that name a setting are read: ``MOTCUA_TEST_PG`` (a test's) is not a setting and
is left alone, while a mistyped setting (``MOTCUA_WEB_PROT``, ``MOTCUA_WBE_PORT``) stops like a
wrong key in the file.

A wrong key or value raises :class:`ConfigError` whose message is one line naming the key and
what is allowed; the command line prints it and exits.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import MotcuaError

DEFAULT_PATH = Path("/etc/motcua/config.toml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PAGER_PROTOCOLS = (
    "jtech-8214", "jtech-j1901", "waveware", "lrs-t74", "bridge",
    "retekess-td157", "retekess-td158", "retekess-t119",
)
# MOTCUA_* variables that are not settings and are never mistaken for one: the config file's path,
# the clock switch, the package scripts' and image build's switches, the hub's own (motcua-hub), and
# the tests' and benches' (MOTCUA_TEST_PG, MOTCUA_BENCH_PG, MOTCUA_TEST_CACHE, MOTCUA_UPDATE_GOLDEN).
RESERVED_ENV = frozenset({"MOTCUA_CONFIG", "MOTCUA_CLOCK_SYNCED", "MOTCUA_DEFER_INIT", "MOTCUA_PURGE_DATA",
                          "MOTCUA_DATA_LABEL", "MOTCUA_UPDATE_GOLDEN"})
RESERVED_ENV_PREFIXES = ("MOTCUA_HUB_", "MOTCUA_TEST_", "MOTCUA_BENCH_")
DEVICE_SCHEMES = ("usb", "serial", "tcp", "file", "sim", "gpio", "socket", "loop")


class ConfigError(MotcuaError):
    """A configuration mistake; ``str()`` is one line, in Vietnamese, naming the key."""


def _hhmm_range(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError("dạng 'HH:MM-HH:MM', ví dụ '07:30-11:30'")
    start, end = value.split("-")
    if start >= end:
        raise ValueError("giờ bắt đầu phải trước giờ kết thúc")
    return value


def _optional_hhmm_range(value: str) -> str:
    return _hhmm_range(value) if value else value


def _hhmm(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError("dạng 'HH:MM', ví dụ '15:00'")
    return value


def _weekdays(value: list) -> tuple[str, ...]:
    bad = [d for d in value if d not in WEEKDAYS]
    if bad:
        raise ValueError("các ngày trong " + ", ".join(WEEKDAYS))
    return tuple(value)


def _device_url(value: str) -> str:
    if value == "":
        return value
    scheme = value.split(":", 1)[0]
    if "://" not in value or scheme not in DEVICE_SCHEMES:
        raise ValueError("địa chỉ thiết bị dạng " + ", ".join(s + "://…" for s in DEVICE_SCHEMES)
                         + " hoặc để trống")
    return value


SMS_SCHEMES = ("serial", "socket", "tcp", "loop", "sim", "http", "https")


def _sms_url(value: str) -> str:
    if value == "":
        return value
    scheme = value.split(":", 1)[0]
    if "://" not in value or scheme not in SMS_SCHEMES:
        raise ValueError("địa chỉ dạng serial:///dev/motcua-modem (modem GSM), sim://THƯ_MỤC, "
                         "https://… (cổng SMS qua mạng) hoặc để trống")
    return value


def _ratio(value: str) -> str:
    if not re.fullmatch(r"[1-9]\d*:\d+", value):
        raise ValueError("dạng 'P:N' (tối đa P lượt ưu tiên cho mỗi N lượt thường), ví dụ '1:2'")
    return value


def _port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise ValueError("số nguyên 1–65535")
    return value


def _positive(value: int | float) -> int | float:
    if value <= 0:
        raise ValueError("số dương")
    return value


def _repeat(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        raise ValueError("số nguyên từ 1 đến 3")
    return value


def _non_negative(value: int | float) -> int | float:
    if value < 0:
        raise ValueError("số không âm")
    return value


def _pin_map(value: dict) -> dict[str, int]:
    for k, v in value.items():
        if not isinstance(v, int) or not 0 <= v <= 27:
            raise ValueError(f"mỗi giá trị là số chân BCM 0–27 (khóa '{k}')")
    return {str(k): v for k, v in value.items()}


def _pin_lists(value: dict) -> dict[str, tuple[int, ...]]:
    out = {}
    for k, v in value.items():
        if (not isinstance(v, (list, tuple)) or len(v) not in (3, 5)
                or not all(isinstance(p, int) and 0 <= p <= 27 for p in v)):
            raise ValueError(f"mỗi quầy một danh sách 3 hoặc 5 chân BCM 0–27 (khóa '{k}')")
        out[str(k)] = tuple(v)
    return out


def _optional_pin(value: int) -> int:
    if not -1 <= value <= 27:
        raise ValueError("số chân BCM 0–27, hoặc -1 nếu không dùng")
    return value


def _rating_faces(value: int) -> int:
    if value not in (3, 5):
        raise ValueError("3 hoặc 5")
    return value


def _choice(*allowed: str):
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError("một trong " + ", ".join(allowed))
        return value
    return check


def _agency_code(value: str) -> str:
    if not re.fullmatch(r"[0-9A-Z.]{3,32}", value):
        raise ValueError("mã cơ quan điện tử, ví dụ '000.00.06.H56'")
    return value


def setting(default: Any, check=None, doc: str = ""):
    meta = {"check": check, "doc": doc, "kind": type(default), "default": default}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Office:
    name: str = setting("UBND xã Gia Lâm", doc="tên cơ quan in trên phiếu và màn hình")
    agency_code: str = setting("000.00.00.H00", _agency_code, "mã cơ quan điện tử (mã hồ sơ); 000.00.00.H00 là mã mẫu")
    code_space: str = setting("local", _choice("local", "delegated"),
                              "local: số của thiết bị là số nội bộ, mã hồ sơ do hệ thống một cửa của tỉnh cấp; "
                              "delegated: tỉnh giao dải mã cho thiết bị")
    unit_name: str = setting("", doc="tên bộ phận một cửa in trên các mẫu (TT 03/2025); để trống: "
                                     "'Trung tâm Phục vụ hành chính công' + tên xã")
    place_name: str = setting("", doc="địa danh ở dòng ngày tháng của các mẫu, ví dụ 'Gia Lâm'; để trống: tên xã")
    receipt_book_volume: int = setting(1, _positive, "quyển số của Sổ theo dõi hồ sơ in trên Mẫu 01 (trong năm)")
    timezone: str = setting("Asia/Ho_Chi_Minh")
    model_days: tuple = setting(("tue",), _weekdays, "ngày áp dụng 'không viết, không giấy hẹn'")
    morning: str = setting("07:30-11:30", _hhmm_range)
    afternoon: str = setting("13:30-17:00", _hhmm_range)
    same_day_cutoff: str = setting("15:00", _hhmm)
    working_days: tuple = setting(("mon", "tue", "wed", "thu", "fri"), _weekdays)
    saturday_reception: str = setting("", _optional_hhmm_range,
                                      "giờ tiếp nhận sáng thứ Bảy, ví dụ '08:00-12:00'; để trống: không tiếp nhận")
    count_days_from_next_day: bool = setting(False, doc="tính N ngày làm việc từ ngày làm việc tiếp theo "
                                                        "(hạn là cuối ngày thứ N)")
    holidays_file: str = setting("", doc="tệp ngày nghỉ; để trống dùng danh sách có sẵn")
    language: str = setting("vi", _choice("vi", "en"))


@dataclass(frozen=True)
class Web:
    host: str = setting("0.0.0.0")
    port: int = setting(8080, _port)
    threads: int = setting(24, _positive, "luồng waitress cho trang và API (luồng sự kiện không dùng luồng này)")
    stream_limit: int = setting(500, _positive, "số luồng sự kiện (màn hình, bàn quầy, màn phản chiếu) mở cùng lúc; "
                                "quá số này trả 503 kèm Retry-After")
    stream_retry_after_s: int = setting(10, _positive, "giây một màn hình chờ trước khi kết nối lại khi đã đủ luồng")
    connection_limit: int = setting(1000, _positive, "số kết nối HTTP mở cùng lúc (kể cả đang chậm hay rỗi)")
    max_body_kb: int = setting(256, _positive)
    secure_cookies: bool = setting(False)
    session_idle_hours: int = setting(10, _positive, "đăng nhập hết hạn sau số giờ không dùng (một ngày làm việc)")
    pdf_warm: bool = setting(True, doc="giữ sẵn một Chromium chạy nền để xuất PDF nhanh (khoảng 0,1 s mỗi tờ; "
                             "tốn chừng 250–350 MB bộ nhớ); false: mở Chromium cho từng tờ (1–4 s)")
    public_url: str = setting("", doc="địa chỉ công dân mở bằng điện thoại (mã QR trên phiếu và Mẫu 01 dẫn tới "
                              "/thu-tuc/tra-cuu); để trống: http://motcua.local")


@dataclass(frozen=True)
class Storage:
    path: str = setting("/var/lib/motcua/motcua.db")
    busy_timeout_ms: int = setting(5000, _positive)
    low_space_mb: int = setting(1024, _non_negative, "cảnh báo thẻ nhớ sắp đầy dưới số MB trống này")
    full_space_mb: int = setting(100, _non_negative, "báo thẻ nhớ đầy (đèn lỗi, trang quản trị) dưới số MB trống này")


@dataclass(frozen=True)
class Queue:
    priority_ratio: str = setting("1:2", _ratio, "tối đa P lượt ưu tiên cho mỗi N lượt thường")
    max_recalls: int = setting(3, _non_negative, "số lần gọi lại trước khi được đánh vắng mặt")
    pager_pool: int = setting(30, _non_negative, "số thẻ rung 1..N")
    wait_sample: int = setting(20, _positive, "số lượt gần nhất dùng để ước tính thời gian chờ")
    default_service_minutes: float = setting(6.0, _positive)
    appointments_in_a_row: int = setting(2, _non_negative, "tối đa số lịch hẹn đến giờ được gọi liền nhau khi "
                                         "có người lấy số thường đang chờ (rồi gọi một người lấy số thường)")
    rating_faces: int = setting(3, _rating_faces, "số mặt đánh giá trên màn hình công dân của quầy (3 hoặc 5); "
                                "quầy có nút đánh giá GPIO dùng đúng số nút của quầy")
    rating_screen_s: int = setting(60, _positive, "giây màn hình công dân hiện các mặt đánh giá sau khi phục vụ xong")


@dataclass(frozen=True)
class Printer:
    url: str = setting("", _device_url, "để trống: không có máy in")
    profile: str = setting("TM-T20II", doc="hồ sơ python-escpos; 58 mm: 'POS-5890'")
    timeout_s: float = setting(5.0, _positive)
    options: dict = setting({})


@dataclass(frozen=True)
class Pager:
    url: str = setting("", _device_url, "để trống: không có bộ phát thẻ rung")
    protocol: str = setting("jtech-j1901", _choice(*PAGER_PROTOCOLS))
    system_id: int = setting(10, _non_negative)
    repeat_after_s: float = setting(120.0, _positive)
    repeat_max: int = setting(3, _non_negative)
    options: dict = setting({})


@dataclass(frozen=True)
class Gpio:
    factory: str = setting("auto", _choice("auto", "lgpio", "mock", "none"))
    ticket_buttons: dict = setting({}, _pin_map, "mã lĩnh vực -> chân BCM")
    call_buttons: dict = setting({}, _pin_map, "số quầy -> chân BCM")
    recall_buttons: dict = setting({}, _pin_map, "số quầy -> chân BCM")
    rating_buttons: dict = setting({}, _pin_lists, "số quầy -> [chân rất hài lòng, hài lòng, không hài lòng]")
    fault_led: int = setting(-1, _optional_pin)
    buzzer: int = setting(-1, _optional_pin)
    ticket_lockout_s: float = setting(2.5, _non_negative)
    call_lockout_s: float = setting(1.0, _non_negative)
    hold_recall_s: float = setting(2.0, _positive)


@dataclass(frozen=True)
class Sync:
    url: str = setting("", doc="địa chỉ máy chủ cấp trên, https://…")
    token: str = setting("", doc="mã ghi danh; thường do 'motcua enroll' lưu")
    ca_file: str = setting("")
    interval_s: float = setting(30.0, _positive)
    timeout_s: float = setting(15.0, _positive)
    batch_max: int = setting(500, _positive)


@dataclass(frozen=True)
class Audio:
    enabled: bool = setting(True)
    clips_dir: str = setting("", doc="thư mục tệp âm thanh ghi sẵn, ghi đè tệp tổng hợp")
    voice: str = setting("vi")
    repeat: int = setting(2, _repeat, "số lần đọc lời gọi số (1–3; mặc định 2, như các bộ phận một cửa vẫn gọi)")


@dataclass(frozen=True)
class Privacy:
    purge_after_days: int = setting(30, _non_negative, "xóa dữ liệu cá nhân hồ sơ đã trả và đã đồng bộ sau N ngày")


@dataclass(frozen=True)
class Sms:
    url: str = setting("", _sms_url, "để trống: không nhắn tin; serial:///dev/motcua-modem (modem GSM USB, "
                       "không cần internet), sim://THƯ_MỤC (mô phỏng), https://… (cổng SMS qua mạng)")
    token: str = setting("", doc="khóa của cổng SMS qua mạng (gửi trong Authorization: Bearer …)")
    result_ready: bool = setting(True, doc="nhắn tin khi hồ sơ có kết quả, cho công dân đăng ký nhận tin "
                                 "hoặc không cầm thẻ rung")
    per_minute: int = setting(6, _positive, "tối đa số tin gửi mỗi phút (nhà mạng khóa SIM gửi quá dồn dập)")
    per_hour: int = setting(120, _positive, "tối đa số tin gửi mỗi giờ")
    max_attempts: int = setting(5, _positive, "số lần thử một tin bị từ chối trước khi bỏ")
    retry_after_s: float = setting(60.0, _positive, "giây chờ trước lần thử lại đầu tiên (gấp đôi mỗi lần)")
    delivery_reports: bool = setting(True, doc="xin báo cáo đã đến máy (+CDS) khi modem hỗ trợ")


@dataclass(frozen=True)
class Appointments:
    grace_min: int = setting(15, _non_negative, "đến trễ quá số phút này sau giờ hẹn: lấy số thường")
    online_close_min: int = setting(120, _non_negative, "trang công khai ngừng nhận đặt trước giờ hẹn số phút này, "
                                    "rồi trả khung giờ cho bộ phận một cửa")
    reminder_day_before: str = setting("17:00", _hhmm, "giờ nhắn tin nhắc hôm trước ngày hẹn")
    reminder_before_min: int = setting(60, _positive, "nhắn tin nhắc trước giờ hẹn số phút này")
    days_ahead: int = setting(30, _positive, "đặt hẹn trước tối đa số ngày")


def _training_clock(value: str) -> str:
    if not value.strip():
        return ""
    from datetime import datetime
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            datetime.strptime(value.strip(), fmt)
            return value.strip()
        except ValueError:
            continue
    raise ValueError("dạng 'YYYY-MM-DD HH:MM' (giờ của cơ quan), ví dụ '2026-12-08 07:30'")


def _speed(value: float) -> float:
    if not 1 <= value <= MAX_TRAINING_SPEED:
        raise ValueError(f"từ 1 đến {MAX_TRAINING_SPEED:g}")
    return value


MAX_TRAINING_SPEED = 120.0


@dataclass(frozen=True)
class Training:
    clock: str = setting("", _training_clock, "chế độ tập huấn: đồng hồ của thiết bị bắt đầu từ giờ này, ví dụ "
                         "'2026-12-08 07:30' (giờ của cơ quan), mọi trang hiện 'CHẾ ĐỘ TẬP HUẤN'; để trống: tắt. "
                         "'motcua serve' từ chối trên cơ sở dữ liệu thật trừ khi thêm --yes-training")
    speed: float = setting(1.0, _speed, "đồng hồ tập huấn chạy nhanh gấp N lần (1–120), ví dụ 20: một buổi sáng "
                           "trong khoảng mười phút")

    @property
    def enabled(self) -> bool:
        return bool(self.clock)


@dataclass(frozen=True)
class Settings:
    office: Office = field(default_factory=Office)
    web: Web = field(default_factory=Web)
    storage: Storage = field(default_factory=Storage)
    queue: Queue = field(default_factory=Queue)
    printer: Printer = field(default_factory=Printer)
    pager: Pager = field(default_factory=Pager)
    gpio: Gpio = field(default_factory=Gpio)
    sync: Sync = field(default_factory=Sync)
    audio: Audio = field(default_factory=Audio)
    privacy: Privacy = field(default_factory=Privacy)
    sms: Sms = field(default_factory=Sms)
    appointments: Appointments = field(default_factory=Appointments)
    training: Training = field(default_factory=Training)
    source: str = "mặc định"

    @property
    def state_dir(self) -> Path:
        return Path(self.storage.path).resolve().parent

    def replace(self, **sections: Mapping[str, Any]) -> Settings:
        """A copy with some keys changed, validated like a file: ``replace(web={"port": 1})``."""
        return _build({**self.as_dict(), **{
            name: {**self.as_dict()[name], **values} for name, values in sections.items()}},
            self.source)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {f.name: dataclasses.asdict(getattr(self, f.name))
                for f in dataclasses.fields(self) if f.name != "source"}


SECTIONS = {f.name: f.type for f in dataclasses.fields(Settings) if f.name != "source"}
_SECTION_CLASSES = {name: cls for name, cls in (
    ("office", Office), ("web", Web), ("storage", Storage), ("queue", Queue),
    ("printer", Printer), ("pager", Pager), ("gpio", Gpio), ("sync", Sync),
    ("audio", Audio), ("privacy", Privacy), ("sms", Sms), ("appointments", Appointments),
    ("training", Training))}

_TYPE_NAMES = {str: "chuỗi", int: "số nguyên", float: "số", bool: "true/false",
               tuple: "danh sách", dict: "bảng"}


def _coerce(section: str, key: str, f: dataclasses.Field, value: Any) -> Any:
    kind = f.metadata["kind"]
    where = f"[{section}].{key}"
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is tuple and isinstance(value, list):
        pass
    elif kind is bool and not isinstance(value, bool):
        raise ConfigError(f"Cấu hình sai {where} = {value!r}: phải là true hoặc false")
    elif kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"Cấu hình sai {where} = {value!r}: phải là số nguyên")
    elif kind not in (tuple, bool, int) and not isinstance(value, kind):
        raise ConfigError(f"Cấu hình sai {where} = {value!r}: phải là {_TYPE_NAMES.get(kind, kind.__name__)}")
    check = f.metadata.get("check")
    if check:
        try:
            value = check(value)
        except ValueError as exc:
            raise ConfigError(f"Cấu hình sai {where} = {value!r}: phải là {exc}") from None
    if kind is tuple:
        value = tuple(value)
    return value


def _build(data: Mapping[str, Any], source: str) -> Settings:
    sections: dict[str, Any] = {}
    for name, values in data.items():
        if name not in _SECTION_CLASSES:
            raise ConfigError(f"Mục cấu hình không hợp lệ [{name}] ({source}): các mục được phép là "
                              + ", ".join(_SECTION_CLASSES))
        if not isinstance(values, Mapping):
            raise ConfigError(f"Cấu hình sai [{name}] ({source}): phải là một bảng khóa = giá trị")
        cls = _SECTION_CLASSES[name]
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs = {}
        for key, value in values.items():
            if key not in fields:
                raise ConfigError(f"Khóa cấu hình không hợp lệ [{name}].{key} ({source}): các khóa được phép là "
                                  + ", ".join(fields))
            kwargs[key] = _coerce(name, key, fields[key], value)
        sections[name] = cls(**kwargs)
    return Settings(**sections, source=source)


def _env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def env_names() -> dict[str, tuple[str, str]]:
    """``MOTCUA_<SECTION>_<KEY>`` of every setting → (section, key)."""
    return {f"MOTCUA_{section}_{f.name}".upper(): (section, f.name)
            for section, cls in _SECTION_CLASSES.items() for f in dataclasses.fields(cls)}


def _env_settings(env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The settings given as environment variables. A variable is read when it names a setting; one
    that looks like a mistyped setting (a known section, or a near miss of a setting's name) stops
    with one line naming it; any other MOTCUA_* variable (a test's, a script's) is not ours and is
    left alone."""
    names = env_names()
    out: dict[str, dict[str, Any]] = {}
    for name, raw in env.items():
        upper = name.upper()
        if not upper.startswith("MOTCUA_") or upper in RESERVED_ENV or upper.startswith(RESERVED_ENV_PREFIXES):
            continue
        if upper in names:
            section, key = names[upper]
            out.setdefault(section, {})[key] = _env_value(raw)
            continue
        section = upper[len("MOTCUA_"):].lower().partition("_")[0]
        if section in _SECTION_CLASSES:
            fields = dataclasses.fields(_SECTION_CLASSES[section])
            keys = ", ".join(f"MOTCUA_{section}_{f.name}".upper() for f in fields)
            raise ConfigError(f"Biến môi trường {name} không phải là cài đặt nào của mục [{section}]: "
                              f"các biến được phép là {keys}")
        near = difflib.get_close_matches(upper, names, n=1, cutoff=0.85)
        if near:
            raise ConfigError(f"Biến môi trường {name} không phải là cài đặt: có phải ý bạn là {near[0]}?")
    return out


def _merge(base: dict, extra: Mapping[str, Any]) -> dict:
    out = {k: dict(v) if isinstance(v, Mapping) else v for k, v in base.items()}
    for section, values in extra.items():
        if isinstance(values, Mapping) and isinstance(out.get(section), dict):
            out[section].update(values)
        else:
            out[section] = values
    return out


PANEL_FILE = "panel-settings.toml"
PANEL_SECTIONS = ("office", "queue", "audio", "privacy")
# The first-setup wizard picks the printer and the pager among fixed choices (a device named by the
# udev rules, the simulated one in the state directory, or none): no other URL is accepted from the
# panel, so it can never point a device at an arbitrary file.
DEVICE_SECTIONS = ("printer", "pager")
PANEL_DEVICE_KEYS = {"printer": ("url", "profile"), "pager": ("url", "protocol")}
PANEL_DEVICE_URLS = ("", "file:///dev/motcua-printer", "serial:///dev/motcua-pager?baudrate=19200")


def _panel_devices_ok(panel: Mapping[str, Any], storage_path: str, where: str) -> None:
    """Device sections of the panel file hold only the wizard's choices (see DEVICE_SECTIONS)."""
    state = Path(storage_path).resolve().parent
    for section in DEVICE_SECTIONS:
        values = panel.get(section) or {}
        extra = [k for k in values if k not in PANEL_DEVICE_KEYS[section]]
        if extra:
            raise ConfigError(f"{where}: [{section}].{extra[0]} không sửa được từ bảng điều khiển")
        url = values.get("url", "")
        if url not in PANEL_DEVICE_URLS and url != f"sim://{state / 'devices' / section}":
            raise ConfigError(f"{where}: [{section}].url = {url!r} không phải lựa chọn của trình cài đặt; "
                              "hãy sửa tệp cấu hình chính")


def panel_file(storage_path: str) -> Path:
    """Settings edited in the admin panel live beside the database (the state directory)."""
    return Path(storage_path).resolve().parent / PANEL_FILE


def save_panel_settings(settings: Settings, changes: Mapping[str, Mapping[str, Any]]) -> Settings:
    """Validate and store admin-panel edits atomically; returns the new settings.

    Only [office], [queue], [audio] and [privacy] can be edited from the panel, and [printer] /
    [pager] among the setup wizard's fixed choices only (:data:`PANEL_DEVICE_URLS`, the simulated
    device); other device URLs and storage stay in the administrator's config file.
    """
    for section in changes:
        if section not in PANEL_SECTIONS + DEVICE_SECTIONS:
            raise ConfigError(f"Mục [{section}] không sửa được từ bảng điều khiển; hãy sửa tệp cấu hình")
    _panel_devices_ok(changes, settings.storage.path, "bảng điều khiển")
    file = panel_file(settings.storage.path)
    current: dict[str, Any] = {}
    if file.exists():
        current = tomllib.loads(file.read_text(encoding="utf-8"))
    merged = _merge(current, changes)
    new = _build(_merge(settings.as_dict(), merged), settings.source)  # validates every key
    text = "# Sửa từ bảng điều khiển quản trị; ghi đè tệp cấu hình chính.\n"
    for section, values in merged.items():
        text += f"\n[{section}]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in values.items())
    from .files import atomic_write
    atomic_write(file, text.encode("utf-8"), 0o640)
    return new


def load(path: str | os.PathLike | None = None, env: Mapping[str, str] | None = None,
         overrides: Mapping[str, Mapping[str, Any]] | None = None,
         default_path: Path = DEFAULT_PATH) -> Settings:
    """Read settings. ``path=None`` means ``MOTCUA_CONFIG`` or the default file if it exists."""
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    sources = []
    explicit = path or env.get("MOTCUA_CONFIG")
    file = Path(explicit) if explicit else default_path
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"Tệp cấu hình {file} không đúng cú pháp TOML: {exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"Tệp cấu hình {file} phải được lưu dạng UTF-8") from None
        sources.append(str(file))
        _build(data, str(file))  # report file mistakes with the file's name
    elif explicit:
        raise ConfigError(f"Không tìm thấy tệp cấu hình {file}")
    env_data = _env_settings(env)
    storage_path = ((overrides or {}).get("storage", {}).get("path")
                    or env_data.get("storage", {}).get("path")
                    or (data.get("storage") or {}).get("path") or Storage().path)
    pfile = panel_file(str(storage_path))
    if pfile.exists():
        try:
            panel = tomllib.loads(pfile.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Tệp {pfile} hỏng ({exc}); xóa tệp để dùng cấu hình chính") from None
        bad = [s for s in panel if s not in PANEL_SECTIONS + DEVICE_SECTIONS]
        if bad:
            raise ConfigError(f"Tệp {pfile}: mục [{bad[0]}] không được phép ở đây")
        _panel_devices_ok(panel, str(storage_path), f"Tệp {pfile}")
        _build(panel, str(pfile))
        data = _merge(data, panel)
        sources.append(str(pfile))
    if env_data:
        sources.append("biến môi trường MOTCUA_*")
        data = _merge(data, env_data)
    if overrides:
        data = _merge(data, overrides)
    return _build(data, " + ".join(sources) or "mặc định")


def describe() -> str:
    """Every section and key with its default and help, as TOML (used for the shipped example)."""
    lines = []
    for name, cls in _SECTION_CLASSES.items():
        lines.append(f"[{name}]")
        for f in dataclasses.fields(cls):
            doc = f.metadata.get("doc")
            if doc:
                lines.append(f"# {doc}")
            default = f.metadata["default"]
            lines.append(f"# {f.name} = {_toml(default)}")
        lines.append("")
    return "\n".join(lines)


def to_toml(data: Mapping[str, Mapping[str, Any]]) -> str:
    """Sections of settings as TOML text (``load`` reads it back)."""
    return "".join(f"\n[{section}]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in values.items())
                   for section, values in data.items())


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return repr(value)

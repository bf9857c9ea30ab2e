"""The embedded default: a demo office in ./var with simulated devices and mock GPIO."""
from __future__ import annotations

import os
from pathlib import Path

from . import config
from .files import write_private
from .runtime import Appliance
from .services import accounts
from .store import accounts as account_store
from .store import office_store

DEMO_SERVICES = [
    # code, name, name_en, prefix, sort
    ("HT", "Hộ tịch", "Civil status", "A", 1),
    ("CT", "Chứng thực", "Certification", "B", 2),
    ("XH", "Bảo trợ xã hội", "Social protection", "C", 3),
]
DEMO_COUNTERS = [
    (1, "Quầy 1 – Hộ tịch", ["HT"], "Counter 1 – Civil status"),
    (2, "Quầy 2 – Chứng thực, Hộ tịch", ["CT", "HT"], "Counter 2 – Certification, civil status"),
    (3, "Quầy 3 – Bảo trợ xã hội", ["XH"], "Counter 3 – Social protection"),
]
DEMO_ASSIGNMENTS = [(1, "canbo1"), (2, "canbo2")]
DEMO_USERS = [
    ("admin", "admin", "Quản trị viên"),
    ("canbo1", "officer", "Nguyễn Thị Hoa"),
    ("canbo2", "officer", "Trần Văn Minh"),
    ("tinhnguyen", "volunteer", "Lê Thu Trang"),
]


CLI_CONFIG = "motcua.toml"


def demo_overrides(var: Path, host: str = "127.0.0.1", port: int = 8080) -> dict[str, dict]:
    """What the demo sets over the defaults: its database in ``var``, simulated devices (printer, pager,
    SMS modem), mock GPIO."""
    return {
        "storage": {"path": str(var / "motcua.db")},
        "web": {"host": host, "port": port},
        "printer": {"url": f"sim://{var / 'devices' / 'printer'}"},
        "pager": {"url": f"sim://{var / 'devices' / 'pager'}", "protocol": "jtech-j1901"},
        "sms": {"url": f"sim://{var / 'devices' / 'sms'}"},
        "gpio": {"factory": "mock", "ticket_buttons": {"HT": 17, "CT": 27, "XH": 22},
                 "call_buttons": {"1": 5, "2": 6, "3": 13}, "recall_buttons": {"1": 19, "2": 26, "3": 21},
                 "rating_buttons": {"1": [12, 16, 20], "2": [23, 24, 25], "3": [7, 8, 9]},
                 "fault_led": 18},
        "office": {"model_days": ["mon", "tue", "wed", "thu", "fri"]},
    }


def demo_settings(var: Path, host: str = "127.0.0.1", port: int = 8080,
                  config_path: str | None = None, extra: dict[str, dict] | None = None) -> config.Settings:
    """The demo's settings; ``extra`` sections over them (``--clock``/``--speed``: ``[training]``)."""
    overrides = demo_overrides(var, host, port)
    for section, values in (extra or {}).items():
        overrides.setdefault(section, {}).update(values)
    env = {k: v for k, v in os.environ.items() if k.startswith("MOTCUA_") and k != "MOTCUA_CONFIG"}
    # The demo never reads /etc/motcua: only --config, or var/config.toml if the user wrote one.
    return config.load(config_path, env=env, overrides=overrides, default_path=var / "config.toml")


def write_cli_config(var: Path, host: str = "127.0.0.1", port: int = 8080,
                     config_path: str | None = None) -> Path:
    """``var/motcua.toml``: the demo's settings as a config file (the user's own file, if any, with
    the demo's settings over it), so that ``motcua --config var/motcua.toml token add …`` (or
    ``MOTCUA_CONFIG=var/motcua.toml``) acts on the demo's database instead of /etc/motcua's.
    Written at every start (0600: a user's file may hold a sync token); edit var/config.toml."""
    import tomllib
    own = Path(config_path) if config_path else var / "config.toml"
    data = tomllib.loads(own.read_text(encoding="utf-8")) if own.exists() else {}
    for section, values in demo_overrides(var, host, port).items():
        data.setdefault(section, {}).update(values)
    header = ("# Viết bởi `motcua demo` mỗi lần chạy: cài đặt của bản trình diễn, để các lệnh khác dùng\n"
              f"# cùng cơ sở dữ liệu: motcua --config {var / CLI_CONFIG} token add …\n"
              "# Written by `motcua demo` at each start; put your own settings in var/config.toml.\n")
    path = write_private(var / CLI_CONFIG, header + config.to_toml(data))
    config.load(path, env={})  # what was written must load as it is
    return path


def mark_training_database(appliance: Appliance) -> None:
    """The demo's database is not an office's: ``serve`` may run the rehearsal clock on it."""
    from .runtime import TRAINING_DATABASE_KEY
    from .store import kv_store
    with appliance.db.write() as conn:
        kv_store.put(conn, TRAINING_DATABASE_KEY, "demo")


def seed(appliance: Appliance) -> dict[str, str]:
    """Idempotent: creates what is missing; returns the demo logins (created once, kept 0600)."""
    logins_file = appliance.state_dir / "demo-logins.txt"
    logins: dict[str, str] = {}
    if logins_file.exists():
        for line in logins_file.read_text(encoding="utf-8").splitlines():
            if ":" in line:
                name, password = line.split(":", 1)
                logins[name.strip()] = password.strip()
    with appliance.units() as tx:
        conn = tx.conn
        for code, name, name_en, prefix, sort in DEMO_SERVICES:
            if not conn.execute("SELECT 1 FROM services WHERE code = ?", (code,)).fetchone():
                office_store.upsert_service(conn, code, name, prefix, 1, 999, name_en, sort)
        for counter_id, name, codes, name_en in DEMO_COUNTERS:
            if not conn.execute("SELECT 1 FROM counters WHERE id = ?", (counter_id,)).fetchone():
                office_store.upsert_counter(conn, counter_id, name, codes, name_en=name_en)
        for login, role, full_name in DEMO_USERS:
            if not account_store.login_taken(conn, login):
                password = logins.get(login) or accounts.generate_password()
                accounts.add_user(tx, login, role, password, full_name)
                logins[login] = password
        from .store import counter_store
        for counter_id, login in DEMO_ASSIGNMENTS:   # each officer's own counter; counter 3: anyone
            if not counter_store.officers_of(conn, counter_id):
                counter_store.set_officers(conn, counter_id, [login])
    write_private(logins_file, "".join(f"{k}: {v}\n" for k, v in logins.items()))
    mark_training_database(appliance)
    day = appliance.today()
    waiting = appliance.db.conn().execute("SELECT count(*) FROM tickets WHERE day = ?", (day,)).fetchone()[0]
    if waiting == 0:
        for code, priority in (("HT", False), ("HT", False), ("CT", False), ("HT", True), ("XH", False)):
            appliance.engine.issue(code, priority=priority, priority_reason="người cao tuổi" if priority else None,
                                   channel="demo")
    return logins


def seed_appointments(appliance: Appliance) -> int:
    """The demo office's appointment slots (docs/appointments.md), once: Hộ tịch 08:00–11:00 and
    14:00–16:00 every 30 minutes for two people, the next 14 days, from the calendar (no day off,
    no lunch). Returns how many were made (0 when the office already has slots)."""
    from datetime import datetime, time, timedelta
    with appliance.db.read() as conn:
        if conn.execute("SELECT 1 FROM appointment_slots LIMIT 1").fetchone():
            return 0
    today = datetime.fromtimestamp(appliance.clock(), appliance.tz).date()
    made = 0
    for start, end in ((time(8), time(11)), (time(14), time(16))):
        made += appliance.appointments.create_slots("HT", None, today, today + timedelta(days=13), start, end, 30, 2,
                                                    user="demo")
    return made

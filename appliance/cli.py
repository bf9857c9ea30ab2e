"""The ``motcua`` command."""
from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__, config
from .store.db import StoreError

EXIT_CONFIG = 2
EXIT_FAIL = 1


def _settings(args) -> config.Settings:
    return config.load(args.config)


def _appliance(args):
    from .runtime import Appliance
    return Appliance(_settings(args))


def _read_password(prompt_twice: bool = True) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("Mật khẩu: ")
    if prompt_twice and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise SystemExit("Hai lần nhập mật khẩu không khớp.")
    return first


# --- commands -------------------------------------------------------------------------------
def _training_overrides(args) -> dict[str, dict]:
    """``--clock`` and ``--speed`` as ``[training]`` settings (checked like the file's)."""
    out: dict[str, object] = {}
    if args.clock is not None:
        out["clock"] = args.clock
    if args.speed is not None:
        out["speed"] = args.speed
    return {"training": out} if out else {}


def cmd_demo(args) -> int:
    from . import demo
    var = Path(args.dir).resolve()
    if args.speed is not None and args.clock is None:
        print("--speed cần đi cùng --clock 'YYYY-MM-DD HH:MM' / --speed needs --clock", file=sys.stderr)
        return EXIT_CONFIG
    settings = demo.demo_settings(var, args.host, args.port, args.config, extra=_training_overrides(args))
    from .runtime import Appliance
    appliance = Appliance(settings)
    logins = demo.seed(appliance)
    demo.seed_appointments(appliance)
    cli_config = demo.write_cli_config(var, args.host, args.port, args.config)

    def ready(urls: list[str]) -> None:
        print(f"motcua {__version__} — bản trình diễn / demo", flush=True)
        print(f"Dữ liệu: {var}", flush=True)
        for url in urls:
            print(f"Bảng điều khiển / panel: {url}", flush=True)
        print(f"Đăng nhập quản trị / admin login: admin / {logins['admin']}", flush=True)
        if settings.training.enabled:
            print(f"CHẾ ĐỘ TẬP HUẤN / TRAINING MODE: đồng hồ từ / clock from {settings.training.clock}, "
                  f"nhanh gấp / {settings.training.speed:g}× faster", flush=True)
        print(f"(các tài khoản trình diễn khác trong {var / 'demo-logins.txt'})", flush=True)
        print("Lệnh motcua trên bản trình diễn này / commands on this demo: "
              f"MOTCUA_CONFIG={_shown(cli_config)} motcua token add … "
              f"(hoặc / or: motcua --config {_shown(cli_config)} …)", flush=True)
    return _serve(appliance, args.host, args.port, ready)


def training_refused(settings: config.Settings, asked: bool) -> str | None:
    """Why ``serve`` will not run the rehearsal clock: on a production database (one the demo did
    not make) it must be asked twice, ``[training].clock`` in the configuration and ``--yes-training``
    (training times would be written into the office's real records and sent to the hub)."""
    if not settings.training.enabled or asked:
        return None
    from .runtime import is_training_database
    if is_training_database(settings):
        return None
    return ("Không chạy chế độ tập huấn ([training].clock = "
            f"'{settings.training.clock}') trên cơ sở dữ liệu thật {settings.storage.path}: giờ tập huấn sẽ ghi vào "
            "hồ sơ, số thứ tự thật và gửi lên máy chủ cấp trên. Dùng 'motcua demo --clock …', hoặc nếu thật sự "
            "muốn, chạy lại với --yes-training. / Refusing the training clock on a production database; "
            "use 'motcua demo --clock …', or add --yes-training if you really mean it.")


def cmd_serve(args) -> int:
    settings = _settings(args)
    refused = training_refused(settings, args.yes_training)
    if refused:
        print(refused, file=sys.stderr)
        return EXIT_CONFIG
    from .runtime import Appliance
    appliance = Appliance(settings)

    def ready(urls: list[str]) -> None:
        for url in urls:
            print(f"Bảng điều khiển / panel: {url}", flush=True)
        if settings.training.enabled:
            print(f"CHẾ ĐỘ TẬP HUẤN / TRAINING MODE: {settings.training.clock}, ×{settings.training.speed:g}",
                  flush=True)
    return _serve(appliance, args.host, args.port, ready)


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _serve(appliance, host: str | None, port: int | None, ready: Callable[[list[str]], None]) -> int:
    """Run the panel; a port another program holds is one line and exit 1, not a traceback."""
    import errno

    from . import server
    try:
        server.run(appliance, host, port, on_ready=ready)
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        web = appliance.settings.web
        where = f"{host or web.host}:{web.port if port is None else port}"
        why = ("đang có chương trình khác dùng (một bản motcua khác đang chạy?)" if exc.errno == errno.EADDRINUSE
               else "cần quyền root (cổng dưới 1024)")
        print(f"Không mở được cổng {where}: {why}; dừng chương trình đó hoặc chọn cổng khác (--port). "
              f"/ Port {where} is not available: {exc.strerror}.", file=sys.stderr)
        return EXIT_FAIL
    return 0


def _refuse_root(settings: config.Settings, command: str) -> bool:
    """Run as root, a command that writes the state directory would leave files (the database and
    its WAL, the device identity) the service user cannot use. True (and says so) in that case."""
    import os
    import pwd
    state = settings.state_dir
    if os.geteuid() != 0 or not state.is_dir() or state.stat().st_uid == 0:
        return False
    uid = state.stat().st_uid
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    source = settings.source.split(" + ")[0]
    cfg = source if source.endswith(".toml") else "/etc/motcua/config.toml"
    print(f"Không chạy 'motcua {command}' bằng root: {state} thuộc người dùng '{user}'. "
          f"Hãy chạy: sudo -u {user} env MOTCUA_CONFIG={cfg} motcua {command}", file=sys.stderr)
    return True


def cmd_init(args) -> int:
    from .services import accounts
    from .store import accounts as account_store
    settings = _settings(args)
    if _refuse_root(settings, "init"):
        return EXIT_FAIL
    from .domain.province_code import agency_problem
    problem = agency_problem(settings.office.agency_code)
    if problem is not None and settings.office.code_space == "delegated":
        print(f"Không khởi tạo: {problem} Tỉnh đã giao dải mã ([office].code_space = \"delegated\"), nên số của "
              "thiết bị là mã hồ sơ chính thức.", file=sys.stderr)
        return EXIT_FAIL
    from .runtime import Appliance
    appliance = Appliance(settings)
    print(f"Cơ sở dữ liệu: {appliance.db.path} (phiên bản {appliance.db.version()})")
    if problem is not None:
        print(f"Lưu ý: {problem} Số hồ sơ của thiết bị chỉ là số nội bộ cho đến khi sửa.")
    if account_store.active_admins(appliance.db.conn()):
        print("Đã có tài khoản quản trị; không tạo thêm.")
        return 0
    from .services import firstboot
    # once a first boot chose the browser (the image), a later plain init (a package upgrade) keeps it so
    if args.browser_setup or firstboot.setup_pending(appliance.db):
        firstboot.setup_code(appliance.db)
        # The code is not printed either: the boot slip and the hall TV show it to the office.
        print("Chưa có tài khoản quản trị: mở bảng điều khiển từ một máy trong mạng cơ quan và nhập mã "
              "cài đặt in trên phiếu khởi động (hoặc đang hiện trên tivi sảnh).")
        return 0
    password = accounts.generate_password()
    with appliance.units() as tx:
        accounts.add_user(tx, "admin", "admin", password, "Quản trị viên", must_change=True)
        tx.audit(None, "user.create", "user:admin", "motcua init")
    from .files import write_private
    # 0600 from its first byte, never world-readable for a moment
    secret = write_private(appliance.state_dir / "admin-password.txt", f"admin: {password}\n")
    # The password itself is not printed: terminals and install logs keep what they show.
    print(f"Đã tạo tài khoản quản trị 'admin'. Mật khẩu nằm trong {secret} (chỉ chủ tệp và root đọc được); "
          "phải đổi mật khẩu ở lần đăng nhập đầu.")
    return 0


def cmd_hostname(args) -> int:
    from .ops import hostname
    name = hostname.this_device_name()
    if not args.apply:
        print(f"{name}.local (tên hiện tại: {hostname.current_name() or '—'})")
        return 0
    try:
        changed = hostname.apply(name, force=args.force)
    except PermissionError:
        print("Cần quyền root để đặt tên máy: sudo motcua hostname --apply", file=sys.stderr)
        return EXIT_FAIL
    print(f"Đã đặt tên máy {name}; bảng điều khiển: http://{name}.local:8080/" if changed
          else f"Giữ tên máy {hostname.current_name()} (dùng --force để đổi thành {name}).")
    return 0


def cmd_user_add(args) -> int:
    from .services import accounts
    appliance = _appliance(args)
    password = args.password_file.read_text().strip() if args.password_file else _read_password()
    office = appliance.settings.office.name
    accounts.check_password_rules(password, args.name, office)
    with appliance.units() as tx:
        accounts.add_user(tx, args.name, args.role, password, args.full_name or "",
                          must_change=args.must_change, office_name=office)
        tx.audit(None, "user.create", f"user:{args.name}", "motcua user add")
    print(f"Đã tạo tài khoản '{args.name}' ({args.role}).")
    return 0


def cmd_user_passwd(args) -> int:
    from .services import accounts
    from .store import accounts as account_store
    appliance = _appliance(args)
    row = account_store.active_user_by_login(appliance.db.conn(), args.name.lower())
    if row is None:
        print(f"Không có tài khoản '{args.name}'.", file=sys.stderr)
        return EXIT_FAIL
    password = _read_password()  # typed before the write lock is taken: the panel keeps working
    office = appliance.settings.office.name
    accounts.check_password_rules(password, args.name, office)
    with appliance.units() as tx:
        accounts.set_password(tx, row["id"], password, office_name=office)  # ends the user's sessions
        tx.audit(None, "user.password", f"user:{args.name}", "motcua user passwd")
    print(f"Đã đổi mật khẩu của '{args.name}'.")
    return 0


def cmd_token_add(args) -> int:
    from .services import accounts
    appliance = _appliance(args)
    with appliance.units() as tx:
        token = accounts.add_token(tx, args.name, args.role, counter_id=args.counter)
        tx.audit(None, "token.create", f"token:{args.name}",
                 args.role if args.counter is None else f"{args.role} quầy {args.counter}")
    print(token)
    return 0


def cmd_service_add(args) -> int:
    from .store import office_store
    appliance = _appliance(args)
    with appliance.units() as tx:
        office_store.upsert_service(tx.conn, args.code, args.name, args.prefix, args.range_start, args.range_end,
                                    args.name_en or "")
        tx.audit(None, "service.save", f"service:{args.code}", "motcua service add")
    print(f"Đã lưu lĩnh vực {args.code} – {args.name}.")
    return 0


def cmd_counter_add(args) -> int:
    from .store import office_store
    appliance = _appliance(args)
    codes = [c.strip() for c in args.services.split(",") if c.strip()]
    with appliance.units() as tx:
        office_store.upsert_counter(tx.conn, args.id, args.name, codes)
        tx.audit(None, "counter.save", f"counter:{args.id}", "motcua counter add")
    print(f"Đã lưu quầy {args.id} – {args.name} ({', '.join(codes)}).")
    return 0


def cmd_backup(args) -> int:
    appliance = _appliance(args)
    target = appliance.db.backup(args.path)
    print(f"Đã sao lưu vào {target} ({target.stat().st_size // 1024} KB).")
    return 0


def cmd_config(args) -> int:
    if args.defaults:
        print(config.describe())
        return 0
    settings = _settings(args)
    print(f"# nguồn: {settings.source}")
    for section, values in settings.as_dict().items():
        print(f"[{section}]")
        for key, value in values.items():
            if section == "sync" and key == "token" and value:
                value = "***"
            print(f"{key} = {config._toml(value)}")
        print()
    return 0


def cmd_print_test(args) -> int:
    from .printer import print_test
    ok, report = print_test(_settings(args))
    print(report, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else EXIT_FAIL


def cmd_page(args) -> int:
    from .pager import page_once
    ok, report = page_once(_settings(args), args.number)
    print(report, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else EXIT_FAIL


def cmd_enroll(args) -> int:
    from .sync.client import enroll
    from .sync.identity import EnrolmentError
    settings = _settings(args)
    if _refuse_root(settings, "enroll URL MÃ"):
        return EXIT_FAIL
    try:
        ident = enroll(args.url, args.token, settings.state_dir, settings.sync.ca_file, settings.sync.timeout_s)
    except EnrolmentError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    print(f"Đã ghi danh với {ident.hub_name or ident.hub_url}: mã thiết bị {ident.device_id}.")
    return 0


def _appointments(db, settings):
    """What ``motcua sync`` does with appointments (the hub's public bookings, the no-shows): the
    appointment service over the database (no devices, no bus listeners in this process: the SMS
    worker of ``motcua serve`` finds the queued messages on its next poll)."""
    import time
    from zoneinfo import ZoneInfo

    from . import clock
    from .runtime import office_calendar
    from .services.appointments import AppointmentService
    from .services.uow import NoListeners, Units
    tz = ZoneInfo(settings.office.timezone)
    units = Units(db, NoListeners(), time.time, clock.clock_synced)
    service = AppointmentService(units, db, None, lambda: settings, lambda: tz,
                                 lambda: office_calendar(settings.office, lambda: ()))
    return service


def cmd_sync(args) -> int:
    import signal
    import threading

    from .store.db import Database
    from .sync.client import SyncClient, SyncError
    settings = _settings(args)
    db = Database(settings.storage.path, settings.storage.busy_timeout_ms).open_checked()
    appointments = _appointments(db, settings)
    client = SyncClient(db, settings.sync, settings.state_dir, appointments=appointments.apply_hub,
                        before_push=appointments.mark_no_shows)
    if args.once:
        try:
            status = client.cycle()
        except SyncError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_FAIL
        print(f"Đồng bộ xong: gửi {status.get('last_sent', 0)} sự kiện, còn tồn {status['backlog']}.")
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    from .ops.watchdog import SystemdNotifier
    with SystemdNotifier({"vòng đồng bộ": client.healthy}):
        client.run(stop)
    return 0


def cmd_purge(args) -> int:
    from .services.purge import purge_personal_data
    appliance = _appliance(args)
    count = purge_personal_data(appliance, appliance.clock())
    print(f"Đã xóa dữ liệu cá nhân của {count} hồ sơ đã trả và đã đồng bộ.")
    return 0


def cmd_dossier_import_codes(args) -> int:
    """Pair the appliance's dossier numbers with the codes the province's one-stop system issued."""
    settings = _settings(args)
    if _refuse_root(settings, "dossier import-codes"):
        return EXIT_FAIL
    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"Không đọc được {args.file}: {exc}. Tệp CSV phải lưu dạng UTF-8.", file=sys.stderr)
        return EXIT_FAIL
    from .runtime import Appliance
    appliance = Appliance(settings)
    try:
        done, problems = appliance.dossiers.import_province_codes(text, user="cli")
    finally:
        appliance.stop()
    for line in problems:
        print(line, file=sys.stderr)
    print(f"Đã ghi mã của tỉnh cho {done} hồ sơ; {len(problems)} dòng có lỗi.")
    return 0 if not problems else EXIT_FAIL


def cmd_doctor(args) -> int:
    from .ops.doctor import main as doctor_main
    return doctor_main(args.config)


def cmd_support_bundle(args) -> int:
    from .ops.support_bundle import write_support_bundle
    path = write_support_bundle(_settings(args), args.path)
    print(f"Đã ghi gói hỗ trợ (đã che thông tin nhạy cảm): {path}")
    return 0


def cmd_tls(args) -> int:
    """``motcua tls enable|disable|status``: HTTPS on the office LAN (docs/tls.md)."""
    from .tls import certs, state
    appliance = _appliance(args)
    if args.tls_cmd == "enable":
        f = state.enable(appliance.state_dir, appliance.settings.office.name, port=args.port)
        names, ips = certs.names_in(f.cert.read_bytes())
        print(f"Đã bật HTTPS ở cổng {args.port} (có hiệu lực khi khởi động lại: systemctl restart motcua). "
              f"Chứng chỉ cho: {', '.join(names + ips)}.")
        print(f"Chứng chỉ gốc để cài trên máy tính, điện thoại: {f.ca} (hoặc tải ở /tls trên bảng điều khiển); "
              f"SHA-256 {certs.fingerprint(f.ca.read_bytes())}")
        return 0
    if args.tls_cmd == "disable":
        was_on = state.disable(appliance.state_dir)
        print("Đã tắt HTTPS (khởi động lại motcua để có hiệu lực); chứng chỉ gốc được giữ." if was_on
              else "HTTPS đang tắt.")
        return 0
    port = state.enabled_port(appliance.state_dir)
    print(f"HTTPS: bật, cổng {port}" if port else "HTTPS: tắt")
    return 0


# --- parser --------------------------------------------------------------------------------
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def command(fn: Callable[[argparse._SubParsersAction], None]):
    COMMANDS.append(fn)
    return fn


@command
def _core(sub) -> None:
    p = sub.add_parser("demo", help="chạy bản trình diễn (SQLite trong ./var, thiết bị mô phỏng)")
    p.add_argument("--dir", default="var", help="thư mục dữ liệu (mặc định ./var)")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ nghe (mặc định 127.0.0.1: chỉ máy này)")
    p.add_argument("--port", type=int, default=8080, help="cổng (mặc định 8080)")
    p.add_argument("--clock", metavar="'YYYY-MM-DD HH:MM'",
                   help="chế độ tập huấn: đồng hồ bắt đầu từ giờ này, ví dụ '2026-12-08 07:30' ([training].clock)")
    p.add_argument("--speed", type=float, metavar="N",
                   help="đồng hồ tập huấn nhanh gấp N lần, ví dụ 20 ([training].speed; mặc định 1)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="chạy bảng điều khiển và thiết bị theo cấu hình")
    p.add_argument("--host", help="địa chỉ nghe (mặc định [web].host trong tệp cấu hình)")
    p.add_argument("--port", type=int, help="cổng (mặc định [web].port trong tệp cấu hình)")
    p.add_argument("--yes-training", action="store_true",
                   help="chạy chế độ tập huấn ([training].clock) cả trên cơ sở dữ liệu thật (hỏi lần thứ hai)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("init", help="tạo hoặc nâng cấp cơ sở dữ liệu; tạo tài khoản quản trị")
    p.add_argument("--browser-setup", action="store_true",
                   help="không tạo tài khoản: người quản trị tự tạo trên trình duyệt bằng mã cài đặt (ảnh hệ thống)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("hostname", help="tên mạng riêng của thiết bị, motcua-XXXX.local (theo số sê-ri)")
    p.add_argument("--apply", action="store_true", help="đặt tên này cho máy (root; lần khởi động đầu)")
    p.add_argument("--force", action="store_true", help="thay cả tên do người quản trị đã đặt")
    p.set_defaults(func=cmd_hostname)

    tls = sub.add_parser("tls", help="HTTPS trong mạng nội bộ (tùy chọn, mặc định tắt)").add_subparsers(
        dest="tls_cmd", required=True)
    p = tls.add_parser("enable", help="tạo chứng chỉ gốc và chứng chỉ cho motcua.local và các địa chỉ IP, bật HTTPS")
    p.add_argument("--port", type=int, default=8443, help="cổng HTTPS (mặc định 8443)")
    p.set_defaults(func=cmd_tls)
    p = tls.add_parser("disable", help="tắt HTTPS (giữ chứng chỉ gốc)")
    p.set_defaults(func=cmd_tls)
    p = tls.add_parser("status", help="HTTPS đang bật hay tắt")
    p.set_defaults(func=cmd_tls)

    user = sub.add_parser("user", help="tài khoản cán bộ").add_subparsers(dest="user_cmd", required=True)
    p = user.add_parser("add", help="thêm tài khoản (mật khẩu từ stdin nếu không phải terminal)")
    p.add_argument("name", help="tên đăng nhập, ví dụ canbo1")
    p.add_argument("--role", required=True, choices=("admin", "officer", "volunteer"),
                   help="vai trò: admin (quản trị), officer (cán bộ), volunteer (tình nguyện viên)")
    p.add_argument("--full-name", help="họ và tên, ví dụ 'Nguyễn Thị Hoa'")
    p.add_argument("--password-file", type=Path, help="đọc mật khẩu từ tệp này (dòng đầu)")
    p.add_argument("--must-change", action="store_true", help="bắt đổi mật khẩu ở lần đăng nhập đầu")
    p.set_defaults(func=cmd_user_add)
    p = user.add_parser("passwd", help="đặt lại mật khẩu")
    p.add_argument("name", help="tên đăng nhập")
    p.set_defaults(func=cmd_user_passwd)

    token = sub.add_parser("token", help="mã truy cập API").add_subparsers(dest="token_cmd", required=True)
    p = token.add_parser("add", help="tạo mã truy cập (in ra một lần)")
    p.add_argument("name", help="tên gợi nhớ, ví dụ 'TV sảnh'")
    p.add_argument("--role", required=True,
                   choices=("admin", "officer", "volunteer", "kiosk", "display", "mirror"),
                   help="vai trò: kiosk (máy lấy số), display (màn hình sảnh), mirror (màn hình công dân), …")
    p.add_argument("--counter", type=int, metavar="N",
                   help="số quầy của màn hình công dân (bắt buộc với --role mirror, không dùng với vai trò khác)")
    p.set_defaults(func=cmd_token_add)

    service = sub.add_parser("service", help="lĩnh vực nhận số").add_subparsers(dest="service_cmd", required=True)
    p = service.add_parser("add", help="thêm hoặc sửa một lĩnh vực")
    p.add_argument("code", help="mã, ví dụ HT")
    p.add_argument("name", help="tên, ví dụ 'Hộ tịch'")
    p.add_argument("--prefix", default="", help="chữ đầu số, ví dụ A")
    p.add_argument("--range-start", type=int, default=1, help="số đầu của dải số (mặc định 1)")
    p.add_argument("--range-end", type=int, default=999, help="số cuối của dải số (mặc định 999)")
    p.add_argument("--name-en", help="tên tiếng Anh, ví dụ 'Civil status'")
    p.set_defaults(func=cmd_service_add)

    counter = sub.add_parser("counter", help="quầy").add_subparsers(dest="counter_cmd", required=True)
    p = counter.add_parser("add", help="thêm hoặc sửa một quầy")
    p.add_argument("id", type=int, help="số quầy, từ 1 đến 99")
    p.add_argument("name", help="tên quầy, ví dụ 'Quầy 1 – Hộ tịch'")
    p.add_argument("--services", required=True, help="các mã lĩnh vực, cách nhau dấu phẩy: HT,CT")
    p.set_defaults(func=cmd_counter_add)

    dossier = sub.add_parser("dossier", help="hồ sơ").add_subparsers(dest="dossier_cmd", required=True)
    p = dossier.add_parser("import-codes", help="ghi mã hồ sơ của tỉnh từ tệp CSV (cột ma_ho_so, ma_ho_so_tinh)")
    p.add_argument("file", help="tệp CSV UTF-8, dấu phẩy hoặc chấm phẩy")
    p.set_defaults(func=cmd_dossier_import_codes)

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (VACUUM INTO)")
    p.add_argument("path", help="tệp sao lưu sẽ tạo, ví dụ /media/usb/motcua.db")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("print-test", help="in phiếu thử và báo tình trạng máy in")
    p.set_defaults(func=cmd_print_test)

    p = sub.add_parser("page", help="rung một thẻ rung")
    p.add_argument("number", type=int, help="số thẻ rung")
    p.set_defaults(func=cmd_page)

    p = sub.add_parser("enroll", help="ghi danh thiết bị với máy chủ cấp trên")
    p.add_argument("url", help="địa chỉ máy chủ cấp trên, ví dụ https://motcua.tinh.gov.vn")
    p.add_argument("token", help="mã ghi danh do máy chủ cấp trên cấp")
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("sync", help="đồng bộ với máy chủ cấp trên (chạy liên tục, hoặc --once)")
    p.add_argument("--once", action="store_true", help="đồng bộ một lần rồi thoát")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("purge", help="xóa dữ liệu cá nhân của hồ sơ đã trả, đã đồng bộ và quá hạn lưu")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("doctor", help="kiểm tra cấu hình, dữ liệu, thiết bị, đồng hồ, đĩa, đồng bộ")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("support-bundle", help="gói thông tin hỗ trợ (đã che mật khẩu, mã truy cập)")
    p.add_argument("path", nargs="?", default=".", help="thư mục để lưu gói (mặc định thư mục hiện tại)")
    p.set_defaults(func=cmd_support_bundle)

    p = sub.add_parser("config", help="in cấu hình đang dùng")
    p.add_argument("--defaults", action="store_true", help="in mọi khóa với giá trị mặc định")
    p.set_defaults(func=cmd_config)


def build_parser() -> argparse.ArgumentParser:
    class Parser(argparse.ArgumentParser):
        """argparse with Vietnamese headings and its own -h (argparse's own texts are English)."""

        def __init__(self, *args, **kwargs):
            kwargs["add_help"] = False
            kwargs.setdefault("formatter_class", Formatter)
            super().__init__(*args, **kwargs)
            self._positionals.title = "tham số / arguments"
            self._optionals.title = "tùy chọn / options"
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="in hướng dẫn này rồi thoát")

        def error(self, message):
            for english, vietnamese in (("the following arguments are required", "thiếu tham số bắt buộc"),
                                        ("unrecognized arguments", "không hiểu tham số"),
                                        ("invalid choice", "giá trị không hợp lệ"),
                                        ("invalid int value", "không phải số nguyên"),
                                        ("expected one argument", "cần một giá trị"),
                                        ("argument ", "tham số "), ("choose from", "chọn một trong")):
                message = message.replace(english, vietnamese)
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: lỗi: {message}\n")

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):
            super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)

    parser = Parser(prog="motcua", description="Thiết bị Một cửa cấp xã / commune one-stop appliance")
    parser.add_argument("--config", help="tệp cấu hình (mặc định /etc/motcua/config.toml hoặc $MOTCUA_CONFIG)")
    parser.add_argument("--version", action="version", version=f"motcua {__version__}",
                        help="in số phiên bản rồi thoát")
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi nhật ký chi tiết (mức DEBUG)")
    sub = parser.add_subparsers(dest="command", required=True, title="lệnh / commands", metavar="LỆNH")
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except config.ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CONFIG
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:
        from .domain.errors import DomainError
        if isinstance(exc, DomainError):
            print(exc.message(), file=sys.stderr)
            return EXIT_FAIL
        raise


if __name__ == "__main__":
    sys.exit(main())

"""The ``motcua-hub`` command.

    motcua-hub init                          create or upgrade the database (MOTCUA_HUB_DATABASE_URL)
    motcua-hub serve [--host H] [--port N] [--workers W]   serve it with waitress (W processes)
    motcua-hub demo [--port N]               SQLite demo with two simulated communes
    motcua-hub device add CODE [--name N] [--commune C]   print a one-time enrolment token
    motcua-hub device revoke CODE | device list | device config CODE FILE.json
    motcua-hub token add NAME | token revoke NAME        hub staff API tokens
    motcua-hub user add NAME                 password from stdin when not a terminal
    motcua-hub catalog publish FILE.json     store a new catalog version
    motcua-hub fees publish FILE.json        the province's fee pack (resolution, effective date)
    motcua-hub purge                         delete the lookup keys of dossiers closed > lookup_keep_days ago
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from district import settings as hub_settings
from district.cli_vi import Parser
from district.db.engine import make_engine
from district.db.migrate import upgrade
from district.domain.errors import HubError


def _engine(args):
    s = hub_settings.load(overrides={"database_url": args.database} if getattr(args, "database", None) else None)
    return s, make_engine(s.database_url)


def cmd_init(args) -> int:
    s, engine = _engine(args)
    upgrade(engine)
    print(f"Đã khởi tạo/nâng cấp cơ sở dữ liệu: {engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_serve(args) -> int:
    from district.app import create_app
    from district.serve import serve_one, supervise
    overrides = {"database_url": args.database} if args.database else None
    if args.workers > 1 and not args.worker:
        create_app(overrides).extensions["motcua_hub"].engine.dispose()  # refuse a bad database here, once
        print(f"motcua-hub đang chạy tại http://{args.host}:{args.port}/ ({args.workers} tiến trình)", flush=True)
        argv = ["serve", "--host", args.host, "--port", str(args.port), "--threads", str(args.threads)]
        if args.database:
            argv = ["--database", args.database, *argv]
        return supervise(argv, args.workers)
    app = create_app(overrides)
    if not args.worker:
        print(f"motcua-hub đang chạy tại http://{args.host}:{args.port}/", flush=True)
    serve_one(app, args.host, args.port, args.threads, reuse_port=args.worker)
    return 0


def cmd_demo(args) -> int:
    from district.demo import run_demo
    return run_demo(args.host, args.port, Path(args.dir))


def cmd_device(args) -> int:
    from district.store import devices
    s, engine = _engine(args)
    with engine.begin() as conn:
        if args.action == "add":
            token = devices.add_device(conn, args.code, args.name, args.commune, s.enrol_token_days)
            print(token)
            print(f"Mã đăng ký dùng một lần, hết hạn sau {s.enrol_token_days} ngày. Trên thiết bị chạy: "
                  f"motcua enroll URL_TRUNG_TÂM {token}", file=sys.stderr)
        elif args.action == "revoke":
            if not devices.revoke(conn, args.code):
                print(f"Không có thiết bị đang hoạt động mã {args.code}", file=sys.stderr)
                return 1
            print(f"Đã thu hồi thiết bị {args.code}")
        elif args.action == "list":
            for d in devices.list_devices(conn):
                state = "đã thu hồi" if d.revoked_at else ("hoạt động" if d.enrolled_at else "chờ đăng ký")
                print(f"{d.id}\t{d.commune_name}\t{state}\tđã nhận đến {d.acked_through}\t"
                      f"lần cuối {d.last_sync_at.isoformat() if d.last_sync_at else '—'}")
        elif args.action == "config":
            config = _read_json(args.file)
            if not devices.set_config(conn, args.code, config):
                print(f"Không có thiết bị mã {args.code}", file=sys.stderr)
                return 1
            print(f"Đã lưu cấu hình cho {args.code}")
    return 0


def cmd_token(args) -> int:
    from district.store import staff
    _s, engine = _engine(args)
    with engine.begin() as conn:
        if args.action == "add":
            print(staff.add_token(conn, args.name))
        elif staff.revoke_token(conn, args.name) == 0:
            print(f"Không có mã truy cập đang dùng tên {args.name}", file=sys.stderr)
            return 1
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if first != getpass.getpass("Nhập lại mật khẩu: "):
            raise HubError("password_mismatch", "Hai lần nhập mật khẩu không khớp", "password")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user(args) -> int:
    from district.store import staff
    _s, engine = _engine(args)
    if args.action == "unlock":
        from district.web import throttle
        with engine.begin() as conn:
            throttle.unlock(conn, args.name)
        print(f"Đã mở khóa đăng nhập cho {args.name}")
        return 0
    password = _read_password()
    with engine.begin() as conn:
        staff.add_user(conn, args.name, password)
    print(f"Đã lưu tài khoản {args.name}")
    return 0


def _read_json(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise HubError("file", f"Không đọc được tệp {path}: {e.strerror}", "file") from None
    except ValueError as e:
        raise HubError("file", f"Tệp {path} không phải JSON hợp lệ: {e}", "file") from None


def cmd_catalog(args) -> int:
    from district.domain.catalog_contract import from_path
    from district.store import catalog
    content = from_path(args.file)          # checked with the appliance's own contract
    _s, engine = _engine(args)
    with engine.begin() as conn:
        version = catalog.publish(conn, content, note=Path(args.file).name)
    print(f"Danh mục phiên bản {version}")
    return 0


def cmd_fees(args) -> int:
    from district.domain.catalog_contract import fee_pack_publishable
    from district.store import catalog
    content = _read_json(args.file)
    _s, engine = _engine(args)
    with engine.begin() as conn:
        latest = catalog.latest(conn)
        pack = fee_pack_publishable(content, latest.content if latest else None)
        catalog.publish_fee_pack(conn, pack)
    print(f"Đã công bố mức thu lệ phí: {pack['resolution']}, áp dụng từ {pack['effective']}")
    return 0


def cmd_purge(args) -> int:
    from district.store.clock import utcnow
    from district.store.retention import purge_lookup_keys
    s, engine = _engine(args)
    done = purge_lookup_keys(engine, utcnow(), s.lookup_keep_days)
    print(f"Đã xóa {done.keys} khóa tra cứu của {done.dossiers} hồ sơ đã kết thúc quá {s.lookup_keep_days} ngày "
          f"(trước {done.cutoff.astimezone(s.tz):%d/%m/%Y %H:%M}; MOTCUA_HUB_LOOKUP_KEEP_DAYS)", flush=True)
    return 0


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="motcua-hub", description="Trung tâm tổng hợp dữ liệu một cửa cấp xã")
    p.add_argument("--database", metavar="URL", help="địa chỉ cơ sở dữ liệu, thay cho MOTCUA_HUB_DATABASE_URL")
    sub = p.add_subparsers(dest="command", required=True, title="lệnh", metavar="LỆNH")
    sub.add_parser("init", help="tạo hoặc nâng cấp cơ sở dữ liệu").set_defaults(func=cmd_init)
    s = sub.add_parser("serve", help="chạy máy chủ (waitress)")
    s.add_argument("--host", default="0.0.0.0", metavar="ĐỊA_CHỈ", help="địa chỉ nghe (mặc định 0.0.0.0: mọi địa chỉ)")
    s.add_argument("--port", type=int, default=8090, metavar="CỔNG", help="cổng (mặc định 8090)")
    s.add_argument("--threads", type=int, default=32, metavar="SỐ",
                   help="luồng mỗi tiến trình (nhiều hơn ingest_concurrency để trả 503 ngay khi quá tải)")
    s.add_argument("--workers", type=int, default=2, metavar="SỐ",
                   help="số tiến trình cùng nghe một cổng (SO_REUSEPORT)")
    s.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    s.set_defaults(func=cmd_serve)
    d = sub.add_parser("demo", help="chạy thử với hai xã mô phỏng (SQLite)")
    d.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                   help="địa chỉ nghe (mặc định 127.0.0.1: chỉ máy này)")
    d.add_argument("--port", type=int, default=8090, metavar="CỔNG", help="cổng (mặc định 8090)")
    d.add_argument("--dir", default="var/hub-demo", metavar="THƯ_MỤC",
                   help="thư mục dữ liệu chạy thử (mặc định var/hub-demo)")
    d.set_defaults(func=cmd_demo)
    dev = sub.add_parser("device", help="thiết bị của các xã")
    dsub = dev.add_subparsers(dest="action", required=True, title="lệnh", metavar="LỆNH")
    a = dsub.add_parser("add", help="thêm thiết bị, in mã đăng ký dùng một lần")
    a.add_argument("code", metavar="MÃ_THIẾT_BỊ", help="mã thiết bị, ví dụ xa-gia-lam")
    a.add_argument("--name", metavar="TÊN", help="tên xã, ví dụ 'Xã Gia Lâm'")
    a.add_argument("--commune", metavar="MÃ_XÃ", help="mã xã khi một xã có nhiều thiết bị")
    x = dsub.add_parser("revoke", help="thu hồi thiết bị")
    x.add_argument("code", metavar="MÃ_THIẾT_BỊ", help="mã thiết bị cần thu hồi")
    dsub.add_parser("list", help="liệt kê thiết bị")
    c = dsub.add_parser("config", help="đặt cấu hình do trung tâm quản lý")
    c.add_argument("code", metavar="MÃ_THIẾT_BỊ", help="mã thiết bị")
    c.add_argument("file", metavar="TỆP", help="tệp JSON cấu hình")
    dev.set_defaults(func=cmd_device)
    t = sub.add_parser("token", help="mã truy cập API cho cán bộ trung tâm")
    tsub = t.add_subparsers(dest="action", required=True, title="lệnh", metavar="LỆNH")
    x = tsub.add_parser("add", help="tạo mã truy cập mới, in ra một lần")
    x.add_argument("name", metavar="TÊN", help="tên gợi nhớ của mã, ví dụ bao-cao")
    x = tsub.add_parser("revoke", help="thu hồi mã truy cập")
    x.add_argument("name", metavar="TÊN", help="tên của mã cần thu hồi")
    t.set_defaults(func=cmd_token)
    u = sub.add_parser("user", help="tài khoản đăng nhập bảng điều hành")
    usub = u.add_subparsers(dest="action", required=True, title="lệnh", metavar="LỆNH")
    x = usub.add_parser("add", help="thêm hoặc đổi mật khẩu")
    x.add_argument("name", metavar="TÊN", help="tên đăng nhập")
    x = usub.add_parser("unlock", help="xóa số lần đăng nhập sai (không phải chờ nữa)")
    x.add_argument("name", metavar="TÊN", help="tên đăng nhập")
    u.set_defaults(func=cmd_user)
    cat = sub.add_parser("catalog", help="danh mục thủ tục gửi xuống thiết bị")
    csub = cat.add_subparsers(dest="action", required=True, title="lệnh", metavar="LỆNH")
    x = csub.add_parser("publish", help="công bố một phiên bản danh mục mới")
    x.add_argument("file", metavar="TỆP", help="tệp JSON danh mục thủ tục")
    cat.set_defaults(func=cmd_catalog)
    fees = sub.add_parser("fees", help="mức thu lệ phí của tỉnh (nghị quyết HĐND) gửi xuống thiết bị")
    fsub = fees.add_subparsers(dest="action", required=True, title="lệnh", metavar="LỆNH")
    x = fsub.add_parser("publish", help="công bố mức thu lệ phí (nghị quyết, ngày áp dụng)")
    x.add_argument("file", metavar="TỆP", help="tệp JSON mức thu lệ phí")
    fees.set_defaults(func=cmd_fees)
    sub.add_parser("purge", help="xóa khóa tra cứu (số điện thoại, mã QR đã băm) của hồ sơ đã kết thúc quá "
                                 "MOTCUA_HUB_LOOKUP_KEEP_DAYS ngày (mặc định 90)").set_defaults(func=cmd_purge)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (HubError, hub_settings.SettingsError) as e:
        print(f"Lỗi: {getattr(e, 'message', str(e))}", file=sys.stderr)
        return 2
    except RuntimeError as e:  # e.g. the database is not initialised
        print(f"Lỗi: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

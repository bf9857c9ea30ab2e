"""The motcua-hub command, in process: init, device add/revoke/list, token add, user add (password
from stdin), catalog publish; mistakes print one Vietnamese line and exit 2."""
from __future__ import annotations

import io
import json

from sqlalchemy import select

from district import cli
from district.db.engine import make_engine
from district.db.schema import catalog_versions, devices, staff_users
from district.store import staff


def run(monkeypatch, capsys, url, *argv, stdin: str | None = None):
    monkeypatch.setenv("MOTCUA_HUB_DATABASE_URL", url)
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_full_setup_from_the_command_line(monkeypatch, capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'var' / 'hub.db'}"
    code, out, _ = run(monkeypatch, capsys, url, "init")
    assert code == 0 and "Đã khởi tạo" in out
    code, out, err = run(monkeypatch, capsys, url, "device", "add", "xa-duong-xa", "--name", "Xã Dương Xá")
    assert code == 0 and out.strip().startswith("mce_") and "motcua enroll" in err
    code, out, _ = run(monkeypatch, capsys, url, "token", "add", "bao-cao-tinh")
    assert code == 0 and out.strip().startswith("mcs_")
    code, out, _ = run(monkeypatch, capsys, url, "user", "add", "truongphong", stdin="mat-khau-du-dai\n")
    assert code == 0
    # the catalog an appliance accepts (#13: one contract): the appliance's own, as JSON or its TOML folder
    from appliance.catalog.loader import CATALOG_DIR, load_catalog
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(load_catalog().as_json(), encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, url, "catalog", "publish", str(catalog_file))
    assert code == 0 and "phiên bản 1" in out
    code, out, _ = run(monkeypatch, capsys, url, "catalog", "publish", str(CATALOG_DIR))
    assert code == 0 and "phiên bản 1" in out                 # the same content: the same version
    code, out, _ = run(monkeypatch, capsys, url, "device", "list")
    assert "xa-duong-xa\tXã Dương Xá\tchờ đăng ký" in out
    code, out, _ = run(monkeypatch, capsys, url, "device", "revoke", "xa-duong-xa")
    assert code == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(devices.c.revoked_at)).scalar() is not None
        assert conn.execute(select(staff_users.c.name)).scalar() == "truongphong"
        assert conn.execute(select(catalog_versions.c.version)).scalar() == 1
        assert staff.check_login(conn, "truongphong", "mat-khau-du-dai")
    engine.dispose()


def test_mistakes_are_one_vietnamese_line(monkeypatch, capsys, sqlite_url, tmp_path):
    code, _, err = run(monkeypatch, capsys, sqlite_url, "user", "add", "truongphong", stdin="ngan\n")
    assert code == 2 and err.strip() == "Lỗi: Mật khẩu phải có ít nhất 10 ký tự"
    code, _, err = run(monkeypatch, capsys, sqlite_url, "device", "add", "Xã A")
    assert code == 2 and "chữ thường không dấu" in err and len(err.strip().splitlines()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, sqlite_url, "catalog", "publish", str(bad))
    assert code == 2 and "không phải JSON hợp lệ" in err
    legacy = tmp_path / "legacy.json"    # the shape the hub used to publish and every appliance rejected
    legacy.write_text(json.dumps({"fields": [{"code": "HT", "name": "Hộ tịch"}]}), encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, sqlite_url, "catalog", "publish", str(legacy))
    problems = [line for line in err.splitlines() if line.startswith("- ")]
    assert code == 2 and "Thiết bị sẽ từ chối" in err and 1 <= len(problems) <= 6
    monkeypatch.setenv("MOTCUA_HUB_LEVEL", "commune")
    code, _, err = run(monkeypatch, capsys, sqlite_url, "device", "list")
    assert code == 2 and "MOTCUA_HUB_LEVEL" in err


def test_serve_refuses_an_uninitialised_database(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, f"sqlite:///{tmp_path / 'none.db'}", "serve", "--port", "1")
    assert code == 2 and "motcua-hub init" in err

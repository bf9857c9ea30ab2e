"""`motcua init` as root refuses to create a database the service user could not write."""
from __future__ import annotations

import os

from appliance import cli


def office(tmp_path, owner: int):
    state = tmp_path / "state"
    state.mkdir()
    os.chown(state, owner, owner)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\npath = "{state / "motcua.db"}"\n', encoding="utf-8")
    return cfg, state


def test_root_init_in_a_service_users_directory_names_the_user(tmp_path, monkeypatch, capsys):
    cfg, state = office(tmp_path, 65534)  # nobody, as /var/lib/motcua belongs to motcua
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert cli.main(["--config", str(cfg), "init"]) == cli.EXIT_FAIL
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0  # one line
    assert err == (f"Không chạy 'motcua init' bằng root: {state} thuộc người dùng 'nobody'. "
                   f"Hãy chạy: sudo -u nobody env MOTCUA_CONFIG={cfg} motcua init")
    assert list(state.iterdir()) == []  # nothing created, nothing owned by root


def test_init_as_the_directory_owner_creates_the_database(tmp_path, monkeypatch, capsys):
    cfg, state = office(tmp_path, os.geteuid())
    monkeypatch.setattr(os, "geteuid", lambda: 1000)  # not root: the owner check does not apply
    assert cli.main(["--config", str(cfg), "init"]) == 0
    assert (state / "motcua.db").exists() and (state / "admin-password.txt").exists()
    assert "Đã tạo tài khoản quản trị 'admin'" in capsys.readouterr().out


def test_root_enroll_in_a_service_users_directory_is_refused_too(tmp_path, monkeypatch, capsys):
    cfg, state = office(tmp_path, 65534)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert cli.main(["--config", str(cfg), "enroll", "https://hub.example", "ma-ghi-danh"]) == cli.EXIT_FAIL
    assert "Không chạy 'motcua enroll URL MÃ' bằng root" in capsys.readouterr().err
    assert list(state.iterdir()) == []  # no identity file owned by root

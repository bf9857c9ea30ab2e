"""Install the real .deb into a Debian bookworm chroot and live through its life cycle:
image-style install (deferred init) + first boot, upgrade keeping data, purge with and without
deleting data, plain install creating the database and the admin password, `motcua doctor`.
"""
from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DB = "/var/lib/motcua/motcua.db"
PASSWORD = "/var/lib/motcua/admin-password.txt"

pytestmark = pytest.mark.slow


def unit_command(unit: str) -> tuple[str, str]:
    text = (REPO / "systemd" / unit).read_text()
    execstart = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)
    env = " ".join(re.findall(r"^Environment=(.+)$", text, re.M))
    umask = re.search(r"^UMask=(\d+)$", text, re.M).group(1)
    return execstart, f"umask {umask}; env {env} {execstart}"


@pytest.fixture(scope="module")
def installed(chroot, deb_file):
    shutil.copy(deb_file, chroot.path("/tmp/motcua.deb"))
    return chroot


def owner(chroot, path: str) -> str:
    return chroot.sh(f"stat -c '%U %a' {path}").stdout.strip()


def test_life_cycle(installed):
    c = installed

    # 1. As in the image build: no database, no password; first-boot unit enabled.
    out = c.sh("dpkg -i /tmp/motcua.deb", env={"MOTCUA_DEFER_INIT": "1"})
    assert "lần khởi động đầu tiên" in out.stdout
    assert not c.path(DB).exists() and not c.path(PASSWORD).exists()
    wants = c.path("/etc/systemd/system/multi-user.target.wants")
    assert {"motcua.service", "motcua-sync.service", "motcua-firstboot.service"} <= \
        {p.name for p in wants.iterdir()}
    assert c.path("/etc/systemd/system/timers.target.wants/motcua-backup.timer").is_symlink()
    assert c.sh("motcua --version").stdout.startswith("motcua ")
    assert c.sh("id -nG motcua").stdout.split() >= ["motcua"]
    assert {"gpio", "dialout", "lp"} <= set(c.sh("id -nG motcua").stdout.split())
    assert c.sh("/opt/motcua/bin/python -c 'import sys; print(sys.prefix)'").stdout.strip() == "/opt/motcua"
    assert "include-system-site-packages = true" in c.path("/opt/motcua/pyvenv.cfg").read_text()

    # 2. First boot: run motcua-firstboot.service's command as its user.
    _, command = unit_command("motcua-firstboot.service")
    c.sh(f"cd /var/lib/motcua && setpriv --reuid=motcua --regid=motcua --init-groups "
         f"sh -c '{command} >/dev/null'")
    assert owner(c, DB).startswith("motcua ")
    # no administrator, no password file: the first visit creates it in the browser with the setup code
    assert not c.path(PASSWORD).exists()
    setup_code = c.sh(f"/opt/motcua/bin/python -c \"import sqlite3; print(sqlite3.connect('{DB}')"
                      f".execute(\\\"SELECT value FROM kv WHERE key = 'setup_code'\\\").fetchone()[0])\"")
    assert len(setup_code.stdout.strip()) == 8

    # 3. The daily backup unit's command, then motcua doctor on the installed system.
    backup, _ = unit_command("motcua-backup.service")
    backup = backup.replace("%%", "%")
    c.sh(f"setpriv --reuid=motcua --regid=motcua --init-groups env MOTCUA_CONFIG=/etc/motcua/config.toml {backup}")
    copies = list(c.path("/var/lib/motcua/backup").glob("motcua-*.db"))
    assert len(copies) == 1 and copies[0].stat().st_size > 0

    # A fresh office has no services or counters (an error) and the placeholder agency code (a
    # warning): doctor says so and exits 1; once the office is set up (as the first-boot wizard or
    # the admin panel would), every check passes.
    fresh = c.sh("motcua doctor", check=False)
    assert fresh.returncode == 1, fresh.stdout + fresh.stderr
    assert re.search(r"\[\s*LỖI\s*\] Lĩnh vực và quầy: chưa có lĩnh vực", fresh.stdout), fresh.stdout
    assert re.search(r"\[CẢNH BÁO\] Mã cơ quan: ", fresh.stdout), fresh.stdout
    as_motcua = "setpriv --reuid=motcua --regid=motcua --init-groups env MOTCUA_CONFIG=/etc/motcua/config.toml"
    c.sh(f"cd /var/lib/motcua && {as_motcua} motcua service add HT 'Hộ tịch' --prefix A && "
         f"{as_motcua} motcua counter add 1 'Quầy 1' --services HT")
    c.sh("""sed -i 's/^# agency_code = "000.00.00.H00"$/agency_code = "000.00.31.H26"/' /etc/motcua/config.toml""")
    doctor = c.sh("motcua doctor", check=False)
    assert "Cơ sở dữ liệu" in doctor.stdout and "Phông chữ: DejaVuSans.ttf" in doctor.stdout, \
        doctor.stdout + doctor.stderr
    assert re.search(r"\[\s*ỔN\s*\] Cơ sở dữ liệu", doctor.stdout), doctor.stdout
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr

    # 4. Upgrade (reinstall runs postinst configure with the old version): data kept, and a unit
    # the administrator disabled (no hub: no sync) stays disabled.
    c.sh("systemctl disable motcua-sync.service")
    assert not (wants / "motcua-sync.service").is_symlink()
    c.sh(f"/opt/motcua/bin/python -c \"import sqlite3; c = sqlite3.connect('{DB}'); "
         f"c.execute(\\\"INSERT INTO kv VALUES ('test.marker', 'giữ nguyên')\\\"); c.commit()\"")
    upgrade = c.sh("dpkg -i /tmp/motcua.deb")
    assert "đã tạo tài khoản" not in upgrade.stdout
    marker = c.sh(f"/opt/motcua/bin/python -c \"import sqlite3; print(sqlite3.connect('{DB}')"
                  f".execute(\\\"SELECT value FROM kv WHERE key = 'test.marker'\\\").fetchone()[0])\"")
    assert marker.stdout.strip() == "giữ nguyên"
    assert not c.path(PASSWORD).exists()  # the upgrade kept the browser setup (same code below)
    again = c.sh(f"/opt/motcua/bin/python -c \"import sqlite3; print(sqlite3.connect('{DB}')"
                 f".execute(\\\"SELECT value FROM kv WHERE key = 'setup_code'\\\").fetchone()[0])\"")
    assert again.stdout == setup_code.stdout
    assert not (wants / "motcua-sync.service").is_symlink(), "upgrade re-enabled a disabled unit"
    assert (wants / "motcua.service").is_symlink() and (wants / "motcua-firstboot.service").is_symlink()
    assert not c.path("/opt/motcua.old").exists()

    # 4b. A rebuild that fails (here: a wheel missing) puts the working program back.
    c.sh("mv /usr/lib/motcua/wheelhouse /usr/lib/motcua/wheelhouse.saved && "
         "mkdir /usr/lib/motcua/wheelhouse")
    failed = c.sh("/usr/lib/motcua/motcua-setup venv", check=False)
    c.sh("rm -rf /usr/lib/motcua/wheelhouse && mv /usr/lib/motcua/wheelhouse.saved /usr/lib/motcua/wheelhouse")
    assert failed.returncode != 0
    assert "vẫn giữ chương trình cũ" in failed.stderr and "motcua-setup venv" in failed.stderr, failed.stderr
    assert c.sh("motcua --version").stdout.startswith("motcua ")
    assert not c.path("/opt/motcua.old").exists()

    # 5. Purge when asked to delete the data.
    c.sh("dpkg --purge motcua", env={"MOTCUA_PURGE_DATA": "yes"})
    for gone in ("/var/lib/motcua", "/opt/motcua", "/etc/motcua", "/usr/bin/motcua"):
        assert not c.path(gone).exists() and not c.path(gone).is_symlink(), gone

    # 6. A plain install: postinst creates the database and the admin password, says where.
    fresh = c.sh("dpkg -i /tmp/motcua.deb")
    assert f"sudo cat {PASSWORD}" in fresh.stdout
    assert (wants / "motcua-sync.service").is_symlink(), "a new install enables every unit again"
    assert c.path(DB).exists() and owner(c, PASSWORD) == "motcua 600"
    assert c.path(PASSWORD).read_text().strip()
    assert not re.search(re.escape(c.path(PASSWORD).read_text().split()[-1]), fresh.stdout), \
        "the password itself must not reach apt's terminal log"
    config = c.path("/etc/motcua/config.toml")
    assert stat.S_IMODE(config.stat().st_mode) == 0o640 and owner(c, "/etc/motcua/config.toml") == "root 640"

    # 7. Purge without asking: configuration and venv go, the data stays.
    kept = c.sh("dpkg --purge motcua")
    assert "vẫn được giữ" in kept.stdout
    assert c.path(DB).exists() and not c.path("/etc/motcua").exists() and not c.path("/opt/motcua").exists()

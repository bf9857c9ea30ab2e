"""The .deb built from this tree with dpkg-deb: its files, metadata and maintainer scripts."""
from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], capture_output=True, text=True, check=True,
                          timeout=120).stdout


@pytest.fixture(scope="module")
def listing(deb_file) -> dict[str, str]:
    """path -> 'mode owner/group' from dpkg-deb -c."""
    out = {}
    for line in dpkg_deb("-c", str(deb_file)).splitlines():
        parts = line.split()
        path = parts[5].removeprefix(".")
        out[path.rstrip("/") or "/"] = " ".join(parts[:2]) + (" -> " + parts[7] if len(parts) > 7 else "")
    return out


@pytest.fixture(scope="module")
def control_dir(deb_file, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("control")
    subprocess.run(["dpkg-deb", "-e", str(deb_file), str(target)], check=True)
    return target


def test_name_and_control_fields(deb_file):
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    assert deb_file.name == f"motcua_{VERSION}-1_{arch}.deb"
    fields = dict(re.findall(r"^(\S+): (.*)$", dpkg_deb("-f", str(deb_file)), re.M))
    assert fields["Package"] == "motcua" and fields["Architecture"] == arch
    depends = fields["Depends"]
    for dep in ("python3 (>= 3.11)", "python3 (<< 3.14)", "python3-venv", "systemd",
                "fonts-dejavu-core"):
        assert dep in depends
    assert "python3-lgpio" in fields["Recommends"]
    assert "espeak-ng" in fields["Recommends"]  # announcements; the panel says so when it is missing
    # Without libusb a USB printer fails with NoBackendError ("check the cable"): a hard dependency.
    assert "libusb-1.0-0" in depends
    # The A4 papers' serif (Times New Roman's metrics, every Vietnamese mark): Liberation 2.x, named
    # fonts-liberation from trixie on and fonts-liberation2 before (1.x lacks the Vietnamese letters).
    assert "fonts-liberation (>= 1:2) | fonts-liberation2" in depends
    # The hall TV's browser (~280 packages) is the image's kiosk step, not a counter-only Pi's.
    assert "chromium" not in depends and "chromium" not in fields["Recommends"]
    assert int(fields["Installed-Size"]) > 1000


def test_files_in_the_package(listing):
    for path in ("/lib/systemd/system/motcua.service", "/lib/systemd/system/motcua-sync.service",
                 "/lib/systemd/system/motcua-firstboot.service", "/lib/systemd/system/motcua-backup.service",
                 "/lib/systemd/system/motcua-backup.timer", "/lib/udev/rules.d/60-motcua.rules",
                 "/usr/lib/sysusers.d/motcua.conf", "/usr/lib/tmpfiles.d/motcua.conf",
                 "/etc/motcua/config.toml", "/usr/lib/motcua/motcua-setup",
                 "/usr/share/doc/motcua/copyright"):
        assert path in listing, path
    assert listing["/usr/bin/motcua"].endswith("-> /opt/motcua/bin/motcua")
    assert listing["/usr/lib/motcua/motcua-setup"].startswith("-rwxr-xr-x root/root")
    assert listing["/etc/motcua/config.toml"].startswith("-rw-r----- root/root")
    assert not any(p.startswith("/opt/") or p.startswith("/var/lib/motcua") for p in listing), \
        "the venv and the data are made on the device, never shipped"
    assert not any(p.endswith(".pyc") or "__pycache__" in p for p in listing)


def test_wheelhouse_holds_the_project_and_every_dependency(listing):
    wheels = [Path(p).name for p in listing if p.startswith("/usr/lib/motcua/wheelhouse/")
              and p.endswith(".whl")]
    names = {re.split(r"-\d", w, maxsplit=1)[0].lower().replace("_", "-") for w in wheels}
    assert f"motcua-{VERSION}-py3-none-any.whl" in wheels
    for dep in ("flask", "waitress", "gpiozero", "pyserial", "pillow", "python-escpos", "pyusb",
                "flask-babel", "qrcode", "requests", "openpyxl"):
        assert dep in names, dep
    binary = [w for w in wheels if not w.endswith("-none-any.whl")]
    assert binary and all(re.search(r"-cp31[123]-", w) for w in binary), binary
    # One .deb for bookworm (3.11) and trixie (3.13): each binary dependency for every Python.
    # A stable-ABI wheel (cpXY-abi3, e.g. cryptography's) serves every Python from XY on.
    def serves(wheel: str, cp: str) -> bool:
        abi3 = re.search(r"-cp3(\d+)-abi3-", wheel)
        return f"-{cp}-" in wheel or bool(abi3 and int(abi3[1]) <= int(cp[3:]))

    for dist in {re.split(r"-\d", w, maxsplit=1)[0] for w in binary}:
        for cp in ("cp311", "cp312", "cp313"):
            assert any(w.startswith(dist + "-") and serves(w, cp) for w in binary), (dist, cp)


def test_project_wheel_is_from_this_tree(deb_file, tmp_path):
    subprocess.run(["dpkg-deb", "-x", str(deb_file), str(tmp_path)], check=True)
    wheel = next((tmp_path / "usr/lib/motcua/wheelhouse").glob("motcua-*.whl"))
    import zipfile
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert "appliance/ops/doctor.py" in names and "appliance/cli.py" in names
        assert z.read("appliance/ops/watchdog.py") == (REPO / "appliance/ops/watchdog.py").read_bytes()
        assert not any(n.startswith("tests/") for n in names)
    config = (tmp_path / "etc/motcua/config.toml").read_text(encoding="utf-8")
    tomllib.loads(config)  # every default commented out: valid, empty TOML
    assert "[storage]" in config and '# path = "/var/lib/motcua/motcua.db"' in config


def test_maintainer_scripts(control_dir):
    assert (control_dir / "conffiles").read_text().split() == ["/etc/motcua/config.toml"]
    for name in ("postinst", "prerm", "postrm"):
        script = control_dir / name
        assert script.stat().st_mode & 0o111, name
        assert script.read_text().startswith("#!/bin/sh\n")
        assert "set -e" in script.read_text()
    postinst = (control_dir / "postinst").read_text()
    assert "/usr/lib/motcua/motcua-setup configure" in postinst
    assert "deb-systemd-helper enable" in postinst
    postrm = (control_dir / "postrm").read_text()
    assert 'MOTCUA_PURGE_DATA:-no}" = yes' in postrm and "rm -rf /var/lib/motcua" in postrm
    assert "rm -rf /opt/motcua" in postrm


def test_postinst_keeps_a_disabled_unit_disabled(tmp_path):
    """As debhelper's snippet: `enable` only when was-enabled says so (first install, or still
    enabled); a unit the administrator disabled only gets `update-state`."""
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "calls.log"
    helper = fake / "deb-systemd-helper"
    helper.write_text('#!/bin/sh\necho "$*" >> "$CALLS"\n'
                      '[ "$1 $2" = "--quiet was-enabled" ] && [ "$3" = "$DISABLED" ] && exit 1\n'
                      "exit 0\n")
    for name in ("systemctl", "udevadm", "deb-systemd-invoke"):  # never the host's own
        (fake / name).write_text('#!/bin/sh\necho "$0 $*" >> "$CALLS"\n')
    for tool in fake.iterdir():
        tool.chmod(0o755)
    subprocess.run(["sh", str(REPO / "image_build/deb/postinst"), "abort-upgrade", "0.1"],
                   env={"PATH": f"{fake}:/usr/bin:/bin", "CALLS": str(log),
                        "DISABLED": "motcua-sync.service"}, check=True, timeout=30)
    calls = log.read_text().splitlines()
    assert "update-state motcua-sync.service" in calls
    assert "enable motcua-sync.service" not in calls
    assert {"enable motcua.service", "enable motcua-firstboot.service",
            "enable motcua-backup.timer"} <= set(calls)


def test_setup_script_builds_the_venv_offline():
    setup = (REPO / "image_build/deb/motcua-setup").read_text()
    assert "--system-site-packages" in setup
    assert "--no-index" in setup and "--find-links" in setup
    assert "MOTCUA_DEFER_INIT" in setup

"""The pi-gen custom stage: layout pi-gen expects, config keys, and its scripts run against a
scratch root file system with pi-gen's ``on_chroot`` replaced by a recorder."""
from __future__ import annotations

import os
import re
import struct
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PIGEN = REPO / "image_build/pi-gen"
STAGE = PIGEN / "stage-motcua"
STEP_FILE = re.compile(r"^\d\d-(run\.sh|run-chroot\.sh|packages|packages-nr|debconf|patches)$")


def read_config() -> str:
    return (PIGEN / "config").read_text()


def test_stage_layout():
    assert (STAGE / "EXPORT_IMAGE").is_file()
    assert "IMG_SUFFIX" in (STAGE / "EXPORT_IMAGE").read_text()
    prerun = STAGE / "prerun.sh"
    assert os.access(prerun, os.X_OK) and "copy_previous" in prerun.read_text()
    steps = sorted(p for p in STAGE.iterdir() if p.is_dir())
    assert [p.name for p in steps] == ["00-motcua", "01-system", "02-kiosk", "03-no-secrets"]
    for step in steps:
        numbers = []
        for item in step.iterdir():
            if item.name == "files":
                assert item.is_dir()
                continue
            assert STEP_FILE.match(item.name), item
            numbers.append(item.name[:2])
            if item.name.endswith(".sh"):
                assert os.access(item, os.X_OK), f"{item} must be executable for pi-gen to run it"
                assert item.read_text().startswith("#!/bin/bash -e\n")
        assert numbers, step


def test_config_keys():
    config = read_config()
    values = dict(re.findall(r"^(?:export )?([A-Z_]+)=(.*)$", config, re.M))
    assert values["IMG_NAME"] == "motcua"
    assert values["RELEASE"] == "trixie" and values["ARCH"] == "arm64"
    assert values["ENABLE_CLOUD_INIT"] == "1"  # Raspberry Pi Imager's settings arrive that way
    assert values["TARGET_HOSTNAME"] == "motcua"
    assert values["TIMEZONE_DEFAULT"] == "Asia/Ho_Chi_Minh"
    stages = values["STAGE_LIST"].strip('"').split()
    assert stages == ["stage0", "stage1", "stage2", "stage-motcua"]
    for secret in ("FIRST_USER_PASS", "WPA_PASSWORD", "WPA_ESSID", "PUBKEY_SSH_FIRST_USER"):
        assert secret not in values, f"{secret} would bake a secret into the image"


def test_build_script_pins_a_pi_gen_tag():
    build = (REPO / "image_build/build.sh").read_text()
    ref = re.search(r"^PI_GEN_REF=(\S+)$", build, re.M).group(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d-raspios-trixie-arm64", ref)
    assert "--branch \"$PI_GEN_REF\"" in build and "describe --tags --exact-match" in build
    assert "stage2/SKIP_IMAGES" in build and "ARCH=arm64" in build


def packages(step: str) -> set[str]:
    return {w for f in (STAGE / step).glob("*-packages*") for w in f.read_text().split()}


def test_packages():
    assert {"avahi-daemon", "systemd-timesyncd", "fake-hwclock"} <= packages("01-system")
    # Debian's and Raspberry Pi OS trixie's names: chromium (no chromium-browser), and cage
    # exits at start without Xwayland.
    assert {"cage", "xwayland", "chromium"} <= packages("02-kiosk")
    assert "chromium-browser" not in packages("02-kiosk")


@pytest.fixture
def rootfs(tmp_path) -> Path:
    root = tmp_path / "rootfs"
    (root / "boot/firmware").mkdir(parents=True)
    (root / "boot/firmware/config.txt").write_text("[all]\n")
    # As pi-gen's stage1 writes it on trixie.
    (root / "boot/firmware/cmdline.txt").write_text(
        "console=serial0,115200 console=tty1 root=PARTUUID=1-02 rootfstype=ext4 fsck.repair=yes rootwait resize\n")
    (root / "etc").mkdir()
    (root / "etc/fstab").write_text("proc /proc proc defaults 0 0\n")
    (root / "etc/machine-id").write_text("0123456789abcdef\n")
    (root / "etc/systemd/system").mkdir(parents=True)
    (root / "tmp").mkdir()
    return root


def run_step(step: str, script: str, rootfs: Path, **env: str) -> tuple[subprocess.CompletedProcess, str]:
    log = rootfs.parent / "on_chroot.log"
    wrapper = f'on_chroot() {{ cat >> "{log}"; }}; export -f on_chroot; exec ./{script}'
    proc = subprocess.run(["bash", "-c", wrapper], cwd=STAGE / step, capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], "ROOTFS_DIR": str(rootfs), **env}, timeout=60)
    return proc, log.read_text() if log.exists() else ""


def test_system_step(rootfs):
    proc, chroot = run_step("01-system", "01-run.sh", rootfs, MOTCUA_DATA_LABEL="MOTCUA-DATA")
    assert proc.returncode == 0, proc.stderr
    assert "dtparam=watchdog=on" in (rootfs / "boot/firmware/config.txt").read_text()
    cmdline = (rootfs / "boot/firmware/cmdline.txt").read_text()
    assert cmdline.strip().endswith("consoleblank=0") and cmdline.count("\n") == 1
    # The GPIO UART is the pager's: on, and no kernel console on it; the console stays on HDMI.
    assert "serial0" not in cmdline and cmdline.startswith("console=tty1 root=PARTUUID=1-02 ")
    assert "enable_uart=1" in (rootfs / "boot/firmware/config.txt").read_text()
    watchdog = (rootfs / "etc/systemd/system.conf.d/60-motcua-watchdog.conf").read_text()
    assert "RuntimeWatchdogSec=15s" in watchdog
    journald = (rootfs / "etc/systemd/journald.conf.d/60-motcua.conf").read_text()
    assert re.search(r"^SystemMaxUse=\d+M$", journald, re.M)
    assert "vn.pool.ntp.org" in (rootfs / "etc/systemd/timesyncd.conf.d/60-motcua.conf").read_text()
    assert "<port>8080</port>" in (rootfs / "etc/avahi/services/motcua.service").read_text()
    assert "LABEL=MOTCUA-DATA /var/lib/motcua ext4" in (rootfs / "etc/fstab").read_text()
    assert "avahi-daemon.service" in chroot and "systemd-timesyncd.service" in chroot
    # the device's own name at first boot (motcua-XXXX.local)
    assert "motcua hostname --apply" in (rootfs / "etc/systemd/system/motcua-hostname.service").read_text()
    assert "motcua-hostname.service" in chroot
    # Idempotent: a second run (pi-gen CONTINUE=1) does not duplicate lines.
    run_step("01-system", "01-run.sh", rootfs, MOTCUA_DATA_LABEL="MOTCUA-DATA")
    assert (rootfs / "boot/firmware/config.txt").read_text().count("dtparam=watchdog=on") == 1
    assert (rootfs / "boot/firmware/config.txt").read_text().count("enable_uart=1") == 1
    assert (rootfs / "boot/firmware/cmdline.txt").read_text().count("consoleblank=0") == 1
    assert (rootfs / "etc/fstab").read_text().count("MOTCUA-DATA") == 1


def test_no_data_label_means_no_fstab_line(rootfs):
    proc, _ = run_step("01-system", "01-run.sh", rootfs)
    assert proc.returncode == 0 and "motcua" not in (rootfs / "etc/fstab").read_text()


def test_kiosk_step(rootfs):
    proc, chroot = run_step("02-kiosk", "01-run.sh", rootfs)
    assert proc.returncode == 0, proc.stderr
    unit = (rootfs / "etc/systemd/system/motcua-kiosk.service").read_text()
    assert "/usr/bin/cage" in unit and "XCURSOR_THEME=motcua-blank" in unit
    browser = (rootfs / "usr/lib/motcua/kiosk/motcua-kiosk-browser").read_text()
    assert "--kiosk" in browser and "http://127.0.0.1:8080/display" in browser
    assert "autoplay-policy=no-user-gesture-required" in browser
    # A persistent profile in the kiosk's state directory: a paired screen stays paired.
    assert "--incognito" not in browser and '--user-data-dir="$PROFILE"' in browser
    assert "StateDirectory=motcua-kiosk" in unit and "NoNewPrivileges=yes" in unit
    assert "ProtectSystem=strict" in unit and "chromium-browser" not in browser
    assert "vc4hdmi" in (rootfs / "etc/asound.conf").read_text()
    assert "systemctl enable motcua-kiosk.service" in chroot and "graphical.target" in chroot


def test_blank_cursor_is_a_valid_transparent_xcursor(tmp_path):
    subprocess.run(["python3", str(STAGE / "02-kiosk/files/make-blank-cursor.py"), str(tmp_path)],
                   check=True)
    data = (tmp_path / "cursors/default").read_bytes()
    magic, header, _version, ntoc = struct.unpack_from("<4sIII", data)
    assert (magic, header, ntoc) == (b"Xcur", 16, 1)
    kind, _size, position = struct.unpack_from("<III", data, 16)
    chunk = struct.unpack_from("<9I", data, position)
    assert chunk[1] == kind == 0xFFFD0002 and chunk[4:6] == (1, 1)
    assert data[position + 36:position + 40] == b"\0\0\0\0"  # one fully transparent pixel
    assert (tmp_path / "cursors/left_ptr").resolve() == (tmp_path / "cursors/default").resolve()


def test_install_step_needs_exactly_one_arm64_deb(rootfs, tmp_path):
    proc, _ = run_step("00-motcua", "00-run.sh", rootfs)
    assert proc.returncode == 1 and "exactly one" in proc.stderr
    text = (STAGE / "00-motcua/00-run.sh").read_text()
    assert "MOTCUA_DEFER_INIT=1" in text


def test_no_secrets_step_refuses_an_image_with_a_database(rootfs):
    proc, _ = run_step("03-no-secrets", "00-run.sh", rootfs)
    assert proc.returncode == 0, proc.stderr
    assert (rootfs / "etc/machine-id").read_text() == ""
    (rootfs / "var/lib/motcua").mkdir(parents=True)
    (rootfs / "var/lib/motcua/admin-password.txt").write_text("admin: x\n")
    proc, _ = run_step("03-no-secrets", "00-run.sh", rootfs)
    assert proc.returncode == 1 and "first boot" in proc.stderr


def test_kiosk_browser_keeps_its_profile_and_clears_the_crash_flag(tmp_path):
    """The start script, run with stand-ins for curl and chromium: the profile directory is the
    state directory's, and a Preferences file left by a power cut is marked as a clean exit."""
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    (bin_dir / "curl").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "chromium").write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\n')
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    prefs = state / "chromium/Default/Preferences"
    prefs.parent.mkdir(parents=True)
    prefs.write_text('{"profile":{"exit_type":"Crashed","exited_cleanly":false},"x":1}')
    args_file = tmp_path / "args"
    subprocess.run([str(STAGE / "02-kiosk/files/motcua-kiosk-browser")], check=True, timeout=60,
                   env={"PATH": f"{bin_dir}:/usr/bin:/bin", "STATE_DIRECTORY": str(state),
                        "HOME": str(tmp_path / "home"), "ARGS_FILE": str(args_file)})
    args = args_file.read_text().splitlines()
    assert f"--user-data-dir={state}/chromium" in args and "--incognito" not in args
    assert args[-1] == "http://127.0.0.1:8080/display"
    assert prefs.read_text() == '{"profile":{"exit_type":"Normal","exited_cleanly":true},"x":1}'

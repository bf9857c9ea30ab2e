"""The device's own motcua-XXXX name: read from the Pi's serial (device tree or cpuinfo), else the
machine id; written to /etc/hostname and /etc/hosts of a root given by the test."""
from appliance.ops import hostname


def test_serial_from_the_device_tree_then_cpuinfo(tmp_path):
    dt = tmp_path / "serial-number"
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nHardware\t: BCM2835\nSerial\t\t: 10000000a3f2b9c1\nModel\t: Pi\n")
    assert hostname.read_serial([dt], cpuinfo) == "10000000a3f2b9c1"
    dt.write_bytes(b"6f1e2d3c4b5a7788\x00")
    assert hostname.read_serial([dt], cpuinfo) == "6f1e2d3c4b5a7788"
    machine_id = tmp_path / "machine-id"
    machine_id.write_text("0f4c1e2d3b\n")
    assert hostname.this_device_name([dt], cpuinfo, machine_id) == "motcua-7788"
    # a PC: no serial anywhere, the machine id decides
    none = tmp_path / "none"
    name = hostname.this_device_name([none], none, machine_id)
    assert name.startswith("motcua-") and len(name) == len("motcua-0000")


def test_hosts_line_replaced_or_added():
    text = "127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n::1\tlocalhost\n"
    assert hostname.hosts_with_name(text, "motcua-b9c1") == \
        "127.0.0.1\tlocalhost\n127.0.1.1\tmotcua-b9c1\n::1\tlocalhost\n"
    assert hostname.hosts_with_name("127.0.0.1 localhost", "motcua-b9c1") == \
        "127.0.0.1 localhost\n127.0.1.1\tmotcua-b9c1\n"


def test_apply_replaces_a_default_name_only(tmp_path):
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "hostname").write_text("raspberrypi\n")
    (etc / "hosts").write_text("127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n")
    commands = []
    assert hostname.apply("motcua-b9c1", etc, commands.append) is True
    assert (etc / "hostname").read_text() == "motcua-b9c1\n"
    assert "127.0.1.1\tmotcua-b9c1" in (etc / "hosts").read_text()
    assert (etc / "hostname").stat().st_mode & 0o777 == 0o644
    assert all(c[0] in ("hostnamectl", "systemctl") for c in commands)
    assert hostname.apply("motcua-b9c1", etc, commands.append) is False  # already so
    (etc / "hostname").write_text("mot-cua-xa-an-binh\n")  # chosen by the administrator: kept
    assert hostname.apply("motcua-b9c1", etc, commands.append) is False
    assert (etc / "hostname").read_text() == "mot-cua-xa-an-binh\n"
    assert hostname.apply("motcua-b9c1", etc, commands.append, force=True) is True
    assert hostname.current_name(etc) == "motcua-b9c1"

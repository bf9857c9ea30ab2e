"""Transports against real pyserial: a pty fake transmitter (ACK/NAK, unplug, replug), loop://, sim, GPIO."""
from __future__ import annotations

import json
import os
import sys
import types

import pytest

from appliance.config import ConfigError, Pager
from appliance.pager import PagerError, make_encoder, make_transport
from appliance.pager.fake_transmitter import FakeTransmitter, bridge_responder, waveware_responder
from appliance.pager.gpio_transport import GpioTransport
from appliance.pager.serial_transport import SerialTransport
from appliance.pager.sim_transport import SimTransport
from appliance.pager.transport import DisabledTransport


def cfg(url: str, protocol: str = "jtech-j1901", system_id: int = 10, **options) -> Pager:
    return Pager(url=url, protocol=protocol, system_id=system_id, options=options)


# --- URL parsing --------------------------------------------------------------------------

def test_url_schemes_choose_the_transport_and_serial_defaults():
    t = make_transport(cfg("serial:///dev/serial/by-id/usb-FTDI-if00?baudrate=1200&rtscts=1"))
    assert isinstance(t, SerialTransport)
    assert (t.target, t.baudrate, t.rtscts) == ("/dev/serial/by-id/usb-FTDI-if00", 1200, True)
    assert make_transport(cfg("serial:///dev/ttyUSB0", "jtech-8214")).rtscts is True      # honour CTS
    assert make_transport(cfg("serial:///dev/ttyUSB0", "jtech-8214")).baudrate == 1200
    assert make_transport(cfg("serial:///dev/ttyACM0", "bridge", 1)).baudrate == 115200
    assert make_transport(cfg("tcp://10.0.0.5:4001")).target == "socket://10.0.0.5:4001"
    assert isinstance(make_transport(cfg("")), DisabledTransport)
    gpio = make_transport(cfg("gpio://17?chip=4", "retekess-t119", 5))
    assert isinstance(gpio, GpioTransport) and (gpio.pin, gpio.chip) == (17, 4)
    sim = make_transport(cfg("sim://var/devices/pager"))
    assert isinstance(sim, SimTransport) and str(sim.directory) == "var/devices/pager"


@pytest.mark.parametrize("url,protocol,fragment", [
    ("gpio://17", "jtech-j1901", "gpio:// chỉ dùng"),
    ("serial:///dev/ttyUSB0", "retekess-td157", "bridge"),
    ("gpio://40", "retekess-t119", "BCM 0–27"),
    ("serial:///dev/ttyUSB0?baudrate=fast", "waveware", "baudrate"),
    ("serial:///dev/ttyUSB0?parity=E", "waveware", "parity"),
    ("usb://04b8:0e15", "waveware", "serial://"),
    ("socket://nohost", "waveware", "socket://MÁY:CỔNG"),
])
def test_bad_urls_name_the_key_in_one_vietnamese_line(url, protocol, fragment):
    with pytest.raises(ConfigError) as err:
        make_transport(cfg(url, protocol, 1))
    assert str(err.value).startswith("Cấu hình sai [pager].url") and fragment in str(err.value)
    assert "\n" not in str(err.value)


# --- serial over a pty --------------------------------------------------------------------

def test_waveware_over_pty_ack(tmp_path):
    with FakeTransmitter(waveware_responder(ack=True)) as fake:
        settings = cfg(fake.url, "waveware", 0, capcode_base=145677)
        with make_transport(settings) as t:
            reply = t.send(make_encoder(settings).encode(1))
        assert reply.status == "ack" and reply.ok
        assert fake.wait_for(12) == b"\x013,1,145678\x04"


def test_waveware_over_pty_nak_is_a_refusal_not_a_link_error():
    with FakeTransmitter(waveware_responder(ack=False, nak_code="03")) as fake:
        settings = cfg(fake.url, "waveware", 0, capcode_base=145677)
        with make_transport(settings) as t:
            reply = t.send(make_encoder(settings).encode(1))
        assert reply.status == "nak" and not reply.ok and "lỗi 03" in reply.message


def test_silent_transmitter_gives_no_reply_after_the_timeout():
    with FakeTransmitter(responder=None) as fake:
        settings = cfg(fake.url, "waveware", 0, capcode_base=100, reply_timeout_s=0.2)
        with make_transport(settings) as t:
            reply = t.send(make_encoder(settings).encode(1))
        assert reply.status == "no_reply" and "9600" in reply.message


def test_bridge_over_pty_waits_for_ok():
    with FakeTransmitter(bridge_responder(ok=True)) as fake:
        settings = cfg(fake.url, "bridge", 5, radio="retekess-t119", repeats=2)
        with make_transport(settings) as t:
            tx = make_encoder(settings).encode(9)
            assert t.send(tx).status == "ack"
        assert fake.wait_for(len(tx.data)) == tx.data
    with FakeTransmitter(bridge_responder(ok=False)) as fake:
        settings = cfg(fake.url, "bridge", 5, radio="retekess-t119")
        with make_transport(settings) as t:
            assert t.send(make_encoder(settings).encode(9)).status == "nak"


def test_unplug_raises_pager_error_and_replug_behind_the_same_link_recovers(tmp_path):
    link = tmp_path / "by-id" / "usb-motcua-pager-if00"
    settings = None
    with FakeTransmitter(link=link) as fake:
        settings = cfg(fake.url)
        encoder = make_encoder(settings)
        t = make_transport(settings)
        assert t.send(encoder.encode(1)).ok
        assert fake.wait_for(13) == encoder.encode(1).data
        first_tty = fake.tty
        fake.unplug()
        assert t.problem() is not None and "Không thấy bộ phát" in t.problem()
        with pytest.raises(PagerError) as err:
            t.send(encoder.encode(2))
        assert "bộ phát" in err.value.message and err.value.retryable
        assert not t.is_open
        with pytest.raises(PagerError, match="kiểm tra cáp USB"):
            t.send(encoder.encode(2))                              # link gone: reopen fails too
        fake.clear()
        fake.replug()
        assert fake.tty != first_tty or os.path.exists(fake.tty)
        assert t.problem() is None
        assert t.send(encoder.encode(3)).ok
        assert fake.wait_for(13) == encoder.encode(3).data
        t.close()


def test_unplug_of_a_transmitter_that_replies_is_a_pager_error_not_an_unexpected_one(tmp_path):
    """A transmitter with replies (WaveWare) flushes its input before each page: on a port whose
    device went away, tcflush raises termios.error, which is not an OSError."""
    link = tmp_path / "by-id" / "usb-waveware-if00"
    with FakeTransmitter(waveware_responder(ack=True), link=link) as fake:
        settings = cfg(fake.url, "waveware", 0, capcode_base=145677)
        encoder = make_encoder(settings)
        t = make_transport(settings)
        assert t.send(encoder.encode(1)).ok
        fake.unplug()
        with pytest.raises(PagerError) as err:
            t.send(encoder.encode(2))
        assert "bộ phát" in err.value.message and err.value.retryable and not t.is_open
        fake.replug()
        assert t.send(encoder.encode(3)).ok
        t.close()


def test_port_is_locked_against_a_second_user():
    with FakeTransmitter() as fake:
        settings = cfg(fake.url)
        with make_transport(settings) as first:
            first.open()
            second = make_transport(settings)
            with pytest.raises(PagerError, match="đang được chương trình khác dùng"):
                second.open()


def test_loop_url_carries_the_exact_bytes():
    settings = cfg("loop://", "jtech-8214", 123)
    t = make_transport(settings)
    tx = make_encoder(settings).encode(45)
    assert t.send(tx).status == "sent"
    assert t.port.read(len(tx.data)) == tx.data
    t.close()


def test_serial_transport_refuses_pulse_trains():
    t = make_transport(cfg("loop://"))
    pulses = make_encoder(cfg("", "retekess-t119", 1)).encode(1)
    with pytest.raises(PagerError) as err:
        t.send(pulses)
    assert not err.value.retryable


# --- sim and GPIO -------------------------------------------------------------------------

def test_sim_records_json_lines_and_exact_bytes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = cfg("sim://var/devices/pager", "waveware", 0, capcode_base=145677)
    t = make_transport(settings)
    t.send(make_encoder(settings).encode(1))
    t.send(make_encoder(settings).encode(2))
    lines = (tmp_path / "var/devices/pager/pages.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    assert first["pager"] == 1 and first["protocol"] == "waveware"
    assert bytes.fromhex(first["bytes"]) == b"\x013,1,145678\x04"
    assert first["text"] == "<SOH>3,1,145678<EOT>"
    assert (tmp_path / "var/devices/pager/pager.bin").read_bytes() == b"\x013,1,145678\x04\x013,1,145679\x04"


def test_sim_records_pulse_frames(tmp_path):
    settings = cfg(f"sim://{tmp_path}/p", "retekess-td157", 274)
    t = make_transport(settings)
    tx = make_encoder(settings).encode(1)
    t.send(tx)
    rec = t.records()[0]
    assert [tuple(p) for p in rec["frame"]] == list(tx.frame) and rec["repeats"] == 31
    assert rec["bytes"] is None and rec["duration_us"] == tx.duration_us


class FakeWaveSink:
    def __init__(self, pin, chip):
        self.pin, self.chip, self.sent, self.closed = pin, chip, [], False

    def send(self, pulses):
        self.sent.append(list(pulses))

    def close(self):
        self.closed = True


def test_gpio_transport_sends_the_full_train_to_an_injected_sink():
    sinks = []

    def factory(pin, chip):
        sinks.append(FakeWaveSink(pin, chip))
        return sinks[-1]

    settings = cfg("gpio://17", "retekess-t119", 1234)
    t = make_transport(settings, gpio_sink_factory=factory)
    tx = make_encoder(settings).encode(5)
    reply = t.send(tx)
    assert reply.ok and "GPIO 17" in reply.message
    assert sinks[0].pin == 17 and sinks[0].sent == [list(tx.frame) * 10]
    t.close()
    assert sinks[0].closed


def test_gpio_without_lgpio_explains_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "lgpio", None)          # as on any machine without python3-lgpio
    t = GpioTransport(17)
    with pytest.raises(PagerError, match="python3-lgpio") as err:
        t.open()
    assert not err.value.retryable


class FakeLgpio(types.ModuleType):
    """The few lgpio calls LgpioWaveSink makes, with a pin that is already claimed elsewhere."""

    class error(Exception):  # noqa: N801 - lgpio's own name
        pass

    def __init__(self):
        super().__init__("lgpio")
        self.open_handles: set[int] = set()
        self.next_handle = 0

    def gpiochip_open(self, chip):
        self.next_handle += 1
        self.open_handles.add(self.next_handle)
        return self.next_handle

    def gpiochip_close(self, handle):
        self.open_handles.remove(handle)

    def gpio_claim_output(self, handle, pin, level):
        raise self.error("'GPIO busy'")


def test_failed_pin_claim_closes_the_chip_handle_on_every_retry(monkeypatch):
    fake = FakeLgpio()
    monkeypatch.setitem(sys.modules, "lgpio", fake)
    t = GpioTransport(17)
    for _ in range(3):
        with pytest.raises(PagerError, match="Không mở được chân GPIO 17 trên gpiochip0: 'GPIO busy'"):
            t.open()
    assert fake.next_handle == 3 and fake.open_handles == set() and not t.is_open


def test_serial_errors_become_vietnamese_sentences():
    t = SerialTransport("/dev/does-not-exist-pager", 9600)
    with pytest.raises(PagerError, match="Không thấy bộ phát thẻ rung ở /dev/does-not-exist-pager"):
        t.open()
    assert t.problem() is not None and not t.is_open


def test_socket_url_reaches_a_transmitter_behind_a_tcp_serial_server():
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    got = []

    def serve():
        conn, _ = server.accept()
        with conn:
            data = b""
            while not data.endswith(b"\x04"):
                data += conn.recv(64)
            got.append(data)
            conn.sendall(data + b"\x01\x06V9.01,00,0,1,1A\x04")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings = cfg(f"socket://127.0.0.1:{port}", "waveware", 0, capcode_base=145677)
    with make_transport(settings) as t:
        assert t.send(make_encoder(settings).encode(1)).status == "ack"
    thread.join(2)
    server.close()
    assert got == [b"\x013,1,145678\x04"]


def test_serial_candidates_offer_stable_by_id_names(tmp_path):
    from appliance.pager.serial_transport import serial_candidates

    with FakeTransmitter(link=tmp_path / "by-id" / "usb-Raspberry_Pi_Pico_E6605-if00") as fake:
        found = serial_candidates(str(tmp_path / "by-id"))
        assert found[0]["url"] == "serial://" + str(tmp_path / "by-id" / "usb-Raspberry_Pi_Pico_E6605-if00")
        assert found[0]["device"] == os.path.realpath(fake.tty)
    assert all(c["url"].startswith("serial:///dev/") for c in serial_candidates(str(tmp_path / "nothing")))

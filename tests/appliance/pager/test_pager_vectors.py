"""Every published pager test vector, and the option checks around the encoders."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.config import ConfigError, Pager
from appliance.pager import make_encoder
from appliance.pager.bridge import reply_reader
from appliance.pager.lrs import lrs_capcode
from appliance.pager.retekess import chips_to_bytes
from appliance.pager.waveware import read_reply

SOH, STX, ETX, EOT, ACK, NAK = "\x01", "\x02", "\x03", "\x04", "\x06", "\x15"


def enc(protocol: str, system_id: int = 10, **options):
    return make_encoder(Pager(protocol=protocol, system_id=system_id, options=options))


# --- JTECH --------------------------------------------------------------------------------

def test_j1901_vector_base_010_pager_0001():
    tx = enc("jtech-j1901", 10).encode(1)
    assert tx.data == bytes.fromhex("FF FF FF 01 30 31 30 30 30 30 31 03 0D")
    assert tx.read_reply is None


def test_jtech_8214_function_separator_and_message():
    e = enc("jtech-8214", 123, function=3, format="alpha-512", message="SO {pager}")
    assert e.encode(45).data == b"\xff\xff\xff\x03" + b"1230045" + b"\x0a" + b"SO 45" + b"\r"
    assert enc("jtech-8214", 0, format="numeric-1200").encode(9999).data == b"\xff\xff\xff\x010009999\x05\r"


def test_jtech_rejects_pager_beyond_four_digits_and_bad_options():
    with pytest.raises(ValueError, match="10000"):
        enc("jtech-j1901").encode(10000)
    with pytest.raises(ConfigError, match=r"\[pager\]\.options\.function"):
        enc("jtech-j1901", function=5)
    with pytest.raises(ConfigError, match=r"\[pager\]\.options\.message"):
        enc("jtech-j1901", format="numeric-512", message="Mời")
    with pytest.raises(ConfigError, match=r"\[pager\]\.system_id"):
        enc("jtech-j1901", 1000)


# --- WaveWare -----------------------------------------------------------------------------

def test_waveware_three_beeps_1200_to_capcode_0145678():
    tx = enc("waveware", 0, alert=3, rate=1200, capcode_base=145677).encode(1)
    assert tx.data == f"{SOH}3,1,145678{EOT}".encode()
    assert tx.read_reply is read_reply


def test_waveware_alpha_vector_from_manual():
    tx = enc("waveware", 0, alert="alpha", rate=512, capcode_base=46179, message="This is a test").encode(1)
    assert tx.data == f"{SOH}A,5,46180,{STX}This is a test{ETX}{EOT}".encode()


def test_waveware_replies_ack_and_nak_after_the_echo():
    ack = read_reply(f"{SOH}A,5,46180,{STX}This is a test{ETX}{EOT}{SOH}{ACK}V8.01,00,0,1,1A{EOT}".encode())
    assert ack.status == "ack" and ack.ok and "8.01" in ack.message
    nak = read_reply(f"{SOH}4,5,0000006{EOT}{SOH}{NAK}03{EOT}\r\n".encode())
    assert nak.status == "nak" and not nak.ok and "03" in nak.message and "cap code" in nak.message
    assert read_reply(f"{SOH}3,1,145678{EOT}".encode()) is None           # echo only: wait for more
    assert read_reply(f"{SOH}3,1,145678{EOT}{SOH}{ACK}V8".encode()) is None  # reply incomplete


def test_waveware_lrs_capcodes():
    tx = enc("waveware", 3, capcode="lrs").encode(23)
    assert tx.data == f"{SOH}3,1,1000184{EOT}".encode()


# --- LRS ----------------------------------------------------------------------------------

def test_lrs_capcode_formula_vector():
    assert lrs_capcode(3, 23) == 1000184
    assert lrs_capcode(0, 0) == 700000
    with pytest.raises(ValueError):
        lrs_capcode(14, 1)


def test_lrs_page_line_vector():
    assert enc("lrs-t74", 4, message="Hello world!").encode(105).data == b"PAGE,105,4,Hello world!\r\n"
    assert enc("lrs-t74", 3, mode="capcode", line_end="cr").encode(23).data == b"CCPAGE,1000184,23\r"


def test_lrs_capcode_mode_needs_system_id_up_to_13():
    with pytest.raises(ConfigError, match=r"\[pager\]\.system_id = 14"):
        enc("lrs-t74", 14, mode="capcode")


# --- Retekess -----------------------------------------------------------------------------

def test_td157_vector_keypad_274_pager_1():
    e = enc("retekess-td157", 274)
    assert chips_to_bytes(e.chips(1)) == bytes.fromhex("8E 88 8E 88 E8 88 88 88 88 8E 88 E8 80")


def test_td157_pulse_train_timing():
    tx = enc("retekess-td157", 274).encode(1)
    assert tx.repeats == 31
    assert tx.frame[0] == (1, 208)                       # bit 0 = 1000: one chip on
    assert tx.frame[-1] == (0, 5625)                         # last bit's 3 chips off + 5 ms gap
    assert sum(us for _, us in tx.frame) == 25833            # 100 chips at 4800/s + 5 ms, to 1 µs
    levels = [lv for lv, _ in tx.frame]
    assert all(a != b for a, b in itertools.pairwise(levels))


def decode_chips(chips: str) -> str:
    return "".join({"1000": "0", "1110": "1"}[chips[i:i + 4]] for i in range(0, len(chips), 4))


@given(keypad=st.integers(0, 1023), pager=st.integers(1, 1023), action=st.integers(0, 31))
def test_td157_round_trip(keypad, pager, action):
    bits = decode_chips(enc("retekess-td157", keypad, action=action).chips(pager))
    assert (int(bits[:10], 2), int(bits[10:20], 2), int(bits[20:], 2)) == (keypad, pager, action)


def test_td158_nibbles_lsb_first_then_off_symbols():
    e = enc("retekess-td158", 345)
    assert e.nibbles(12) == [2, 1, 0, 0, 5, 4, 3, 0, 0]
    expected_bits = "0100" "1000" "0000" "0000" "1010" "0010" "1100" "0000" "0000"
    chips = e.chips(12)
    assert decode_chips(chips[:36 * 4]) == expected_bits
    assert chips[36 * 4:] == "0" * 28
    tx = e.encode(12)
    assert tx.repeats == 30 and min(us for _, us in tx.frame) == 200     # 5000 chips/s
    assert sum(us for _, us in tx.frame) == (36 + 7) * 4 * 200


def test_td158_refuses_999_which_switches_every_pager_off():
    with pytest.raises(ValueError, match="1–998"):
        enc("retekess-td158", 1).encode(999)


def test_t119_bits_lsb_first_and_pt2262_timing():
    e = enc("retekess-t119", 5)
    bits = e.bits(3)
    assert bits == "1010000000000" + "1100000000" + "0"
    frame = e.encode(3).frame
    assert frame[:4] == ((1, 990), (0, 330), (1, 330), (0, 990))
    assert frame[-2:] == ((1, 220), (0, 6480))
    assert len(frame) == 2 * 24 + 2


def test_t119_field_widths_are_configuration():
    e = enc("retekess-t119", 5, system_bits=12, pager_bits=8, cancel_bit=False, repeats=4)
    assert len(e.bits(3)) == 20 and e.encode(3).repeats == 4
    with pytest.raises(ConfigError, match=r"\[pager\]\.system_id = 5000"):
        enc("retekess-t119", 5000, system_bits=12)
    with pytest.raises(ConfigError, match=r"\[pager\]\.options\.long_us"):
        enc("retekess-t119", 5, short_us=500, long_us=400)


# --- RF bridge ----------------------------------------------------------------------------

def test_bridge_line_carries_one_frame_and_its_repeat_count():
    e = enc("bridge", 274)                                   # default radio: retekess-td157
    tx = e.encode(1)
    words = tx.data.decode().split()
    assert tx.data.endswith(b"\n") and words[:3] == ["TX", "1", "31"]
    durations = [int(w) for w in words[3:]]
    radio = enc("retekess-td157", 274).encode(1)
    assert durations == [us for _, us in radio.frame] and len(durations) % 2 == 0
    assert tx.reply_timeout_s > radio.duration_us / 1e6


def test_bridge_with_t119_and_replies():
    tx = enc("bridge", 5, radio="retekess-t119", repeats=3).encode(7)
    assert tx.data.startswith(b"TX 7 3 ")
    read = reply_reader(7)
    assert read(b"READY motcua-bridge 1\n") is None
    assert read(b"OK 7") is None                              # no newline yet
    assert read(b"READY motcua-bridge 1\nOK 7\n").status == "ack"
    assert read(b"OK 6\n") is None                            # somebody else's tag
    nak = read(b"ERR 7 RANGE x\n")
    assert nak.status == "nak" and "RANGE" in nak.message


def test_bridge_options_are_validated_including_the_radio_ones():
    with pytest.raises(ConfigError, match=r"\[pager\]\.options\.radio"):
        enc("bridge", 1, radio="jtech-j1901")
    with pytest.raises(ConfigError, match=r"\[pager\]\.options\.repeats"):
        enc("bridge", 1, repeats=0)


# --- options ------------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", ["jtech-8214", "jtech-j1901", "waveware", "lrs-t74", "bridge",
                                      "retekess-td157", "retekess-td158", "retekess-t119"])
def test_every_protocol_refuses_unknown_option_keys_in_vietnamese(protocol):
    with pytest.raises(ConfigError) as err:
        enc(protocol, 1, colour="blue")
    text = str(err.value)
    assert "[pager].options.colour" in text and "các khóa được phép là" in text and "\n" not in text
    assert "dedup_s" in text


@pytest.mark.parametrize("protocol", ["jtech-8214", "waveware", "lrs-t74", "retekess-t119"])
def test_common_options_are_accepted_and_checked(protocol):
    enc(protocol, 1, dedup_s=3, reply_timeout_s=1.5, max_delay_s=30, backoff_max_s=5)
    with pytest.raises(ConfigError, match=r"\[pager\]\.options\.dedup_s"):
        enc(protocol, 1, dedup_s=-1)

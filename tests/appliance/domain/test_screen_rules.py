"""The pairing code, what an approval must say, and the first-boot rules (setup code, office
network, the device's own .local name)."""
import itertools

import pytest

from appliance.domain import firstboot, screens
from appliance.domain.errors import DomainError, NotAllowed, TooManyRequests


def test_codes_use_no_look_alike_characters():
    for ch in "0O1IL2Z5S8BQ6G":
        assert ch not in screens.CODE_ALPHABET
    codes = {screens.new_code() for _ in range(200)}
    assert all(len(c) == 6 and set(c) <= set(screens.CODE_ALPHABET) for c in codes)
    assert len(codes) > 190  # random, not a sequence


@pytest.mark.parametrize("typed", ["acd479", "ACD-479", " acd 479 ", "ACD_479"])
def test_a_code_is_read_as_typed(typed):
    assert screens.normalise_code(typed) == "ACD479"
    assert screens.format_code("ACD479") == "ACD-479"


@pytest.mark.parametrize("typed", ["", "ACD47", "ACD4790", "ACO479", "ACD-47I"])
def test_a_wrong_code_is_refused_in_vietnamese(typed):
    with pytest.raises(DomainError) as err:
        screens.normalise_code(typed)
    assert err.value.field == "code" and "mã ghép nối" in err.value.message("vi")
    assert "pairing code" in err.value.message("en")


def test_an_approval_names_a_role_and_its_counters():
    a = screens.approval("display", "  TV   sảnh ", [1, 2, 3], counters=[3, 1])
    assert a == screens.Approval("display", "TV sảnh", counters=(1, 3)) and a.home_path() == "/display"
    # every counter (or none ticked) is "all": a counter added later shows on it too
    assert screens.approval("display", "TV", [1, 2], counters=[1, 2]).counters is None
    assert screens.approval("display", "TV", [1, 2], counters=[]).counters is None
    m = screens.approval("mirror", "Quầy 2 – công dân", [1, 2], counter_id=2)
    assert m.counter_id == 2 and m.home_path() == "/mirror/2"
    assert screens.approval("kiosk", "Máy lấy số", [1]).home_path() == "/kiosk"


@pytest.mark.parametrize("args, field", [
    (("admin", "x", [1]), "role"),
    (("display", "   ", [1]), "name"),
    (("display", "x" * 61, [1]), "name"),
    (("mirror", "x", [1]), "counter_id"),
    (("mirror", "x", [1], 9), "counter_id"),
    (("kiosk", "x", [1], 1), "counter_id"),
])
def test_a_wrong_approval_is_refused(args, field):
    with pytest.raises(DomainError) as err:
        screens.approval(*args)
    assert err.value.field == field


def test_unknown_or_misplaced_counters_are_refused():
    with pytest.raises(DomainError) as err:
        screens.approval("display", "TV", [1, 2], counters=[1, 7])
    assert err.value.code == "unknown_counter"
    with pytest.raises(DomainError):
        screens.approval("kiosk", "K", [1, 2], counters=[1])


def test_codes_are_throttled_per_address_and_in_total():
    screens.may_create(screens.CREATE_PER_ADDRESS - 1, 0)
    with pytest.raises(TooManyRequests):
        screens.may_create(screens.CREATE_PER_ADDRESS, 0)
    with pytest.raises(TooManyRequests):
        screens.may_create(0, screens.MAX_PENDING)


def test_a_code_expires():
    assert screens.state_of("pending", 100.0, 99.9) == "pending"
    assert screens.state_of("pending", 100.0, 100.0) == "expired"
    assert screens.state_of("approved", 100.0, 101.0) == "expired"
    assert screens.state_of("claimed", 100.0, 500.0) == "claimed"


def test_counters_round_trip():
    assert screens.decode_counters(screens.encode_counters((1, 12))) == (1, 12)
    assert screens.encode_counters(None) is None and screens.decode_counters(None) is None


# --- first boot ---------------------------------------------------------------------------
def test_setup_code_matches_as_typed_and_only_itself():
    code = firstboot.new_setup_code()
    assert len(code) == 8 and set(code) <= set(screens.CODE_ALPHABET)
    shown = firstboot.format_setup_code(code)
    assert firstboot.setup_code_matches(shown.lower(), code)
    assert firstboot.setup_code_matches(" " + shown + " ", code)
    assert not firstboot.setup_code_matches(code[:-1], code)
    assert not firstboot.setup_code_matches("", code)
    assert not firstboot.setup_code_matches("", "")


@pytest.mark.parametrize("address", ["192.168.1.20", "10.0.0.5", "172.16.3.4", "127.0.0.1", "::1",
                                     "fe80::1%eth0", "fd00::12", "169.254.10.1", "::ffff:192.168.1.9"])
def test_office_addresses(address):
    assert firstboot.is_office_address(address)
    firstboot.check_office_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "100.64.1.1", "203.113.1.1", "2001:4860::8888",
                                     "::ffff:8.8.8.8", "", None, "not-an-ip", "0.0.0.0", "224.0.0.1"])
def test_public_addresses_may_not_set_up(address):
    assert not firstboot.is_office_address(address)
    with pytest.raises(NotAllowed) as err:
        firstboot.check_office_address(address)
    assert "mạng nội bộ" in err.value.message("vi") and "office network" in err.value.message("en")


def test_device_hostname_from_the_pi_serial_else_the_machine_id():
    assert firstboot.device_hostname("10000000a3f2b9c1") == "motcua-b9c1"
    assert firstboot.device_hostname("  100000004E5DAB12\n") == "motcua-ab12"
    # no serial (a PC, a VM): stable digits from the machine id, differing between machines
    a = firstboot.device_hostname(None, "0f4c1e2d3b")
    assert a == firstboot.device_hostname("", "0f4c1e2d3b") and a.startswith("motcua-") and len(a) == 11
    assert a != firstboot.device_hostname("0000000000000000", "another-machine")
    assert firstboot.mdns_name("motcua-b9c1") == "motcua-b9c1.local"
    with pytest.raises(DomainError):
        firstboot.device_hostname(None, None)


def test_two_pis_seldom_share_a_name():
    names = {firstboot.device_hostname(None, f"machine-{i}") for i in range(50)}
    assert len(names) >= 48
    assert len(set(itertools.islice(names, 10))) == 10

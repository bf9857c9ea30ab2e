"""Password rules (common, trivial, the login, the office) and the login backoff, pure."""
from __future__ import annotations

import pytest

from appliance.domain import passwords
from appliance.domain.errors import DomainError
from appliance.domain.throttle import LoginThrottle


@pytest.mark.parametrize("password, login, office, reason", [
    ("1234567", "", "", "ít nhất 8"),
    ("x" * 129, "", "", "tối đa 128"),
    ("12345678", "", "", "phổ biến"),
    ("password", "", "", "phổ biến"),
    ("Password2026!", "", "", "phổ biến"),
    ("MậtKhẩu123", "", "", "phổ biến"),
    ("aaaaaaaa", "", "", "lặp lại"),
    ("abababab", "", "", "lặp lại"),
    ("11112222", "", "", "lặp lại"),
    ("ijklmnopq", "", "", "dãy liên tiếp"),
    ("98765432", "", "", "dãy liên tiếp"),
    ("asdfghjk", "", "", "dãy liên tiếp"),
    ("lan.nguyen99", "lan.nguyen", "", "tên đăng nhập"),
    ("nguyenlan", "nguyenlan.ht", "", "tên đăng nhập"),
    ("DongNgac@2026", "canbo1", "UBND xã Đông Ngạc", "tên cơ quan"),
    ("dong-ngac-vui", "canbo1", "Bộ phận Một cửa xã Đông Ngạc", "tên cơ quan"),
])
def test_weak_passwords_are_refused_with_the_reason(password, login, office, reason):
    with pytest.raises(DomainError) as info:
        passwords.check(password, login, office)
    assert reason in info.value.message("vi")
    assert info.value.message("en") != info.value.message("vi")


@pytest.mark.parametrize("password", ["mat-khau-thu-123", "ngựa-vằn-bay-42", "hoa sen nở sớm", "k7#Lp2qZ"])
def test_good_passwords_pass(password):
    assert passwords.problem(password, "lan.nguyen", "UBND xã Đông Ngạc") is None


def test_the_shipped_list_is_lowercase_and_holds_the_classics():
    common = passwords.common_passwords()
    assert {"12345678", "password", "matkhau", "motcua123", "qwerty"} <= common
    assert all(w == w.casefold().strip() for w in common)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_officer_at_their_counter_waits_seconds_then_minutes_never_a_quarter_hour():
    clock = Clock()
    t = LoginThrottle(clock)
    for _ in range(5):
        assert t.retry_after("CanBo1", "10.0.0.5") == 0
        t.failed("canbo1", "10.0.0.5")
    assert t.retry_after("canbo1", "10.0.0.5") == 30
    waits = []
    for _ in range(6):
        clock.now += t.retry_after("canbo1", "10.0.0.5")
        assert t.retry_after("canbo1", "10.0.0.5") == 0
        t.failed("canbo1", "10.0.0.5")
        waits.append(t.retry_after("canbo1", "10.0.0.5"))
    assert waits == [60, 120, 240, 300, 300, 300]   # capped at 5 minutes
    t.succeeded("canbo1", "10.0.0.5")
    assert t.retry_after("canbo1", "10.0.0.5") == 0


def test_an_attacker_elsewhere_slows_the_account_to_a_minute_at_most():
    clock = Clock()
    t = LoginThrottle(clock)
    for i in range(40):
        address = f"10.9.{i}.1"          # a new address each time: the pair never waits
        clock.now += t.retry_after("canbo1", address)
        t.failed("canbo1", address)
    assert 0 < t.retry_after("canbo1", "10.0.0.5") <= 60


def test_one_address_trying_many_names_waits_up_to_fifteen_minutes():
    clock = Clock()
    t = LoginThrottle(clock)
    for i in range(20):
        t.failed(f"nguoi{i}", "10.0.0.9")
    assert t.retry_after("canbo1", "10.0.0.9") == 30
    assert t.retry_after("canbo1", "10.0.0.5") == 0
    for _ in range(10):
        clock.now += t.retry_after("x", "10.0.0.9")
        t.failed("x", "10.0.0.9")
    assert t.retry_after("canbo1", "10.0.0.9") == 900
    t.succeeded("canbo1", "10.0.0.9")          # a good account does not reset the address
    assert t.retry_after("canbo1", "10.0.0.9") == 900


def test_an_administrator_unlocks_an_account_and_old_failures_are_forgotten():
    clock = Clock()
    t = LoginThrottle(clock)
    for _ in range(7):
        t.failed("canbo1", "10.0.0.5")
    t.failed("canbo2", "10.0.0.5")
    assert t.waiting() == {"canbo1": 120}
    assert t.unlock(" CANBO1 ") == 2
    assert t.retry_after("canbo1", "10.0.0.5") == 0 and t.waiting() == {}
    for _ in range(5):
        t.failed("canbo2", "10.0.0.6")
    clock.now += 3601
    assert t.retry_after("canbo2", "10.0.0.6") == 0


class Kept:
    """The counts as a store would keep them: (kind, login, address) → (failures, last)."""

    def __init__(self):
        self.rows = {}

    def put(self, kind, login, address, failures, last):
        self.rows[(kind, login, address)] = (failures, last)

    def drop(self, kind, login, address):
        self.rows.pop((kind, login, address), None)

    def as_rows(self):
        return [(*k, *v) for k, v in self.rows.items()]


def test_counts_are_written_through_and_restored_after_a_restart():
    clock = Clock()
    kept = Kept()
    t = LoginThrottle(clock, keep=kept)
    for _ in range(6):
        t.failed("canbo1", "10.0.0.5")
    assert kept.rows == {("pair", "canbo1", "10.0.0.5"): (6, clock.now), ("account", "canbo1", ""): (6, clock.now),
                         ("address", "", "10.0.0.5"): (6, clock.now)}
    before = t.retry_after("canbo1", "10.0.0.5")
    clock.now += 10
    again = LoginThrottle(clock, keep=kept)          # a new process over the same store
    assert again.restore(kept.as_rows()) == 3
    assert again.retry_after("canbo1", "10.0.0.5") == before - 10
    again.succeeded("canbo1", "10.0.0.5")
    assert set(kept.rows) == {("address", "", "10.0.0.5")}   # the address's count stays
    again.failed("canbo2", "10.0.0.5")
    assert again.unlock("canbo2") == 2 and set(kept.rows) == {("address", "", "10.0.0.5")}


def test_a_clock_stepped_backwards_never_lengthens_a_wait():
    clock = Clock()
    t = LoginThrottle(clock)
    for _ in range(5):
        t.failed("canbo1", "10.0.0.5")
    clock.now -= 86400                                # NTP corrects a clock a day fast
    assert t.retry_after("canbo1", "10.0.0.5") == 30
    assert t.waiting() == {"canbo1": 30}

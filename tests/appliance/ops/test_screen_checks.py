"""doctor's screen lines: paired screens with when they were last seen, codes waiting, and an
office with no administrator yet."""
from appliance.ops.check import OK, SKIP, WARN
from appliance.ops.screen_checks import check_screens
from appliance.services.screens import Screens
from appliance.store import accounts


def test_no_database_yet(tmp_path):
    assert [c.status for c in check_screens(tmp_path / "none.db")] == [SKIP]


def test_a_fresh_install_says_what_to_do(empty_appliance):
    checks = check_screens(empty_appliance.settings.storage.path, empty_appliance.clock)
    assert [(c.area, c.status) for c in checks] == [("Cài đặt lần đầu", WARN), ("Màn hình", WARN)]
    assert "/setup" in checks[0].action and "chưa ghép nối" in checks[1].message


def test_paired_and_pending_screens(appliance, clock):
    screens = Screens(appliance.db, clock, appliance.bus)
    pairing, secret = screens.start(None, "192.168.1.50", "/display")
    screens.approve(pairing.code, "display", "TV sảnh", "admin")
    token, _ = screens.claim(secret)
    with appliance.db.write() as conn:  # seen now, on the test's clock
        conn.execute("UPDATE api_tokens SET last_used_ts = ? WHERE id = ?",
                     (clock.now, accounts.token_principal(conn, token).id))
    path = appliance.settings.storage.path
    [line] = check_screens(path, clock)
    assert line.status == OK and "TV sảnh (màn hình sảnh, vừa hoạt động)" in line.message
    waiting, _ = screens.start(None, "192.168.1.51", "/kiosk")
    [line] = check_screens(path, clock)
    assert line.status == WARN and waiting.shown_code in line.message and "/kiosk" in line.message
    assert "Quản trị → Màn hình" in line.action
    clock.advance(2 * 3600 + 1)  # the code expired; the TV was not seen for two hours
    [line] = check_screens(path, clock)
    assert line.status == WARN and "TV sảnh" in line.action

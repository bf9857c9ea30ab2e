"""The first administrator, created in the browser on a fresh install: only from the office
network, only with the one-time setup code, throttled, once."""
import pytest

from appliance.domain.errors import Conflict, NotAllowed, TooManyRequests
from appliance.services import firstboot
from appliance.store import accounts
from appliance.web.login import LoginThrottle


def actions(db):
    return [r[0] for r in db.conn().execute("SELECT action FROM audit_log ORDER BY id")]


def test_the_setup_code_lives_until_an_admin_exists(empty_appliance):
    db = empty_appliance.db
    code = firstboot.setup_code(db)
    assert len(code) == 8 and firstboot.setup_code(db) == code  # the same one every time
    assert firstboot.shown_setup_code(db) == f"{code[:4]}-{code[4:]}"
    user_id = firstboot.create_first_admin(db, "192.168.1.20", firstboot.shown_setup_code(db).lower(),
                                           "hoa.nguyen", "mat-khau-dai", "Nguyễn Thị Hoa")
    principal = accounts.user_by_id(db.conn(), user_id)
    assert (principal.name, principal.role, principal.must_change_password) == ("hoa.nguyen", "admin", False)
    assert firstboot.setup_code(db) is None  # spent
    assert db.conn().execute("SELECT count(*) FROM kv WHERE key = 'setup_code'").fetchone()[0] == 0
    assert actions(db)[-1] == "setup.admin_created"
    assert firstboot.wizard_step(db) == "admin"
    with pytest.raises(Conflict) as err:
        firstboot.create_first_admin(db, "192.168.1.20", code, "other", "mat-khau-dai")
    assert err.value.code == "already_set_up"
    assert accounts.active_admins(db.conn()) == 1


def test_refused_from_outside_the_office_network(empty_appliance):
    db = empty_appliance.db
    code = firstboot.setup_code(db)
    for address in ("8.8.8.8", "100.64.0.9", None):
        with pytest.raises(NotAllowed) as err:
            firstboot.create_first_admin(db, address, code, "admin", "mat-khau-dai")
        assert err.value.code == "not_office_network"
    assert accounts.active_admins(db.conn()) == 0 and firstboot.setup_code(db) == code


def test_refused_without_the_right_code_and_throttled(empty_appliance):
    db = empty_appliance.db
    code = firstboot.setup_code(db)
    throttle = LoginThrottle(per_login=100, per_address=3, window_s=900)
    for typed in ("", "ACDE-FHJK" if code != "ACDEFHJK" else "HJKF-EDCA", code[:-1]):
        with pytest.raises(NotAllowed) as err:
            firstboot.create_first_admin(db, "192.168.1.30", typed, "admin", "mat-khau-dai", throttle=throttle)
        assert err.value.code == "bad_setup_code" and "phiếu khởi động" in err.value.message("vi")
    with pytest.raises(TooManyRequests):  # even the right code, from this address, for a while
        firstboot.create_first_admin(db, "192.168.1.30", code, "admin", "mat-khau-dai", throttle=throttle)
    assert accounts.active_admins(db.conn()) == 0
    assert actions(db).count("setup.refused") == 3
    # another computer on the LAN with the right code
    firstboot.create_first_admin(db, "192.168.1.31", code, "admin", "mat-khau-dai", throttle=throttle)
    assert accounts.active_admins(db.conn()) == 1


def test_a_bad_password_creates_nothing_and_keeps_the_code(empty_appliance):
    from appliance.domain.errors import DomainError
    db = empty_appliance.db
    code = firstboot.setup_code(db)
    with pytest.raises(DomainError) as err:
        firstboot.create_first_admin(db, "10.0.0.2", code, "admin", "short")
    assert err.value.field == "password"
    assert accounts.active_admins(db.conn()) == 0 and firstboot.setup_code(db) == code


def test_no_setup_code_once_an_admin_exists(appliance):
    assert accounts.active_admins(appliance.db.conn()) >= 1
    assert firstboot.setup_code(appliance.db) is None

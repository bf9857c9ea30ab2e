"""Pairing screens on a real SQLite file: a code per screen, approval, collection of a token of
the chosen role, expiry, throttling, rename and revocation, all audited."""
import pytest

from appliance.domain import screens as rules
from appliance.domain.errors import Conflict, DomainError, NotFound, TooManyRequests
from appliance.services import accounts
from appliance.services.screens import REVOKED_EVENT, Screens
from appliance.store import accounts as account_store


@pytest.fixture
def screens(appliance, clock):
    return Screens(appliance.db, clock, appliance.bus)


def audit_actions(appliance):
    return [r["action"] for r in appliance.db.conn().execute("SELECT action FROM audit_log ORDER BY id")]


def test_a_screen_keeps_its_code_until_it_expires(screens, clock):
    first, secret = screens.start(None, "192.168.1.50", "/display")
    assert first.state == "pending" and len(first.code) == 6 and first.shown_code[3] == "-"
    again, same = screens.start(secret, "192.168.1.50", "/display")
    assert (again.id, again.code, same) == (first.id, first.code, secret)  # a reload shows the same code
    clock.advance(rules.PENDING_TTL_S)
    assert screens.status(secret).state == "expired"
    fresh, new_secret = screens.start(secret, "192.168.1.50", "/display")
    assert fresh.id != first.id and new_secret != secret and fresh.state == "pending"


def test_approve_then_claim_gives_a_token_of_that_role(screens, appliance):
    pairing, secret = screens.start(None, "192.168.1.51", "/display")
    assert screens.claim(secret) is None  # not approved yet
    approved = screens.approve(pairing.shown_code.lower(), "display", "TV sảnh", "admin", counters=[1, 2])
    assert approved.state == "approved" and approved.home_path() == "/display"
    token, done = screens.claim(secret)
    assert done.state == "claimed"
    principal = account_store.token_principal(appliance.db.conn(), token)
    assert (principal.role, principal.name, principal.counters) == ("display", "TV sảnh", (1, 2))
    assert screens.claim(secret) is None  # collected once only
    assert [r["name"] for r in screens.paired()] == ["TV sảnh"]
    assert screens.paired()[0]["address"] == "192.168.1.51"
    assert audit_actions(appliance)[-2:] == ["screen.approve", "screen.paired"]


def test_a_mirror_belongs_to_its_counter(screens, appliance):
    pairing, secret = screens.start(None, "192.168.1.52", "/mirror/2")
    screens.approve(pairing.code, "mirror", "Quầy 2 – công dân", "admin", counter_id=2)
    token, done = screens.claim(secret)
    assert done.home_path() == "/mirror/2"
    assert account_store.token_principal(appliance.db.conn(), token).counter_id == 2


def test_wrong_unknown_expired_and_twice_approved_codes(screens, clock):
    pairing, _ = screens.start(None, "192.168.1.53", "/kiosk")
    with pytest.raises(DomainError) as err:
        screens.approve("ACO-479", "kiosk", "K", "admin")
    assert err.value.field == "code"
    other = "ACDEFH" if pairing.code != "ACDEFH" else "HFEDCA"
    with pytest.raises(NotFound):
        screens.approve(other, "kiosk", "K", "admin")
    with pytest.raises(DomainError) as err:
        screens.approve(pairing.code, "mirror", "K", "admin")  # a mirror needs its counter
    assert err.value.field == "counter_id"
    assert [p.state for p in screens.pending()] == ["pending"]  # the refusals changed nothing
    screens.approve(pairing.code, "kiosk", "Máy lấy số", "admin")
    with pytest.raises(Conflict):
        screens.approve(pairing.code, "display", "TV", "admin")
    late, _ = screens.start(None, "192.168.1.54", "/display")
    clock.advance(rules.PENDING_TTL_S + 1)
    with pytest.raises(NotFound):
        screens.approve(late.code, "display", "TV", "admin")


def test_an_approval_not_collected_in_time_expires(screens, clock):
    pairing, secret = screens.start(None, "192.168.1.55", "/display")
    screens.approve(pairing.code, "display", "TV", "admin")
    clock.advance(rules.APPROVED_TTL_S)
    assert screens.claim(secret) is None and screens.status(secret).state == "expired"


def test_codes_are_throttled_per_address(screens):
    for _ in range(rules.CREATE_PER_ADDRESS):
        screens.start(None, "192.168.1.60", "/display")
    with pytest.raises(TooManyRequests) as err:
        screens.start(None, "192.168.1.60", "/display")
    assert "quá nhiều mã" in err.value.message("vi")
    screens.start(None, "192.168.1.61", "/display")  # another screen is not held back


def test_pending_list_and_refusal(screens, appliance):
    a, secret_a = screens.start(None, "192.168.1.70", "/display")
    b, _ = screens.start(None, "192.168.1.71", "/kiosk")
    assert [p.code for p in screens.pending()] == [a.code, b.code]
    screens.cancel(a.code, "admin")
    assert [p.code for p in screens.pending()] == [b.code]
    assert screens.status(secret_a).state == "expired"
    assert "screen.refuse" in audit_actions(appliance)


def test_rename_and_revoke(screens, appliance):
    pairing, secret = screens.start(None, "192.168.1.80", "/display")
    screens.approve(pairing.code, "display", "TV", "admin")
    token, _ = screens.claim(secret)
    token_id = account_store.token_principal(appliance.db.conn(), token).id
    screens.rename(token_id, "TV tầng 1", "admin")
    assert account_store.token_principal(appliance.db.conn(), token).name == "TV tầng 1"
    with pytest.raises(DomainError):
        screens.rename(token_id, "  ", "admin")
    seen = []
    appliance.bus.subscribe(seen.append, [REVOKED_EVENT])
    screens.revoke(token_id, "admin")
    assert account_store.token_principal(appliance.db.conn(), token) is None
    assert [e.payload for e in seen] == [{"token_id": token_id}]
    assert screens.paired() == []
    with pytest.raises(NotFound):
        screens.revoke(token_id, "admin")
    assert audit_actions(appliance)[-2:] == ["screen.rename", "screen.revoke"]


def test_only_screen_tokens_are_screens(screens, appliance):
    with appliance.units() as tx:
        officer = accounts.add_token(tx, "script", "officer")
    officer_id = account_store.token_principal(appliance.db.conn(), officer).id
    with pytest.raises(NotFound):
        screens.revoke(officer_id, "admin")
    assert account_store.token_principal(appliance.db.conn(), officer) is not None

"""The pager rule shared by the queue and the dossier desk: none, auto, a number in the pool, free."""
import pytest

from appliance.domain.errors import DomainError
from appliance.domain.pagers import choose_pager
from appliance.web.errors import http_status

STATES = {1: "assigned", 2: "free", 3: "lost", 4: "free"}


def choose(requested, pool=4, states=STATES):
    free = sorted(n for n, s in states.items() if s == "free")
    return choose_pager(requested, pool, lambda: free[0] if free else None, states.get)


@pytest.mark.parametrize("requested", [None, "", 0])
def test_no_pager_asked(requested):
    assert choose(requested) is None


def test_auto_takes_the_lowest_free_one_and_a_number_must_be_free():
    assert choose("auto") == 2
    assert choose(4) == 4


@pytest.mark.parametrize("requested, code, status", [
    (1, "pager_busy", 409), (3, "pager_busy", 409),           # in use; reported lost
    (5, "pager_out_of_pool", 400), (-1, "pager_out_of_pool", 400),
    ("7", "invalid", 400), (True, "invalid", 400), (2.0, "invalid", 400),
])
def test_refusals(requested, code, status):
    with pytest.raises(DomainError) as err:
        choose(requested)
    assert (err.value.code, http_status(err.value), err.value.field) == (code, status, "pager")
    assert "hẻ rung" in err.value.message("vi") or code == "invalid"


def test_auto_with_nothing_free_and_a_number_the_office_never_registered():
    with pytest.raises(DomainError) as err:
        choose("auto", states={1: "assigned"})
    assert err.value.code == "pager_pool_empty" and err.value.message() == "Đã hết thẻ rung trống."
    with pytest.raises(DomainError) as err:
        choose(4, pool=10, states={1: "free"})
    assert err.value.code == "pager_out_of_pool"

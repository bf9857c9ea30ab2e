"""A pager claimed at the dossier desk for a ticket holder is recorded on the ticket too, by the
same rule the queue uses."""
import uuid

import pytest
from dossier_values import valid_values

from appliance.domain.errors import DomainError


def submit(appliance, **options):
    draft = str(uuid.uuid4())
    appliance.dossiers.save_draft(draft, procedure="1.001193", values=valid_values("1.001193"), counter_id=1)
    return appliance.dossiers.submit(draft, options, user="canbo1")[0]


def test_pager_claimed_for_a_ticket_is_recorded_on_the_ticket(appliance):
    ticket = appliance.engine.issue("HT").ticket
    assert ticket.pager is None
    dossier = submit(appliance, ticket_id=ticket.id, pager="auto")
    conn = appliance.db.conn()
    number = dossier["pager"]
    assert number is not None
    assert conn.execute("SELECT pager FROM tickets WHERE id = ?", (ticket.id,)).fetchone()[0] == number
    assert tuple(conn.execute("SELECT state, ticket_id, dossier_code FROM pagers WHERE number = ?",
                              (number,)).fetchone()) == ("assigned", ticket.id, dossier["code"])
    # the queue now sees that pager busy, by the same rule
    with pytest.raises(DomainError) as err:
        appliance.engine.issue("HT", pager=number)
    assert err.value.code == "pager_busy"


def test_lost_and_unregistered_pagers_are_refused_like_in_the_queue(appliance):
    appliance.engine.mark_pager_lost(5)
    for requested, code in ((5, "pager_busy"), (11, "pager_out_of_pool")):
        with pytest.raises(DomainError) as err:
            submit(appliance, pager=requested)
        assert err.value.code == code
        with pytest.raises(DomainError) as err:
            appliance.engine.issue("HT", pager=requested)
        assert err.value.code == code

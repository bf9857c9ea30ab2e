"""Fixtures for the dossier tests: drafts and dossiers made from valid values."""
from __future__ import annotations

import uuid

import pytest
from dossier_values import valid_values


@pytest.fixture
def new_draft_id():
    return lambda: str(uuid.uuid4())


@pytest.fixture
def make_dossier(appliance):
    """Save a valid draft for ``procedure`` and submit it; returns the dossier JSON."""
    def make(procedure: str = "1.001193", counter_id: int = 1, user: str = "canbo1", **options):
        draft_id = str(uuid.uuid4())
        appliance.dossiers.save_draft(draft_id, procedure=procedure, values=valid_values(procedure),
                                      counter_id=counter_id, user=user)
        dossier, created = appliance.dossiers.submit(draft_id, options, user=user)
        assert created
        return dossier
    return make

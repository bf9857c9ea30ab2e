"""schemathesis over every operation of the appliance's API, for each role, against the real
server (waitress on a SQLite file in a temporary directory): 0 server errors, 0 schema violations."""
from __future__ import annotations

import pytest
from schemathesis_run import assert_clean, operations, run


@pytest.mark.slow
@pytest.mark.parametrize("role", ["admin", "officer", "display", "kiosk"])
def test_every_operation_for_every_role(live_server, tokens, tmp_path, role):
    schema = f"{live_server}/api/v1/openapi.json"
    # the coverage phase (boundary values) for the role that reaches every operation; the others
    # reach fewer (403 before any input is read) and get examples and fuzzing only, to keep it short
    assert_clean(run(schema, tmp_path, tokens[role], coverage=role == "admin"), operations(schema))

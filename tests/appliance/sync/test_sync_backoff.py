"""The sync client under a busy hub: it honours Retry-After with jitter (never sooner, spread over
half as long again), halves its batch when answers are slow or missing and grows it back after quick ones,
and every event still reaches the hub exactly once."""
import random

import pytest
from test_sync_faults import assert_exactly_once, fill_outbox

from appliance.sync.client import MIN_BATCH, SyncClient, SyncError, enroll
from appliance.sync.identity import Identity


@pytest.fixture
def enrolled(hub, device, appliance):
    return enroll(hub.base, device.token, appliance.state_dir)


def client_for(appliance, base, ident, seed=1):
    ident = Identity(hub_url=base, device_id=ident.device_id, device_token=ident.device_token)
    return SyncClient(appliance.db, appliance.settings.sync, appliance.state_dir, ident,
                      sleep=lambda s: None, rng=random.Random(seed))


def test_503_retry_after_with_jitter_and_a_smaller_batch(hub, proxy, appliance, enrolled):
    fill_outbox(appliance, 12)
    client = client_for(appliance, proxy.base, enrolled)
    full = appliance.settings.sync.batch_max
    assert client.batch_size == full
    proxy.plan = ["503:6"]
    with pytest.raises(SyncError, match="503") as refused:
        client.push_once()
    assert refused.value.retry_after == 6
    assert client.batch_size == full  # "later", not "smaller": the size follows answer times
    waits = [client.wait_after_error(refused.value) for _ in range(50)]  # the 50th too: no escalation
    assert all(6 <= w <= 9 for w in waits)
    assert max(waits) - min(waits) > 1  # spread, so devices turned away together come back apart
    assert client.attempt == 0  # 50 refusals did not climb the back-off ladder for a later timeout
    client.cycle()  # the hub answers now: everything goes, once, and the batch grows back
    assert_exactly_once(hub, appliance, enrolled.device_id)
    assert client.batch_size == full


def test_many_devices_told_to_wait_come_back_apart(hub, proxy, appliance, enrolled):
    refused = SyncError("busy", retry_after=10)
    waits = sorted(client_for(appliance, proxy.base, enrolled, seed).wait_after_error(refused)
                   for seed in range(300))
    assert waits[0] >= 10 and waits[-1] <= 15
    per_second = [sum(1 for w in waits if s <= w < s + 1) for s in range(10, 15)]
    assert max(per_second) < 100  # 300 devices spread over 5 s, not all in one second


def test_batch_size_halves_on_busy_and_slow_answers_down_to_a_floor(appliance, enrolled, hub):
    client = client_for(appliance, hub.base, enrolled)
    timeout = appliance.settings.sync.timeout_s
    client._adapt(timeout * 0.9)  # slow but answered
    assert client.batch_size == appliance.settings.sync.batch_max // 2
    for _ in range(20):
        client._adapt(timeout)
    assert client.batch_size == MIN_BATCH
    client._adapt(0.01)
    assert client.batch_size == MIN_BATCH * 2

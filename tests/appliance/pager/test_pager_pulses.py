"""Pulse helpers: 1 µs quantisation without drift, the lgpio wave model, timing error per protocol."""
from __future__ import annotations

import pytest

from appliance.config import Pager
from appliance.pager import make_encoder
from appliance.pager.pulses import build_wave, chips_to_ideal, quantise, timing_error, wave_durations


def test_quantise_rounds_edges_so_error_never_accumulates():
    ideal = [(1, 1e6 / 4800), (0, 1e6 / 4800 * 3)] * 200
    produced = quantise(ideal)
    err = timing_error(ideal, produced)
    assert err["max_pulse_error_us"] < 1.0 and err["max_edge_error_us"] <= 0.5
    naive = [(lv, round(us)) for lv, us in ideal]          # per-pulse rounding drifts
    assert timing_error(ideal, naive)["max_edge_error_us"] > 50


def test_chips_merge_into_runs():
    assert chips_to_ideal("1110" "1000", 200.0) == [(1, 600.0), (0, 200.0), (1, 200.0), (0, 600.0)]


def test_wave_model_round_trips_and_sets_only_our_pin():
    pulses = [(1, 330), (0, 990), (1, 220), (0, 6480)]
    wave = build_wave(pulses)
    assert wave == [(1, 1, 330), (0, 1, 990), (1, 1, 220), (0, 1, 6480)]
    assert wave_durations(wave) == pulses


def test_timing_error_refuses_mismatched_trains():
    with pytest.raises(ValueError):
        timing_error([(1, 10.0)], [(0, 10)])
    with pytest.raises(ValueError):
        timing_error([(1, 10.0)], [])


@pytest.mark.parametrize("protocol,system_id", [("retekess-td157", 274), ("retekess-td158", 12),
                                                ("retekess-t119", 1234)])
def test_pulse_encoders_stay_within_5_percent_of_their_shortest_pulse(protocol, system_id):
    e = make_encoder(Pager(protocol=protocol, system_id=system_id))
    for pager in (1, 7, 500):
        ideal = e.ideal_frame(pager)
        produced = wave_durations(build_wave(e.encode(pager).frame))
        assert timing_error(ideal, produced)["error_pct_of_shortest"] <= 5.0

"""The floors of `make bench-draft` (issue #25): each seed document drafted from its raw
capture. Measured (all in-sample: the rules were made on these documents) and written in
CONTRIBUTING.md; a change that makes a draft worse than these fails here.
"""

from __future__ import annotations

import pytest

from benchmarks import bench_draft


@pytest.fixture(scope="module")
def results():
    return {r["list"]: r for r in bench_draft.run()}


# list -> (most decisions left, most estimated minutes per 30 items accepting the suggestions)
CEILINGS = {"qingdao 2024": (27, 23), "qingdao 2021": (11, 20), "zibo 2022": (61, 24), "yichang 2024": (22, 21), "qixia 2024": (24, 26)}


@pytest.mark.parametrize("name", list(CEILINGS))
def test_a_seed_drafted_from_its_raw_capture_keeps_the_measured_floors(results, name):
    r = results[name]
    assert (r["structure"], r["texts"]) == (1.0, 1.0)
    assert r["not_verbatim"] == []
    assert r["targets"] >= 0.99
    assert r["metrics"] >= 0.55
    most_decisions, most_minutes = CEILINGS[name]
    assert r["decisions"] <= most_decisions
    assert r["minutes_per_30"] <= most_minutes
    assert r["minutes_per_30"] <= r["minutes_per_30_to_hand_made"]

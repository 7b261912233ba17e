"""The benchmark still measures what it says: each lane that runs in the project's own venv, a few calls, each
call verified by the lane and by the bench server (which checks every signature and counts what reached it).
No figure is judged here: speed is the benchmark's business."""

import dataclasses
from collections.abc import Iterator

import pytest

from bench.run import LANES, Lane, python_of, run_lane, started

OWN_VENV_LANES = sorted({dataclasses.replace(lane, venv="dev") for lane in LANES if lane.venv != "peers"}, key=str)


@pytest.fixture(scope="module")
def bench_server() -> Iterator[str]:
    with started([python_of("dev"), "-m", "bench.server"], core=None) as base_url:
        yield base_url


@pytest.mark.parametrize("lane", OWN_VENV_LANES, ids=lambda lane: f"{lane.kind}-{lane.label}")
def test_each_lane_makes_verified_calls(bench_server: str, lane: Lane) -> None:
    figures = run_lane(lane, bench_server, core=None, calls=3)
    assert figures["verified"], figures["why"]
    assert figures["requests"] == (1 if lane.kind == "import" else 3)

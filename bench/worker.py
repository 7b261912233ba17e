"""Measure one client in this process and print the figures as one JSON line.

``python -m bench.worker sync NAME BASE_URL --calls N --warmup W`` times N sequential calls on one
reused client after W warm-up calls: process CPU time and wall time per call, and the p50 and p99 of each
call's own wall time (one call in flight: the latency a caller sees).
``python -m bench.worker async NAME BASE_URL --calls N --concurrency C`` keeps C calls in flight on
one client until N calls are done: calls per second (and CPU per call). Every call is verified by
the adapter (``bench.clients``); failures are counted, and the first error is reported.
"""

import argparse
import asyncio
import json
import os
import resource
import time
from typing import Any

from bench.clients import ASYNC_ADAPTERS, SYNC_ADAPTERS, AsyncCall, Settings, SyncCall


class Failures:
    """Failed calls, and the first one's reason."""

    def __init__(self) -> None:
        self.count = 0
        self.first: str | None = None

    def add(self, reason: str) -> None:
        self.count += 1
        if self.first is None:
            self.first = reason


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sequential(call: SyncCall, count: int, failures: Failures, latencies: list[float] | None = None) -> None:
    """``count`` calls, one after the other; each one's wall time (s) appended to ``latencies`` if given."""
    clock = time.perf_counter
    for _ in range(count):
        started = clock()
        try:
            if not call():
                failures.add("the response was not the expected order list")
        except Exception as error:  # any failure is recorded, not fatal
            failures.add(f"{type(error).__name__}: {error}"[:300])
        if latencies is not None:
            latencies.append(clock() - started)


def percentile_us(latencies: list[float], share: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1e6


def measure_sync(name: str, settings: Settings, calls: int, warmup: int) -> dict[str, Any]:
    call, close = SYNC_ADAPTERS[name](settings)
    failures = Failures()
    sequential(call, warmup, failures)
    latencies: list[float] = []
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    sequential(call, calls, failures, latencies)
    cpu, wall = time.process_time() - cpu_started, time.perf_counter() - wall_started
    close()
    return {
        "requests": warmup + calls,
        "calls": calls,
        "cpu_us": cpu / calls * 1e6,
        "wall_us": wall / calls * 1e6,
        "p50_us": percentile_us(latencies, 0.50),
        "p99_us": percentile_us(latencies, 0.99),
        "failures": failures.count,
        "first_failure": failures.first,
        "peak_rss_mb": peak_rss_mb(),
    }


async def in_flight(call: AsyncCall, total: int, concurrency: int, failures: Failures) -> None:
    """``total`` calls, ``concurrency`` of them in flight at any time."""

    async def one_lane(count: int) -> None:
        for _ in range(count):
            try:
                if not await call():
                    failures.add("the response was not the expected order list")
            except Exception as error:  # any failure is recorded, not fatal
                failures.add(f"{type(error).__name__}: {error}"[:300])

    share, extra = divmod(total, concurrency)
    await asyncio.gather(*(one_lane(share + (lane < extra)) for lane in range(concurrency)))


async def measure_async(name: str, settings: Settings, calls: int, warmup: int, concurrency: int) -> dict[str, Any]:
    call, close = await ASYNC_ADAPTERS[name](settings)
    failures = Failures()
    await in_flight(call, warmup, concurrency, failures)
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    await in_flight(call, calls, concurrency, failures)
    cpu, wall = time.process_time() - cpu_started, time.perf_counter() - wall_started
    await close()
    return {
        "requests": warmup + calls,
        "calls": calls,
        "calls_per_s": calls / wall,
        "cpu_us": cpu / calls * 1e6,
        "failures": failures.count,
        "first_failure": failures.first,
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["sync", "async"])
    parser.add_argument("client")
    parser.add_argument("base_url")
    parser.add_argument("--calls", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--cpu", type=int, default=None, help="pin this process to one core")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    settings = Settings.for_server(args.base_url)
    if args.mode == "sync":
        figures = measure_sync(args.client, settings, args.calls, args.warmup)
    else:
        figures = asyncio.run(measure_async(args.client, settings, args.calls, args.warmup, args.concurrency))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()

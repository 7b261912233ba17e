"""Measure one client in this fresh process and print the figures as one JSON line.

``python -m bench.measure sync CLIENT BASE_URL CALLS``: CALLS sequential calls on one reused client after a
tenth as many to warm up: CPU and wall µs per call, and the p50 and p99 of one call's wall time (the latency
a caller sees). ``async``: 50 calls in flight on one client until CALLS are done: calls/s and CPU µs per
call. ``import``: the cold import of what a user imports (only ``sys`` and ``time`` are loaded before it),
in wall and CPU ms (the steadier on a busy machine), then one call, then the peak RSS. Every call is
verified; a failure is counted, with the first reason.
"""

import sys
import time

TYPE_CHECKING = False  # not typing's: importing typing first would take its share from every import timed here
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bench.clients import AsyncAdapter, SyncAdapter

    Figures = dict[str, float]

IMPORTS: dict[str, tuple[str, ...]] = {
    "binance-orderlist": ("binance_orderlist",),
    "httpx": ("httpx",),
    "http.client": ("http.client",),
    "aiohttp": ("aiohttp",),
    "binance-sdk-spot": ("binance_sdk_spot.spot", "binance_common.configuration"),
    "python-binance": ("binance.client",),
    "ccxt": ("ccxt",),
}
IN_FLIGHT = 50


def main() -> None:
    kind, client, base_url = sys.argv[1:4]
    started, cpu_started = time.perf_counter(), time.process_time()
    for module in IMPORTS[client] if kind == "import" else ():
        __import__(module)
    import_ms, import_cpu_ms = (time.perf_counter() - started) * 1e3, (time.process_time() - cpu_started) * 1e3

    import asyncio
    import json
    import resource

    from bench.clients import ASYNC, SYNC

    calls = int(sys.argv[4]) if kind != "import" else 1
    failures: list[str] = []
    if kind == "async" or client not in SYNC:
        figures = asyncio.run(in_flight(ASYNC[client], base_url, calls, failures))
    else:
        figures = sequential(SYNC[client], base_url, calls, failures)
    if kind == "import":
        figures = {"import_ms": import_ms, "import_cpu_ms": import_cpu_ms}
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outcome = {
        "requests": calls + calls // 10,
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
    }
    print(json.dumps({**figures, **outcome}), flush=True)


def check(failures: list[str], call: "Callable[[], bool]") -> None:
    try:
        if not call():
            failures.append("the answer was not the expected order list")
    except Exception as error:  # counted and reported, not fatal
        failures.append(f"{type(error).__name__}: {error}"[:300])


async def check_async(failures: list[str], call: "Callable[[], Awaitable[bool]]") -> None:
    try:
        if not await call():
            failures.append("the answer was not the expected order list")
    except Exception as error:  # counted and reported, not fatal
        failures.append(f"{type(error).__name__}: {error}"[:300])


def sequential(adapter: "Callable[[str], SyncAdapter]", base_url: str, calls: int, failures: list[str]) -> "Figures":
    call, close = adapter(base_url)
    for _ in range(calls // 10):
        check(failures, call)
    latencies: list[float] = []
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        begun = time.perf_counter()
        check(failures, call)
        latencies.append(time.perf_counter() - begun)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    close()
    latencies.sort()
    p50, p99 = (latencies[min(calls - 1, int(share * calls))] * 1e6 for share in (0.5, 0.99))
    return {"cpu_us": cpu / calls * 1e6, "wall_us": wall / calls * 1e6, "p50_us": p50, "p99_us": p99}


async def in_flight(
    adapter: "Callable[[str], Awaitable[AsyncAdapter]]", base_url: str, calls: int, failures: list[str]
) -> "Figures":
    import asyncio

    call, close = await adapter(base_url)

    async def lane(count: int) -> None:
        for _ in range(count):
            await check_async(failures, call)

    async def keep_in_flight(total: int) -> None:
        lanes = min(IN_FLIGHT, total)
        share, extra = divmod(total, lanes or 1)
        await asyncio.gather(*(lane(share + (index < extra)) for index in range(lanes)))

    await keep_in_flight(calls // 10)
    cpu, wall = time.process_time(), time.perf_counter()
    await keep_in_flight(calls)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await close()
    return {"calls_per_s": calls / wall, "cpu_us": cpu / calls * 1e6}


if __name__ == "__main__":
    main()

"""Where our clients' time goes: URL parses per call, each step timed alone, and a cProfile breakdown.

``python -m bench.profiling sync BASE_URL --calls N`` profiles N sequential calls of
``SpotClient.cancel_order_list``; ``python -m bench.profiling async BASE_URL --calls N`` profiles N calls of
``AsyncSpotClient.cancel_order_list`` on its own aiohttp session (the default) with ``--concurrency`` calls in flight;
``--client`` profiles another adapter of ``bench.clients`` instead. Both run against the bench server and print
one JSON line:

- ``url_parses``: URL parses per call for raw httpx and our clients: httpx's ``urlparse`` and, in async
  mode, yarl's re-encoding parse ``encode_url`` (what aiohttp does to a URL it is not told is encoded),
  counted by the profiler (``URL_PARSERS``: by file and function name; nothing is patched);
- ``components``: the unprofiled cost of each step of a call, timed alone (``timeit``, best of 5), in µs;
- ``profile``: the unprofiled CPU time per call (and, in async mode, calls/s), and the profile's
  exclusive time grouped by component (built-ins and stdlib helpers such as ``isinstance`` are charged to
  whoever called them), each share also as µs of the unprofiled CPU time per call. The profiler inflates
  call-heavy Python code more than C code, so shares are indicative and ``components`` gives exact figures.

Every profiled call is verified as in ``bench.worker``. The full listing goes to ``--listing`` (default
bench/out/profile_<mode>.txt).
"""

import argparse
import asyncio
import cProfile
import io
import itertools
import json
import os
import pstats
import time
import timeit
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yarl
from binance_orderlist import BinanceAuth, CancelOrderListResponse, HmacSigner, RateLimitUsage
from binance_orderlist_api.operations import CANCEL_ORDER_LIST
from multidict import CIMultiDict, CIMultiDictProxy

from bench.clients import ASYNC_ADAPTERS, ORDER_LIST_ID, SYMBOL, SYNC_ADAPTERS, Settings
from bench.server import newer_document_body
from bench.worker import Failures, in_flight, sequential

ROOT = Path(__file__).resolve().parents[1]
# (substring of the profiled function's file or name, component), first match wins.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("method 'recv' of '_socket.socket'", "socket send/recv (syscalls)"),
    ("method 'send' of '_socket.socket'", "socket send/recv (syscalls)"),
    ("method 'poll' of 'select.epoll'", "event loop (asyncio, selectors, epoll)"),
    ("asyncio/", "event loop (asyncio, selectors, epoll)"),
    ("selectors.py", "event loop (asyncio, selectors, epoll)"),
    ("binance_orderlist/_responses.py", "binance_orderlist response checks (_responses)"),
    ("binance_orderlist/_signing.py", "signing (timestamp, HMAC-SHA256)"),
    ("binance_orderlist/_aiohttp.py", "binance_orderlist aiohttp sender (_aiohttp: request, error mapping)"),
    ("hmac.py", "signing (timestamp, HMAC-SHA256)"),
    ("binance_orderlist/", "binance_orderlist validation, call and request building, retries"),
    ("binance_orderlist_api/", "generated models (from_dict, to_dict, enums, attrs __init__)"),
    ("attrs generated", "generated models (from_dict, to_dict, enums, attrs __init__)"),
    ("enum.py", "generated models (from_dict, to_dict, enums, attrs __init__)"),
    ("httpx_aiohttp/", "httpx-aiohttp transport (httpx <-> aiohttp conversion)"),
    ("aiohttp", "aiohttp (session, connector, HTTP parser, streams)"),
    ("yarl", "yarl + multidict (aiohttp's URLs and headers)"),
    ("multidict", "yarl + multidict (aiohttp's URLs and headers)"),
    ("propcache", "yarl + multidict (aiohttp's URLs and headers)"),
    ("httpx/_urlparse.py", "httpx URL parsing"),
    ("httpx/_urls.py", "httpx URL parsing"),
    ("idna", "httpx URL parsing"),
    ("http/cookiejar.py", "httpx cookie jar (extract_cookies)"),
    ("urllib/request.py", "httpx cookie jar (extract_cookies)"),
    ("httpx/", "httpx client, request and response models"),
    ("httpcore/", "httpcore + h11 (HTTP/1.1 on the socket)"),
    ("h11/", "httpcore + h11 (HTTP/1.1 on the socket)"),
    ("json/", "json decoding"),
    ("logging/", "logging checks"),
    ("bench/", "the benchmark's lanes and verification"),
)
SYNC_PARSE_COUNTED = ("httpx", "binance-orderlist", "binance-orderlist + Client()")
ASYNC_PARSE_COUNTED = (
    "aiohttp",
    "httpx + httpx-aiohttp",
    "binance-orderlist",
    "binance-orderlist + AsyncClient(httpx-aiohttp)",
)
Function = tuple[str, int, str]


URL_PARSERS = {"httpx urlparse": ("httpx/_urlparse.py", "urlparse"), "yarl encode_url": ("yarl/_url.py", "encode_url")}
"""The functions counted as URL parses, by the file and name the profiler reports (nothing is patched)."""


def url_parses_counted(profiler: cProfile.Profile, calls: int) -> dict[str, float]:
    """Calls per client call of each of ``URL_PARSERS``, read from a profile of ``calls`` client calls."""
    table: dict[Function, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    counts = dict.fromkeys(URL_PARSERS, 0)
    for (file, _, name), figures in table.items():
        for what, (home, function) in URL_PARSERS.items():
            if file.endswith(home) and name == function:
                counts[what] += figures[1]
    return {what: count / calls for what, count in counts.items()}


def url_parses_sync(settings: Settings, calls: int = 50) -> dict[str, dict[str, float]]:
    parses = {}
    for name in SYNC_PARSE_COUNTED:
        call, close = SYNC_ADAPTERS[name](settings)
        call()
        profiler = cProfile.Profile()
        with profiler:
            for _ in range(calls):
                call()
        close()
        parses[name] = url_parses_counted(profiler, calls)
    return parses


async def url_parses_async(settings: Settings, calls: int = 50) -> dict[str, dict[str, float]]:
    parses = {}
    for name in ASYNC_PARSE_COUNTED:
        call, close = await ASYNC_ADAPTERS[name](settings)
        await call()
        profiler = cProfile.Profile()
        with profiler:
            for _ in range(calls):
                await call()
        await close()
        parses[name] = url_parses_counted(profiler, calls)
    return parses


def best_us(function: Callable[[], object], number: int = 5000) -> float:
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1e6


def components(base_url: str, mode: str) -> dict[str, float]:
    """Each step of a call, timed alone on realistic inputs; URLs are new each time, as they are in a run
    (every call has a fresh timestamp and signature, and yarl caches the URLs it has parsed)."""
    body = newer_document_body()
    raw_headers = [(b"Content-Type", b"application/json;charset=UTF-8"), (b"X-MBX-USED-WEIGHT-1M", b"1")]
    response = httpx.Response(200, content=body, headers=raw_headers)
    parsed = CancelOrderListResponse.from_dict(json.loads(body))
    enum_values = [(type(parsed.contingency_type), "OCO"), (type(parsed.list_status_type), "ALL_DONE")]
    enum_values.append((type(parsed.list_order_status), "ALL_DONE"))
    for report in parsed.order_reports:
        enum_values += [(type(report.status), "CANCELED"), (type(report.time_in_force), "GTC")]
        enum_values += [(type(report.type_), str(report.type_)), (type(report.side), "SELL")]
        enum_values += [(type(report.self_trade_prevention_mode), "NONE")]
    auth = BinanceAuth("k" * 64, HmacSigner("s" * 64))
    arguments = {"symbol": SYMBOL, "order_list_id": ORDER_LIST_ID}  # the public method's keywords
    parameters = [parameter for parameter in CANCEL_ORDER_LIST.parameters if parameter.python_name in arguments]
    wire = [(parameter, str(arguments[parameter.python_name])) for parameter in parameters]
    timestamps = itertools.count(1763683200000)
    signed = f"{base_url}/api/v3/orderList?symbol=LTCBTC&orderListId=0&timestamp={{}}&signature={'a' * 64}"
    steps: dict[str, Callable[[], object]] = {
        "generated rules: the cancel's parameter checks (Parameter.problem)": lambda: [
            parameter.problem(text) for parameter, text in wire
        ],
        "ours: BinanceAuth.signed_query (timestamp, HMAC-SHA256)": lambda: auth.signed_query(
            "symbol=LTCBTC&orderListId=0", microseconds=False
        ),
        "httpx: httpx.Request(new signed URL)": lambda: httpx.Request("DELETE", signed.format(next(timestamps))),
        "httpx: httpx.URL(new signed URL), one parse": lambda: httpx.URL(signed.format(next(timestamps))),
        "json.loads(body)": lambda: json.loads(body),
        "generated: strict from_dict(json.loads(body))": lambda: CancelOrderListResponse.from_dict(json.loads(body)),
        "the 13 enum conversions as EnumMeta.__call__ would make them": lambda: [
            kind(value) for kind, value in enum_values
        ],
        "generated: the same 13 through from_value (_value2member_map_)": lambda: [
            kind.from_value(value, "")  # type: ignore[attr-defined]  # every generated enum has it
            for kind, value in enum_values
        ],
        "ours: RateLimitUsage.from_headers(httpx.Headers)": lambda: RateLimitUsage.from_headers(response.headers),
    }
    if mode == "async":
        aiohttp_headers = CIMultiDictProxy(CIMultiDict((name.decode(), value.decode()) for name, value in raw_headers))
        steps |= {
            "yarl: URL(new URL str, encoded=True), the one parse on the aiohttp path": lambda: yarl.URL(
                signed.format(next(timestamps)), encoded=True
            ),
            "httpx.Response(status, raw headers, body), AiohttpSender's wrapping of the answer": lambda: httpx.Response(
                200, headers=raw_headers, content=body
            ),
            "ours: RateLimitUsage.from_headers(aiohttp's headers)": lambda: RateLimitUsage.from_headers(
                aiohttp_headers
            ),
        }
    return {name: best_us(step) for name, step in steps.items()}


def _component(function: Function) -> str:
    where = f"{function[0]}:{function[2]}"
    return next((component for marker, component in COMPONENTS if marker in where), "other")


def _owners(function: Function, table: dict[Function, Any], depth: int = 0) -> dict[str, float]:
    """The components a function's time belongs to, as weights summing to 1.

    A function of a named component owns its time. Built-ins and stdlib helpers (``isinstance``,
    ``contextlib``, ``ipaddress``, ``re``) belong to whoever called them, in proportion to the time
    each caller spent in them, up to four callers up.
    """
    component = _component(function)
    callers = table[function][4] if function in table else {}
    if component != "other" or not callers or depth >= 4:
        return {component: 1.0}
    total = sum(figures[2] for figures in callers.values()) or 1.0
    weights: dict[str, float] = defaultdict(float)
    for caller, figures in callers.items():
        for owner, weight in _owners(caller, table, depth + 1).items():
            weights[owner] += weight * figures[2] / total
    return weights


def breakdown(profiler: cProfile.Profile, cpu_us_per_call: float, listing: Path) -> dict[str, dict[str, float]]:
    """Exclusive time by component, each share also as µs of the unprofiled CPU time per call; writes the
    listing."""
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(50)
    stats.sort_stats("cumulative").print_stats(70)
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text(text.getvalue())
    seconds: dict[str, float] = defaultdict(float)
    table: dict[Function, Any] = stats.stats  # type: ignore[attr-defined]
    for function, figures in table.items():
        for owner, weight in _owners(function, table).items():
            seconds[owner] += figures[2] * weight
    total = sum(seconds.values())
    ordered = sorted(seconds.items(), key=lambda item: -item[1])
    return {name: {"share": spent / total, "us_per_call": spent / total * cpu_us_per_call} for name, spent in ordered}


def profile_sync(settings: Settings, client: str, calls: int, listing: Path) -> dict[str, Any]:
    call, close = SYNC_ADAPTERS[client](settings)
    failures = Failures()
    sequential(call, max(calls // 10, 50), failures)
    started = time.process_time()
    sequential(call, calls, failures)
    cpu_us = (time.process_time() - started) / calls * 1e6
    profiler = cProfile.Profile()
    profiler.enable()
    sequential(call, calls, failures)
    profiler.disable()
    close()
    return {
        "client": client,
        "calls": calls,
        "failures": failures.count,
        "first_failure": failures.first,
        "cpu_us_per_call_unprofiled": cpu_us,
        "breakdown": breakdown(profiler, cpu_us, listing),
    }


async def profile_async(settings: Settings, client: str, calls: int, concurrency: int, listing: Path) -> dict[str, Any]:
    call, close = await ASYNC_ADAPTERS[client](settings)
    failures = Failures()
    await in_flight(call, max(calls // 10, 100), concurrency, failures)
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    await in_flight(call, calls, concurrency, failures)
    cpu_us = (time.process_time() - cpu_started) / calls * 1e6
    calls_per_s = calls / (time.perf_counter() - wall_started)
    profiler = cProfile.Profile()
    profiler.enable()
    await in_flight(call, calls, concurrency, failures)
    profiler.disable()
    await close()
    return {
        "client": client,
        "calls": calls,
        "concurrency": concurrency,
        "failures": failures.count,
        "first_failure": failures.first,
        "cpu_us_per_call_unprofiled": cpu_us,
        "calls_per_s_unprofiled": calls_per_s,
        "breakdown": breakdown(profiler, cpu_us, listing),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["sync", "async"])
    parser.add_argument("base_url")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--client", default="binance-orderlist", help="the adapter to profile (bench.clients)")
    parser.add_argument("--concurrency", type=int, default=50, help="async: calls in flight")
    parser.add_argument("--cpu", type=int, default=None, help="pin this process to one core")
    parser.add_argument("--listing", type=Path, default=None, help="default: bench/out/profile_<mode>.txt")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    settings = Settings.for_server(args.base_url)
    listing = args.listing or ROOT / "bench" / "out" / f"profile_{args.mode}.txt"
    figures: dict[str, Any]
    if args.mode == "sync":
        figures = {
            "url_parses": url_parses_sync(settings),
            "components": components(settings.base_url, "sync"),
            "profile": profile_sync(settings, args.client, args.calls, listing),
        }
    else:
        figures = {
            "url_parses": asyncio.run(url_parses_async(settings)),
            "components": components(settings.base_url, "async"),
            "profile": asyncio.run(profile_async(settings, args.client, args.calls, args.concurrency, listing)),
        }
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()

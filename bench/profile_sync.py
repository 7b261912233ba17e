"""Where the sync client's time goes: URL parses per call, component timings, and a cProfile breakdown.

``python -m bench.profile_sync BASE_URL --calls N`` (against the bench server) prints one JSON line:

- ``url_parses``: how many times httpx's ``urlparse`` runs per call, for raw httpx, our client and
  each prototype (counted by wrapping ``httpx._urlparse.urlparse``);
- ``components``: the unprofiled cost of each step in isolation (``timeit``, best of 5), in µs;
- ``breakdown``: a cProfile of N calls of ``SpotClient.cancel_order_list``, its exclusive time grouped
  by component (built-ins and stdlib helpers such as ``isinstance`` are charged to whoever called them), each
  share also as µs of the unprofiled CPU time per call. The profiler inflates call-heavy Python code
  more than C code, so shares are indicative and ``components`` gives the exact figures.

The full cProfile listing goes to ``--listing`` (default bench/out/profile_sync.txt).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import time
import timeit
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import binance_orderlist._responses as responses
import httpx
import httpx._urlparse
import httpx._urls
from binance_orderlist import CancelOrderListResponse, HmacSigner, RateLimitUsage
from binance_orderlist._responses import parse_success
from binance_orderlist._validation import validate_cancel_order_list
from binance_orderlist_api.api.trade import cancel_order_list

from bench.clients import SYNC_ADAPTERS, Settings
from bench.prototypes import _compiled_check, _decimals_ok, parse_success_fast
from bench.server import newer_document_body

ROOT = Path(__file__).resolve().parents[1]
# (substring of the profiled function's file or name, component), first match wins.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("method 'recv'", "socket send/recv (syscalls)"),
    ("method 'send", "socket send/recv (syscalls)"),
    ("binance_orderlist/_responses.py", "binance_orderlist response check (_responses)"),
    ("typing.py", "binance_orderlist response check (_responses)"),
    ("attr/_funcs.py", "binance_orderlist response check (_responses)"),
    ("attr/_make.py", "binance_orderlist response check (_responses)"),
    ("binance_orderlist/_signing.py", "binance_orderlist signing (BinanceAuth)"),
    ("hmac.py", "binance_orderlist signing (BinanceAuth)"),
    ("binance_orderlist/", "binance_orderlist validation, call building, retries"),
    ("binance_orderlist_api/", "generated models (from_dict, enums, attrs __init__)"),
    ("attrs generated", "generated models (from_dict, enums, attrs __init__)"),
    ("enum.py", "generated models (from_dict, enums, attrs __init__)"),
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
)
Function = tuple[str, int, str]


class ParseCounter:
    """Counts ``httpx._urlparse.urlparse`` calls while installed."""

    def __init__(self) -> None:
        self.count = 0
        self._original = httpx._urlparse.urlparse

    def __enter__(self) -> "ParseCounter":
        original = self._original

        def counting(url: str = "", **kwargs: str | None) -> httpx._urlparse.ParseResult:
            self.count += 1
            return original(url, **kwargs)

        httpx._urlparse.urlparse = counting
        httpx._urls.urlparse = counting  # type: ignore[attr-defined]  # httpx imported the name
        return self

    def __exit__(self, *exc_info: object) -> None:
        httpx._urlparse.urlparse = self._original
        httpx._urls.urlparse = self._original  # type: ignore[attr-defined]


def url_parses(settings: Settings, names: list[str], calls: int = 50) -> dict[str, float]:
    parses = {}
    for name in names:
        call, close = SYNC_ADAPTERS[name](settings)
        call()
        with ParseCounter() as counter:
            for _ in range(calls):
                call()
        close()
        parses[name] = counter.count / calls
    return parses


def best_us(function: Callable[[], object], number: int = 5000) -> float:
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1e6


def the_type_check(parsed: CancelOrderListResponse) -> tuple[str, Callable[[], object]]:
    """The type check parse_success runs today, whichever shape ``_responses`` gives it."""
    if hasattr(responses, "_model_errors"):  # up to commit 7b8390f: a walk over the annotations per call
        return "_model_errors", lambda: responses._model_errors(parsed, "")
    if hasattr(responses, "_check"):  # later: closures built once per annotation
        check = responses._check(CancelOrderListResponse)
        return "_check, compiled per annotation", lambda: check(parsed)
    return "not found", lambda: None


def components(base_url: str) -> dict[str, float]:
    """Each step of a call, timed alone on realistic inputs."""
    body = newer_document_body()
    signed_url = (
        f"{base_url}/api/v3/orderList?symbol=LTCBTC&orderListId=0&timestamp=1763683200000&signature=" + "a" * 64
    )
    url = httpx.URL(signed_url)
    query = url.query
    request = httpx.Request("DELETE", signed_url)
    headers = {"Content-Type": "application/json;charset=UTF-8", "X-MBX-USED-WEIGHT-1M": "1"}
    response = httpx.Response(200, content=body, headers=headers, request=request)
    parsed = CancelOrderListResponse.from_dict(json.loads(body))
    raw_headers = [(name.encode(), value.encode()) for name, value in headers.items()]
    enum_values = [(type(parsed.contingency_type), "OCO"), (type(parsed.list_status_type), "ALL_DONE")]
    enum_values.append((type(parsed.list_order_status), "ALL_DONE"))
    for report in parsed.order_reports:
        enum_values += [(type(report.status), "CANCELED"), (type(report.time_in_force), "GTC")]
        enum_values += [(type(report.type_), str(report.type_)), (type(report.side), "SELL")]
        enum_values += [(type(report.self_trade_prevention_mode), "NONE")]
    compiled = _compiled_check(CancelOrderListResponse)
    current_check = the_type_check(parsed)
    base_parse = httpx.URL(base_url)._uri_reference
    signer = HmacSigner("s" * 64)
    client = httpx.Client()
    plain_url = f"{base_url}/api/v3/orderList"
    try:
        return {
            "httpx: parse one URL (httpx.URL(str))": best_us(lambda: httpx.URL(signed_url)),
            "httpx: URL.copy_with(query=...) (one more parse)": best_us(lambda: url.copy_with(query=query)),
            "httpx: URL from ParseResult._replace (no parse)": best_us(
                lambda: base_parse._replace(path="/api/v3/orderList", query=query.decode())
            ),
            "httpx: client.build_request(signed URL string)": best_us(
                lambda: client.build_request("DELETE", signed_url)
            ),
            "httpx: client.build_request(URL, params=dict)": best_us(
                lambda: client.build_request("DELETE", plain_url, params={"symbol": "LTCBTC", "orderListId": 0})
            ),
            "ours: validate_cancel_order_list": best_us(
                lambda: validate_cancel_order_list(
                    symbol="LTCBTC",
                    order_list_id=0,
                    list_client_order_id=None,
                    new_client_order_id=None,
                    recv_window=None,
                )
            ),
            "generated: cancel_order_list._get_kwargs": best_us(
                lambda: cancel_order_list._get_kwargs(symbol="LTCBTC", order_list_id=0, timestamp=0)
            ),
            "ours: HmacSigner.sign": best_us(
                lambda: signer.sign(b"symbol=LTCBTC&orderListId=0&timestamp=1763683200000")
            ),
            "json.loads(body)": best_us(lambda: json.loads(body)),
            "generated: CancelOrderListResponse.from_dict": best_us(
                lambda: CancelOrderListResponse.from_dict(json.loads(body))
            ),
            f"ours: the type check ({current_check[0]})": best_us(current_check[1]),
            "prototype: compiled check": best_us(lambda: compiled(parsed)),
            "prototype: decimal strings check": best_us(lambda: _decimals_ok(parsed.order_reports)),
            "ours: parse_success (json + from_dict + checks)": best_us(
                lambda: parse_success(response, CancelOrderListResponse)
            ),
            "prototype: parse_success_fast": best_us(lambda: parse_success_fast(response, CancelOrderListResponse)),
            "ours: RateLimitUsage.from_headers": best_us(lambda: RateLimitUsage.from_headers(response.headers)),
            "httpx.Response(status, raw headers, body) (async wrapper)": best_us(
                lambda: httpx.Response(200, headers=raw_headers, content=body)
            ),
            "generated: the 13 enum conversions inside from_dict": best_us(
                lambda: [kind(value) for kind, value in enum_values]
            ),
        }
    finally:
        client.close()


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


def breakdown(stats: pstats.Stats, cpu_us_per_call: float) -> dict[str, dict[str, float]]:
    """Exclusive time by component, each share also as µs of the unprofiled CPU time per call."""
    seconds: dict[str, float] = defaultdict(float)
    table: dict[Function, Any] = stats.stats  # type: ignore[attr-defined]
    for function, figures in table.items():
        for owner, weight in _owners(function, table).items():
            seconds[owner] += figures[2] * weight
    total = sum(seconds.values())
    ordered = sorted(seconds.items(), key=lambda item: -item[1])
    return {name: {"share": spent / total, "us_per_call": spent / total * cpu_us_per_call} for name, spent in ordered}


def profile_ours(settings: Settings, calls: int, listing: Path) -> dict[str, Any]:
    call, close = SYNC_ADAPTERS["binance-orderlist"](settings)
    for _ in range(max(calls // 10, 50)):
        call()
    started = time.process_time()
    for _ in range(calls):
        call()
    cpu_us = (time.process_time() - started) / calls * 1e6
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    close()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text(text.getvalue())
    return {"calls": calls, "cpu_us_per_call_unprofiled": cpu_us, "breakdown": breakdown(stats, cpu_us)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--cpu", type=int, default=None, help="pin this process to one core")
    parser.add_argument("--listing", type=Path, default=ROOT / "bench" / "out" / "profile_sync.txt")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    settings = Settings.for_server(args.base_url)
    names = ["httpx", "binance-orderlist", *[name for name in SYNC_ADAPTERS if name.startswith("proto:")]]
    figures = {
        "url_parses": url_parses(settings, names),
        "components": components(settings.base_url),
        "profile": profile_ours(settings, args.calls, args.listing),
    }
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()

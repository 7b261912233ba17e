"""A lean HTTP/1.1 keep-alive fake of ``DELETE /api/v3/orderList`` that checks every HMAC signature.

The benchmark needs a server that costs far less per request than any client, so this one is an
``asyncio.Protocol`` that parses just enough HTTP (request line, four headers, Content-Length body,
pipelining) and answers a constant byte string: the newer seed document's body, taken from the
``newer`` example of ``openapi.yaml``. It verifies what a client could get wrong, the way Binance does:
the API key header, a fresh ``timestamp``, and the HMAC-SHA256 of the exact bytes before
``&signature=`` (query string followed by the body, as Binance's ``totalParams``). Good and bad
requests are counted; ``GET /__bench/stats`` reports the counts and the server's own CPU time so the
caller can tell whether the server was ever the bottleneck.

Run: ``python -m bench.server --port 0`` prints ``PORT <n>`` once listening; it stops on SIGTERM,
SIGINT or after ``--max-seconds``.
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bench.clients import credentials

ROOT = Path(__file__).resolve().parents[1]
MAX_HEADER_BYTES = 16_384
MAX_BODY_BYTES = 65_536
MAX_CLOCK_SKEW_MS = 60_000
SIGNATURE_FIELD = b"&signature="
STATS_PATH = b"/__bench/stats"


def newer_document_body() -> bytes:
    """The 200 body of the newer seed document, as compact JSON (the spec's ``newer`` example)."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    response = spec["paths"]["/api/v3/orderList"]["delete"]["responses"]["200"]
    value: dict[str, Any] = response["content"]["application/json"]["examples"]["newer"]["value"]
    return json.dumps(value, separators=(",", ":")).encode()


def http_response(status: str, body: bytes, *, extra_headers: bytes = b"") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {len(body)}\r\n".encode()
        + extra_headers
        + b"\r\n"
        + body
    )


def binance_error(status: str, code: int, msg: str) -> bytes:
    return http_response(status, json.dumps({"code": code, "msg": msg}).encode())


class Verifier:
    """Checks one request the way Binance would and counts the outcome."""

    def __init__(self, api_key: str, secret: str) -> None:
        self._api_key = api_key.encode()
        self._mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)
        self.ok = 0
        self.bad = 0
        self.first_bad: str | None = None
        self.cancel_ok = http_response("200 OK", newer_document_body(), extra_headers=b"X-MBX-USED-WEIGHT-1M: 1\r\n")

    def reject(self, reason: str, reply: bytes) -> bytes:
        self.bad += 1
        if self.first_bad is None:
            self.first_bad = reason
        return reply

    def answer(
        self, method: bytes, target: bytes, api_key: bytes | None, time_unit: bytes | None, body: bytes
    ) -> bytes:
        path, _, query = target.partition(b"?")
        if path == b"/api/v3/orderList" and method == b"DELETE":
            return self._cancel(query, api_key, time_unit, body)
        if path == b"/api/v3/time" and method == b"GET":
            self.ok += 1
            return http_response("200 OK", b'{"serverTime":%d}' % (time.time_ns() // 1_000_000))
        if path == b"/api/v3/ping" and method == b"GET":
            self.ok += 1
            return http_response("200 OK", b"{}")
        if path == STATS_PATH:
            stats = {"ok": self.ok, "bad": self.bad, "first_bad": self.first_bad, "cpu_s": time.process_time()}
            return http_response("200 OK", json.dumps(stats).encode())
        return self.reject(f"unexpected {method!r} {path!r}", binance_error("404 Not Found", -1000, "Not found."))

    def _cancel(self, query: bytes, api_key: bytes | None, time_unit: bytes | None, body: bytes) -> bytes:
        if api_key != self._api_key:
            return self.reject("wrong or missing X-MBX-APIKEY", binance_error("401 Unauthorized", -2015, "API-key."))
        total_params = query + body  # Binance's totalParams: the query string, then the body
        payload, separator, signature = total_params.rpartition(SIGNATURE_FIELD)
        mac = self._mac.copy()
        mac.update(payload)
        if not separator or not hmac.compare_digest(mac.hexdigest().encode(), signature):
            return self.reject(
                f"bad signature over {payload[:200]!r}",
                binance_error("400 Bad Request", -1022, "Signature for this request is not valid."),
            )
        _, found, rest = payload.partition(b"timestamp=")
        timestamp = rest.partition(b"&")[0]
        if not found or not timestamp.isdigit():
            return self.reject("no timestamp", binance_error("400 Bad Request", -1102, "timestamp missing."))
        in_microseconds = time_unit is not None and time_unit.upper() == b"MICROSECOND"
        now_ms = time.time_ns() // 1_000_000
        skew_ms = abs(now_ms - (int(timestamp) // 1000 if in_microseconds else int(timestamp)))
        if skew_ms > MAX_CLOCK_SKEW_MS:
            return self.reject(f"timestamp off by {skew_ms} ms", binance_error("400 Bad Request", -1021, "Timestamp."))
        if b"symbol=LTCBTC" not in payload:
            return self.reject("no symbol=LTCBTC", binance_error("400 Bad Request", -1102, "symbol missing."))
        self.ok += 1
        return self.cancel_ok


class BenchProtocol(asyncio.Protocol):
    """One keep-alive connection; parses every complete request in the buffer (pipelining works)."""

    def __init__(self, verifier: Verifier) -> None:
        self._verifier = verifier
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        transport = self._transport
        assert transport is not None
        if transport.is_closing():
            return
        buffer = self._buffer
        buffer += data
        while buffer:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEADER_BYTES:
                    transport.close()
                return
            lines = bytes(buffer[:end]).split(b"\r\n")
            request_line = lines[0].split(b" ")
            if len(request_line) != 3:
                transport.write(self._verifier.reject("bad request line", binance_error("400 Bad Request", -1, "")))
                transport.close()
                return
            method, target, _ = request_line
            content_length, api_key, time_unit, close = 0, None, None, False
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    content_length = int(value)
                elif name == b"x-mbx-apikey":
                    api_key = value.strip()
                elif name == b"x-mbx-time-unit":
                    time_unit = value.strip()
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
                elif name == b"transfer-encoding":
                    content_length = -1
            if not 0 <= content_length <= MAX_BODY_BYTES:
                transport.write(self._verifier.reject("chunked or huge body", binance_error("400 Bad Request", -1, "")))
                transport.close()
                return
            request_end = end + 4 + content_length
            if len(buffer) < request_end:
                return
            body = bytes(buffer[end + 4 : request_end])
            del buffer[:request_end]
            transport.write(self._verifier.answer(method, target, api_key, time_unit, body))
            if close:
                transport.close()
                return


async def serve(port: int, max_seconds: float) -> None:
    verifier = Verifier(*credentials())
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: BenchProtocol(verifier), "127.0.0.1", port, backlog=1024)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        try:
            await asyncio.wait_for(stop.wait(), timeout=max_seconds)
        except TimeoutError:
            print("server: --max-seconds reached, stopping", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--cpu", type=int, default=None, help="pin the server to this core")
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop by itself after this long")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(serve(args.port, args.max_seconds))


if __name__ == "__main__":
    main()

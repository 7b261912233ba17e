"""A lean keep-alive HTTP/1.1 fake of ``DELETE /api/v3/orderList`` that checks every HMAC signature.

The benchmark needs a server that costs far less per request than any client (the emulator, built for
fidelity, would be slower than the clients it measures), so this is an ``asyncio.Protocol`` that parses just
enough HTTP and answers the newer seed document's body (the spec's ``newer`` example)as a constant. It checks what a
client could get wrong, as Binance does: the API key, a fresh ``timestamp``, and the HMAC-SHA256 of the bytes
before ``&signature=`` (query string, then body: Binance's ``totalParams``). ``GET /stats`` reports the
requests accepted and refused and the server's own CPU time, so a run can show the server was never the limit.

``python -m bench.server`` prints its base URL once listening and stops on SIGTERM.
"""

import asyncio
import hashlib
import hmac
import json
import signal
import time
from pathlib import Path
from typing import Any

import yaml

from bench.clients import API_KEY, PATH, SECRET

MAX_CLOCK_SKEW_MS = 60_000


def answer(status: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"X-MBX-USED-WEIGHT-1M: 1\r\n\r\n" + body


def cancelled_body() -> bytes:
    spec = yaml.safe_load((Path(__file__).resolve().parents[1] / "openapi.yaml").read_text())
    content = spec["paths"][PATH]["delete"]["responses"]["200"]["content"]["application/json"]
    return json.dumps(content["examples"]["newer"]["value"], separators=(",", ":")).encode()


class Counts:
    def __init__(self) -> None:
        self.ok = 0
        self.bad = 0
        self.first_bad: str | None = None
        self.cancelled = answer("200 OK", cancelled_body())
        self.refused = answer("400 Bad Request", b'{"code":-1022,"msg":"Signature for this request is not valid."}')
        self.mac = hmac.new(SECRET.encode(), digestmod=hashlib.sha256)

    def reply(self, method: bytes, target: bytes, api_key: bytes | None, body: bytes) -> bytes:
        if target == b"/stats":
            stats: dict[str, Any] = {"ok": self.ok, "bad": self.bad, "first_bad": self.first_bad}
            return answer("200 OK", json.dumps(stats | {"cpu_s": time.process_time()}).encode())
        problem = self.problem(method, target, api_key, body)
        if problem:
            self.bad += 1
            self.first_bad = self.first_bad or problem
            return self.refused
        self.ok += 1
        return self.cancelled

    def problem(self, method: bytes, target: bytes, api_key: bytes | None, body: bytes) -> str | None:
        path, _, query = target.partition(b"?")
        payload, separator, signature = (query + body).rpartition(b"&signature=")
        mac = self.mac.copy()
        mac.update(payload)
        timestamp = payload.partition(b"timestamp=")[2].partition(b"&")[0]
        if (method, path) != (b"DELETE", PATH.encode()):
            return f"unexpected {method!r} {path!r}"
        if api_key != API_KEY.encode():
            return "wrong or missing X-MBX-APIKEY"
        if not separator or not hmac.compare_digest(mac.hexdigest().encode(), signature):
            return f"bad signature over {payload[:200]!r}"
        if not timestamp.isdigit() or abs(time.time_ns() // 1_000_000 - int(timestamp)) > MAX_CLOCK_SKEW_MS:
            return f"missing or stale timestamp in {payload[:200]!r}"
        return None if b"symbol=LTCBTC" in payload else f"no symbol=LTCBTC in {payload[:200]!r}"


class Connection(asyncio.Protocol):
    """One keep-alive connection; answers every complete request in its buffer (pipelining works)."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            request_line, *lines = bytes(self.buffer[:end]).split(b"\r\n")
            headers = {
                name.strip().lower(): value.strip() for name, _, value in (line.partition(b":") for line in lines)
            }
            request_end = end + 4 + int(headers.get(b"content-length", 0))
            if len(self.buffer) < request_end:
                return
            body = bytes(self.buffer[end + 4 : request_end])
            del self.buffer[:request_end]
            method, target, _ = request_line.split(b" ")
            self.transport.write(self.counts.reply(method, target, headers.get(b"x-mbx-apikey"), body))


async def serve() -> None:
    counts = Counts()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(counts), "127.0.0.1", 0, backlog=1024)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    print(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve())

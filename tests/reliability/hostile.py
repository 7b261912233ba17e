"""A hostile HTTP server for tests: raw sockets on 127.0.0.1, scripted per test, counting what it receives.

Each request head the server reads is recorded, then handed to the test's ``Act``, which writes whatever it
likes (or nothing) and says whether the connection stays open for another request. Acts for the attacks
of issue 12 are below: close after reading, trickle, gzip bombs, endless bodies, redirects, raw bytes.
"""

import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import cache
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

SEED_RESPONSE: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "overrides" / "seed_response.json").read_text(encoding="utf-8")
)
SEED_BODY = json.dumps(SEED_RESPONSE).encode()
ORDER_LIST_PATH = "/api/v3/orderList"
TIME_PATH = "/api/v3/time"
JOIN_SECONDS = 10
"""How long closing waits for the server's threads (they stop at once unless a client hangs on)."""


@dataclass(frozen=True)
class Received:
    """One request head as the server read it."""

    method: str
    path: str
    query: dict[str, str]
    raw_query: str
    headers: Mapping[str, str]
    connection: int
    """Which accepted connection (0, 1, ...) carried it."""


@dataclass
class Exchange:
    """What an act sees: the request, its place in the order of arrival, and the socket to answer on."""

    request: Received
    index: int
    sock: socket.socket
    server: "HostileServer"

    def send(self, data: bytes) -> bool:
        """Write ``data``; False once the client has gone (it closed or reset the connection)."""
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        self.server.bytes_sent += len(data)
        return True


Act = Callable[[Exchange], bool]
"""Answers one request (or not); True keeps the connection open for the next one."""


def head(status: int, headers: Iterable[tuple[str, str]] = (), *, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} Hostile", f"Date: {formatdate(usegmt=True)}", *(f"{k}: {v}" for k, v in headers)]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(status: int = 200, body: bytes = SEED_BODY, headers: Iterable[tuple[str, str]] = ()) -> Act:
    """A whole answer; the connection stays open (keep-alive)."""
    data = head(status, [("Content-Type", "application/json"), *headers], length=len(body)) + body
    return lambda exchange: exchange.send(data)


def respond_then_close(status: int = 200, body: bytes = SEED_BODY) -> Act:
    """A whole answer that says keep-alive, then the server closes the idle connection at once."""
    answer = respond(status, body)

    def act(exchange: Exchange) -> bool:
        answer(exchange)
        exchange.sock.shutdown(socket.SHUT_RDWR)
        exchange.server.closed_after_answering.set()
        return False

    return act


def close_after_reading(exchange: Exchange) -> bool:
    """The request was read (it may have executed); the connection closes without an answer."""
    return False


def send_raw(data: bytes) -> Act:
    """Bytes that are no valid HTTP answer, then close."""
    return lambda exchange: exchange.send(data) and False


def trickle(body: bytes = SEED_BODY, *, interval: float, headers_too: bool = False) -> Act:
    """A valid answer written one byte every ``interval`` seconds (the head at once unless ``headers_too``)."""
    data = head(200, [("Content-Type", "application/json")], length=len(body))

    def act(exchange: Exchange) -> bool:
        slow = data + body if headers_too else body
        if not headers_too and not exchange.send(data):
            return False
        for offset in range(len(slow)):
            if exchange.server.stopping.wait(interval) or not exchange.send(slow[offset : offset + 1]):
                return False
        return True

    return act


@cache
def gzip_bomb(decoded_size: int) -> bytes:
    """``decoded_size`` zero bytes, gzipped (about a thousandth of the size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(decoded_size >> 20)]
    return b"".join([*parts, compressor.flush()])


def encoded(data: bytes, encoding: str = "gzip") -> Act:
    """``data``, already encoded, sent as a 200 with that Content-Encoding, whatever the client asked for."""
    answer = head(200, [("Content-Encoding", encoding), ("Content-Type", "application/json")], length=len(data))
    return lambda exchange: exchange.send(answer + data)


def endless(size: int, *, announced: bool, status: int = 200) -> Act:
    """A body of ``size`` bytes written as fast as the client reads, announced by Content-Length or chunked."""
    chunk = b"x" * (1 << 16)

    def act(exchange: Exchange) -> bool:
        if announced:
            if not exchange.send(head(status, length=size)):
                return False
            frames: Iterator[bytes] = (chunk for _ in range(size // len(chunk)))
        else:
            if not exchange.send(head(status, [("Transfer-Encoding", "chunked")])):
                return False
            frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
            frames = (frame for _ in range(size // len(chunk)))
        return all(not exchange.server.stopping.is_set() and exchange.send(data) for data in frames) and False

    return act


def route(**acts_by_path: Act) -> Act:
    """The act for the request's path: ``route(orderList=..., time=...)`` (the last part of the path)."""
    return lambda exchange: acts_by_path[exchange.request.path.rsplit("/", 1)[-1]](exchange)


@dataclass
class HostileServer:
    """Serves ``acts[i]`` to the i-th request (the last act repeats); counts requests and connections."""

    acts: tuple[Act, ...]
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    bytes_sent: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    closed_after_answering: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)
    _sockets: list[socket.socket] = field(default_factory=list)
    listener: socket.socket | None = None
    """A bound socket to listen on (its port refused connections until now); else a new one on a free port."""

    def __post_init__(self) -> None:
        if self.listener is None:
            self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        else:
            self._listener = self.listener
            self._listener.listen(128)
        self.base_url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._start(self._accept)

    def _start(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                number, self.connections = self.connections, self.connections + 1
                self._sockets.append(sock)
            self._start(self._serve, sock, number)

    def _serve(self, sock: socket.socket, number: int) -> None:
        with sock:
            buffer = b""
            while not self.stopping.is_set():
                while b"\r\n\r\n" not in buffer:
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    buffer += data
                raw, buffer = buffer.split(b"\r\n\r\n", 1)
                with self._lock:
                    request = parse_head(raw, number)
                    index = len(self.received)
                    self.received.append(request)
                act = self.acts[min(index, len(self.acts) - 1)]
                if not act(Exchange(request, index, sock, self)):
                    return

    def count(self, path: str = ORDER_LIST_PATH) -> int:
        return sum(request.path == path for request in self.received)

    def to(self, path: str = ORDER_LIST_PATH) -> list[Received]:
        return [request for request in self.received if request.path == path]

    def close(self) -> None:
        self.stopping.set()
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (closing alone does not, on Linux)
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + JOIN_SECONDS
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def parse_head(raw: bytes, connection: int) -> Received:
    request_line, *header_lines = raw.decode("latin-1").split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    parts = urlsplit(target)
    headers = dict(line.split(":", 1) for line in header_lines if ":" in line)
    return Received(
        method=method,
        path=parts.path,
        query=dict(parse_qsl(parts.query, keep_blank_values=True)),
        raw_query=parts.query,
        headers={name.strip().lower(): value.strip() for name, value in headers.items()},
        connection=connection,
    )


@contextmanager
def hostile(*acts: Act) -> Iterator[HostileServer]:
    with HostileServer(acts) as server:
        yield server

"""Measure the bench server's capacity: how many verified cancels per second it answers at most.

``python -m bench.loadgen BASE_URL --seconds S --connections C --depth D`` keeps D pipelined
requests in flight on each of C keep-alive connections for S seconds, with raw sockets and
prebuilt requests (signed afresh for every batch), so that the generator costs far less per request
than the server. Responses are counted by length (the server's 200 is a constant byte string) and a
non-200 stops the run. Prints one JSON line.
"""

import argparse
import json
import os
import selectors
import socket
import time
from urllib.parse import urlsplit

from bench.clients import HandSigner, credentials

RESPONSE_HEAD_END = b"\r\n\r\n"


def build_batch(signer: HandSigner, api_key: str, host: str, depth: int) -> bytes:
    request = (
        f"DELETE /api/v3/orderList?{signer.signed_query()} HTTP/1.1\r\nHost: {host}\r\nX-MBX-APIKEY: {api_key}\r\n\r\n"
    ).encode()
    return request * depth


def response_length(sock: socket.socket, signer: HandSigner, api_key: str, host: str) -> int:
    """The byte length of one 200 answer, learned from one request on a blocking socket."""
    sock.sendall(build_batch(signer, api_key, host, 1))
    received = b""
    deadline = time.monotonic() + 5
    while RESPONSE_HEAD_END not in received and time.monotonic() < deadline:
        received += sock.recv(65536)
    head, _, body = received.partition(RESPONSE_HEAD_END)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"the server refused the load generator's request: {head[:200]!r}")
    length = int(
        next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")).split(b":")[1]
    )
    while len(body) < length and time.monotonic() < deadline:
        body += sock.recv(65536)
    return len(head) + len(RESPONSE_HEAD_END) + length


def drain(selector: selectors.BaseSelector, pending: dict[socket.socket, int], batch_bytes: int) -> None:
    """Read the answers still in flight (for at most 5 s), so that no connection closes under the server's writes."""
    deadline = time.perf_counter() + 5
    waiting = {sock for sock, received in pending.items() if received < batch_bytes}
    while waiting and time.perf_counter() < deadline:
        for key, _ in selector.select(timeout=0.5):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            chunk = sock.recv(1 << 20)
            pending[sock] += len(chunk)
            if not chunk or pending[sock] >= batch_bytes:
                waiting.discard(sock)
                selector.unregister(sock)


def run(base_url: str, seconds: float, connections: int, depth: int) -> dict[str, float]:
    split = urlsplit(base_url)
    host, port = split.hostname or "127.0.0.1", split.port or 80
    api_key, secret = credentials()
    signer = HandSigner(secret)
    sockets = [socket.create_connection((host, port)) for _ in range(connections)]
    one_response = response_length(sockets[0], signer, api_key, f"{host}:{port}")
    batch_bytes = one_response * depth
    pending = dict.fromkeys(sockets, 0)
    selector = selectors.DefaultSelector()
    for sock in sockets:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
    answered = 0
    batch = build_batch(signer, api_key, f"{host}:{port}", depth)
    started = time.perf_counter()
    deadline = started + seconds
    for sock in sockets:
        sock.sendall(batch)
    while time.perf_counter() < deadline:
        for key, _ in selector.select(timeout=1.0):
            ready = key.fileobj
            assert isinstance(ready, socket.socket)
            chunk = ready.recv(1 << 20)
            if not chunk:
                raise RuntimeError("the server closed a connection")
            pending[ready] += len(chunk)
            if pending[ready] >= batch_bytes:
                if pending[ready] != batch_bytes:
                    raise RuntimeError("an answer of unexpected length: the server rejected a request")
                pending[ready] = 0
                answered += depth
                batch = build_batch(signer, api_key, f"{host}:{port}", depth)
                ready.setblocking(True)
                ready.sendall(batch)
                ready.setblocking(False)
    elapsed = time.perf_counter() - started
    drain(selector, pending, batch_bytes)
    for sock in sockets:
        sock.close()
    return {"answered": answered, "seconds": elapsed, "requests_per_s": answered / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--depth", type=int, default=1, help="pipelined requests in flight per connection")
    parser.add_argument("--cpu", type=int, default=None, help="pin this process to one core")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    print(json.dumps(run(args.base_url, args.seconds, args.connections, args.depth)), flush=True)


if __name__ == "__main__":
    main()

"""This process's open TCP connections to one port, read from /proc (psutil is not installed here)."""

import asyncio
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

_TCP_TABLES = (Path("/proc/self/net/tcp"), Path("/proc/self/net/tcp6"))
_SOCKET_LINK = "socket:["


def port_of(base_url: str) -> int:
    port = urlsplit(base_url).port
    if port is None:
        raise ValueError(f"{base_url!r} names no port")
    return port


def open_connections(port: int) -> frozenset[int]:
    """Inodes of the sockets this process holds open whose remote port is ``port``, whatever their TCP state.

    /proc/net/tcp lists every socket of the network namespace; only those whose inode is behind one
    of this process's file descriptors are ours (the emulator's accepted sockets are not).
    """
    ours = _socket_inodes()
    found = set()
    for table in _TCP_TABLES:
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            inode = int(fields[9])
            if remote_port == port and inode in ours:
                found.add(inode)
    return frozenset(found)


def _socket_inodes() -> set[int]:
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed between listdir and readlink
            continue
        if target.startswith(_SOCKET_LINK):
            inodes.add(int(target[len(_SOCKET_LINK) : -1]))
    return inodes


_GRACE_CHECKS = 100
"""How many times a closing connection is looked for again, 10 ms apart: a count, not a deadline, so
that a busy machine gets as many turns of the event loop to release sockets as an idle one."""


def remaining_connections(port: int, baseline: frozenset[int], checks: int = _GRACE_CHECKS) -> frozenset[int]:
    """Connections to ``port`` opened since ``baseline`` that are still open after a short grace (``checks``
    looks, 10 ms apart).

    Returns as soon as none is left; the grace is there because a closed transport may release its
    socket on the event loop's next iteration (or another thread's loop may still be closing it).
    """
    left = open_connections(port) - baseline
    for _ in range(checks):
        if not left:
            break
        time.sleep(0.01)
        left = open_connections(port) - baseline
    return left


async def remaining_connections_async(port: int, baseline: frozenset[int]) -> frozenset[int]:
    """``remaining_connections`` for code on an event loop: sleeps let the loop finish closing transports."""
    left = open_connections(port) - baseline
    for _ in range(_GRACE_CHECKS):
        if not left:
            break
        await asyncio.sleep(0.01)
        left = open_connections(port) - baseline
    return left

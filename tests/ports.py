"""Ports on 127.0.0.1 for the servers these tests start, and one that refuses every connection."""

import atexit
import functools
import socket


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago; a server started on it must retry if it was taken since."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@functools.cache
def refused_port() -> int:
    """A port on 127.0.0.1 that refuses connections for the whole run.

    It stays bound and never listens, so connecting is refused and no other process (another test
    run on the same machine) can start listening on it in between, as it could on a freed port.
    """
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    atexit.register(holder.close)
    port: int = holder.getsockname()[1]
    return port

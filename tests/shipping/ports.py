"""Ports on 127.0.0.1 for the servers these tests start (and for addresses nothing listens on)."""

import socket


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago: nothing listens there unless a test starts something."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port

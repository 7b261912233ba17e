"""Base URLs of the usual shape, split without httpx: a client on its own connections never needs httpx.

``https://api.binance.com``, ``http://127.0.0.1:8080/prefix``: a lower-case ``http``/``https`` scheme, a lower-case
host name (with a letter in it) or a dotted IPv4 address, a port without leading zeros, a path of unreserved
characters without a ``.`` or ``..`` segment (httpx removes those). httpx accepts every such URL and parses it into
exactly these parts (tests/overrides/test_urls.py proves it against ``httpx.URL``); any other URL is left to
``httpx.URL``.
"""

import functools
import re
from typing import NamedTuple

__all__ = ["PlainUrl", "plain_url"]

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PLAIN = (
    rf"(?P<scheme>https?)://(?P<host>(?=[a-z0-9.-]*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)*|(?:{_OCTET}\.){{3}}{_OCTET})"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?(?P<path>(?:/(?!\.\.?(?:/|$))[A-Za-z0-9._~-]*)*)"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class PlainUrl(NamedTuple):
    """What ``httpx.URL`` makes of it: ``port`` is None for the scheme's default, ``netloc`` the Host header."""

    scheme: str
    host: str
    port: int | None
    path: str
    netloc: str


def plain_url(url: str) -> PlainUrl | None:
    """``url``'s parts if it has the usual shape (and a port within 0..65535), else None."""
    match = _plain_pattern().fullmatch(url)
    if match is None:
        return None
    scheme, host, port_digits, path = match.group("scheme", "host", "port", "path")
    port = None if port_digits is None else int(port_digits)
    if port is not None and port > 65535:
        return None
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    return PlainUrl(scheme, host, port, path or "/", host if port is None else f"{host}:{port}")


@functools.cache
def _plain_pattern() -> re.Pattern[str]:
    """Compiled with the first client, not with the package."""
    return re.compile(_PLAIN)

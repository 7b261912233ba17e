"""Failover across Binance's API clusters: which base URL each attempt goes to, and what failed recently.

A client may be given several base URLs (``BINANCE_BASE_URLS``: the production clusters openapi.yaml's
``servers`` list). One attempt of a call is one *round* over them: the healthy ones in the order given, then
those still cooling down. A round moves on only after a ``TransportError``, a failure before any byte of
the request was written (connection refused, name not resolved, connect timeout, TLS handshake refused, a
kept-alive connection found closed before writing), so a request that may have reached one cluster is never
sent to another. ``max_retries`` counts rounds, so a call makes at most ``(max_retries + 1) * len(base_urls)``
attempts, each within the call's timeout.

A base URL that could not be reached is skipped for ``COOL_DOWN_NS`` while a healthy one is left, and still
tried last rather than not at all. Any answer from it, whatever its status, makes it healthy again. The memory
is shared by a client and its ``with_options`` children and safe across threads and tasks: the lock is held
for a few dictionary operations, never across I/O.
"""

import threading
from collections.abc import Callable, Iterator, Sequence
from time import monotonic_ns
from typing import Generic, Protocol, TypeVar

from ._logging import logger, redact
from .errors import TransportError

__all__ = ["COOL_DOWN_NS", "Call", "ClusterHealth", "Clusters", "PerBaseUrl", "Round"]

COOL_DOWN_NS = 30 * 1_000_000_000
"""How long a base URL that could not be reached is skipped (30 s, integer nanoseconds of the monotonic clock):
long enough not to pay a dead cluster's connect failure on every call, short enough to return soon after it
recovers."""


class ClusterHealth:
    """Until when each base URL that could not be reached is skipped (monotonic ns)."""

    def __init__(self, cool_down_ns: int = COOL_DOWN_NS) -> None:
        self._cool_down_ns = cool_down_ns
        self._skipped_until: dict[str, int] = {}
        self._lock = threading.Lock()

    def order(self, base_urls: Sequence[str]) -> list[str]:
        """``base_urls`` with those cooling down moved to the end, each group in the order given."""
        now = monotonic_ns()
        with self._lock:
            cooling = {url for url, until in self._skipped_until.items() if until > now}
        return [url for url in base_urls if url not in cooling] + [url for url in base_urls if url in cooling]

    def unreachable(self, base_url: str) -> None:
        with self._lock:
            self._skipped_until[base_url] = monotonic_ns() + self._cool_down_ns

    def reached(self, base_url: str) -> None:
        if base_url in self._skipped_until:  # the lock only when there is something to forget
            with self._lock:
                self._skipped_until.pop(base_url, None)


class Clusters:
    """A client's base URLs, in the order given, and the health memory it shares with its ``with_options``
    children (and with a child given other base URLs: the memory is per URL)."""

    def __init__(self, base_urls: tuple[str, ...], health: ClusterHealth | None = None) -> None:
        self.base_urls = base_urls
        self.health = ClusterHealth() if health is None else health

    def with_base_urls(self, base_urls: tuple[str, ...]) -> "Clusters":
        return Clusters(base_urls, self.health)

    def round(self, call: "Call") -> "Round":
        return Round(
            self.health, self.health.order(self.base_urls) if len(self.base_urls) > 1 else self.base_urls, call
        )


class Call(Protocol):
    """What a round needs of the call it sends: its method and path, and the base URL it sets for each attempt."""

    method: str
    path: str
    base_url: str


Answer = TypeVar("Answer")


class Round:
    """One attempt over the clusters. Iterating it points the call at each base URL in turn; the client reports
    how each send went."""

    def __init__(self, health: ClusterHealth, order: Sequence[str], call: Call) -> None:
        self._health = health
        self._order = order
        self._call = call
        self._failures: list[tuple[str, TransportError]] = []

    def __iter__(self) -> Iterator[str]:
        for base_url in self._order:
            self._call.base_url = base_url
            yield base_url

    def unreachable(self, failure: TransportError) -> None:
        """``failure`` sent nothing: skip the call's base URL for a while and go on to the next one."""
        base_url = self._call.base_url
        self._health.unreachable(base_url)
        self._failures.append((base_url, failure))
        left = len(self._order) - len(self._failures)
        if len(self._order) > 1:
            logger.info("%s could not be reached (%s); %d base URL(s) left to try", base_url, _reason(failure), left)

    def reached(self, answer: Answer) -> Answer:
        """The call's base URL answered (whatever it said): ``answer``, passed through."""
        base_url = self._call.base_url
        self._health.reached(base_url)
        if self._failures:
            logger.info("%s answered after %d base URL(s) could not be reached", base_url, len(self._failures))
        return answer

    def error(self) -> TransportError:
        """The error once every base URL failed: the one failure itself, or one naming each base URL and why."""
        if len(self._failures) == 1:
            return self._failures[0][1]
        reasons = "; ".join(f"{base_url}: {_reason(failure)}" for base_url, failure in self._failures)
        call = self._call
        error = TransportError(
            f"{call.method} {call.path} could not be sent to any of the {len(self._failures)} base URLs ({reasons}). "
            "Nothing reached Binance, so it is safe to send again; check this machine's network, DNS and firewall, "
            "and Binance's status page."
        )
        error.__cause__ = self._failures[-1][1].__cause__
        return error


def _reason(failure: TransportError) -> str:
    """Why one attempt could not be sent, in a few words: the transport's error, else the failure's message."""
    cause = failure.__cause__
    if cause is None:
        return str(failure)
    return f"{type(cause).__name__}: {redact(str(cause)) or 'no details'}"


class _Closeable(Protocol):
    def close(self) -> None: ...


Connections = TypeVar("Connections", bound=_Closeable)


class PerBaseUrl(Generic[Connections]):
    """The sync client's own connections, one pool per base URL, each opened when the first attempt goes there
    (most clients never leave their first cluster). ``_lifecycle`` holds it whole: closed with the client,
    renewed whole after a fork."""

    def __init__(self, open_for: Callable[[str], Connections]) -> None:
        self._open_for = open_for
        self._opened: dict[str, Connections] = {}
        self._lock = threading.Lock()

    def to(self, base_url: str) -> Connections:
        connections = self._opened.get(base_url)
        if connections is None:
            with self._lock:
                connections = self._opened.get(base_url)
                if connections is None:
                    connections = self._opened[base_url] = self._open_for(base_url)
        return connections

    def close(self) -> None:
        with self._lock:
            opened, self._opened = list(self._opened.values()), {}
        for connections in opened:
            connections.close()

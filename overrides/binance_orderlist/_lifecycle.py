"""Which connections a call may use: never those of a closed client, of another process, or of a dead event loop.

A client and its ``with_options`` children share one ``SyncConnections`` (or ``AsyncConnections``) and each has
its own ``Lifetime``, closed by its own ``close()`` and by its ancestors'. Every attempt asks here for its
connections before anything is sent:

- a closed client raises ``ClientClosedError``, having sent nothing and opened nothing;
- after ``os.fork()`` the child opens connections of its own; the parent's are abandoned in the child without
  any I/O and kept referenced, so that neither a close nor the garbage collector writes on a socket the parent
  still reads (a TLS close sends close_notify);
- an ``AsyncSpotClient`` opens one set of connections per event loop, closed on that loop when it shuts down
  (``asyncio.run`` finalizes async generators before it closes the loop, so a kept generator closes them), and
  never touches a loop that is closed;
- a caller's ``http_client`` cannot be renewed: it is refused (``ClientUnusableError``, nothing sent) in a process
  other than the one the client was made in, and, for an ``httpx.AsyncClient``, on an event loop other than the
  one it was first used on.
"""

import os
import threading
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from .errors import ClientClosedError, ClientUnusableError

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncConnections", "Lifetime", "LoopConnections", "SyncConnections"]

SyncSender = TypeVar("SyncSender", bound="_Closable")
AsyncSender = TypeVar("AsyncSender", bound="_AsyncClosable")


class _Closable(Protocol):
    def close(self) -> None: ...


class _AsyncClosable(Protocol):
    async def aclose(self) -> None: ...


class Lifetime:
    """Whether ``close()`` was called on one client, or on a client it came from (``with_options``)."""

    __slots__ = ("_closed", "_parent")

    def __init__(self, parent: "Lifetime | None" = None) -> None:
        self._closed = False
        self._parent = parent

    @property
    def closed(self) -> bool:
        return self._closed or (self._parent is not None and self._parent.closed)

    @property
    def is_root(self) -> bool:
        """Whether this is the client that made the connections (not a ``with_options`` child)."""
        return self._parent is None

    def close(self) -> None:
        self._closed = True

    def check_open(self) -> None:
        if self.closed:
            raise ClientClosedError(
                "this client is closed (close() or aclose() was called on it, or on the client it came from through "
                "with_options): the request was not sent and no connection was opened. Make a new client."
            )


def _refused_after_fork(made_in: int) -> ClientUnusableError:
    return ClientUnusableError(
        f"the http_client given to this client may hold connections of process {made_in}, where the client was made, "
        f"and this is process {os.getpid()} (after os.fork()): they would share sockets and could read each other's "
        "answers, so the request was not sent. Make the client and its http_client in the process that uses them, "
        "or leave http_client out: the client's own connections are renewed after a fork."
    )


class SyncConnections(Generic[SyncSender]):
    """The connections of a ``SpotClient`` and its children: its own (renewed after a fork) or a caller's."""

    def __init__(self, given: SyncSender | None, open_own: Callable[[], SyncSender]) -> None:
        self._given = given
        self._open_own = open_own
        self._pid = os.getpid()
        self._sender = open_own() if given is None else given
        self._abandoned: list[object] = []
        self._lock = threading.Lock()
        self.resync_lock = threading.Lock()
        """Lets one clock resynchronisation run at a time (renewed after a fork: a thread that held it is gone)."""

    def sender(self, lifetime: Lifetime) -> SyncSender:
        """The connections this attempt may use; raises, having sent nothing, when there are none."""
        lifetime.check_open()
        if os.getpid() != self._pid:
            self._after_fork()
        return self._sender

    def _after_fork(self) -> None:
        with self._lock:
            if os.getpid() == self._pid:
                return
            if self._given is not None:
                raise _refused_after_fork(self._pid)
            self._abandoned.append(self._sender)
            self._sender = self._open_own()
            self.resync_lock = threading.Lock()
            self._pid = os.getpid()

    def close(self) -> None:
        """Close the client's own connections (in the process that opened them; a forked child's are its own)."""
        if self._given is None and os.getpid() == self._pid:
            self._sender.close()


class LoopConnections(Generic[AsyncSender]):
    """The connections a client uses on one event loop, and the async generator that closes them with it."""

    def __init__(self, sender: AsyncSender, *, own: bool) -> None:
        import asyncio

        self.sender = sender
        self.resync_lock = asyncio.Lock()
        self.closed = False
        self._pid = os.getpid()
        self._closer = self._closed_with_the_loop() if own else None
        self._started = False

    async def _closed_with_the_loop(self) -> AsyncGenerator[None, None]:
        """Suspended at its ``yield`` until ``aclose()``: by the client's, or by the loop's shutdown
        (``asyncio.run`` and ``asyncio.Runner`` finalize async generators on the loop before closing it)."""
        try:
            yield
        finally:
            self.closed = True
            if os.getpid() == self._pid:  # never a parent's connections, from a forked child
                await self.sender.aclose()

    async def start(self) -> None:
        """Registers the closing generator with the running loop (its first step, in the loop's own task)."""
        if self._closer is not None and not self._started:
            self._started = True
            await anext(self._closer)

    async def close(self) -> None:
        if self._closer is not None:
            await self._closer.aclose()


class AsyncConnections(Generic[AsyncSender]):
    """The connections of an ``AsyncSpotClient`` and its children, per event loop: its own, or a caller's
    ``httpx.AsyncClient`` (on the one loop it was first used on)."""

    def __init__(self, given: AsyncSender | None, open_own: Callable[[], AsyncSender]) -> None:
        import asyncio  # with the first async client: sync users need not import it

        self._running_loop = asyncio.get_running_loop
        self._given = given
        self._open_own = open_own
        self._pid = os.getpid()
        self._by_loop: dict[asyncio.AbstractEventLoop, LoopConnections[AsyncSender]] = {}
        self._abandoned: list[object] = []
        self._lock = threading.Lock()

    def on_running_loop(self, lifetime: Lifetime) -> LoopConnections[AsyncSender] | None:
        """The running loop's connections, or None when they are still to be opened (``open_on_running_loop``);
        raises, having sent nothing, when this client may not send."""
        lifetime.check_open()
        on_loop = self._by_loop.get(self._running_loop())
        if on_loop is None or on_loop.closed or os.getpid() != self._pid:
            return None
        return on_loop

    async def open_on_running_loop(self, lifetime: Lifetime) -> LoopConnections[AsyncSender]:
        """``on_running_loop``, opening the running loop's connections on first use."""
        on_loop = self.on_running_loop(lifetime)
        if on_loop is None:
            on_loop = self._open_on(self._running_loop())
            await on_loop.start()
        return on_loop

    def _open_on(self, loop: "asyncio.AbstractEventLoop") -> LoopConnections[AsyncSender]:
        with self._lock:
            if os.getpid() != self._pid:
                if self._given is not None:
                    raise _refused_after_fork(self._pid)
                self._abandoned.extend(self._by_loop.values())  # the parent's: no I/O on them from here
                self._by_loop = {}
                self._pid = os.getpid()
            on_loop = self._by_loop.get(loop)
            if on_loop is not None and not on_loop.closed:
                return on_loop
            if self._given is not None and self._by_loop and on_loop is None:
                raise ClientUnusableError(
                    "the http_client given to this client was first used on another event loop, and an "
                    "httpx.AsyncClient's connections belong to the loop that opened them: the request was not sent. "
                    "Give each event loop its own http_client (and client), or leave http_client out: the client's "
                    "own connections follow the running loop."
                )
            self._forget_closed_loops()
            sender = self._open_own() if self._given is None else self._given
            on_loop = LoopConnections(sender, own=self._given is None)
            self._by_loop[loop] = on_loop
            return on_loop

    def _forget_closed_loops(self) -> None:
        """Drop what belongs to loops that are closed, without touching them; what their shutdown did not close
        stays referenced (the garbage collector would otherwise close its sockets through a dead loop)."""
        for loop, on_loop in list(self._by_loop.items()):
            if loop.is_closed():
                del self._by_loop[loop]
                if not on_loop.closed:
                    self._abandoned.append(on_loop)

    async def aclose(self) -> None:
        """Close the client's own connections: the running loop's now, another running loop's on that loop;
        a closed loop's are left alone."""
        import asyncio

        if self._given is not None or os.getpid() != self._pid:
            return
        with self._lock:
            by_loop, self._by_loop = self._by_loop, {}
        running = asyncio.get_running_loop()
        for loop, on_loop in by_loop.items():
            if on_loop.closed:
                continue
            if loop is running:
                await on_loop.close()
            elif loop.is_closed():
                self._abandoned.append(on_loop)
            else:
                asyncio.run_coroutine_threadsafe(on_loop.close(), loop)

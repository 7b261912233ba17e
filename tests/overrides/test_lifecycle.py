"""Which connections a call may use (``_lifecycle``): the close rules of a client and its children, one set of
connections per event loop, a caller's connections never renewed, never closed. Senders here are stand-ins that
count what is done to them; the round trips (forks, threads, loops, against a server) are in
tests/reliability/test_lifecycle.py."""

import asyncio

import pytest
from binance_orderlist._lifecycle import AsyncConnections, Lifetime, SyncConnections
from binance_orderlist.errors import ClientClosedError, ClientUnusableError
from hypothesis import given
from hypothesis import strategies as st


class Sender:
    """Stands for a client's connections: counts how often it was closed."""

    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1

    async def aclose(self) -> None:
        self.closed += 1


class Opener:
    """What opens a client's own connections: keeps every sender it opened."""

    def __init__(self) -> None:
        self.opened: list[Sender] = []

    def __call__(self) -> Sender:
        self.opened.append(Sender())
        return self.opened[-1]


@given(parents=st.lists(st.integers(min_value=0), max_size=12), closing=st.sets(st.integers(min_value=0)))
def test_a_client_is_closed_when_it_or_any_client_it_came_from_is(parents: list[int], closing: set[int]) -> None:
    """``parents[i]`` picks the parent of client ``i + 1`` among those made before it (client 0 is the root)."""
    lifetimes = [Lifetime()]
    ancestors: list[set[int]] = [{0}]
    for number, parent in enumerate(parents, start=1):
        lifetimes.append(Lifetime(parent=lifetimes[parent % number]))
        ancestors.append(ancestors[parent % number] | {number})
    for number in closing:
        if number < len(lifetimes):
            lifetimes[number].close()
    for number, (lifetime, lineage) in enumerate(zip(lifetimes, ancestors, strict=True)):
        assert lifetime.closed is bool(lineage & closing)
        assert lifetime.is_root is (number == 0)


def test_a_closed_client_is_refused_with_what_to_do() -> None:
    lifetime = Lifetime()
    lifetime.check_open()
    lifetime.close()
    with pytest.raises(ClientClosedError, match=r"not sent and no connection was opened\. Make a new client"):
        lifetime.check_open()


def test_a_sync_client_s_own_connections_are_opened_with_it_used_by_every_call_and_closed_by_it() -> None:
    opener, lifetime = Opener(), Lifetime()
    connections = SyncConnections(None, opener)
    assert connections.sender(lifetime) is connections.sender(Lifetime(parent=lifetime)) is opener.opened[0]
    connections.close()
    assert [sender.closed for sender in opener.opened] == [1]


def test_a_caller_s_sync_connections_are_used_but_never_opened_or_closed() -> None:
    opener, mine = Opener(), Sender()
    connections = SyncConnections(mine, opener)
    assert connections.sender(Lifetime()) is mine
    connections.close()
    assert (opener.opened, mine.closed) == ([], 0)


def test_a_closed_sync_client_gets_no_connections() -> None:
    opener, lifetime = Opener(), Lifetime()
    connections = SyncConnections(None, opener)
    lifetime.close()
    with pytest.raises(ClientClosedError):
        connections.sender(lifetime)
    with pytest.raises(ClientClosedError):
        connections.sender(Lifetime(parent=lifetime))
    assert len(opener.opened) == 1, "nothing more opened"


def test_an_async_client_opens_its_own_connections_on_each_event_loop_and_each_loop_s_end_closes_them() -> None:
    opener, lifetime = Opener(), Lifetime()
    connections = AsyncConnections(None, opener)

    async def use() -> Sender:
        assert connections.on_running_loop(lifetime) is None, "none yet on this loop"
        first = await connections.open_on_running_loop(lifetime)
        assert await connections.open_on_running_loop(Lifetime(parent=lifetime)) is first
        assert connections.on_running_loop(lifetime) is first
        return first.sender

    with asyncio.Runner() as runner:
        assert runner.run(use()) is opener.opened[0]
        assert opener.opened[0].closed == 0, "open while its loop runs"
    assert [sender.closed for sender in opener.opened] == [1], "closed by the loop's shutdown"
    assert asyncio.run(use()) is opener.opened[1]
    assert [sender.closed for sender in opener.opened] == [1, 1]


def test_aclose_closes_the_running_loop_s_connections_once() -> None:
    opener, lifetime = Opener(), Lifetime()
    connections = AsyncConnections(None, opener)

    async def use_then_close() -> None:
        await connections.open_on_running_loop(lifetime)
        await connections.aclose()
        assert opener.opened[0].closed == 1
        assert connections.on_running_loop(lifetime) is None, "what aclose() closed is not used again"

    asyncio.run(use_then_close())
    assert [sender.closed for sender in opener.opened] == [1], "not closed a second time by the loop's shutdown"


def test_a_caller_s_async_connections_serve_the_loop_they_were_first_used_on_and_no_other() -> None:
    opener, mine, lifetime = Opener(), Sender(), Lifetime()
    connections = AsyncConnections(mine, opener)

    async def use() -> Sender:
        on_loop = await connections.open_on_running_loop(lifetime)
        return on_loop.sender

    with asyncio.Runner() as runner:
        assert runner.run(use()) is mine
        assert runner.run(use()) is mine
        runner.run(connections.aclose())
    with pytest.raises(ClientUnusableError, match="first used on another event loop"):
        asyncio.run(use())
    assert (opener.opened, mine.closed) == ([], 0), "never opened, never closed: the caller owns them"


def test_a_closed_async_client_gets_no_connections() -> None:
    opener, lifetime = Opener(), Lifetime()
    connections = AsyncConnections(None, opener)
    lifetime.close()

    async def use() -> None:
        await connections.open_on_running_loop(lifetime)

    with pytest.raises(ClientClosedError):
        asyncio.run(use())
    assert opener.opened == []

"""AsyncSpotClient's own aiohttp connections (``_aiohttp``): the ``no_hidden_resend`` middleware, the sender and
how aiohttp's errors are sorted into sent or not sent, against real servers on 127.0.0.1."""

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import aiohttp
import httpx
import pytest
from aiohttp.client_reqrep import ConnectionKey
from binance_orderlist import no_hidden_resend
from binance_orderlist._aiohttp import AiohttpSender, SentThenLost, as_httpx_error
from binance_orderlist._attempts import Connecting, Timeouts

from ..ports import refused_port
from ..reliability.hostile import SEED_BODY, HostileServer, close_after_reading, hostile, respond

SIGNED_QUERY = "symbol=LTCBTC&listClientOrderId=a:b/c&timestamp=1&signature=c2VjcmV0%2B%2F%3D"
SIGNATURE = "c2VjcmV0%2B%2F%3D"
TEN_SECONDS = Timeouts(10.0, 10.0, 10.0, 10.0)
CONNECTOR_REFUSED = aiohttp.ClientConnectorError(
    ConnectionKey("h", 1, False, True, None, None, None), OSError(111, "x")
)


@pytest.mark.parametrize(
    ("raised", "passed_on"),
    [
        (aiohttp.ServerDisconnectedError(), "SentThenLost"),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), "SentThenLost"),
        (CONNECTOR_REFUSED, "ClientConnectorError"),
        (aiohttp.ConnectionTimeoutError("connect"), "ConnectionTimeoutError"),
        (aiohttp.ClientConnectionResetError("Cannot write to closing transport"), "ClientConnectionResetError"),
        (aiohttp.ClientPayloadError("payload"), "ClientPayloadError"),
    ],
)
async def test_no_hidden_resend_turns_only_what_aiohttp_would_resend_into_sent_then_lost(
    raised: Exception, passed_on: str
) -> None:
    """aiohttp's request loop goes round again on ServerDisconnectedError and ClientOSError (but not on its
    connector errors, which are subclasses of ClientOSError): exactly those become SentThenLost, which it
    passes on; the connector errors and the "closed before written" reset stay as they are (nothing sent)."""

    async def handler(request: aiohttp.ClientRequest) -> aiohttp.ClientResponse:
        raise raised

    with pytest.raises(aiohttp.ClientError) as caught:
        await no_hidden_resend(mock.Mock(spec=aiohttp.ClientRequest), handler)
    assert type(caught.value).__name__ == passed_on
    if isinstance(caught.value, SentThenLost):
        assert caught.value.__cause__ is raised


async def test_no_hidden_resend_stops_aiohttp_sending_a_request_again_on_a_new_connection() -> None:
    """A kept-alive connection closed after the request was read: aiohttp alone sends the DELETE again on a new
    connection (the third request here); with the middleware it raises instead, and the server read it once."""
    for middlewares, connections in (((), [0, 0, 1]), ((no_hidden_resend,), [0, 0])):
        with hostile(respond(), close_after_reading, respond()) as server:
            async with aiohttp.ClientSession(middlewares=middlewares) as session:
                async with session.delete(server.base_url + "/api/v3/orderList") as first:
                    assert first.status == 200
                    await first.read()
                if middlewares:
                    with pytest.raises(SentThenLost):
                        await session.delete(server.base_url + "/api/v3/orderList")
                else:
                    async with session.delete(server.base_url + "/api/v3/orderList") as resent:
                        assert resent.status == 200
            assert [request.connection for request in server.received] == connections


@contextmanager
def sender_to(*acts: object, max_response_bytes: int = 1 << 20) -> Iterator[tuple[AiohttpSender, HostileServer]]:
    with hostile(*acts) as server:  # type: ignore[arg-type]
        yield AiohttpSender({"X-MBX-APIKEY": "key"}, TEN_SECONDS, max_response_bytes), server


async def test_the_sender_sends_the_signed_url_as_it_is_and_reads_the_answer() -> None:
    """The bytes that were signed are the bytes sent: yarl re-quotes nothing (``:``, ``/``, ``%2B`` stay)."""
    with sender_to(respond(headers=[("X-MBX-USED-WEIGHT-1M", "3")])) as (sender, server):
        connecting = Connecting(still=True)
        url = f"{server.base_url}/api/v3/orderList?{SIGNED_QUERY}"
        answer = await sender.send("DELETE", url, {"X-MBX-TIME-UNIT": "MICROSECOND"}, connecting=connecting)
        await sender.aclose()
    assert (answer.status_code, answer.content, answer.refused) == (200, SEED_BODY, False)
    assert answer.headers["x-mbx-used-weight-1m"] == "3"
    [received] = server.received
    assert (received.method, received.raw_query) == ("DELETE", SIGNED_QUERY)
    assert (received.headers["x-mbx-apikey"], received.headers["x-mbx-time-unit"]) == ("key", "MICROSECOND")
    assert not connecting.still, "the connection was made"


async def test_a_body_announced_past_the_limit_is_refused_unread() -> None:
    with sender_to(respond(body=b"x" * 100), max_response_bytes=10) as (sender, server):
        answer = await sender.send("GET", server.base_url + "/api/v3/time", {})
        await sender.aclose()
    assert (answer.status_code, answer.refused, answer.content) == (200, True, b"")


async def test_a_refused_connect_is_not_sent_and_a_lost_answer_is_unknown_and_neither_names_the_signature() -> None:
    sender = AiohttpSender({}, TEN_SECONDS, 1 << 20)
    connecting = Connecting(still=True)
    with pytest.raises(httpx.ConnectError) as refused:
        await sender.send("DELETE", f"http://127.0.0.1:{refused_port()}/?{SIGNED_QUERY}", {}, connecting=connecting)
    assert connecting.still, "never connected"
    with hostile(close_after_reading) as server:
        with pytest.raises(httpx.ReadError) as lost:
            await sender.send("DELETE", f"{server.base_url}/api/v3/orderList?{SIGNED_QUERY}", {})
        await sender.aclose()
    assert server.count() == 1
    for raised in (refused.value, lost.value):
        assert SIGNATURE not in str(raised)
        assert raised.__cause__ is None, "aiohttp's error, which names the URL, is not chained"
        assert raised.__context__ is None


@pytest.mark.parametrize(
    ("error", "mapped"),
    [
        (aiohttp.ConnectionTimeoutError("connect"), httpx.ConnectTimeout),
        (CONNECTOR_REFUSED, httpx.ConnectError),
        (aiohttp.ClientConnectionResetError("Cannot write to closing transport"), httpx.ConnectError),
        (aiohttp.ClientConnectionResetError("Connection lost"), httpx.ReadError),
        (aiohttp.ServerTimeoutError("read"), httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError(), httpx.ReadError),
        (SentThenLost("lost"), httpx.ReadError),
        (aiohttp.ClientPayloadError(f"payload of ?{SIGNED_QUERY}"), httpx.ReadError),
    ],
)
def test_aiohttp_s_errors_become_httpx_s_sent_or_not_sent_with_the_signature_redacted(
    error: Exception, mapped: type[httpx.HTTPError]
) -> None:
    converted = as_httpx_error(error)
    assert type(converted) is mapped
    assert SIGNATURE not in str(converted)
    assert str(converted)


def test_sent_then_lost_is_judged_by_what_aiohttp_raised() -> None:
    """The middleware's wrapper of a connection reset: sorted as the reset it carries (after sending: unknown)."""
    cause = aiohttp.ClientOSError(104, "Connection reset by peer")
    wrapped = SentThenLost(*cause.args)
    wrapped.__cause__ = cause
    assert (
        str(as_httpx_error(wrapped))
        == str(as_httpx_error(cause))
        == "ClientOSError: [Errno 104] Connection reset by peer"
    )

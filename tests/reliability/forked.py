"""Run by ``test_lifecycle`` in a fresh, single-threaded interpreter (forking pytest's own process would fork
its threads): one client cancels a list, the process forks (``os.fork()`` or ``multiprocessing``'s fork start
method), then the child cancels list 3 and the parent list 2 with that same client. Prints one JSON line: what
each got, an ``orderListId`` (the server answers with the list each request named) or an error's class name.

BASE_URL may list several, separated by commas (failover): the client is given them all, and the base URL at
index ``i`` is also sent to by a ``with_options`` child pointed at it first, with lists ``10 * i + 1``, ``+ 2``
and ``+ 3``; so before the fork the client's connections hold one pool per base URL, each used again after.
Each of ``first``, ``parent`` and ``child`` is then a list, one entry per base URL.

    python -m tests.reliability.forked BASE_URL[,BASE_URL...] PATH HOW
"""

import asyncio
import json
import multiprocessing
import os
import sys
from multiprocessing.connection import Connection

from binance_orderlist import AsyncSpotClient, SpotClient
from binance_orderlist.errors import BinanceError

from .drivers import make_client


def cancel(client: SpotClient | AsyncSpotClient, order_list_id: int) -> int | str:
    """The ``orderListId`` of the answer, or the name of the error raised."""
    try:
        if isinstance(client, SpotClient):
            return client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id).order_list_id
        return asyncio.run(client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)).order_list_id
    except BinanceError as error:
        return type(error).__name__


def cancel_on_each(clients: list[SpotClient | AsyncSpotClient], order_list_id: int) -> list[int | str]:
    """``cancel`` on each base URL's client, the list ``10 * index + order_list_id``."""
    return [cancel(client, 10 * index + order_list_id) for index, client in enumerate(clients)]


def in_the_child(clients: list[SpotClient | AsyncSpotClient], answer: Connection) -> None:
    answer.send(cancel_on_each(clients, 3))


def main() -> None:
    base_urls, path, how = sys.argv[1:]
    urls = base_urls.split(",")
    client, _ = make_client(path, urls if len(urls) > 1 else urls[0])
    clients = [client] + [client.with_options(base_url=[url, *urls[:index]]) for index, url in enumerate(urls) if index]
    first = cancel_on_each(clients, 1)
    if how == "os.fork":
        receiving, sending = multiprocessing.Pipe(duplex=False)
        pid = os.fork()
        if pid == 0:
            in_the_child(clients, sending)
            os._exit(0)
        parent = cancel_on_each(clients, 2)
        child = receiving.recv()
        os.waitpid(pid, 0)
    else:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=in_the_child, args=(clients, sending))
        process.start()
        parent = cancel_on_each(clients, 2)
        child = receiving.recv()
        process.join()
    print(json.dumps({"first": first, "parent": parent, "child": child}))


if __name__ == "__main__":
    main()

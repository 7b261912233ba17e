"""Run by ``test_lifecycle`` in a fresh, single-threaded interpreter (forking pytest's own process would fork
its threads): one client cancels a list, the process forks (``os.fork()`` or ``multiprocessing``'s fork start
method), then the child cancels list 3 and the parent list 2 with that same client. Prints one JSON line: what
each got, an ``orderListId`` (the server answers with the list each request named) or an error's class name.

    python -m tests.reliability.forked BASE_URL PATH HOW
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


def in_the_child(client: SpotClient | AsyncSpotClient, answer: Connection) -> None:
    answer.send(cancel(client, 3))


def main() -> None:
    base_url, path, how = sys.argv[1:]
    client, _ = make_client(path, base_url)
    first = cancel(client, 1)
    if how == "os.fork":
        receiving, sending = multiprocessing.Pipe(duplex=False)
        pid = os.fork()
        if pid == 0:
            in_the_child(client, sending)
            os._exit(0)
        parent = cancel(client, 2)
        child = receiving.recv()
        os.waitpid(pid, 0)
    else:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=in_the_child, args=(client, sending))
        process.start()
        parent = cancel(client, 2)
        child = receiving.recv()
        process.join()
    print(json.dumps({"first": first, "parent": parent, "child": child}))


if __name__ == "__main__":
    main()

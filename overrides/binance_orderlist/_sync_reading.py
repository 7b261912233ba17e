"""Written by scripts/unasync.py from _async_reading.py: do not edit."""

import contextlib
from collections.abc import Callable, Iterable, Mapping

from ._responses import Answer, BodyReader, BodyTooLarge

__all__ = ["read_body"]


def read_body(
    reader: BodyReader,
    status: int,
    headers: Mapping[str, str],
    chunks: Iterable[bytes],
    whole: Callable[[], bytes] | None = None,
) -> Answer:
    """The answer, its body decoded by ``reader`` from ``chunks`` until its limit. ``whole`` reads the body at once
    when it is as sent and its Content-Length is within the limit (the transport holds it to that length); without
    it (a reader that must check a deadline between chunks) every body is read chunk by chunk."""
    if whole is not None and reader.plain_within_limit:
        return Answer(status, headers, whole())
    with contextlib.suppress(BodyTooLarge):
        for chunk in chunks:
            reader.feed(chunk)
    return reader.answer(status, headers)

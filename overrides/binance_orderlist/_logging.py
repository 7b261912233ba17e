"""Debug logging behind ``BINANCE_ORDERLIST_LOG``, and redaction of signatures from every log record.

httpx logs each request's full URL at INFO level, and our URLs end in ``signature=``: a filter on
the httpx and httpcore loggers rewrites such records before any handler sees them.
"""

import logging
import os
import re

__all__ = ["logger", "redact"]

logger = logging.getLogger("binance_orderlist")

_SIGNATURE = re.compile(r"(signature=)[^&\s'\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with every signature value replaced."""
    return _SIGNATURE.sub(r"\1<redacted>", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def _install() -> None:
    for name in ("httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy", logger.name):
        target = logging.getLogger(name)
        if not any(isinstance(existing, RedactingFilter) for existing in target.filters):
            target.addFilter(RedactingFilter())
    level = os.environ.get("BINANCE_ORDERLIST_LOG", "").strip().upper()
    if level in ("DEBUG", "INFO", "WARNING", "ERROR") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)


_install()

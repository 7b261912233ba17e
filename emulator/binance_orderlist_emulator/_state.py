"""Everything the emulator remembers between requests, and the way back to how it started."""

from ._config import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorConfig, ResponseVersion
from ._faults import FaultBook
from ._orders import OrderLists, QueryLag
from ._rate_limits import RateLimitSettings, WeightLimiter
from ._request_log import RequestLog
from ._signatures import ApiKey, HmacKey
from ._timing import EmulatorClock


class EmulatorState:
    """One emulator's order lists, keys, clock, faults, limits and request log.

    Requests are handled on one event loop without awaiting in between, so each one sees and
    changes the state alone.
    """

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.reset()

    def reset(self) -> None:
        """Back to the start: the seed list only, the default key only, no faults, no clock shift, no query lag,
        empty log."""
        self.clock = EmulatorClock()
        self.order_lists = OrderLists.with_seed_example(self.clock.now_us())
        self.query_lag = QueryLag()
        self.api_keys: dict[str, ApiKey] = {DEFAULT_HMAC_API_KEY: HmacKey(DEFAULT_HMAC_SECRET_KEY)}
        self.faults = FaultBook()
        self.limiter = WeightLimiter(RateLimitSettings(self.config.weight_limit_per_minute, self.config.ban_seconds))
        self.request_log = RequestLog(enabled=self.config.request_log)
        self.response_version: ResponseVersion = self.config.response_version

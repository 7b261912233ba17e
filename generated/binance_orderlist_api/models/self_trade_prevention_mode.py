from enum import StrEnum


class SelfTradePreventionMode(StrEnum):
    """Forward-compatible: a value Binance adds later becomes a pseudo-member that keeps the raw string.

    Check ``value.is_known`` (False for such values) instead of catching ``ValueError``.
    """

    DECREMENT = "DECREMENT"
    EXPIRE_BOTH = "EXPIRE_BOTH"
    EXPIRE_MAKER = "EXPIRE_MAKER"
    EXPIRE_TAKER = "EXPIRE_TAKER"
    NONE = "NONE"
    TRANSFER = "TRANSFER"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether this value is one the API description lists."""
        return self._name_ in type(self).__members__

    @classmethod
    def _missing_(cls, value: object) -> "SelfTradePreventionMode | None":
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = f"UNKNOWN({value})"
        pseudo_member._value_ = value
        return pseudo_member

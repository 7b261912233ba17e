from enum import StrEnum


class OrderStatus(StrEnum):
    """Forward-compatible: a value Binance adds later becomes a pseudo-member that keeps the raw string.

    Check ``value.is_known`` (False for such values) instead of catching ``ValueError``.
    """

    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"
    EXPIRED_IN_MATCH = "EXPIRED_IN_MATCH"
    FILLED = "FILLED"
    NEW = "NEW"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    PENDING_CANCEL = "PENDING_CANCEL"
    PENDING_NEW = "PENDING_NEW"
    REJECTED = "REJECTED"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether this value is one the API description lists."""
        return self._name_ in type(self).__members__

    @classmethod
    def _missing_(cls, value: object) -> "OrderStatus | None":
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = f"UNKNOWN({value})"
        pseudo_member._value_ = value
        return pseudo_member

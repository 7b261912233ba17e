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
    def from_value(cls, value: object, place: str) -> "OrderStatus":
        """The member for a JSON value, which must be a string (else a TypeError naming ``place``); the listed
        values are found by a dictionary lookup, which costs a third of ``cls(value)``."""
        if type(value) is not str:
            raise TypeError(f"{place}: expected str, got {type(value).__name__}")
        member = cls._value2member_map_.get(value)
        return member if isinstance(member, cls) else cls(value)

    @classmethod
    def _missing_(cls, value: object) -> "OrderStatus | None":
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = f"UNKNOWN({value})"
        pseudo_member._value_ = value
        return pseudo_member

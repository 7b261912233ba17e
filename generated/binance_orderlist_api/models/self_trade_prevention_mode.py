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
    def from_value(cls, value: object, place: str) -> "SelfTradePreventionMode":
        """The member for a JSON value, which must be a string (else a TypeError naming ``place``); the listed
        values are found by a dictionary lookup, which costs a third of ``cls(value)``."""
        if type(value) is not str:
            raise TypeError(f"{place}: expected str, got {type(value).__name__}")
        member = cls._value2member_map_.get(value)
        return member if isinstance(member, cls) else cls(value)

    @classmethod
    def _missing_(cls, value: object) -> "SelfTradePreventionMode | None":
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = f"UNKNOWN({value})"
        pseudo_member._value_ = value
        return pseudo_member

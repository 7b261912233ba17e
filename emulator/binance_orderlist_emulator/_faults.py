"""Fault injection: what a real Binance (or the network in front of it) does on a bad day.

A fault is picked by the next requests it matches. It either stands in for the server (5XX, WAF,
forced 429/418), or lets the endpoint run (so the cancel really happens) and spoils the reply.
"""

import copy
import dataclasses
import typing
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar, Protocol

from binance_orderlist_api.operations import API_ERRORS, TIMEOUT

from ._rate_limits import DEFAULT_WEIGHT_PER_MINUTE, banned_until, too_much_weight
from ._replies import HTML, EndpointResult, Outcome, Reply, html_page, json_bytes


class FaultKind(StrEnum):
    SERVER_ERROR_JSON = "server_error_json"
    SERVER_ERROR_HTML = "server_error_html"
    SERVER_ERROR_EMPTY = "server_error_empty"
    BACKEND_TIMEOUT = "backend_timeout"
    WAF_FORBIDDEN = "waf_forbidden"
    RATE_LIMITED = "rate_limited"
    IP_BANNED = "ip_banned"
    MALFORMED_JSON = "malformed_json"
    TRUNCATED_JSON = "truncated_json"
    SLOW_RESPONSE = "slow_response"
    DROPPED_CONNECTION = "dropped_connection"
    UNKNOWN_ENUM_VALUES = "unknown_enum_values"
    EXTRA_FIELDS = "extra_fields"
    MISSING_FIELD = "missing_field"


class Fault(Protocol):
    kind: ClassVar[FaultKind]

    def reply(self, outcome: Outcome) -> Reply: ...


@dataclass(frozen=True)
class _ServerError(ABC):
    """A 5XX in the server's place leaves the execution status unknown; ``apply_cancel`` decides what really
    happened."""

    status: int = 500
    apply_cancel: bool = False

    def reply(self, outcome: Outcome) -> Reply:
        if self.apply_cancel:
            outcome.result()
        return self.error_reply()

    @abstractmethod
    def error_reply(self) -> Reply: ...


@dataclass(frozen=True)
class ServerErrorJson(_ServerError):
    kind: ClassVar[FaultKind] = FaultKind.SERVER_ERROR_JSON
    code: int = -1001
    msg: str = "Internal error; unable to process your request. Please try again."

    def error_reply(self) -> Reply:
        return Reply(self.status, json_bytes({"code": self.code, "msg": self.msg}))


@dataclass(frozen=True)
class BackendTimeout(ServerErrorJson):
    kind: ClassVar[FaultKind] = FaultKind.BACKEND_TIMEOUT
    code: int = TIMEOUT
    msg: str = API_ERRORS[TIMEOUT].msg


@dataclass(frozen=True)
class ServerErrorHtml(_ServerError):
    kind: ClassVar[FaultKind] = FaultKind.SERVER_ERROR_HTML
    status: int = 502

    def error_reply(self) -> Reply:
        return Reply(self.status, html_page(self.status, "The server did not answer in time."), HTML)


@dataclass(frozen=True)
class ServerErrorEmpty(_ServerError):
    kind: ClassVar[FaultKind] = FaultKind.SERVER_ERROR_EMPTY
    status: int = 503

    def error_reply(self) -> Reply:
        return Reply(self.status, b"", None)


@dataclass(frozen=True)
class WafForbidden:
    kind: ClassVar[FaultKind] = FaultKind.WAF_FORBIDDEN

    def reply(self, outcome: Outcome) -> Reply:
        return Reply(403, html_page(403, "Request blocked by the web application firewall."), HTML)


@dataclass(frozen=True)
class RateLimited:
    kind: ClassVar[FaultKind] = FaultKind.RATE_LIMITED
    retry_after: int = 60

    def reply(self, outcome: Outcome) -> Reply:
        error = too_much_weight(DEFAULT_WEIGHT_PER_MINUTE)
        return Reply(error.http_status, json_bytes(error.body()), headers={"Retry-After": str(self.retry_after)})


@dataclass(frozen=True)
class IpBanned:
    kind: ClassVar[FaultKind] = FaultKind.IP_BANNED
    retry_after: int = 120

    def reply(self, outcome: Outcome) -> Reply:
        error = banned_until(outcome.server_time_ms + self.retry_after * 1000)
        return Reply(error.http_status, json_bytes(error.body()), headers={"Retry-After": str(self.retry_after)})


@dataclass(frozen=True)
class MalformedJson:
    """Quotes swapped for apostrophes: the length and look of the real body, but not JSON."""

    kind: ClassVar[FaultKind] = FaultKind.MALFORMED_JSON

    def reply(self, outcome: Outcome) -> Reply:
        result = outcome.result()
        return Reply(result.status, json_bytes(result.body).replace(b'"', b"'"))


@dataclass(frozen=True)
class _PartOfTheBody:
    """Faults that send only the first ``keep_fraction`` of the real body."""

    keep_fraction: float = 0.5

    def __post_init__(self) -> None:
        if not 0 <= self.keep_fraction < 1:
            raise ValueError("keep_fraction must be at least 0 and below 1")

    def kept_bytes(self, body: bytes) -> int:
        return int(len(body) * self.keep_fraction)


@dataclass(frozen=True)
class TruncatedJson(_PartOfTheBody):
    """A complete HTTP response whose JSON body stops part-way (Content-Length matches the cut body)."""

    kind: ClassVar[FaultKind] = FaultKind.TRUNCATED_JSON

    def reply(self, outcome: Outcome) -> Reply:
        whole = Reply.of(outcome.result())
        return dataclasses.replace(whole, body=whole.body[: self.kept_bytes(whole.body)])


@dataclass(frozen=True)
class SlowResponse:
    """The cancel happens at once; the response leaves ``seconds`` later (past a client's timeout)."""

    kind: ClassVar[FaultKind] = FaultKind.SLOW_RESPONSE
    seconds: float = 3.0

    def __post_init__(self) -> None:
        if self.seconds < 0:
            raise ValueError("seconds must not be negative")

    def reply(self, outcome: Outcome) -> Reply:
        return dataclasses.replace(Reply.of(outcome.result()), delay_seconds=self.seconds)


@dataclass(frozen=True)
class DroppedConnection(_PartOfTheBody):
    """The headers promise the whole body, part of it is sent, then the connection closes. The cancel happens,
    unless ``apply_cancel`` is false: then the connection breaks before Binance acts (no body byte is sent)."""

    kind: ClassVar[FaultKind] = FaultKind.DROPPED_CONNECTION
    apply_cancel: bool = True

    def reply(self, outcome: Outcome) -> Reply:
        if not self.apply_cancel:
            return Reply(200, json_bytes({}), drop_after_bytes=0)
        whole = Reply.of(outcome.result())
        return dataclasses.replace(whole, drop_after_bytes=self.kept_bytes(whole.body))


@dataclass(frozen=True)
class UnknownEnumValues:
    """Values Binance may add one day, in the list's ``contingencyType`` and every report's ``status``."""

    kind: ClassVar[FaultKind] = FaultKind.UNKNOWN_ENUM_VALUES
    contingency_type: str = "OPOCO_NEW"
    order_status: str = "SOMETHING_NEW"

    def reply(self, outcome: Outcome) -> Reply:
        def change(body: dict[str, object]) -> None:
            if "contingencyType" in body:
                body["contingencyType"] = self.contingency_type
            for report in _objects(body.get("orderReports")):
                report["status"] = self.order_status

        return _edited(outcome.result(), change)


@dataclass(frozen=True)
class ExtraFields:
    """Fields Binance may add one day, at the top level and in every order report."""

    kind: ClassVar[FaultKind] = FaultKind.EXTRA_FIELDS
    fields: dict[str, object] = field(default_factory=lambda: {"unknownField": "surprise", "unknownCount": 42})
    report_fields: dict[str, object] = field(default_factory=lambda: {"orderTag": "spring"})

    def reply(self, outcome: Outcome) -> Reply:
        def change(body: dict[str, object]) -> None:
            body |= copy.deepcopy(self.fields)
            for report in _objects(body.get("orderReports")):
                report |= copy.deepcopy(self.report_fields)

        return _edited(outcome.result(), change)


@dataclass(frozen=True)
class MissingField:
    """A required field left out: ``field`` at the top level, or ``parent.field`` in every item of a list."""

    kind: ClassVar[FaultKind] = FaultKind.MISSING_FIELD
    field: str = "orderReports"

    def reply(self, outcome: Outcome) -> Reply:
        parent, _, name = self.field.rpartition(".")

        def change(body: dict[str, object]) -> None:
            for item in _objects(body.get(parent)) if parent else [body]:
                item.pop(name, None)

        return _edited(outcome.result(), change)


_FAULT_CLASSES: dict[FaultKind, type[Fault]] = {
    fault_class.kind: fault_class
    for fault_class in (
        ServerErrorJson,
        ServerErrorHtml,
        ServerErrorEmpty,
        BackendTimeout,
        WafForbidden,
        RateLimited,
        IpBanned,
        MalformedJson,
        TruncatedJson,
        SlowResponse,
        DroppedConnection,
        UnknownEnumValues,
        ExtraFields,
        MissingField,
    )
}


def build_fault(kind: FaultKind, params: Mapping[str, object]) -> Fault:
    """The fault of that kind with those parameters; ValueError names a parameter it does not take or a wrong type."""
    fault_class = _FAULT_CLASSES[kind]
    hints = typing.get_type_hints(fault_class)
    accepted = {parameter.name for parameter in dataclasses.fields(fault_class)}  # type: ignore[arg-type]
    for name, value in params.items():
        if name not in accepted:
            raise ValueError(f"{kind} takes no parameter {name!r}; it takes {sorted(accepted)}")
        if not _fits(value, hints[name]):
            raise ValueError(f"{kind} parameter {name!r} must be of type {hints[name]}")
    return fault_class(**params)


@dataclass
class FaultRule:
    """A fault for the next ``remaining`` requests (None: until cleared) that match path and method."""

    fault_id: int
    fault: Fault
    remaining: int | None
    path: str | None
    method: str | None

    def matches(self, method: str, path: str) -> bool:
        return (self.path is None or self.path == path) and (self.method is None or self.method == method.upper())


class FaultBook:
    """The faults waiting for requests, first added first used."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._next_id = 1

    def add(
        self, fault: Fault, *, count: int | None = 1, path: str | None = None, method: str | None = None
    ) -> FaultRule:
        if count is not None and count < 1:
            raise ValueError("count must be at least 1 (or null for every matching request)")
        rule = FaultRule(self._next_id, fault, count, path, method.upper() if method else None)
        self._next_id += 1
        self._rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault that matches this request, used up by it."""
        for rule in self._rules:
            if rule.matches(method, path):
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        self._rules.remove(rule)
                return rule.fault
        return None

    def pending(self) -> list[FaultRule]:
        return list(self._rules)

    def clear(self) -> None:
        self._rules.clear()


def _edited(result: EndpointResult, change: typing.Callable[[dict[str, object]], None]) -> Reply:
    """``change`` made to the body, or to every list in it when it is an array (Query Open Order lists)."""
    body = copy.deepcopy(result.body)
    for item in _objects(body) if isinstance(body, list) else [body]:
        change(item)
    return Reply(result.status, json_bytes(body))


def _objects(value: object) -> list[dict[str, object]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _fits(value: object, hint: object) -> bool:
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    expected = typing.get_origin(hint) or hint
    return isinstance(expected, type) and isinstance(value, expected)

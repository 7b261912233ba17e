"""Python values to their wire form, checked with the generated rules before any byte is sent.

Every rule of one parameter comes from openapi.yaml through ``binance_orderlist_api.operations``
(``Parameter.problem``, the same check the emulator applies on arrival). What is written here is only
what a rule on text cannot say: which Python types each kind accepts, and how a number is rendered
(``6000.346``, never ``6e3`` or a float's binary approximation).
"""

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, NamedTuple

from binance_orderlist_api.operations import CLIENT_OPTIONS
from binance_orderlist_rules import Operation, Parameter

from .errors import RequestValidationError

__all__ = ["RecvWindow", "ValidatedCall", "client_defaults", "validate_arguments", "wire_value"]

RecvWindow = int | Decimal | str


class ValidatedCall(NamedTuple):
    """One call's parameters in their wire form, in the spec's order."""

    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]


def _without_trailing_zeros(value: Decimal) -> Decimal:
    """``value`` with no zeros after its last significant decimal, exactly: ``normalize()`` would round to the
    caller's decimal context."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # only finite values get here
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return Decimal((sign, digits, exponent))


def _decimal_text(parameter: Parameter, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise RequestValidationError(
            parameter.python_name,
            f"must be an int, Decimal or str, got {type(value).__name__} (floats are inexact: use Decimal)",
        )
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise RequestValidationError(parameter.python_name, f"must be a decimal number, got {value!r}") from None
    if not number.is_finite():
        raise RequestValidationError(parameter.python_name, f"must be a finite number, got {value!r}")
    return format(_without_trailing_zeros(number), "f")


def _text(parameter: Parameter, value: object) -> str:
    """The wire text of ``value``, or ``RequestValidationError`` when its Python type does not fit the kind."""
    if parameter.kind == "decimal":
        return _decimal_text(parameter, value)
    if parameter.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise RequestValidationError(parameter.python_name, f"must be an int, got {type(value).__name__}")
        return _integer_text(parameter, value)
    if parameter.kind == "boolean":
        if not isinstance(value, bool):
            raise RequestValidationError(parameter.python_name, f"must be a bool, got {type(value).__name__}")
        return "true" if value else "false"
    if parameter.kind == "array":
        return _array_text(parameter, value)
    if not isinstance(value, str):  # a string, or an enum: the generated StrEnum or its value
        raise RequestValidationError(parameter.python_name, f"must be a str, got {type(value).__name__}")
    return str(value)


def _integer_text(parameter: Parameter, value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits): far past any rule's bound
        raise RequestValidationError(parameter.python_name, "is too large to be a number Binance reads") from None


def _array_text(parameter: Parameter, value: object) -> str:
    """Binance's JSON array of the items' wire texts; each item is checked as the array's rule says."""
    if not isinstance(value, list | tuple):
        raise RequestValidationError(parameter.python_name, f"must be a list or tuple, got {type(value).__name__}")
    assert parameter.items is not None
    texts = []
    for index, item in enumerate(value):
        try:
            texts.append(_text(parameter.items, item))
        except RequestValidationError as error:
            raise RequestValidationError(parameter.python_name, f"item {index}: {error.rule}") from None
    return parameter.array_text(texts)


def wire_value(parameter: Parameter, value: object) -> str:
    """``value`` as it goes on the wire, after the parameter's rule from openapi.yaml accepted it."""
    text = _text(parameter, value)
    problem = parameter.problem(text)
    if problem is not None:
        raise RequestValidationError(parameter.python_name, f"{problem.rule}, got {value!r}")
    return text


def validate_arguments(
    operation: Operation[Any],
    arguments: Mapping[str, object],
    defaults: Mapping[str, str],
) -> ValidatedCall:
    """The call's parameters in wire form: ``arguments`` by Python name, ``defaults`` (the client's options,
    already in wire form) by wire name for what the caller left out."""
    plan = _plan_of(operation)
    query: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    for python_name, name, in_header, required, to_wire in plan.steps:
        value = arguments.get(python_name)
        text = defaults.get(name) if value is None else to_wire(value)
        if text is None:
            if required:
                raise RequestValidationError(python_name, "is required")
            continue
        if in_header:
            headers[name] = text
        else:
            query.append((name, text))
    if plan.required_one_of:
        sent = {name for name, _ in query} | set(headers)
        for group, names in plan.required_one_of:
            if sent.isdisjoint(group):
                several = "both" if len(names) == 2 else "several"
                raise RequestValidationError(names[0], f"either {' or '.join(names)} must be given ({several} may be)")
    return ValidatedCall(tuple(query), headers)


class _Step(NamedTuple):
    python_name: str
    name: str
    in_header: bool
    required: bool
    to_wire: Callable[[object], str]


class _Plan(NamedTuple):
    """An operation's rules arranged once for every call: the parameters callers set, and each
    ``x-required-one-of`` group with the Python names its message gives."""

    steps: tuple[_Step, ...]
    required_one_of: tuple[tuple[frozenset[str], tuple[str, ...]], ...]


_PLANS: dict[int, tuple[Operation[Any], _Plan]] = {}
"""Each operation's plan by ``id``, kept with the operation itself: while cached, no other object can get its id."""


def _plan_of(operation: Operation[Any]) -> _Plan:
    cached = _PLANS.get(id(operation))
    if cached is not None:
        return cached[1]
    steps = tuple(
        _Step(
            parameter.python_name,
            parameter.name,
            parameter.location == "header",
            parameter.required,
            partial(wire_value, parameter),
        )
        for parameter in operation.parameters
        if not parameter.signing
    )
    groups = tuple(
        (frozenset(group), tuple(operation.parameter(name).python_name for name in group))
        for group in operation.required_one_of
    )
    plan = _Plan(steps, groups)
    _PLANS[id(operation)] = (operation, plan)
    return plan


def client_defaults(options: Mapping[str, object]) -> dict[str, str]:
    """The client options that set parameters (openapi.yaml's ``x-client-option``/``x-client-default``), in wire
    form by parameter name, checked with the parameter's rule.

    A client-wide header equal to the server's own default is left out, so that a default client sends no
    X-MBX-TIME-UNIT at all.
    """
    unknown = sorted(set(options) - set(CLIENT_OPTIONS))
    if unknown:
        raise TypeError(f"unexpected client option {unknown[0]!r} (openapi.yaml's are {', '.join(CLIENT_OPTIONS)})")
    defaults = {}
    for option, parameter in CLIENT_OPTIONS.items():
        value = options.get(option)
        if value is None:
            continue
        try:
            text = wire_value(parameter, value)
        except RequestValidationError as error:
            raise RequestValidationError(option, error.rule) from None
        if parameter.per_call or text != parameter.default:
            defaults[parameter.name] = text
    return defaults

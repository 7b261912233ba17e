"""The rule classes that openapi.yaml's parameters and operations become: hand-written, generic, tested.

``make generate`` writes ``binance_orderlist_api.operations``, which holds only data: one ``Operation``
per operation of openapi.yaml with a ``Parameter`` per parameter. The client validates with these
rules before sending and the emulator checks with them on arrival, so both apply exactly the same
rule: ``Parameter.problem`` judges a value in its wire form (the text that goes in the query or a
header), and ``Parameter.read`` turns an accepted wire text into its Python value.

This package imports nothing of the others (the generated package imports it), and no name of a
parameter appears here: what a parameter allows is data. The rule classes are ``NamedTuple``s: immutable, and
the cheapest class to create at import (a frozen dataclass compiles several methods per class).
"""

import json
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, ClassVar, Generic, Literal, NamedTuple, Protocol, Self, TypeVar

__all__ = [
    "ApiError",
    "DecimalFieldsError",
    "Kind",
    "Model",
    "ModelList",
    "Operation",
    "Parameter",
    "Problem",
    "ProblemKind",
    "ResponseModel",
    "WireValue",
    "not_decimal",
]


class ResponseModel(Protocol):
    """What the generated models offer: built from the decoded JSON body, and back."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...

    def to_dict(self) -> Any: ...


Model = TypeVar("Model", bound=ResponseModel)
Item = TypeVar("Item", bound=ResponseModel)
Kind = Literal["string", "integer", "decimal", "boolean", "enum", "array"]
ProblemKind = Literal[
    "empty", "syntax", "length", "pattern", "characters", "minimum", "maximum", "precision", "enum", "items"
]
WireValue = str | int | Decimal | bool | tuple[Any, ...]
"""A parameter's Python value as a server reads it: ``str`` (strings, enums), ``int``, ``Decimal``, ``bool``, or a
tuple of item values."""

_INTEGER = re.compile(r"-?[0-9]+")
# A decimal on the wire: plain digits with an optional fraction, never exponent notation.
_DECIMAL = re.compile(r"-?[0-9]+(?:\.([0-9]+))?")
_NO_ENTRIES: Mapping[Any, Any] = MappingProxyType({})  # the default of the mapping fields, shared: read-only
_BOOLEANS = {"true": True, "false": False}


class ApiError(NamedTuple):
    """One of Binance's error codes as openapi.yaml describes it (``components.x-binance-errors``)."""

    code: int
    name: str
    """Binance's name for it (``NO_SUCH_ORDER``)."""
    msg: str
    """Binance's message; ``%s`` stands for what Binance fills in (a parameter's name)."""
    variants: Mapping[str, str] = _NO_ENTRIES
    """Binance's other messages for the same code, by what they are for."""
    error_class: str | None = None
    """The client's error class in ``binance_orderlist.errors``, where it is not plain ``BinanceAPIError``."""

    def message(self, *values: object, variant: str | None = None) -> str:
        """The message (or its ``variant``) with ``values`` filled in where Binance fills them in."""
        text = self.msg if variant is None else self.variants[variant]
        return text % values if values else text


class Problem(NamedTuple):
    """What is wrong with a value: ``kind`` for mapping it to an error code, ``rule`` for people."""

    kind: ProblemKind
    rule: str


class Parameter(NamedTuple):
    """One parameter's rule, as openapi.yaml states it (``name`` on the wire, ``python_name`` in the facade)."""

    name: str
    python_name: str
    location: Literal["query", "header"]
    kind: Kind
    required: bool
    description: str
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_source: str | None = None
    non_ascii_categories: tuple[str, ...] = ()
    non_ascii_lowercase: bool = True
    minimum: Decimal | None = None
    exclusive_minimum: Decimal | None = None
    maximum: Decimal | None = None
    exclusive_maximum: Decimal | None = None
    decimal_places: int | None = None
    enum: tuple[str, ...] = ()
    items: "Parameter | None" = None
    """An array's rule for each of its items (``kind`` string, integer or enum)."""
    min_items: int | None = None
    max_items: int | None = None
    default: str | None = None
    """The server's value (wire text) when the parameter is not sent."""
    legal_range: str | None = None
    """The range Binance quotes in its -1100 message for this parameter."""
    errors: Mapping[str, int] = _NO_ENTRIES
    """Binance's error code for a problem kind, where it is not -1100."""
    client_option: str | None = None
    """The client option that sets (or defaults) this parameter."""
    per_call: bool = True
    """An argument of the facade method; False for client options and what the signing step sets."""
    signing: bool = False
    """Set by the signing step on every attempt, never by callers (``x-signing-parameters``)."""
    older_document: "Parameter | None" = None
    """How servers of the older document read the parameter, where they differ."""

    def problem(self, text: str) -> Problem | None:
        """What breaks this rule in ``text`` (the wire form), or None when it is valid."""
        if self.kind == "enum":
            return None if text in self.enum else Problem("enum", f"must be one of {', '.join(self.enum)}")
        if not text:
            return Problem("empty", "must not be empty")
        if self.kind == "string":
            return self._string_problem(text)
        if self.kind == "boolean":
            return None if text in _BOOLEANS else Problem("syntax", "must be true or false")
        if self.kind == "array":
            return self._array_problem(text)
        if self.kind == "integer":
            if not _INTEGER.fullmatch(text):
                return Problem("syntax", "must be a whole number")
        else:
            matched = _DECIMAL.fullmatch(text)
            if not matched:
                return Problem("syntax", "must be a plain decimal number such as 6000.346 (no exponent)")
            if self.decimal_places is not None and len(matched[1] or "") > self.decimal_places:
                return Problem("precision", f"allows at most {self.decimal_places} decimal places")
        return self._bounds_problem(Decimal(text)) or self._pattern_problem(text)

    def read(self, text: str) -> WireValue:
        """The Python value of ``text``, a wire form this rule accepted (``problem`` returned None)."""
        if self.kind == "integer":
            return int(text)
        if self.kind == "decimal":
            return Decimal(text)
        if self.kind == "boolean":
            return _BOOLEANS[text]
        if self.kind == "array":
            assert self.items is not None
            return tuple(self.items.read(item) for item in self.item_texts(text))
        return text

    def array_text(self, item_texts: list[str]) -> str:
        """An array's wire form from its items' wire forms: Binance's compact JSON array, ``["BTCUSDT","BNBBTC"]``
        (strings quoted, numbers not)."""
        assert self.items is not None
        items: list[object] = list(item_texts) if self.items.kind != "integer" else [int(item) for item in item_texts]
        return json.dumps(items, separators=(",", ":"), ensure_ascii=False)

    def item_texts(self, text: str) -> list[str]:
        """An accepted array's items in their own wire form."""
        return [str(item) for item in json.loads(text)]

    def _array_problem(self, text: str) -> Problem | None:
        assert self.items is not None
        integers = self.items.kind == "integer"
        example = "[1,2]" if integers else '["BTCUSDT","BNBBTC"]'
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        item_type = int if integers else str
        if type(items) is not list or any(type(item) is not item_type for item in items):
            return Problem("syntax", f"must be a JSON array of {'integers' if integers else 'strings'}, e.g. {example}")
        fewest, most = self.min_items or 0, self.max_items
        if len(items) < fewest or (most is not None and len(items) > most):
            limit = f"{fewest}-{most}" if most is not None else f"at least {fewest}"
            return Problem("items", f"must have {limit} items")
        for index, item in enumerate(items):
            problem = self.items.problem(str(item))
            if problem is not None:
                return Problem(problem.kind, f"item {index}: {problem.rule}")
        return None

    def _string_problem(self, text: str) -> Problem | None:
        shortest, longest = self.min_length or 0, self.max_length
        if len(text) < shortest or (longest is not None and len(text) > longest):
            limit = f"{shortest}-{longest}" if longest is not None else f"at least {shortest}"
            return Problem("length", f"must be {limit} characters long")
        problem = self._pattern_problem(text)
        if problem is None and self.non_ascii_categories:
            for character in text:
                if character.isascii():
                    continue
                lower = character.islower() and not self.non_ascii_lowercase
                if lower or unicodedata.category(character) not in self.non_ascii_categories:
                    return Problem("characters", f"does not allow {character!r} (no lower case, no punctuation)")
        return problem

    def _pattern_problem(self, text: str) -> Problem | None:
        if self.pattern is None or self.pattern.search(text):
            return None
        return Problem("pattern", f"must match {self.legal_range or self.pattern_source}")

    def _bounds_problem(self, value: Decimal) -> Problem | None:
        if self.minimum is not None and value < self.minimum:
            return Problem("minimum", f"must be at least {self.minimum}")
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            return Problem("minimum", f"must be greater than {self.exclusive_minimum}")
        if self.maximum is not None and value > self.maximum:
            return Problem("maximum", f"must be at most {self.maximum}")
        if self.exclusive_maximum is not None and value >= self.exclusive_maximum:
            return Problem("maximum", f"must be less than {self.exclusive_maximum}")
        return None


class Operation(NamedTuple, Generic[Model]):
    """One operation: where it is, how it is signed and weighed, its parameters and its typed result."""

    operation_id: str
    python_name: str
    method: str
    path: str
    summary: str
    signed: bool
    weight: int | None
    weight_on_success: int | None
    parameters: tuple[Parameter, ...]
    required_one_of: tuple[tuple[str, ...], ...]
    """Groups of parameter names of which at least one must be sent (``x-required-one-of``)."""
    error_codes: Mapping[int, str]
    """The error codes openapi.yaml documents for this operation, with their messages."""
    response_model: type[Model]

    def parameter(self, name: str) -> Parameter:
        """The rule of the parameter called ``name`` on the wire."""
        return next(parameter for parameter in self.parameters if parameter.name == name)

    def read(self, wire: Mapping[str, str]) -> dict[str, Any]:
        """Each parameter's Python value by its ``python_name``, from wire texts by wire name that the rules
        accepted; None for one not sent."""
        return {
            parameter.python_name: None if (text := wire.get(parameter.name)) is None else parameter.read(text)
            for parameter in self.parameters
        }


def not_decimal(text: str) -> bool:
    """Whether a field given ``format: decimal`` holds a string that is not a finite decimal number (as ``Decimal``
    reads it, with no context involved). The generated ``from_dict`` asks it of each such field as it reads it."""
    try:
        return not Decimal(text).is_finite()
    except InvalidOperation:
        return True


class DecimalFieldsError(ValueError):
    """Raised by a generated ``from_dict`` once every field is read and of its type: each ``format: decimal``
    field that is not a decimal number, with its place (``".order_reports[1].price: not a decimal number: 'x'"``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ModelList(list[Item]):
    """A JSON array of generated models (a named array schema of openapi.yaml, for which the generator makes no
    class), read and written as the models are; a subclass names its ``item_model``."""

    item_model: ClassVar[type[Any]]

    @classmethod
    def from_dict(cls, src_dict: Any) -> Self:
        """From the decoded JSON array (named as the models' method is, so the client reads both alike); strict as
        the models are: each item must be a JSON object, and a problem in one is a TypeError naming its place."""
        items = cls()
        wrong: list[str] = []
        for index, item in enumerate(src_dict):
            if type(item) is not dict:
                raise TypeError(f"[{index}]: expected an object, got {type(item).__name__}")
            try:
                items.append(cls.item_model.from_dict(item))
            except TypeError as error:
                raise TypeError(f"[{index}]{error}") from None
            except DecimalFieldsError as error:
                wrong.extend(f"[{index}]{problem}" for problem in error.problems)
        if wrong:
            raise DecimalFieldsError(wrong)
        return items

    def to_dict(self) -> list[dict[str, Any]]:
        return [item.to_dict() for item in self]

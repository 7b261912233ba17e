"""Finds where our code uses a private name of a third-party package, by reading it (``ast``), not running it.

A use is:

- an import of a private module of a third-party package (``import httpx._urlparse``,
  ``from httpx._transports.default import ...``), or a private name imported from one
  (``from aiohttp.client import _RequestContextManager``);
- an attribute ``._name`` (one leading underscore, not a dunder) read or written on a value that comes
  from a third-party package: a module or name imported from one, a parameter annotated with one of its
  types, a variable or ``self`` attribute assigned from one (``self._transport = httpx.HTTPTransport()``,
  then ``self._transport._pool``), followed through further attribute reads;
- an attribute ``._name`` that our code never defines (no class, function, parameter, variable or
  attribute of ours has that name) on a value whose origin cannot be told, such as
  ``self._sender._transport_for_url``: a private name is only ever ours or someone else's;
- in a Jinja template, any ``._name`` inside ``{{ }}`` or ``{% %}``: those expressions only see the
  generator's objects (openapi-python-client's), never ours.

The standard library is not a third-party package: a private name on a value that plainly comes from it
(``os._exit``, rooted in ``import os``) is not reported; one on a value of unknown origin is, like any other,
unless listed in ``ALLOWED`` with the reason (the generated enums' ``cls._value2member_map_``).
"""

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

OURS = frozenset(
    {"binance_orderlist", "binance_orderlist_api", "binance_orderlist_emulator", "tests", "bench", "scripts"}
)
"""Top-level packages of this repository (and relative imports)."""

ALLOWED: dict[str, str] = {
    # enum (stdlib, not third-party): the generated enums (templates/str_enum.py.jinja) make forward-compatible
    # pseudo-members with Enum's documented "_sunder_" attributes, and look values up in the map Enum's own
    # lookup uses (_value2member_map_: a stdlib internal, stable since Python 3.4, measured faster than cls(value)).
    "_name_": "enum's documented sunder attribute",
    "_value_": "enum's documented sunder attribute",
    "_value2member_map_": "enum's value lookup, for the generated enums' from_value",
}
"""Private-looking names that may be used anywhere, each with why: stdlib and documented names only."""

ALLOWED_USES: dict[tuple[str, str], str] = {
    # python-binance has no spot cancel-order-list method (1.0.37); a user of it calls _delete, which its own
    # methods call. Only the benchmark's and the interop test's peer drivers do, never the library.
    ("bench/clients.py", "_delete"): "python-binance's only way to DELETE /api/v3/orderList",
    ("tests/interop/drivers/python_binance.py", "_delete"): "python-binance's only way to DELETE /api/v3/orderList",
}
"""Third-party private names one file may use, each with why (peers' clients driven as their users must)."""

_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_JINJA_PRIVATE = re.compile(r"\.(_[A-Za-z0-9]\w*)")


@dataclass(frozen=True)
class Use:
    path: str
    line: int
    text: str
    name: str
    """The private name used."""

    @property
    def allowed(self) -> bool:
        return (self.path, self.name) in ALLOWED_USES

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in ALLOWED


def _third_party(module: str | None) -> bool:
    """Whether an absolute import of ``module`` is of a third-party package (not ours, not the stdlib)."""
    if not module:
        return False
    top = module.partition(".")[0]
    return top not in OURS and top not in sys.stdlib_module_names


def _stdlib(module: str | None) -> bool:
    return bool(module) and (module or "").partition(".")[0] in sys.stdlib_module_names


def _rooted_in(node: ast.expr, names: set[str]) -> bool:
    root = _root(node)
    return isinstance(root, ast.Name) and root.id in names


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _dotted(node: ast.expr) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - every parsed expression unparses
        return "<expression>"


def defined_names(trees: Iterable[ast.Module]) -> set[str]:
    """Every name our code defines: classes, functions, parameters, variables, attributes assigned, imports."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).partition(".")[0])
                if node.asname is None:
                    names.update(node.name.split("."))
            elif isinstance(node, ast.ImportFrom) and node.level > 0 and node.module:
                names.update(node.module.split("."))  # our own private modules (from ._client import ...)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
    return names


class _Scanner(ast.NodeVisitor):
    """One module: which names hold third-party values in each scope, and every private name used on them."""

    def __init__(self, path: str, ours: set[str]) -> None:
        self.path = path
        self.ours = ours
        self.uses: list[Use] = []
        self.foreign: set[str] = set()
        """Names of the current scope bound to a third-party module, name or value (flow-insensitive)."""
        self.foreign_attributes: set[str] = set()
        """``self.<name>`` attributes assigned a third-party value anywhere in the module."""
        self.stdlib: set[str] = set()
        """Names bound to a standard-library module or name (``os._exit`` is the stdlib's business)."""

    def report(self, node: ast.AST, name: str, text: str) -> None:
        self.uses.append(Use(self.path, getattr(node, "lineno", 0), text, name))

    def from_third_party(self, node: ast.expr | None) -> bool:
        if node is None:
            return False
        if isinstance(node, ast.Constant):  # a string annotation: "httpx.AsyncClient"
            return isinstance(node.value, str) and _annotation_from(node.value, self)
        current = node
        while isinstance(current, ast.Attribute | ast.Call | ast.Subscript):
            inner = current.func if isinstance(current, ast.Call) else current.value
            if isinstance(inner, ast.Name) and inner.id == "self":
                return isinstance(current, ast.Attribute) and current.attr in self.foreign_attributes
            current = inner
        if isinstance(current, ast.Name):
            return current.id in self.foreign
        return any(self.from_third_party(part) for part in _parts(current))

    def learn(self, statements: list[ast.stmt], arguments: ast.arguments | None = None) -> None:
        """Adds the names ``statements`` (a module's or a function's body) bind to third-party values, until
        nothing new is learnt (assignments can come in any order)."""
        scope = [node for statement in statements for node in _walk_scope(statement)]
        for node in scope:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.partition(".")[0]
                    if _third_party(alias.name):
                        self.foreign.add(bound)
                    elif _stdlib(alias.name):
                        self.stdlib.add(bound)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = {alias.asname or alias.name for alias in node.names}
                if _third_party(node.module):
                    self.foreign.update(names)
                elif _stdlib(node.module):
                    self.stdlib.update(names)
        parameters = [] if arguments is None else [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        parameters += [] if arguments is None else [a for a in (arguments.vararg, arguments.kwarg) if a]
        while True:
            before = len(self.foreign)
            for parameter in parameters:
                if self.from_third_party(parameter.annotation):
                    self.foreign.add(parameter.arg)
            for node in scope:
                if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr | ast.withitem | ast.For):
                    targets, value = _binding(node)
                    if self.from_third_party(value) or (
                        isinstance(node, ast.AnnAssign) and self.from_third_party(node.annotation)
                    ):
                        for target in targets:
                            self.bind(target)
            if len(self.foreign) == before:
                return

    def bind(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.foreign.add(target.id)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            self.foreign_attributes.add(target.attr)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self.foreign
        self.foreign = set(outer)
        self.learn(node.body, node.args)
        self.generic_visit(node)
        self.foreign = outer

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = ast.NodeVisitor.generic_visit

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            for part in alias.name.split("."):
                if _third_party(alias.name) and _private(part):
                    self.report(node, part, f"import {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and _third_party(node.module):
            assert node.module is not None
            for part in node.module.split("."):
                if _private(part):
                    self.report(node, part, f"from {node.module} import ...")
            for alias in node.names:
                if _private(alias.name):
                    self.report(node, alias.name, f"from {node.module} import {alias.name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if _private(node.attr):
            if self.from_third_party(node.value):
                self.report(node, node.attr, f"{_dotted(node)}: a private name on a third-party value")
            elif node.attr not in self.ours and not _rooted_in(node.value, self.stdlib):
                self.report(node, node.attr, f"{_dotted(node)}: {node.attr} is defined nowhere in our code")
        self.generic_visit(node)


def _walk_scope(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and what it contains, without entering nested functions (their own scopes)."""
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk_scope(child)


def _annotation_from(text: str, scanner: _Scanner) -> bool:
    try:
        expression = ast.parse(text, mode="eval").body
    except SyntaxError:
        return False
    return not isinstance(expression, ast.Constant) and scanner.from_third_party(expression)


def _parts(node: ast.expr) -> Iterator[ast.expr]:
    """The sub-expressions a value may come from: both sides of ``a or b``, ``a if c else b``, ``X | Y``."""
    if isinstance(node, ast.BoolOp):
        yield from node.values
    elif isinstance(node, ast.IfExp):
        yield from (node.body, node.orelse)
    elif isinstance(node, ast.BinOp):
        yield from (node.left, node.right)
    elif isinstance(node, ast.Await):
        yield node.value


def _binding(node: ast.AST) -> tuple[list[ast.expr], ast.expr | None]:
    if isinstance(node, ast.Assign):
        return node.targets, node.value
    if isinstance(node, ast.AnnAssign | ast.NamedExpr):
        return [node.target], node.value
    if isinstance(node, ast.withitem):
        return ([node.optional_vars] if node.optional_vars is not None else []), node.context_expr
    assert isinstance(node, ast.For)
    return [node.target], node.iter


def scan_sources(sources: dict[str, str], ours: set[str] | None = None) -> list[Use]:
    """Every use in ``sources`` (path -> Python source); ``ours`` defaults to the names these sources define."""
    trees = {path: ast.parse(source, filename=path) for path, source in sources.items()}
    known = defined_names(trees.values()) if ours is None else ours
    uses: list[Use] = []
    for path, tree in trees.items():
        scanner = _Scanner(path, known)
        scanner.learn(tree.body)
        module_names = scanner.foreign
        for _ in range(2):  # self.<name> = <third-party value> in any method, used in any other
            for function in ast.walk(tree):
                if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    scanner.foreign = set(module_names)
                    scanner.learn(function.body, function.args)
        scanner.foreign = module_names
        scanner.visit(tree)
        uses += scanner.uses
    return uses


def scan_template(path: str, text: str) -> list[Use]:
    uses = []
    for expression in _JINJA_EXPRESSION.finditer(text):
        line = text.count("\n", 0, expression.start()) + 1
        uses += [
            Use(path, line, f"{expression.group()}: {name} on the generator's object", name)
            for name in _JINJA_PRIVATE.findall(expression.group())
            if _private(name)
        ]
    return uses

"""What ``make generate`` cannot turn into rules it refuses by name: one line naming the construct and its place
in openapi.yaml, a non-zero exit, nothing written, never a traceback and never a silent drop (golden record).

Each case breaks a scratch copy of openapi.yaml in one way and runs ``make generate`` on it.
"""

import copy
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, load_spec

Spec = dict[str, Any]
CANCEL = ("/api/v3/orderList", "delete")


def cancel(spec: Spec) -> Spec:
    operation: Spec = spec["paths"][CANCEL[0]][CANCEL[1]]
    return operation


def add_parameter(**parameter: Any) -> Callable[[Spec], None]:
    return lambda spec: cancel(spec)["parameters"].append({"name": "extra", "required": False, **parameter})


def set_in_cancel(key: str, value: Any) -> Callable[[Spec], None]:
    return lambda spec: cancel(spec).__setitem__(key, value)


def path_item(key: str, value: Any) -> Callable[[Spec], None]:
    return lambda spec: spec["paths"][CANCEL[0]].__setitem__(key, value)


def new_path(path: str, item: Spec) -> Callable[[Spec], None]:
    return lambda spec: spec["paths"].__setitem__(path, item)


def without(key: str) -> Callable[[Spec], None]:
    return lambda spec: cancel(spec).pop(key)


STRING = {"type": "string"}
BODY = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}
CASES: dict[str, tuple[Callable[[Spec], None], str]] = {
    "request body": (
        set_in_cancel("requestBody", BODY),
        "paths./api/v3/orderList.delete: operation field 'requestBody' is not supported",
    ),
    "cookie parameter": (
        add_parameter(**{"in": "cookie", "schema": STRING}),
        "paths./api/v3/orderList.delete.parameters[7] (extra): cookie parameters are not supported",
    ),
    "path parameter": (
        add_parameter(**{"in": "path", "schema": STRING}),
        "paths./api/v3/orderList.delete.parameters[7] (extra): path parameters are not supported",
    ),
    "path template": (
        new_path("/api/v3/orderList/{id}", {}),
        "paths./api/v3/orderList/{id}: path templates are not supported",
    ),
    "path-level parameters": (
        path_item("parameters", [{"name": "x", "in": "query", "schema": STRING}]),
        "paths./api/v3/orderList.parameters: path-level parameters are not supported",
    ),
    "head method": (path_item("head", {}), "paths./api/v3/orderList.head: method 'head' is not supported"),
    "trace method": (path_item("trace", {}), "paths./api/v3/orderList.trace: method 'trace' is not supported"),
    "unknown type": (
        add_parameter(**{"in": "query", "schema": {"type": "object"}}),
        'parameters[7] (extra).schema: type "object" is not supported',
    ),
    "OpenAPI 3.1 type list": (
        add_parameter(**{"in": "query", "schema": {"type": ["string", "null"]}}),
        'parameters[7] (extra).schema: a type list ["string", "null"] is not supported',
    ),
    "schema keyword it does not check": (
        add_parameter(**{"in": "query", "schema": {"type": "integer", "multipleOf": 5}}),
        "parameters[7] (extra).schema: schema keyword 'multipleOf' is not supported",
    ),
    "parameter serialization": (
        add_parameter(**{"in": "query", "schema": STRING, "explode": False}),
        "parameters[7] (extra): parameter field 'explode' is not supported",
    ),
    "operation without a 200 response": (
        lambda spec: cancel(spec)["responses"].pop("200"),
        "paths./api/v3/orderList.delete.responses: an operation needs a 200 response",
    ),
    "operation without an operationId": (
        without("operationId"),
        "paths./api/v3/orderList.delete: an operation needs an operationId",
    ),
    "undescribed error code": (
        set_in_cancel("x-error-codes", [-9999]),
        "paths./api/v3/orderList.delete.x-error-codes: -9999 is not described in components.x-binance-errors",
    ),
    "a shape no check foresaw (the safety net)": (
        add_parameter(**{"in": "query", "schema": STRING, "x-non-ascii": ["Lu"]}),
        "cannot be read here (AttributeError: 'list' object has no attribute 'get'); please report it",
    ),
    "reference to nothing": (
        add_parameter(**{"in": "query", "schema": {"$ref": "#/components/schemas/Missing"}}),
        "$ref '#/components/schemas/Missing' points to nothing",
    ),
}


def repository_state() -> str:
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, check=True, capture_output=True, text=True)
    return status.stdout + subprocess.run(["git", "diff"], cwd=ROOT, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def state_before() -> str:
    return repository_state()


@pytest.mark.parametrize("construct", list(CASES))
def test_make_generate_refuses_it_in_one_line_naming_its_place(
    construct: str, tmp_path: Path, state_before: str
) -> None:
    break_it, message = CASES[construct]
    spec = copy.deepcopy(load_spec())
    break_it(spec)
    spec_path = tmp_path / "openapi.yaml"
    spec_path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    package = tmp_path / "binance_orderlist_api"
    result = subprocess.run(
        ["make", "--no-print-directory", "generate", f"SPEC={spec_path}", f"GENERATED_PACKAGE={package}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert ours == [f"{spec_path}: {ours[0].split(': ', 1)[1]}"], result.stderr  # one line, naming the file
    assert message in ours[0], ours[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert not package.exists(), "a refused spec must not leave a generated package behind"
    assert repository_state() == state_before

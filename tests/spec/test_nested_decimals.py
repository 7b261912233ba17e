"""The model templates on a spec of their own: a decimal two models deep, and nested models without one.

openapi.yaml nests decimals one model deep only; here a model reads a list of models that each read the model
with the decimal, so whether a reader gathers DecimalFieldsError must be decided through the whole tree. The
schemas are written outer first (``sort_keys=False``): openapi-python-client then meets Middle inside Outer before
it has read Middle's own properties, which a walk of the property tree must not take for "no nested models".
"""

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from binance_orderlist_rules import DecimalFieldsError

from .conftest import ROOT

VENV_BIN = Path(sys.executable).parent
SCHEMAS = {
    "Decimal": {"type": "string", "format": "decimal"},
    "Outer": {
        "type": "object",
        "required": ["middles"],
        "properties": {"middles": {"type": "array", "items": {"$ref": "#/components/schemas/Middle"}}},
    },
    "Middle": {
        "type": "object",
        "required": ["inner"],
        "properties": {"inner": {"$ref": "#/components/schemas/Inner"}},
    },
    "Inner": {
        "type": "object",
        "required": ["price"],
        "properties": {"price": {"$ref": "#/components/schemas/Decimal"}},
    },
    "Holder": {
        "type": "object",
        "required": ["items", "item"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "item": {"$ref": "#/components/schemas/Item"},
        },
    },
    "Item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
}


def answer(schema: str) -> dict[str, object]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {"operationId": f"get{schema}", "responses": {"200": {"description": "ok", "content": content}}}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "nested decimals", "version": "1"},
        "paths": {"/outer": {"get": answer("Outer")}, "/holder": {"get": answer("Holder")}},
        "components": {"schemas": SCHEMAS},
    }
    directory = tmp_path_factory.mktemp("nested")
    (directory / "spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    (directory / "config.yml").write_text("package_name_override: nested_decimals_api\npost_hooks: []\n")
    command = [str(VENV_BIN / "openapi-python-client"), "generate", "--path", "spec.yaml", "--config", "config.yml"]
    command += [
        "--custom-template-path",
        str(ROOT / "templates"),
        "--meta",
        "none",
        "--output-path",
        "nested_decimals_api",
    ]
    subprocess.run(command, cwd=directory, check=True, capture_output=True)
    sys.path.insert(0, str(directory))
    try:
        yield "nested_decimals_api.models"
    finally:
        sys.path.remove(str(directory))
        for name in [name for name in sys.modules if name.partition(".")[0] == "nested_decimals_api"]:
            del sys.modules[name]


def test_a_decimal_two_models_deep_is_named_with_its_place(package: str) -> None:
    models = importlib.import_module(package)
    good = {"inner": {"price": "1.5"}}
    with pytest.raises(DecimalFieldsError) as raised:
        models.Outer.from_dict({"middles": [{"inner": {"price": "x"}}, good, {"inner": {"price": "1e"}}]})
    assert [problem.split(":")[0] for problem in raised.value.problems] == [
        ".middles[0].inner.price",
        ".middles[2].inner.price",
    ]
    assert models.Outer.from_dict({"middles": [good]}).middles[0].inner.price == "1.5"


def test_nested_models_without_decimals_gather_nothing(package: str) -> None:
    models = importlib.import_module(package)
    source = Path(str(models.__file__)).parent
    assert "DecimalFieldsError" not in (source / "holder.py").read_text() + (source / "item.py").read_text()
    holder: dict[str, object] = {"items": [{"id": 1}, {"id": 2}], "item": {"id": 3}}
    assert models.Holder.from_dict(holder).to_dict() == holder

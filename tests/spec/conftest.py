"""The spec, its seed documents and a response validator, shared by the spec tests."""

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_core import OpenAPI

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


@functools.cache
def load_spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return loaded


@pytest.fixture
def spec() -> dict[str, Any]:
    return load_spec()


@pytest.fixture(scope="session")
def openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(ROOT / "openapi.yaml"))


def seed_example(prefix: str) -> dict[str, Any]:
    """The JSON response example of one seed document (000_ is the newer page, 001_ the older)."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    start = text.index("{", text.index("Response:"))
    body, _ = json.JSONDecoder().raw_decode(re.sub(r"\s+", " ", text[start:]))
    assert isinstance(body, dict)
    return body

"""generator-config.yml uses only keys the pinned generator knows: it ignores unknown keys silently."""

from pathlib import Path

import yaml
from openapi_python_client.config import ConfigFile

ROOT = Path(__file__).resolve().parents[2]


def test_every_config_key_is_known_to_the_generator() -> None:
    config = yaml.safe_load((ROOT / "generator-config.yml").read_text())
    assert set(config) <= set(ConfigFile.model_fields)


def test_post_hooks_are_isolated_from_the_projects_ruff_settings() -> None:
    config = ConfigFile.load_from_path(ROOT / "generator-config.yml")
    assert config.post_hooks is not None
    assert all("--isolated" in hook for hook in config.post_hooks if hook.startswith("ruff"))
    assert "touch py.typed" in config.post_hooks


def test_generated_package_is_typed() -> None:
    assert (ROOT / "generated" / "binance_orderlist_api" / "py.typed").exists()
    assert (ROOT / "overrides" / "binance_orderlist" / "py.typed").exists()

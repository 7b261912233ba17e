"""scripts/publish.py refuses every way of publishing somewhere other than an internal index, before twine runs.

Uploading to a real index (and the refusal of a second upload of one version) is in
test_index_end_to_end.py.
"""

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from twine.utils import DEFAULT_REPOSITORY, TEST_REPOSITORY

from scripts import publish

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = "https://packages.internal.example/upload/"
CREDENTIALS = {"TWINE_USERNAME": "publisher", "TWINE_PASSWORD": "s3cret-publisher-password"}
PUBLIC_HOST = urlsplit(DEFAULT_REPOSITORY).hostname or ""
PUBLIC_DOMAIN = PUBLIC_HOST.split(".", 1)[1]


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "binance_orderlist-0.1.0-py3-none-any.whl").write_bytes(b"wheel")
    (tmp_path / "binance_orderlist-0.1.0.tar.gz").write_bytes(b"sdist")
    return tmp_path


@pytest.fixture
def twine_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every command publish.py would run; a refusal must leave it empty."""
    calls: list[list[str]] = []

    def fake_run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, stdout="Uploading ... done\n", stderr="")

    monkeypatch.setattr(subprocess, "run", fake_run)
    return calls


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "   ",
        DEFAULT_REPOSITORY,
        DEFAULT_REPOSITORY.rstrip("/"),
        DEFAULT_REPOSITORY.upper(),
        TEST_REPOSITORY,
        f"https://{PUBLIC_DOMAIN}/simple/",
        f"https://{PUBLIC_HOST}./legacy/",
        f"https://{PUBLIC_HOST}:443/other/path/",
    ],
)
def test_no_internal_url_means_no_upload(
    url: str | None, dist: Path, twine_calls: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    environ = dict(CREDENTIALS) if url is None else {**CREDENTIALS, "TWINE_REPOSITORY_URL": url}
    assert publish.main([str(dist)], environ) == publish.EXIT_REFUSED
    error = capsys.readouterr().err
    assert error.startswith("publish: refused: TWINE_REPOSITORY_URL ")
    assert twine_calls == []


@pytest.mark.parametrize(
    ("environ", "fragment"),
    [
        ({"TWINE_REPOSITORY_URL": "ftp://packages.internal.example/"}, "http(s) URL"),
        (
            {"TWINE_REPOSITORY_URL": "https://publisher:hunter2@packages.internal.example/"},
            "must not embed credentials",
        ),
        ({"TWINE_REPOSITORY_URL": INTERNAL, "TWINE_USERNAME": ""}, "TWINE_USERNAME is not set"),
        ({"TWINE_REPOSITORY_URL": INTERNAL, "TWINE_PASSWORD": ""}, "TWINE_PASSWORD is not set"),
    ],
)
def test_unusable_settings_are_refused_without_echoing_secrets(
    environ: dict[str, str], fragment: str, dist: Path, twine_calls: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish.main([str(dist)], {**CREDENTIALS, **environ}) == publish.EXIT_REFUSED
    error = capsys.readouterr().err
    assert fragment in error
    assert "hunter2" not in error
    assert CREDENTIALS["TWINE_PASSWORD"] not in error
    assert twine_calls == []


def test_an_empty_dist_is_refused(
    tmp_path: Path, twine_calls: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish.main([str(tmp_path)], {**CREDENTIALS, "TWINE_REPOSITORY_URL": INTERNAL}) == publish.EXIT_REFUSED
    assert "make build" in capsys.readouterr().err
    assert twine_calls == []


def test_an_internal_index_gets_every_distribution_and_nothing_else(
    dist: Path, twine_calls: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    environ = {**CREDENTIALS, "TWINE_REPOSITORY_URL": INTERNAL, "TWINE_REPOSITORY": "pypi"}
    assert publish.main([str(dist)], environ) == 0
    (command,) = twine_calls
    assert command[:4] == [sys.executable, "-m", "twine", "upload"]
    assert command[command.index("--repository-url") + 1] == INTERNAL
    assert "--non-interactive" in command
    assert sorted(Path(argument).name for argument in command if argument.startswith(str(dist))) == [
        "binance_orderlist-0.1.0-py3-none-any.whl",
        "binance_orderlist-0.1.0.tar.gz",
    ]
    assert CREDENTIALS["TWINE_PASSWORD"] not in " ".join(command)
    assert CREDENTIALS["TWINE_PASSWORD"] not in capsys.readouterr().out


def test_twine_output_is_masked_and_a_duplicate_version_is_explained(
    dist: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    password = CREDENTIALS["TWINE_PASSWORD"]

    def conflicting_run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        output = f"ERROR HTTPError: 409 Conflict from {INTERNAL} (debug: password={password})\n"
        return subprocess.CompletedProcess(command, 1, stdout="", stderr=output)

    monkeypatch.setattr(subprocess, "run", conflicting_run)
    assert publish.main([str(dist)], {**CREDENTIALS, "TWINE_REPOSITORY_URL": INTERNAL}) == publish.EXIT_UPLOAD_FAILED
    captured = capsys.readouterr()
    assert password not in captured.out + captured.err
    assert "password=********" in captured.err
    assert "already has this version" in captured.err


def test_the_script_refuses_when_run_as_make_publish_runs_it(tmp_path: Path) -> None:
    environment = {"PATH": "/usr/bin:/bin", **CREDENTIALS}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "publish.py"), str(tmp_path)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == publish.EXIT_REFUSED
    assert "TWINE_REPOSITORY_URL is not set" in result.stderr

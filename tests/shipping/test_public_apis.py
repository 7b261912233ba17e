"""Only public APIs of our dependencies (issue 18): no module of ours uses a private name of a third-party package.

The scan (``private_names``) reads the library, the generated package, the emulator, the templates, the scripts,
the benchmark and these tests. Its allow-lists are short and say why; the unit tests below prove it finds each
private use that issue 18 removed.
"""

from pathlib import Path

import pytest

from .private_names import ALLOWED, ALLOWED_USES, Use, scan_sources, scan_template

ROOT = Path(__file__).resolve().parents[2]
PYTHON_HOMES = ("overrides", "generated", "emulator", "scripts", "bench", "tests")


def our_python_sources() -> dict[str, str]:
    files = [path for home in PYTHON_HOMES for path in (ROOT / home).rglob("*.py")]
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in files
        if "out" not in path.relative_to(ROOT).parts  # bench/out: the benchmark's venvs and results
    }


def our_uses() -> list[Use]:
    uses = scan_sources(our_python_sources())
    for template in sorted((ROOT / "templates").rglob("*.jinja")):
        uses += scan_template(str(template.relative_to(ROOT)), template.read_text(encoding="utf-8"))
    return uses


def test_no_module_of_ours_uses_a_private_name_of_a_third_party_package() -> None:
    uses = our_uses()
    assert [str(use) for use in uses if not use.allowed] == []
    assert {(use.path, use.name) for use in uses if use.allowed} == set(ALLOWED_USES), "an allowance not needed"


def test_the_scan_reads_every_home_of_our_code() -> None:
    sources = our_python_sources()
    for home in PYTHON_HOMES:
        assert any(path.startswith(f"{home}/") for path in sources), home
    assert "overrides/binance_orderlist/_client.py" in sources
    assert len(list((ROOT / "templates").rglob("*.jinja"))) >= 5


def uses_in(source: str, ours: str = "") -> list[str]:
    """The private names the scan reports in ``source``, with ``ours`` standing for the rest of our code."""
    return [use.name for use in scan_sources({"ours.py": ours, "snippet.py": source}) if use.path == "snippet.py"]


# Each use issue 18 found, as it was written before.
ISSUE_18_USES = {
    "httpx's private module": ("from httpx._transports.default import map_httpcore_exceptions", ["_transports"]),
    "an httpx transport's pool": (
        "import httpx\n"
        "class Own:\n"
        "    def __init__(self) -> None:\n"
        "        self._transport = httpx.HTTPTransport()\n"
        "        self._pool = self._transport._pool\n",
        ["_pool"],
    ),
    "httpcore's backend, on a caller's transport": (
        "import httpx\n"
        "def with_deadlines(transport: httpx.BaseTransport) -> None:\n"
        "    pool = transport._pool\n"
        "    pool._network_backend = DeadlineBackend(pool._network_backend)\n",
        ["_pool", "_network_backend", "_network_backend"],
    ),
    "the client's transport for a URL": (
        "class SpotClient:\n    def _send(self, request):\n        self._sender._transport_for_url(request.url)\n",
        ["_transport_for_url"],
    ),
    "an AsyncClient's transport for a URL": (
        "import httpx\nasync def send_through(client: 'httpx.AsyncClient', request):\n"
        "    return client._transport_for_url(request.url)\n",
        ["_transport_for_url"],
    ),
    "aiohttp's hidden retry switch": (
        "import aiohttp\ndef without_hidden_retries(session: aiohttp.ClientSession) -> None:\n"
        "    session._retry_connection = False\n",
        ["_retry_connection"],
    ),
    "the benchmark's patched URL parsers": (
        "import httpx\nimport httpx._urlparse\nimport httpx._urls\nimport yarl\nimport yarl._url\n"
        "homes = ((httpx._urlparse, 'urlparse'), (httpx._urls, 'urlparse'), (yarl._url, 'encode_url'))\n",
        ["_urlparse", "_urls", "_url", "_urlparse", "_urls", "_url"],
    ),
    "a private name from a public module": (
        "from aiohttp.client import _RequestContextManager",
        ["_RequestContextManager"],
    ),
    "a value returned by a third-party call": (
        "import httpx\nresponse = httpx.get('u')\nresponse._content\n",
        ["_content"],
    ),
}


@pytest.mark.parametrize("use", ISSUE_18_USES, ids=str)
def test_the_scan_finds_each_private_use_issue_18_removed(use: str) -> None:
    source, expected = ISSUE_18_USES[use]
    assert uses_in(source, ours="class DeadlineBackend: ...\nclass SpotClient:\n    _sender = None\n") == expected


def test_the_scan_finds_the_generators_private_name_in_a_template() -> None:
    template = '{% if property._type_string == "str" %}\n{{ property.python_name }} = self._value\n{% endif %}\n'
    assert [use.name for use in scan_template("any_property.py.jinja", template)] == ["_type_string"]


def test_the_scan_leaves_our_own_private_names_the_stdlibs_allowed_ones_and_dunders_alone() -> None:
    ours = "class Clock:\n    def __init__(self) -> None:\n        self._offset = 0\n"
    source = (
        "import enum\nimport os\nimport sys\nimport httpx\nfrom . import _logging\nfrom ._client import SpotClient\n"
        "class Kind(str, enum.Enum):\n"
        "    A = 'a'\n"
        "    @classmethod\n"
        "    def of(cls, value: str) -> 'Kind':\n"
        "        return cls._value2member_map_[value]\n"
        "def offset(clock: Clock, client: SpotClient) -> object:\n"
        "    http = httpx.Client()\n"
        "    return clock._offset, client._offset, _logging._offset, http.__class__, os._exit, sys._getframe\n"
    )
    assert uses_in(source, ours) == []
    assert set(ALLOWED) == {"_name_", "_value_", "_value2member_map_"}

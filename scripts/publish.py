"""Upload dist/* to the internal package index named by TWINE_REPOSITORY_URL, and nowhere else.

Refuses (exit 2, nothing uploaded) when the URL is unset or empty, points at the public index or its
test instance (twine's own defaults), or embeds credentials; and when TWINE_USERNAME or
TWINE_PASSWORD is missing. twine runs non-interactively and verbosely (so the index's own error
message is shown); its output is passed on with the password masked, and an index that already has
this version gets a plain explanation.

    TWINE_REPOSITORY_URL=https://pypi.internal.example/ TWINE_USERNAME=... TWINE_PASSWORD=... \
        python scripts/publish.py dist
"""

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from twine.utils import DEFAULT_REPOSITORY, TEST_REPOSITORY

EXIT_REFUSED = 2
EXIT_UPLOAD_FAILED = 1
# How indexes say "this file is already here": 409 Conflict, or a 400 whose body says so (twine --verbose shows it).
ALREADY_EXISTS = re.compile(r"\b409 Conflict\b|already exists?|does not allow updating", re.IGNORECASE)


class Refusal(Exception):
    """Publishing must not start; the message says why and what to set."""


def _registered_domain(url: str) -> str:
    """The last two labels of the URL's host: the public index's uploads and pages share it."""
    host = urlsplit(url).hostname or ""
    return ".".join(host.split(".")[-2:])


PUBLIC_DOMAINS = frozenset({_registered_domain(DEFAULT_REPOSITORY), _registered_domain(TEST_REPOSITORY)})


def internal_repository_url(environ: Mapping[str, str]) -> str:
    """TWINE_REPOSITORY_URL, if it names an index that is not the public one; else ``Refusal``."""
    url = environ.get("TWINE_REPOSITORY_URL", "").strip()
    if not url:
        raise Refusal(
            "TWINE_REPOSITORY_URL is not set: set it to the internal index's upload URL. "
            "This project is never published to the public index."
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refusal(f"TWINE_REPOSITORY_URL must be an http(s) URL with a host, got {parts.scheme or 'no'} scheme")
    if parts.username or parts.password:
        raise Refusal("TWINE_REPOSITORY_URL must not embed credentials: use TWINE_USERNAME and TWINE_PASSWORD")
    host = parts.hostname.lower().rstrip(".")
    if url.rstrip("/") in (DEFAULT_REPOSITORY.rstrip("/"), TEST_REPOSITORY.rstrip("/")) or any(
        host == domain or host.endswith("." + domain) for domain in PUBLIC_DOMAINS
    ):
        raise Refusal(
            f"TWINE_REPOSITORY_URL points at the public package index ({host}); this project is published "
            "to the internal index only"
        )
    for name in ("TWINE_USERNAME", "TWINE_PASSWORD"):
        if not environ.get(name):
            raise Refusal(f"{name} is not set: the internal index needs credentials (twine runs non-interactively)")
    return url


def distributions(dist: Path) -> list[Path]:
    found = sorted(path for path in dist.glob("*") if path.suffix == ".whl" or path.name.endswith(".tar.gz"))
    if not found:
        raise Refusal(f"{dist} holds no wheel or sdist: run `make build` first")
    return found


def mask(text: str, secret: str) -> str:
    return text.replace(secret, "********") if secret else text


def upload(files: Sequence[Path], url: str, environ: Mapping[str, str]) -> int:
    """Run twine; returns its exit code after echoing its output with the password masked."""
    password = environ["TWINE_PASSWORD"]
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar", "--verbose"]
    command += ["--repository-url", url, *map(str, files)]
    # TWINE_REPOSITORY would name a .pypirc section; the URL above is the only target.
    twine_env = {name: value for name, value in environ.items() if name != "TWINE_REPOSITORY"}
    result = subprocess.run(command, env=twine_env, capture_output=True, text=True, check=False)
    sys.stdout.write(mask(result.stdout, password))
    sys.stderr.write(mask(result.stderr, password))
    if result.returncode != 0:
        if ALREADY_EXISTS.search(result.stdout + result.stderr):
            print(
                "publish: the index already has this version of the package and refuses to overwrite it: "
                "bump __version__ in overrides/binance_orderlist/_version.py (and CHANGELOG.md), then build again",
                file=sys.stderr,
            )
        else:
            print(f"publish: twine upload failed (exit {result.returncode}); see its output above", file=sys.stderr)
        return EXIT_UPLOAD_FAILED
    return 0


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    env = dict(os.environ if environ is None else environ)
    if len(args) != 1:
        print("usage: publish.py DIST_DIR", file=sys.stderr)
        return EXIT_REFUSED
    try:
        url = internal_repository_url(env)
        files = distributions(Path(args[0]))
    except Refusal as refusal:
        print(f"publish: refused: {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"publish: uploading {', '.join(path.name for path in files)} to {url} as {env['TWINE_USERNAME']}")
    return upload(files, url, env)


if __name__ == "__main__":
    sys.exit(main())

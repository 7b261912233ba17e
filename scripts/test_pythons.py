"""Run the whole suite on the other Pythons we support (3.13 and 3.14), from package registries only.

Only Python 3.11 is installed where we build, and package registries are all a build can reach, so each
other Python comes as a minimal root filesystem made once by ``debootstrap`` and kept in ``.pythons/``
(git-ignored): Debian trixie has 3.13, Debian testing 3.14. Debian never shipped 3.12, and no registry we
may use has it, so 3.12 is neither tested nor claimed. Each run copies the working tree into the root as a fresh git
repository, with ``../shared`` beside it as the tests expect, and runs ``make test`` there under
``chroot``: the root's own venv gets the project and its dev group from the same registries as the host.

Nothing of the host is bind-mounted: the root gets a fresh procfs and a tmpfs for ``/dev/shm``
(debootstrap made the device nodes), and both are unmounted whatever happens, so removing ``.pythons/``
can never reach into the host.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ROOT / ".pythons"
DEBIAN = "http://deb.debian.org/debian"
PACKAGES = "python3,python3-venv,make,git,ca-certificates"


SUITES = {"3.13": "trixie", "3.14": "testing"}
"""Each Python we claim beyond the host's, and the Debian release whose ``python3`` it is."""
READY = ".ready"
INSIDE = Path("src")
"""Where the copy lives in a root: ``/src/binance-orderlist``, with ``/src/shared`` beside it."""
KEPT = {".venv", ".venv-interop"}
"""What a new copy keeps of the previous one: venvs, rebuilt by make when pyproject.toml changes."""
CA_BUNDLE = "/etc/ssl/certs/host-ca-certificates.crt"
PASSED_ON = ("CI", "PIP_DEFAULT_TIMEOUT", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy")
INDEX_VARIABLE = re.compile(r"^(PIP|UV)_(DEFAULT_|EXTRA_)?INDEX(_URL)?$")
SUMMARY = re.compile(r"^=+ .* in [\d.]+s")


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def mounts_under(path: Path) -> list[Path]:
    """Mount points at or below ``path``, deepest first (the order to unmount them in)."""
    points = [Path(line.split()[4]) for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    return sorted((p for p in points if p == path or path in p.parents), key=lambda p: len(p.parts), reverse=True)


def unmount_all(path: Path) -> None:
    for point in mounts_under(path):
        subprocess.run(["umount", "--lazy", str(point)], check=False)


def ensure_debootstrap() -> None:
    if shutil.which("debootstrap") is None:
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "debootstrap"])


def debootstrap(suite: str, target: Path) -> list[str]:
    return ["debootstrap", "--variant=minbase", f"--include={PACKAGES}", suite, str(target), DEBIAN]


def root_for(suite: str) -> Path:
    """The release's root filesystem, made first if there is none (a half-made one is removed and made again)."""
    root = PYTHONS / suite
    if (root / READY).exists():
        return root
    ensure_debootstrap()
    partial = PYTHONS / f"{suite}.partial"
    for stale in (root, partial):
        unmount_all(stale)
        shutil.rmtree(stale, ignore_errors=True)
    PYTHONS.mkdir(exist_ok=True)
    try:
        run(debootstrap(suite, partial))
    finally:
        unmount_all(partial)
    partial.rename(root)
    (root / READY).touch()
    return root


def copy_working_tree(root: Path) -> Path:
    """The working tree (tracked and untracked files, not ignored ones) as a fresh git repository in ``root``."""
    project = root / INSIDE / "binance-orderlist"
    project.mkdir(parents=True, exist_ok=True)
    for old in project.iterdir():
        if old.name not in KEPT:
            shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
    listing = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    names = subprocess.run(listing, cwd=ROOT, check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, names):
        source = ROOT / name
        if source.exists() or source.is_symlink():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name, follow_symlinks=False)
    shared = root / INSIDE / "shared"
    shutil.rmtree(shared, ignore_errors=True)
    if (ROOT.parent / "shared").exists():
        shutil.copytree((ROOT.parent / "shared").resolve(), shared)
    commit = ["git", "-c", "user.name=test_pythons", "-c", "user.email=test_pythons@localhost"]
    run(["git", "init", "--quiet", str(project)])
    run(["git", "-C", str(project), "add", "--all"])
    run([*commit, "-C", str(project), "commit", "--quiet", "--message", "working tree"])
    return project


def environment() -> dict[str, str]:
    """A clean environment for the root: its own PATH, the host's CA bundle, the host's registries."""
    passed = {name: value for name, value in os.environ.items() if name in PASSED_ON or INDEX_VARIABLE.match(name)}
    return {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "SSL_CERT_FILE": CA_BUNDLE,
        "PIP_CERT": CA_BUNDLE,
        "REQUESTS_CA_BUNDLE": CA_BUNDLE,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **passed,
    }


@contextmanager
def mounted(root: Path) -> Iterator[None]:
    """A fresh procfs and /dev/shm in the root, and the host's DNS and CA bundle, for one run."""
    shutil.copy2("/etc/resolv.conf", root / "etc" / "resolv.conf")
    shutil.copy2(os.environ.get("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"), root / CA_BUNDLE.lstrip("/"))
    try:
        run(["mount", "-t", "proc", "proc", str(root / "proc")])
        run(["mount", "-t", "tmpfs", "-o", "mode=1777", "shm", str(root / "dev" / "shm")])
        yield
    finally:
        unmount_all(root / "proc")
        unmount_all(root / "dev" / "shm")


def run_suite(python: str) -> tuple[bool, str]:
    """``make test`` in the root that has ``python``: whether it passed, and pytest's summary line."""
    suite = SUITES[python]
    root = root_for(suite)
    project = copy_working_tree(root)
    inside = "/" + str(project.relative_to(root))
    same_python = f"import sys; assert sys.version.startswith('{python}.'), '{suite} has ' + sys.version"
    script = f'cd {inside} && python3 -c "{same_python}" && python3 --version && make test'
    command = ["chroot", str(root), "/bin/sh", "-c", script]
    summary = "no summary: the suite did not run"
    with mounted(root):
        print("+", " ".join(command), flush=True)
        # A session of its own, so that an interrupted run stops the whole suite in the root, not just its shell.
        process = subprocess.Popen(
            command,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        try:
            for line in process.stdout:
                print(line, end="", flush=True)
                if SUMMARY.match(line):
                    summary = line.strip("= \n")
            passed = process.wait() == 0
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    print(f"Python {python} ({suite}): {'passed' if passed else 'FAILED'}: {summary}", flush=True)
    return passed, summary


def stop(signum: int, frame: FrameType | None) -> None:
    """Turn a termination into an exception, so that every mount is undone on the way out."""
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", choices=sorted(SUITES), help="a version to test (default: all)")
    pythons = parser.parse_args().python or sorted(SUITES)
    signal.signal(signal.SIGTERM, stop)
    results = {python: run_suite(python) for python in pythons}
    print("\nSuite per Python:")
    for python, (passed, summary) in results.items():
        print(f"  {python} ({SUITES[python]}): {'passed' if passed else 'FAILED'}: {summary}")
    return 0 if all(passed for passed, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

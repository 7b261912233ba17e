"""Each peer client in a venv of its own, built once per pinned requirement and kept in ``.venv-interop/``.

The directory name carries a hash of the requirement and the interpreter, so changing a pin (or
Python) builds a fresh venv and removes the old one; an unchanged pin costs nothing on later runs.
"""

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENVS = ROOT / ".venv-interop"
_UV = Path(sys.executable).parent / "uv"  # installed into the project venv by the Makefile
_INSTALLED = ".installed"
_INSTALL_TIMEOUT_S = 600


@dataclass(frozen=True)
class PeerClient:
    name: str
    requirement: str
    """Exact pin: the results recorded for this client hold for this version only."""
    driver: str
    """Module under ``tests.interop.drivers`` that runs the scenarios with this client."""


def venv_python(peer: PeerClient) -> Path:
    """The interpreter of the peer's venv, building the venv first if this pin has none yet."""
    key = hashlib.sha256(f"{peer.requirement}\n{sys.version}".encode()).hexdigest()[:12]
    target = VENVS / f"{peer.name}-{key}"
    python = target / "bin" / "python"
    if (target / _INSTALLED).exists():
        return python
    for stale in VENVS.glob(f"{peer.name}-*"):
        shutil.rmtree(stale)
    subprocess.run([_UV, "venv", "--quiet", "--python", sys.executable, target], check=True, timeout=120)
    install: list[str | Path] = [_UV, "pip", "install", "--quiet", "--python", python, peer.requirement]
    subprocess.run(install, check=True, timeout=_INSTALL_TIMEOUT_S)
    (target / _INSTALLED).write_text(peer.requirement + "\n")
    return python

"""Virtualenvs with a pinned Streamlit for tests: built once per machine in a cache directory,
reused after. `STCONFIG_TEST_ST140_PYTHON` names a ready interpreter for Streamlit 1.40.0 instead.

The cache is `$STCONFIG_TEST_CACHE`, else platformdirs' user cache (`stconfig-tests`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import platformdirs

ST140_VERSION = "1.40.0"
ST140_PYTHON_ENV = "STCONFIG_TEST_ST140_PYTHON"
_READY = ".stconfig-ready"
_BUILD_TIMEOUT = 600

# Read when conftest imports this module, before any fixture points HOME at a temporary dir.
_CACHE_ROOT = Path(
    os.environ.get("STCONFIG_TEST_CACHE") or platformdirs.user_cache_dir("stconfig-tests")
)


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def streamlit_python(version: str) -> Path:
    """The interpreter of a virtualenv holding exactly `streamlit==version`, built on first use."""
    if version == ST140_VERSION and os.environ.get(ST140_PYTHON_ENV):
        return Path(os.environ[ST140_PYTHON_ENV])
    venv = _CACHE_ROOT / f"streamlit-{version}"
    if (venv / _READY).is_file():
        return venv_python(venv)
    _CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(_CACHE_ROOT / f"streamlit-{version}.lock", "w") as lock:
        # Another test run may be building the same venv: wait for it rather than race it.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / _READY).is_file():
            _build(venv, version)
    return venv_python(venv)


def _build(venv: Path, version: str) -> None:
    shutil.rmtree(venv, ignore_errors=True)  # a half-built venv from an interrupted run
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [
            str(venv_python(venv)),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"streamlit=={version}",
        ],
    ]
    for step in steps:
        done = subprocess.run(
            step, capture_output=True, text=True, timeout=_BUILD_TIMEOUT, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"building the Streamlit {version} test venv failed: {' '.join(step)}\n"
                f"{done.stdout[-2000:]}{done.stderr[-2000:]}\n"
                f"(set {ST140_PYTHON_ENV} to an interpreter that has it installed)"
            )
    (venv / _READY).write_text(version + "\n", encoding="utf-8")

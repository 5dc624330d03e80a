"""Run the real Streamlit and stconfig on one project directory, as the start-up tests need: the
oracle (tests/streamlit_oracle.py: Streamlit's own `streamlit run` entry point, stopped once the
config is loaded) and `python -m stconfig`, both with HOME, the environment and the Streamlit
under test stated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ORACLE = Path(__file__).resolve().parent / "streamlit_oracle.py"


def start_env(home: Path, python: Path, cache: Path, extra: dict[str, str]) -> dict[str, str]:
    """A clean environment: HOME, `extra`, stconfig's cache, and the venv of `python` so that
    stconfig resolves as that Streamlit does."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "LC_ALL": "C.UTF-8",
        "NO_COLOR": "1",
        "XDG_CACHE_HOME": str(cache),
        **extra,
    }
    venv = python.parent.parent
    if (venv / "pyvenv.cfg").is_file():
        env["VIRTUAL_ENV"] = str(venv)
    return env


def oracle(
    python: Path,
    project: Path,
    env: dict[str, str],
    flags: list[str],
    script: str = "app.py",
    construction: str = "cli",
) -> dict[str, Any]:
    """What `streamlit run SCRIPT FLAGS...` loads in `project` (the script is made if missing),
    the command line built as `construction` says (tests/streamlit_oracle.py)."""
    if not (project / script).exists():
        (project / script).write_text("import streamlit as st\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "oracle.json"
        done = subprocess.run(
            [str(python), str(ORACLE), str(out), "--construction", construction, script, *flags],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert out.is_file(), f"oracle crashed ({done.returncode}):\n{done.stderr}"
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["stderr"] = done.stderr
    return result


def stconfig(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stconfig", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

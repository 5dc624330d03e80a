"""Shared fixtures: each test gets its own HOME and working directory, and no STREAMLIT_* env."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit_venvs import ST140_VERSION, streamlit_python

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """HOME and the project directory in tmp_path; no STREAMLIT_* variables leak in."""
    home = tmp_path / "home"
    project = tmp_path / "project"
    home.mkdir()
    project.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    for name in list(os.environ):
        if name.startswith("STREAMLIT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(project)
    yield


@pytest.fixture
def home() -> Path:
    return Path(os.environ["HOME"])


@pytest.fixture
def project() -> Path:
    return Path.cwd()


def write_config(directory: Path, text: str) -> Path:
    """Write `<directory>/.streamlit/config.toml` and return its path."""
    path = directory / ".streamlit" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return path


def shared_dir(name: str) -> Path:
    """`../shared/<name>`, or skip the test with the reason when it is not there."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"../shared/{name} not present: it lives beside the repository checkout")
    return path


@pytest.fixture(scope="session")
def streamlit_140_python() -> Path:
    """The interpreter of a Streamlit 1.40.0 virtualenv (built once per machine and cached, or
    `$STCONFIG_TEST_ST140_PYTHON`)."""
    return streamlit_python(ST140_VERSION)

"""Shared fixtures: each test gets its own HOME and working directory, and no STREAMLIT_* env.

Inputs a test needs from the machine (../shared, a shell, jq) are `missing()` when absent: a
failure under CI, where .ci/run provides every one of them, and a skip elsewhere, summed up in one
line at the end of the run.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn

import pytest
import streamlit_venvs

REPO = Path(__file__).resolve().parents[1]
# STCONFIG_SHARED: for copies of the checkout elsewhere (mutmut runs the tests in mutants/).
SHARED = Path(os.environ.get("STCONFIG_SHARED") or REPO.parent / "shared")
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """An input this test needs is not on this machine: fail under CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"CI must provide it: {reason}", pytrace=False)
    pytest.skip(reason)


def _shared_missing(name: str) -> str:
    return f"../shared/{name} not present: it lives beside the repository checkout"


def shared_files(name: str) -> list[Path]:
    """Every `.toml` file under ../shared/NAME (none when it is not there)."""
    root = SHARED / name
    return sorted(root.rglob("*.toml")) if root.is_dir() else []


def params_or_missing(values: Sequence[Any], name: str) -> list[Any]:
    """Parameters for a test over ../shared/NAME: the values, or when there are none one
    placeholder that is `missing()`, so that no parametrized test silently vanishes."""
    if values:
        return list(values)
    return [pytest.param(None, marks=pytest.mark.missing(_shared_missing(name)), id="missing")]


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("missing")
    if marker is not None:
        missing(marker.args[0])


def pytest_terminal_summary(terminalreporter: Any) -> None:
    reasons = Counter(
        str(report.longrepr[2]).removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    )
    if reasons:
        said = "; ".join(f"{reason} ({count})" for reason, count in reasons.most_common())
        terminalreporter.write_line(f"stconfig tests skipped {sum(reasons.values())}: {said}")


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
    """`../shared/<name>`, or `missing()` when it is not there."""
    path = SHARED / name
    if not path.is_dir():
        missing(_shared_missing(name))
    return path


@pytest.fixture(params=["current", "1.40.0"])
def streamlit_python(request: pytest.FixtureRequest) -> Path:
    """Each Streamlit the tests prove against: this interpreter's (1.67) and 1.40.0."""
    if request.param == "current":
        return Path(sys.executable)
    path: Path = request.getfixturevalue("streamlit_140_python")
    return path


@pytest.fixture(scope="session")
def streamlit_140_python() -> Path:
    """The interpreter of a Streamlit 1.40.0 virtualenv (built once per machine and cached, or
    `$STCONFIG_TEST_ST140_PYTHON`)."""
    return streamlit_venvs.streamlit_python(streamlit_venvs.ST140_VERSION)


@pytest.fixture(scope="session")
def stconfig_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One XDG cache for every stconfig run, so a catalog introspected once is reused."""
    return tmp_path_factory.mktemp("xdg-cache")


def on_terminal(
    argv: list[str], env: dict[str, str], *, stream: Literal["stdout", "stderr"] = "stdout"
) -> tuple[int, bytes]:
    """Run ARGV with one stream on a pseudo-terminal (the other thrown away): its exit code and
    what it wrote there."""
    leader, follower = pty.openpty()
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: follower}
    with subprocess.Popen(argv, env=env, **streams) as process:  # type: ignore[call-overload]
        os.close(follower)
        output = b""
        while select.select([leader], [], [], 30)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=30)
    os.close(leader)
    return code, output

"""`stconfig audit APP.py` against real Streamlit (1.67 here, and 1.40.0): every unpicklable
Session State value, st.stop() or not; the app's own exception; exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from test_probe import fake_venv
from typer.testing import CliRunner

from stconfig.cli.commands import app
from stconfig.errors import ExitCode

runner = CliRunner()

TWO_BAD_AND_STOP = dedent(
    """
    import threading

    import streamlit as st

    st.session_state["count"] = 1
    st.session_state["lock"] = threading.Lock()
    st.text_input("Name", key="name")
    st.session_state["callback"] = lambda: None
    st.stop()
    st.session_state["after_stop"] = threading.Lock()
    """
)
CLEAN = dedent(
    """
    import streamlit as st

    st.session_state["rows"] = [{"a": 1}]
    st.session_state.setdefault("page", "home")
    st.number_input("Size", key="size")
    """
)


def audit(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["audit", "--json", *args])
    data = json.loads(result.stdout) if result.exit_code in (0, 1) else {}
    return result.exit_code, data, result.stderr


def write_app(directory: Path, source: str, name: str = "app.py") -> Path:
    path = directory / name
    path.write_text(source, encoding="utf-8")
    return path


def check_two_bad_and_stop(python: Path, project: Path) -> None:
    path = write_app(project, TWO_BAD_AND_STOP)
    code, data, stderr = audit(str(path), "--python", str(python))
    assert code == ExitCode.NEGATIVE, stderr
    assert data["app"] == str(path)
    assert data["app_exception"] is None
    keys = [(u["key"], u["type"]) for u in data["unserializable"]]
    # Both keys, though Streamlit's own check names only the first and never runs after st.stop().
    assert keys == [("callback", "function"), ("lock", "_thread.lock")]
    assert all(u["error"] for u in data["unserializable"])


@pytest.mark.slow
def test_two_unpicklable_keys_before_st_stop(project: Path) -> None:
    check_two_bad_and_stop(Path(sys.executable), project)


@pytest.mark.slow
def test_two_unpicklable_keys_before_st_stop_140(streamlit_140_python: Path, project: Path) -> None:
    check_two_bad_and_stop(streamlit_140_python, project)


@pytest.mark.slow
@pytest.mark.parametrize("version", ["current", "1.40"])
def test_clean_app(version: str, project: Path, request: pytest.FixtureRequest) -> None:
    python = (
        Path(sys.executable)
        if version == "current"
        else request.getfixturevalue("streamlit_140_python")
    )
    path = write_app(project, CLEAN)
    result = runner.invoke(app, ["audit", str(path), "--python", str(python)])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == f"{path}: every Session State value pickles\n"


@pytest.mark.slow
def test_human_output_lists_each_key(project: Path) -> None:
    write_app(project, TWO_BAD_AND_STOP)
    result = runner.invoke(app, ["audit", "app.py"])
    assert result.exit_code == ExitCode.NEGATIVE
    lines = result.stdout.splitlines()
    assert lines[0] == f"{project / 'app.py'}: 2 Session State values cannot be pickled"
    assert lines[1].startswith("  callback  function: ")
    assert lines[2] == "  lock      _thread.lock: TypeError: cannot pickle '_thread.lock' object"


@pytest.mark.slow
def test_app_exception_is_reported_with_what_was_set_before_it(project: Path) -> None:
    source = "import streamlit as st\nst.session_state['gen'] = (i for i in [1])\n1 / 0\n"
    path = write_app(project, source)
    code, data, stderr = audit(str(path))
    assert code == ExitCode.NEGATIVE
    assert data["app_exception"]["type"] == "ZeroDivisionError"
    assert data["unserializable"][0]["key"] == "gen"
    assert "the app raised ZeroDivisionError" in stderr


@pytest.mark.slow
def test_app_in_another_directory_imports_its_sibling_modules(
    project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "src"
    elsewhere.mkdir()
    write_app(elsewhere, "import threading\nLOCK = threading.Lock()\n", name="helpers.py")
    path = write_app(
        elsewhere, "import streamlit as st\nimport helpers\nst.session_state['l'] = helpers.LOCK\n"
    )
    code, data, stderr = audit(str(path), "-C", str(project))
    assert code == ExitCode.NEGATIVE, stderr
    assert [u["key"] for u in data["unserializable"]] == ["l"]


@pytest.mark.slow
def test_app_that_does_not_finish_in_time_exit_4(project: Path) -> None:
    path = write_app(project, "import time\ntime.sleep(30)\n")
    result = runner.invoke(app, ["audit", str(path), "--timeout", "0.5"])
    assert result.exit_code == ExitCode.PROBE
    assert result.stderr == (
        "stconfig: error: the audit could not run app.py: "
        "the app's run did not finish within 0.5 s\n"
    )


def test_no_streamlit_exit_4(project: Path, tmp_path: Path) -> None:
    path = write_app(project, CLEAN)
    python = fake_venv(tmp_path, None)
    result = runner.invoke(app, ["audit", str(path), "--python", str(python)])
    assert result.exit_code == ExitCode.PROBE
    assert "no Streamlit found" in result.stderr


def test_streamlit_without_apptest_exit_4(project: Path, tmp_path: Path) -> None:
    path = write_app(project, CLEAN)
    python = fake_venv(tmp_path, "1.27.2")
    result = runner.invoke(app, ["audit", str(path), "--python", str(python)])
    assert result.exit_code == ExitCode.PROBE
    assert "Streamlit 1.27.2" in result.stderr
    assert "has no AppTest: it was added in 1.28.0" in result.stderr


def test_missing_app_is_a_usage_error(project: Path) -> None:
    result = runner.invoke(app, ["audit", "nope.py"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "stconfig: error: app 'nope.py' is not a file\n"

"""`get` answers what Streamlit acts on: a bool option's truthiness (with a warning when the file
holds something else), a computed default's value where it can be derived, and exit 1 when there
is no value to print. Checked against the real Streamlit where Streamlit's behaviour is the claim.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from scenarios import Layout, Scenario, materialize
from test_differential import _base_env as base_env
from test_differential import run_oracle
from typer.testing import CliRunner

from stconfig.cli.commands import app
from stconfig.values import to_text

KEY = "runner.enforceSerializableSessionState"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


@pytest.mark.parametrize(
    ("stored", "printed"),
    [('"false"', "true"), ('"true"', "true"), ('""', "false"), ("0", "false"), ("1", "true")],
)
def test_bool_option_prints_what_streamlit_acts_on(
    project: Path, stored: str, printed: str
) -> None:
    path = write_config(project, f"[runner]\nenforceSerializableSessionState = {stored}\n")
    result = run("get", KEY)
    assert result.exit_code == 0
    assert result.stdout == f"{printed}\n"
    assert "not a boolean" in result.stderr
    assert f"{path}:2" in result.stderr
    assert "stconfig check" in result.stderr
    data = json.loads(run("get", "--json", KEY).stdout)
    assert data["effective"] is (printed == "true")
    assert json.dumps(data["value"]) == stored
    scoped = run("get", "--project", KEY)
    assert (scoped.stdout, "not a boolean" in scoped.stderr) == (f"{printed}\n", True)


def test_a_real_boolean_needs_no_warning(project: Path) -> None:
    write_config(project, "[runner]\nenforceSerializableSessionState = false\n")
    result = run("get", KEY)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "false\n", "")
    assert json.loads(run("get", "--json", KEY).stdout)["effective"] is False


def test_every_bool_option_has_effective_in_show_json(project: Path) -> None:
    write_config(project, '[runner]\nenforceSerializableSessionState = "false"\n[server]\nport=1\n')
    options = json.loads(run("show", "--json", "--all").stdout)["options"]
    assert options[KEY]["effective"] is True
    assert options["runner.magicEnabled"]["effective"] is True
    assert "effective" not in options["server.port"]


def test_no_value_is_exit_1_with_nothing_on_stdout() -> None:
    result = run("get", "server.address")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "has no value" in result.stderr


def test_a_random_secret_is_computed_at_start_and_never_printed() -> None:
    result = run("get", "server.cookieSecret")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "random" in result.stderr


def test_browser_port_follows_server_port(project: Path) -> None:
    write_config(project, "[server]\nport = 8612\n")
    assert run("get", "browser.serverPort").stdout == "8612\n"
    show = json.loads(run("show", "--json", "browser.serverPort").stdout)
    assert show["options"]["browser.serverPort"]["default_computed"] is True


@pytest.mark.parametrize(
    ("display", "printed"),
    [({}, "true"), ({"DISPLAY": ":0"}, "false"), ({"WAYLAND_DISPLAY": "w"}, None)],
)
def test_headless_follows_the_display(
    monkeypatch: pytest.MonkeyPatch, display: dict[str, str], printed: str | None
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "IS_RUNNING_IN_STREAMLIT_EDITOR_PLUGIN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in display.items():
        monkeypatch.setenv(name, value)
    result = run("get", "server.headless")
    if printed is None:  # Streamlit 1.40 and 1.67 disagree here: only the start can tell
        assert (result.exit_code, result.stdout) == (1, "")
    else:
        assert (result.exit_code, result.stdout) == (0, f"{printed}\n")


# Computed defaults stconfig derives, compared with what the real Streamlit computes.
DERIVED = (
    "browser.serverPort",
    "server.headless",
    "global.developmentMode",
    "logger.level",
    "logger.messageFormat",
)


def _get(python: Path, scenario: Scenario, layout: Layout, key: str) -> Any:
    """`stconfig get KEY` as the scenario's user runs it, against the Streamlit of `python`."""
    env = {**base_env(layout), **scenario.env, "XDG_CACHE_HOME": str(layout.home / "cache")}
    venv = python.parent.parent
    if (venv / "pyvenv.cfg").is_file():
        env["VIRTUAL_ENV"] = str(venv)
    args = ["get", key, "-C", str(layout.project), "--script", str(layout.streamlit_script)]
    for flag_key, raw in scenario.flags:
        args += ["--flag", f"{flag_key}={raw}"]
    return subprocess.run(
        [sys.executable, "-m", "stconfig", *args],
        cwd=layout.project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("display", [None, ":0"])
def test_derived_defaults_are_streamlits(
    streamlit_python: Path, tmp_path: Path, display: str | None
) -> None:
    """For each computed default stconfig derives, `get` prints what the real Streamlit computes
    (`config.get_option` once `streamlit run` has loaded its config), on 1.67 and 1.40."""
    scenario = Scenario(
        cwd_is_home=False,
        script="subdir",
        files={},
        env={} if display is None else {"DISPLAY": display},
        flags=(("server.port", "8777"),),
    )
    layout = materialize(scenario, tmp_path.resolve() / "s")
    oracle = run_oracle(streamlit_python, scenario, layout)
    assert oracle["status"] == "ok", oracle
    for key in DERIVED:
        done = _get(streamlit_python, scenario, layout, key)
        assert done.returncode == 0, (key, done.stderr)
        assert done.stdout.strip() == to_text(oracle["options"][key]["value"]), key
    done = _get(streamlit_python, scenario, layout, "secrets.files")
    assert json.loads(done.stdout) == oracle["options"]["secrets.files"]["value"]

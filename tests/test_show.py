"""`show`, `options` and `describe` as users of `git config` expect them: the same patterns as
`options`, flat greppable listings, sections without hundreds of empty lines, a table that keeps
`file:line` at 80 columns, and hints when a section or a key is used in the wrong place."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from test_shell_contract import _env, _on_terminal
from typer.testing import CliRunner

from stconfig.cli.commands import app

KEY = "runner.enforceSerializableSessionState"
runner = CliRunner()
_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def _keys(*args: str) -> list[str]:
    result = run("show", "--json", *args)
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["options"])


def test_show_takes_the_patterns_options_takes(project: Path) -> None:
    write_config(project, "[server]\nport = 8600\n")
    listed = run("options", "server.*").stdout.splitlines()
    shown = _keys("--all", "server.*")
    assert shown == [line.split("\t")[0] for line in listed]
    assert "server.port" in _keys("server.*")
    assert "server.port" in _keys("serv*port")
    missing = run("show", "nosuch.*")
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert "no option matches 'nosuch.*'" in missing.stderr


def test_a_section_shows_only_options_with_a_value_unless_all(project: Path) -> None:
    write_config(project, '[theme]\nprimaryColor = "#ff0000"\n')
    assert _keys("theme") == ["theme.primaryColor"]
    assert len(_keys("--all", "theme")) > 100
    runner_section = _keys("runner")  # defaults with a value are values
    assert KEY in runner_section and "runner.magicEnabled" in runner_section
    empty = run("show", "theme.light")
    assert empty.exit_code == 0
    assert "`--all` lists them" in empty.stderr
    tomllib.loads(empty.stdout)


def test_list_prints_key_value_lines_as_get_prints_values(home: Path, project: Path) -> None:
    write_config(home, "[server]\nport = 1111\n")
    path = write_config(
        project,
        '[runner]\nenforceSerializableSessionState = "false"\n'
        '[server]\nport = 8600\ncookieSecret = "s3cret"\nfolderWatchList = ["a", "b"]\n',
    )
    lines = run("show", "--list").stdout.splitlines()
    assert f"{KEY}=true" in lines  # what Streamlit acts on, as `get` prints it
    assert "server.port=8600" in lines
    assert 'server.folderWatchList=["a", "b"]' in lines
    assert "server.cookieSecret=<hidden>" in lines
    assert "s3cret" not in "\n".join(lines)
    origin = run("show", "--list", "--show-origin", "server.port").stdout
    assert origin == f"project {path}:4\tserver.port=8600\n"
    assert run("show", "--show-origin", "server.port").stdout == origin
    # --all lists defaults too, but never an option without a value.
    everything = run("show", "--list", "--all").stdout.splitlines()
    assert "runner.magicEnabled=true" in everything
    assert not [line for line in everything if line.startswith("server.address=")]


def test_get_of_a_section_points_at_show() -> None:
    result = run("get", "runner")
    assert result.exit_code == 2
    assert "'runner' is a section, not an option" in result.stderr
    assert "stconfig show runner" in result.stderr
    assert run("get", "theme.light").exit_code == 2


def test_a_key_used_as_a_command_points_at_get() -> None:
    result = run("server.port")
    assert result.exit_code == 2
    assert "stconfig: error: 'server.port' is not a command" in result.stderr
    assert "stconfig get server.port" in result.stderr


def test_describe_shows_the_value_here_and_its_source(project: Path) -> None:
    path = write_config(project, '[runner]\nenforceSerializableSessionState = "false"\n')
    text = run("describe", KEY).stdout
    assert f'value:       "false" (project {path}:2): Streamlit treats it as true' in text
    data = json.loads(run("describe", "--json", KEY).stdout)
    assert data["type"] == "bool"
    assert data["current"]["value"] == "false" and data["current"]["effective"] is True
    assert data["current"]["source"]["line"] == 2


def test_table_at_80_columns_keeps_file_and_line(home: Path, project: Path) -> None:
    write_config(home, "[server]\nport = 1111\n")
    write_config(project, f"# a comment\n[runner]\n{KEY.split('.')[1]} = true\n")
    code, output = _on_terminal(["show"], _env(COLUMNS="80", HOME=str(home)))
    text = _ESCAPE.sub("", output.decode())
    assert code == 0
    assert all(len(line) <= 80 for line in text.splitlines()), text
    cells = "".join(
        line.split("│")[3].strip() for line in text.splitlines() if line.count("│") == 4
    )
    assert ".streamlit/config.toml:3" in cells  # the project file, relative to the project
    assert "~/.streamlit/config.toml:2" in cells  # the global one, under ~
    assert "..." not in text and "…" not in text


def test_options_on_a_terminal_is_a_table(project: Path) -> None:
    code, output = _on_terminal(["options", "runner.*"], _env())
    text = _ESCAPE.sub("", output.decode())
    assert code == 0
    assert "option" in text and "type" in text and "default" in text
    assert "┃" in text and KEY in text
    piped = run("options", "runner.*").stdout
    assert f"{KEY}\tbool\tfalse" in piped.splitlines()


@pytest.mark.parametrize("args", [["show", "--list"], ["show", "--show-origin"]])
def test_listing_flags_take_the_fast_path(args: list[str]) -> None:
    from stconfig.cli import fastpath

    assert fastpath.parse(args) is not None

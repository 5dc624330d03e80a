"""`stconfig edit`: the target file opens in $VISUAL/$EDITOR (a fake editor here), without a shell,
is created when missing, and is checked afterwards."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from typer.testing import CliRunner

from stconfig.cli.commands import app

FAKE_EDITOR = """\
import json, os, sys
with open(os.environ["FAKE_EDITOR_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if "FAKE_EDITOR_WRITE" in os.environ:
    with open(sys.argv[-1], "w", encoding="utf-8") as config:
        config.write(os.environ["FAKE_EDITOR_WRITE"])
sys.exit(int(os.environ.get("FAKE_EDITOR_EXIT", "0")))
"""


class Editor:
    def __init__(self, directory: Path) -> None:
        self.script = directory / "fake editor.py"
        self.script.write_text(FAKE_EDITOR)
        self.log = directory / "editor.log"
        self.command = f"{shlex.quote(sys.executable)} {shlex.quote(str(self.script))} --wait"

    def env(self, write: str | None = None, status: int = 0, **extra: str) -> dict[str, str]:
        env = {"EDITOR": self.command, "VISUAL": "", "FAKE_EDITOR_LOG": str(self.log)}
        env["FAKE_EDITOR_EXIT"] = str(status)
        if write is not None:
            env["FAKE_EDITOR_WRITE"] = write
        return {**env, **extra}

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def editor(tmp_path: Path) -> Editor:
    return Editor(tmp_path)


def edit(*args: str, env: dict[str, str]) -> Any:
    return CliRunner().invoke(app, ["edit", *args], env=env)


def test_opens_the_project_file_and_checks_it(editor: Editor, project: Path) -> None:
    path = write_config(project, "[server]\nport = 8501\n")
    result = edit(env=editor.env(write="[server]\nport = 'x'\n"))
    assert result.exit_code == 1, result.output
    assert editor.calls() == [["--wait", str(path)]]
    assert result.stdout.startswith(".streamlit/config.toml:2:1: error: server.port takes")
    assert "1 error, 0 warnings in 1 file" in result.stderr


def test_a_clean_edit_exits_0(editor: Editor, project: Path) -> None:
    write_config(project, "[server]\nport = 8501\n")
    result = edit(env=editor.env(write="[server]\nport = 9000\n"))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "stconfig: no problems in 1 file\n"
    assert edit("-q", env=editor.env()).stderr == ""


def test_creates_the_missing_file_and_its_directory(editor: Editor, project: Path) -> None:
    result = edit(env=editor.env(write="[runner]\nmagicEnabled = false\n"))
    assert result.exit_code == 0, result.output
    path = project / ".streamlit" / "config.toml"
    assert path.read_text() == "[runner]\nmagicEnabled = false\n"


def test_a_file_left_empty_is_not_created(editor: Editor, project: Path) -> None:
    result = edit(env=editor.env())
    assert result.exit_code == 0, result.output
    assert not (project / ".streamlit").exists()
    assert "left empty: not created" in result.stderr


def test_targets(editor: Editor, home: Path, project: Path, tmp_path: Path) -> None:
    assert edit("--global", env=editor.env(write="[server]\nport = 1\n")).exit_code == 0
    other = tmp_path / "other.toml"
    assert edit("--file", str(other), env=editor.env(write="[server]\nport = 2\n")).exit_code == 0
    script = tmp_path / "app" / "main.py"
    script.parent.mkdir()
    script.write_text("")
    args = ("--script", str(script), "--script-dir")
    assert edit(*args, env=editor.env(write="[server]\nport = 3\n")).exit_code == 0
    assert [call[-1] for call in editor.calls()] == [
        str(home / ".streamlit" / "config.toml"),
        str(other),
        str(script.parent / ".streamlit" / "config.toml"),
    ]
    two = edit("--global", "--file", str(other), env=editor.env())
    assert two.exit_code == 2 and "choose one target" in two.stderr


def test_the_path_is_never_interpreted_by_a_shell(editor: Editor, tmp_path: Path) -> None:
    weird = tmp_path / "it's $(touch pwned); `touch pwned2` & dir"
    weird.mkdir()
    result = edit("-C", str(weird), env=editor.env(write="[server]\nport = 1\n"))
    assert result.exit_code == 0, result.output
    assert editor.calls() == [["--wait", str(weird / ".streamlit" / "config.toml")]]
    assert not list(tmp_path.rglob("pwned*"))


def test_visual_wins_over_editor(editor: Editor, project: Path) -> None:
    env = editor.env(write="[server]\nport = 1\n")
    env["VISUAL"], env["EDITOR"] = editor.command + " --visual", "false"
    assert edit(env=env).exit_code == 0
    assert editor.calls()[0][:2] == ["--wait", "--visual"]


def test_editor_failures(editor: Editor, project: Path) -> None:
    write_config(project, "[server]\nport = 1\n")
    failed = edit(env=editor.env(status=3))
    assert failed.exit_code == 2
    assert "exited with status 3" in failed.stderr
    missing = edit(env={"VISUAL": "", "EDITOR": "no-such-editor-xyz --wait"})
    assert missing.exit_code == 2
    assert "cannot run the editor" in missing.stderr and "hint:" in missing.stderr
    unbalanced = edit(env={"VISUAL": "", "EDITOR": "vim 'oops"})
    assert unbalanced.exit_code == 2


def test_no_editor_at_all(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = edit(env={"VISUAL": "", "EDITOR": "", "PATH": str(empty)})
    assert result.exit_code == 2
    assert "VISUAL and EDITOR are not set" in result.stderr
    assert not (project / ".streamlit").exists()

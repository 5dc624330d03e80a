"""The output contract scripts rely on: every command's --help has an example, colour only on a
terminal and never with NO_COLOR, -q, and the README's "In shell scripts" recipes, run in bash."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from conftest import REPO, missing, on_terminal, write_config
from typer.testing import CliRunner

from stconfig.cli.commands import app

BIN = Path(sys.executable).parent
# SGR parameters that set a colour (foreground, background, 256/true colour).
_COLOUR = re.compile(rb"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
_ANY_ESCAPE = re.compile(rb"\x1b\[")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["TERM"] = "xterm"
    return {**env, **extra}


def _on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run `stconfig ARGS` with stdout on a pseudo-terminal; (exit code, what it printed)."""
    return on_terminal(["stconfig", *args], env)


def test_every_command_has_help_with_an_example() -> None:
    names = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert {"check", "edit", "completion", "show", "get"} <= set(names)
    for name in names:
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert (
            "Example: stconfig" in result.stdout
            or "Example: [" in result.stdout
            or ("Example: EDITOR=" in result.stdout)
        ), f"`stconfig {name} --help` has no example"


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["check", "--no-env"], "[server]\nprot = 1\n"),
        (["show", "--layers"], "[server]\nport = 9000\n"),
    ],
)
def test_colour_on_a_terminal_unless_no_color(project: Path, args: list[str], text: str) -> None:
    write_config(project, text)
    _, coloured = _on_terminal(args, _env())
    assert _COLOUR.search(coloured), coloured
    _, plain = _on_terminal(args, _env(NO_COLOR="1"))
    assert not _COLOUR.search(plain), plain
    piped = subprocess.run(["stconfig", *args], env=_env(), capture_output=True, check=False)
    assert not _ANY_ESCAPE.search(piped.stdout), piped.stdout


def test_piped_show_is_toml_not_a_table(project: Path) -> None:
    write_config(project, "[server]\nport = 9000\n")
    piped = subprocess.run(["stconfig", "show"], env=_env(), capture_output=True, text=True)
    assert "port = 9000" in piped.stdout and "┃" not in piped.stdout


def test_quiet_silences_messages_not_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path / "repo", "[server]\nport = 1\n")
    (tmp_path / "repo" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "repo" / "sub")
    loud = CliRunner().invoke(app, ["get", "server.port"])
    assert "parent directory" in loud.stderr
    quiet = CliRunner().invoke(app, ["get", "-q", "server.port"])
    assert (quiet.stdout, quiet.stderr) == ("8501\n", "")


def _readme_blocks(section: str, language: str) -> list[str]:
    text = (REPO / "README.md").read_text()
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", body, flags=re.S)


def _bash(script: str, project: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("jq") is None:
        missing("jq is not installed (apt-get install -y jq; .ci/run does)")
    return subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        env=_env(NO_COLOR="1"),
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_readme_shell_recipes_run(project: Path) -> None:
    path = write_config(
        project, "[runner]\nenforceSerializableSessionState = true\n[server]\nport = 8502\n"
    )
    recipes = _readme_blocks("In shell scripts", "bash")[0]
    result = _bash(recipes, project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Session State must be picklable here", "the project pins its port"]
    assert "runner.enforceSerializableSessionState\tproject" in lines
    assert f"8502 {path}:4" in lines
    # The same recipes where nothing is set: both tests are negative, nothing fails.
    path.unlink()
    quiet = _bash(recipes, project)
    assert quiet.returncode == 0, quiet.stderr
    assert "Session State must be picklable here" not in quiet.stdout
    assert "8501 null:null" in quiet.stdout.splitlines()


@pytest.mark.slow
def test_readme_ci_gate_runs_the_real_probe(project: Path) -> None:
    gate = _readme_blocks("In shell scripts", "bash")[1]
    assert "stconfig probe --expect enforced" in gate
    write_config(project, "[runner]\nenforceSerializableSessionState = true\n")
    passed = _bash(gate, project)
    assert passed.returncode == 0, passed.stderr
    write_config(project, "[runner]\nenforceSerializableSessionState = false\n")
    failed = _bash(gate, project)
    assert failed.returncode == 1
    assert "is not in force" in failed.stderr


def _without_root_powers(argv: list[str]) -> list[str]:
    """The command as a user without the power to read every file: as root, with the
    capabilities that bypass permissions dropped (root reads a mode-000 file otherwise)."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        missing("setpriv (util-linux) is not installed: needed to test unreadable files as root")
    drop = "-dac_override,-dac_read_search"
    return [setpriv, "--inh-caps=-all", f"--bounding-set={drop}", "--", *argv]


@pytest.mark.parametrize(
    "args",
    [
        ["check", "FILE"],  # Typer's path
        ["get", "--file", "FILE", "server.port"],  # the fast path
        ["get", "--file", "FILE", "--", "server.port"],  # `--`: Typer's path
        ["set", "--file", "FILE", "server.port", "1"],
        ["set", "--file", "FILE", "--", "server.port", "1"],
    ],
)
@pytest.mark.parametrize("how", ["mode-000", "in-a-locked-directory"])
def test_an_unreadable_file_is_exit_3_in_both_parsers(
    tmp_path: Path, args: list[str], how: str
) -> None:
    directory = tmp_path / "locked"
    directory.mkdir()
    path = directory / "config.toml"
    path.write_text("[server]\nport = 1\n")
    (path if how == "mode-000" else directory).chmod(0)
    try:
        argv = [sys.executable, "-m", "stconfig", *(str(path) if a == "FILE" else a for a in args)]
        run = subprocess.run(
            _without_root_powers(argv), env=_env(), capture_output=True, text=True, check=False
        )
    finally:
        (path if how == "mode-000" else directory).chmod(0o755)
    assert run.returncode == 3, run.stderr
    assert run.stderr.startswith(f"stconfig: error: {path}"), run.stderr
    assert "Permission denied" in run.stderr and "internal error" not in run.stderr
    assert path.read_text() == "[server]\nport = 1\n"


def _buffered_env() -> dict[str, str]:
    """The environment with stdout block-buffered, as usual: what is written reaches the pipe at
    the end, where Python's own exit would report a failure with a traceback-like message."""
    return {k: v for k, v in _env().items() if k != "PYTHONUNBUFFERED"}


@pytest.mark.parametrize("args", [["options", "--all"], ["show", "--all"], ["get", "server.port"]])
def test_a_reader_that_left_is_exit_0_in_both_parsers(args: list[str]) -> None:
    """`stconfig options | head -1`: the reader leaving early is not a negative answer. The pipe's
    reading end is closed before the command starts, so every write meets a broken pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "stconfig", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=_buffered_env(),
            check=False,
        )
    finally:
        os.close(write_end)
    assert (run.returncode, run.stderr) == (0, b"")

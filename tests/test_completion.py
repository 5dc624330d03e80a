"""Shell completion: the scripts in completions/ are current, and real bash, zsh and fish load them
and complete commands, options, option keys and values by running the installed `stconfig`."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from conftest import REPO, missing
from typer.testing import CliRunner

from stconfig.cli.commands import app
from stconfig.cli.completion import (
    SCRIPT_FILES,
    complete_key,
    complete_key_or_section,
    complete_value,
    completion_script,
)
from stconfig.cli.spec import SHELLS

KEY = "runner.enforceSerializableSessionState"
COMPLETIONS = REPO / "completions"
BIN = Path(sys.executable).parent  # where this interpreter's `stconfig` script is
_ANSI = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>])")


# --- the scripts ------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
def test_completions_dir_matches_the_command(shell: str) -> None:
    path = COMPLETIONS / SCRIPT_FILES[shell]
    expected = completion_script(shell)
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path.name} is stale: run python scripts/generate_completions.py"
    )
    result = CliRunner().invoke(app, ["completion", shell])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_generator_check_mode(tmp_path: Path) -> None:
    script = REPO / "scripts" / "generate_completions.py"
    out = tmp_path / "completions"
    run = [sys.executable, str(script), "--output-dir", str(out)]
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 1
    assert subprocess.run(run, capture_output=True).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(SCRIPT_FILES.values())
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 0


def test_unknown_shell_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["completion", "tcsh"])
    assert result.exit_code == 2


def test_scripts_call_back_into_stconfig() -> None:
    for shell in SHELLS:
        text = completion_script(shell)
        assert "_STCONFIG_COMPLETE=complete_" in text or "_STCONFIG_COMPLETE" in text
    assert completion_script("zsh").startswith("#compdef stconfig\n")


# --- the callbacks ----------------------------------------------------------------------------


def test_key_completion_from_the_catalog() -> None:
    assert [key for key, _ in complete_key("runner.enf")] == [KEY]
    help_text = complete_key("runner.enf")[0][1]
    assert help_text.startswith("bool: Raise an exception")
    assert all(k.startswith("server.") for k, _ in complete_key("server."))
    assert complete_key("nosuch") == []
    # Hidden options stay out of the way unless nothing visible fits.
    assert "global.developmentMode" not in [k for k, _ in complete_key("global.")]
    assert [k for k, _ in complete_key("global.developmentM")] == ["global.developmentMode"]


def test_show_completes_sections_too() -> None:
    values = [value for value, _ in complete_key_or_section("theme.li")]
    assert values[:2] == ["theme.light", "theme.light.sidebar"]
    assert "theme.light.primaryColor" in values


def _ctx(**params: str) -> click.Context:
    context = click.Context(click.Command("set"))
    context.params = dict(params)
    return context


def test_value_completion_bool_enum_and_others() -> None:
    assert [v for v, _ in complete_value(_ctx(key=KEY), "")] == ["true", "false"]
    assert complete_value(_ctx(key=KEY), "f") == [("false", "the default")]
    lax = [v for v, _ in complete_value(_ctx(key="server.xsrfCookieSameSite"), "")]
    assert lax == ["lax", "strict", "none"]
    assert complete_value(_ctx(key="server.port"), "") == []
    assert complete_value(_ctx(key="no.such"), "") == []
    assert complete_value(_ctx(), "") == []


def test_completion_protocol_in_a_subprocess(tmp_path: Path) -> None:
    """What every script does: run `stconfig` with the completion variable and the words."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "_STCONFIG_COMPLETE": "complete_bash",
        "COMP_WORDS": "stconfig get runner.enf",
        "COMP_CWORD": "2",
    }
    started = time.perf_counter()
    result = subprocess.run(
        ["stconfig"], env=env, capture_output=True, text=True, cwd=tmp_path, check=False
    )
    elapsed = time.perf_counter() - started
    assert (result.returncode, result.stdout.split()) == (0, [KEY]), result.stderr
    assert elapsed < 5


# --- real shells ------------------------------------------------------------------------------


def _require(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        missing(f"{shell} is not installed (apt-get install -y {shell}; .ci/run does)")
    return path


def _shell_env(home: Path) -> dict[str, str]:
    return {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "TERM": "xterm",
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
    }


def _clean(output: bytes) -> bytes:
    return _ANSI.sub(b"", output).replace(b"\r", b"\n")


def complete_interactively(
    argv: list[str], env: dict[str, str], setup: list[str], typed: str, timeout: float = 30.0
) -> str:
    """Type `typed` and Tab into an interactive shell on a pseudo-terminal; return the command
    line as completed (read back by moving to its start and turning it into an `echo`)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the shell
        os.execve(argv[0], argv, env)
    output = b""

    def read_until(found: Callable[[bytes], bool]) -> bool:
        nonlocal output
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            output += chunk
            if found(output):
                return True
        return False

    echoed = re.compile(rb"\n@@([^\n]*)\n")
    try:
        # The shell prints READY only once it has run the setup (the typed line reads RE''ADY).
        os.write(fd, ("\n".join(setup) + "\necho RE''ADY\n").encode())
        assert read_until(lambda out: re.search(rb"(^|\n)READY", _clean(out)) is not None), output
        mark = len(output)
        os.write(fd, (typed + "\t").encode())
        time.sleep(0.2)
        # Ctrl-A, then `echo @@` in front: the shell prints the completed line back.
        os.write(fd, b"\x01echo @@\r")
        read_until(lambda out: echoed.search(_clean(out[mark:])) is not None)
        match = echoed.search(_clean(output[mark:]))
        assert match is not None, _clean(output).decode(errors="replace")
        return match.group(1).decode().strip()
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


BASH_CASES = [
    ("stconfig get runner.enf", f"stconfig get {KEY}"),
    ("stconfig descr", "stconfig describe"),
    ("stconfig check --stri", "stconfig check --strict"),
    ("stconfig show theme.light.sid", "stconfig show theme.light.sidebar"),
    ("stconfig show --script my_a", "stconfig show --script my_app.py"),  # paths: the shell's
]


@pytest.mark.parametrize(("typed", "completed"), BASH_CASES)
def test_bash_completes(home: Path, project: Path, typed: str, completed: str) -> None:
    bash = _require("bash")
    (project / "my_app.py").write_text("")
    setup = ["PS1='$ '", f"source {COMPLETIONS / 'stconfig.bash'}"]
    line = complete_interactively(
        [bash, "--norc", "--noprofile", "-i"], _shell_env(home), setup, typed
    )
    assert line == completed


def _zsh_setup(route: str) -> list[str]:
    init = "autoload -Uz compinit && compinit -u -D"
    if route == "fpath":  # the README's way: `_stconfig` in a directory on $fpath
        return ["PS1='$ '", "bindkey -e", f"fpath=({COMPLETIONS} $fpath)", init]
    return ["PS1='$ '", "bindkey -e", init, f"source {COMPLETIONS / '_stconfig'}"]


@pytest.mark.parametrize("route", ["fpath", "source"])
@pytest.mark.parametrize(
    ("typed", "completed"),
    [
        ("stconfig get runner.enf", f"stconfig get {KEY}"),
        ("stconfig describe server.xsrfCook", "stconfig describe server.xsrfCookieSameSite"),
        ("stconfig check --stri", "stconfig check --strict"),
        ("stconfig check my_a", "stconfig check my_app.py"),
    ],
)
def test_zsh_completes(home: Path, project: Path, route: str, typed: str, completed: str) -> None:
    zsh = _require("zsh")
    (project / "my_app.py").write_text("")
    line = complete_interactively([zsh, "-f", "-i"], _shell_env(home), _zsh_setup(route), typed)
    assert line == completed


def _fish_complete(home: Path, commandline: str, *, autoload: bool = False) -> list[str]:
    fish = _require("fish")
    env = _shell_env(home)
    if autoload:  # the README's way: ~/.config/fish/completions/stconfig.fish
        target = home / ".config" / "fish" / "completions"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(COMPLETIONS / "stconfig.fish", target / "stconfig.fish")
        script = f"complete -C{commandline!r}"
        argv = [fish, "-c", script]
    else:
        script = f"source {COMPLETIONS / 'stconfig.fish'}; complete -C{commandline!r}"
        argv = [fish, "--no-config", "-c", script]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_fish_completes_a_key_with_its_description(home: Path) -> None:
    assert _fish_complete(home, "stconfig get runner.enf") == [KEY]


def test_fish_autoloads_from_its_completions_dir(home: Path) -> None:
    assert _fish_complete(home, "stconfig describe runner.enf", autoload=True) == [KEY]


def test_fish_completes_commands_options_and_paths(home: Path, project: Path) -> None:
    assert "describe" in _fish_complete(home, "stconfig desc")
    assert _fish_complete(home, "stconfig check --stri") == ["--strict"]
    (project / "my_app.py").write_text("")
    assert _fish_complete(home, "stconfig check my_a") == ["my_app.py"]


def test_values_complete_in_real_shells(home: Path) -> None:
    bash = _require("bash")
    setup = ["PS1='$ '", f"source {COMPLETIONS / 'stconfig.bash'}"]
    line = complete_interactively(
        [bash, "--norc", "--noprofile", "-i"], _shell_env(home), setup, f"stconfig set {KEY} tr"
    )
    assert line == f"stconfig set {KEY} true"
    zsh = _require("zsh")
    line = complete_interactively(
        [zsh, "-f", "-i"],
        _shell_env(home),
        _zsh_setup("fpath"),
        "stconfig set server.xsrfCookieSameSite st",
    )
    assert line == "stconfig set server.xsrfCookieSameSite strict"
    values = _fish_complete(home, "stconfig set server.xsrfCookieSameSite ")
    assert sorted(values) == ["lax", "none", "strict"]  # fish sorts them

"""A secret never reaches any output: `server.cookieSecret` planted in the project file, in its
environment variable, or reaching other options through `"env:NAME"` references, and every view
that could print it (tables on a terminal, TOML, JSON, lists, messages, diffs, findings, the probe
and the audit) asked. Each shows `<hidden>` where it shows the key, and the secret's text nowhere,
on stdout or stderr."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import write_config
from test_shell_contract import _env, _on_terminal
from typer.testing import CliRunner

from stconfig.cli.commands import app
from stconfig.redact import HIDDEN, diff_lines

SECRET = "s3cr3t-Planted-7f"
NEW_SECRET = "n3w-s3cr3t-Typed-9q"
SECRET_KEY = "server.cookieSecret"
ENFORCE = "runner.enforceSerializableSessionState"
APPS = Path(__file__).resolve().parent / "apps" / "audit"


@dataclass(frozen=True)
class World:
    """Where the secret is planted, and which options then carry it."""

    config: str
    env: dict[str, str]
    keys: tuple[str, ...]  # the options whose value is the secret
    in_file: tuple[str, ...]  # those of them set in the project file


WORLDS = {
    "file": World(
        f'[server]\nport = 8600\ncookieSecret = "{SECRET}"\nheadless = true\n',
        {},
        (SECRET_KEY,),
        (SECRET_KEY,),
    ),
    "env": World(
        "[server]\nport = 8600\nheadless = true\n",
        {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET},
        (SECRET_KEY,),
        (),
    ),
    # The secret's own variable, and a variable the secret option names, each read by another
    # option too: Streamlit replaces `"env:NAME"` values by the variable's value.
    "env_ref": World(
        '[server]\nport = 8600\ncookieSecret = "env:APP_COOKIE"\n'
        '[runner]\nenforceSerializableSessionState = "env:APP_COOKIE"\n'
        '[browser]\nserverAddress = "env:STREAMLIT_SERVER_COOKIE_SECRET"\n',
        {"APP_COOKIE": SECRET, "STREAMLIT_SERVER_COOKIE_SECRET": SECRET},
        (SECRET_KEY, ENFORCE, "browser.serverAddress"),
        (SECRET_KEY, ENFORCE, "browser.serverAddress"),
    ),
}


@dataclass(frozen=True)
class Output:
    """One view: its arguments (KEY stands for each secret-carrying option in turn), how it is
    run, and what it must say."""

    args: tuple[str, ...]
    terminal: bool = False
    # The exit code in a world (default 0); `hidden`: whether `<hidden>` must appear there.
    code: Callable[[World, str], int] = lambda world, key: 0
    hidden: Callable[[World, str], bool] = lambda world, key: True
    worlds: tuple[str, ...] = tuple(WORLDS)
    slow: bool = False
    extra: tuple[str, ...] = field(default=())  # more secrets that must not appear


def _in_file(world: World, key: str) -> bool:
    return key in world.in_file


def _not_set_there(world: World, key: str) -> int:
    return 0 if key in world.in_file else 1


def _file_secret_in_diff(world: World, key: str) -> bool:
    return bool(world.in_file)


OUTPUTS = {
    "show-terminal": Output(("show",), terminal=True),
    "show-layers-terminal": Output(("show", "--layers"), terminal=True),
    "show-all-terminal": Output(("show", "--all"), terminal=True),
    "show-piped": Output(("show",)),
    "show-layers-piped": Output(("show", "--layers")),
    "show-json": Output(("show", "--json")),
    "show-layers-json": Output(("show", "--layers", "--json")),
    "show-list": Output(("show", "--list")),
    "show-origin": Output(("show", "--show-origin")),
    "show-key": Output(("show", "KEY", "--layers")),
    "get": Output(("get", "KEY")),
    "get-origin": Output(("get", "--show-origin", "KEY")),
    "get-json": Output(("get", "--json", "KEY")),
    "get-project": Output(("get", "--project", "KEY"), code=_not_set_there, hidden=_in_file),
    "get-project-json": Output(
        ("get", "--project", "--json", "KEY"), code=_not_set_there, hidden=_in_file
    ),
    # A file no layer reads (the project file is empty): its `"env:NAME"` values are judged on
    # their own.
    "get-file": Output(
        ("get", "--file", "other.toml", "KEY"), code=_not_set_there, hidden=_in_file
    ),
    "get-file-json": Output(
        ("get", "--file", "other.toml", "--json", "KEY"), code=_not_set_there, hidden=_in_file
    ),
    "files": Output(("files",), hidden=lambda world, key: False),
    "files-json": Output(("files", "--json"), hidden=lambda world, key: False),
    "describe": Output(("describe", "KEY")),
    "describe-json": Output(("describe", "--json", "KEY")),
    # Only a value read from a secret's variable can be wrong; its finding describes it.
    "check": Output(
        ("check",),
        code=lambda world, key: 1 if world.keys != (SECRET_KEY,) else 0,
        hidden=lambda world, key: world.keys != (SECRET_KEY,),
    ),
    "check-json-file": Output(
        ("check", "--json", ".streamlit/config.toml"),
        code=lambda world, key: 1 if world.keys != (SECRET_KEY,) else 0,
        hidden=lambda world, key: world.keys != (SECRET_KEY,),
    ),
    # A neighbour's change: the secret's line is context.
    "set-neighbour-dry-run": Output(
        ("set", "--dry-run", "server.port", "8700"), hidden=_file_secret_in_diff
    ),
    "set-secret-dry-run": Output(("set", "--dry-run", SECRET_KEY, NEW_SECRET), extra=(NEW_SECRET,)),
    "set-secret-dry-run-json": Output(
        ("set", "--dry-run", "--json", SECRET_KEY, NEW_SECRET), extra=(NEW_SECRET,)
    ),
    "set-secret-bad-bytes": Output(
        ("set", SECRET_KEY, "BADBYTES"), code=lambda world, key: 2, extra=(NEW_SECRET,)
    ),
    "unset-neighbour-dry-run": Output(
        ("unset", "--dry-run", "server.port"), hidden=_file_secret_in_diff
    ),
    "unset-secret-dry-run": Output(
        ("unset", "--dry-run", SECRET_KEY),
        code=lambda world, key: _not_set_there(world, SECRET_KEY),
        hidden=lambda world, key: SECRET_KEY in world.in_file,
    ),
    "unset-secret-dry-run-json": Output(
        ("unset", "--dry-run", "--json", SECRET_KEY),
        code=lambda world, key: _not_set_there(world, SECRET_KEY),
        hidden=lambda world, key: SECRET_KEY in world.in_file,
    ),
    # The real Streamlit reports the value it resolved for the probed option: here the secret.
    "probe-json": Output(("probe", "--json"), worlds=("env_ref",), slow=True),
    "audit": Output(
        ("audit", "app.py"), worlds=("env_ref",), slow=True, hidden=lambda world, key: False
    ),
}


def _cases() -> list[object]:
    cases = []
    for name, output in OUTPUTS.items():
        for world in output.worlds:
            marks = [pytest.mark.slow] if output.slow else []
            cases.append(pytest.param(name, world, marks=marks, id=f"{name}-{world}"))
    return cases


def _argv(output: Output, key: str) -> list[str]:
    return [key if arg == "KEY" else arg for arg in output.args]


def _run(argv: list[str], env: dict[str, str], terminal: bool) -> tuple[int, str]:
    """Exit code and everything printed (stdout and stderr)."""
    if "BADBYTES" in argv:
        # Bytes the locale cannot decode reach Python as surrogates: a real process is needed.
        index = argv.index("BADBYTES")
        raw = [arg.encode() for arg in argv]
        raw[index] = NEW_SECRET.encode() + b"\xff"
        done = subprocess.run(["stconfig", *raw], env=_env(**env), capture_output=True)
        return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")
    if terminal:
        code, printed = _on_terminal(argv, _env(COLUMNS="200", **env))
        return code, printed.decode("utf-8", "replace")
    result = CliRunner().invoke(app, argv, env=env)
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(("output_name", "world_name"), _cases())
def test_no_output_shows_a_secret(output_name: str, world_name: str, project: Path) -> None:
    output, world = OUTPUTS[output_name], WORLDS[world_name]
    if "other.toml" in output.args:
        (project / "other.toml").write_text(world.config)
    else:
        write_config(project, world.config)
    if output_name == "audit":
        shutil.copytree(APPS / "clean", project, dirs_exist_ok=True)
    keys = world.keys if "KEY" in output.args else (world.keys[0],)
    for key in keys:
        code, printed = _run(_argv(output, key), world.env, output.terminal)
        assert code == output.code(world, key), (key, printed)
        for secret in (SECRET, *output.extra):
            assert secret not in printed, (key, printed)
        if output.hidden(world, key):
            assert HIDDEN in printed, (key, printed)
        assert "internal error" not in printed and "Traceback" not in printed, printed


def _shown(text: str) -> list[str]:
    lines = diff_lines(text, frozenset({("server", "cookieSecret")}))
    assert [line.original for line in lines] == text.splitlines(keepends=True)
    return [str(line) for line in lines]


def test_diff_lines_hide_every_form_a_secret_takes() -> None:
    multiline = 'server.cookieSecret = """a\nSECRET-middle\nb"""  # note\nport = 1\r\n'
    assert _shown(multiline) == [
        "server.cookieSecret = <hidden>\n",
        "\n",
        "  # note\n",
        "port = 1\r\n",
    ]
    inline = 'server = {port = 1, cookieSecret = "SECRET-inline"}\n[other]\nx = 1'
    assert _shown(inline) == [
        "server = {port = 1, cookieSecret = <hidden>}\n",
        "[other]\n",
        "x = 1",
    ]
    table = "[server]\ncookieSecret = 'SECRET-literal'\n[other.server]\ncookieSecret = 'shown'\n"
    # Only the option's own key is hidden: other.server.cookieSecret is not server.cookieSecret.
    assert _shown(table) == [
        "[server]\n",
        "cookieSecret = <hidden>\n",
        "[other.server]\n",
        "cookieSecret = 'shown'\n",
    ]


def test_a_changed_secret_is_a_changed_line_in_the_diff(project: Path) -> None:
    write_config(project, f'[server]\ncookieSecret = "{SECRET}"\nport = 1\n')
    result = CliRunner().invoke(app, ["set", "--dry-run", SECRET_KEY, NEW_SECRET])
    assert result.exit_code == 0
    assert "-cookieSecret = <hidden>\n+cookieSecret = <hidden>\n port = 1" in result.stdout


def test_diff_lines_hide_two_secrets_on_one_line() -> None:
    lines = diff_lines('a = {x = "long-secret-1", y = "s2"}\n', frozenset({("a", "x"), ("a", "y")}))
    assert [str(line) for line in lines] == ["a = {x = <hidden>, y = <hidden>}\n"]

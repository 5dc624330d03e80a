"""The one declaration of every command (`stconfig/cli/spec.py`) and the two parsers built from it:
Typer's click commands have exactly the declared kinds and arities, and the Typer-free fast path
reads every plain call as Typer reads it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stconfig.cli import fastpath
from stconfig.cli.commands import app, options_from_params
from stconfig.cli.spec import COMMANDS, SHELLS, Command, Opt, Options
from stconfig.cli.typer_compat import ClickException

GROUP: Any = typer.main.get_command(app)

_ARITY = {"one": (1, True), "optional": (1, False), "many": (-1, False), "some": (-1, True)}


def _click_command(name: str) -> Any:
    return GROUP.commands[name]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_typer_commands_have_the_declared_kinds_and_arities(command: Command) -> None:
    click_command = _click_command(command.name)
    options = {p.name: p for p in click_command.params if p.param_type_name == "option"}
    arguments = [p for p in click_command.params if p.param_type_name == "argument"]
    assert set(options) - {"help"} == {opt.dest for opt in command.options}
    for opt in command.options:
        param = options[opt.dest]
        assert tuple(param.opts) == opt.names, opt.dest
        assert param.is_flag == (opt.kind == "flag"), opt.dest
        assert param.multiple == opt.repeat, opt.dest
        assert param.nargs == 1, opt.dest
        if opt.kind == "choice":
            assert _accepted(command, [opt.names[0]], opt.dest) == tuple(sorted(opt.choices))
    assert [p.name for p in arguments] == [arg.dest for arg in command.args]
    for param, arg in zip(arguments, command.args, strict=True):
        assert (param.nargs, param.required) == _ARITY[arg.arity], arg.dest
        assert param.metavar == arg.metavar
        if arg.kind == "choice":
            assert _accepted(command, [], arg.dest) == tuple(sorted(arg.choices))


def _accepted(command: Command, prefix: list[str], dest: str) -> tuple[str, ...]:
    """The values of a choice that click accepts (in upper case too), each as it returns it."""
    click_command = _click_command(command.name)
    accepted = []
    for word in ("bogus", *sorted({c for o in command.options for c in o.choices} | set(SHELLS))):
        try:
            context = click_command.make_context(command.name, [*prefix, word.upper()])
        except ClickException:
            continue
        accepted.append(context.params[dest])
    return tuple(sorted(accepted))


def test_commands_are_listed_in_the_declared_order_and_in_full() -> None:
    assert list(GROUP.commands) == [command.name for command in COMMANDS]
    result = CliRunner().invoke(app, ["--help"])
    listing = " ".join(result.stdout.split())
    for command in COMMANDS:
        assert f"{command.name} {command.summary}" in listing


def test_bare_stconfig_prints_the_help() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0
    assert "Commands:" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_usage_names_arguments_as_declared(command: Command) -> None:
    result = CliRunner().invoke(app, [command.name, "--help"])
    assert result.exit_code == 0
    words = [f"Usage: stconfig {command.name} [OPTIONS]"]
    for arg in command.args:
        name = arg.metavar
        if arg.arity in ("many", "some") and not name.endswith("..."):
            name += "..."
        words.append(name if arg.arity in ("one", "some") else f"[{name}]")
    assert result.stdout.splitlines()[0] == " ".join(words)
    assert "<" not in result.stdout.split("Options:")[0]  # no Typer type tags such as <str>


_WORD = st.text("abcxyz._/019", min_size=1, max_size=8).filter(lambda w: not w.startswith("-"))
# Negative numbers are values to both parsers, wherever they stand.
_POSITIONAL = _WORD | st.sampled_from(["-1", "-1.5", "-inf", "-1e3", "-0"])


def _option_words(opt: Opt) -> st.SearchStrategy[list[str]]:
    if opt.kind == "flag":
        return st.sampled_from([[name] for name in opt.names])
    value = _WORD
    if opt.kind == "float":
        value = st.floats(0.1, 100, allow_nan=False).map(repr)
    elif opt.kind == "choice":
        value = st.sampled_from(opt.choices)

    def words(name: str, text: str, inline: bool) -> list[str]:
        return [f"{name}={text}"] if inline and name.startswith("--") else [name, text]

    occurrence = st.builds(words, st.sampled_from(opt.names), value, st.booleans())
    if opt.repeat:
        return st.lists(occurrence, min_size=1, max_size=3).map(
            lambda ws: [w for words in ws for w in words]
        )
    return occurrence


@st.composite
def plain_calls(draw: st.DrawFn) -> tuple[Command, list[str]]:
    command = draw(st.sampled_from([c for c in COMMANDS if c.fast]))
    chosen = draw(st.lists(st.sampled_from(command.options), unique=True, max_size=6))
    groups = [draw(_option_words(opt)) for opt in chosen]
    positionals: list[str] = []
    for arg in command.args:
        low = 1 if arg.arity in ("one", "some") else 0
        high = 1 if arg.arity in ("one", "optional") else 3
        positionals += draw(st.lists(_POSITIONAL, min_size=low, max_size=high))
    # click reads options and positionals interleaved: option groups go anywhere, while the
    # positionals keep their relative order.
    order = draw(st.permutations(range(len(groups) + len(positionals))))
    argv = [command.name]
    positional_iter = iter(positionals)
    for index in order:
        if index < len(groups):
            argv += groups[index]
        else:
            argv.append(next(positional_iter))
    return command, argv


def _typer_options(argv: list[str]) -> Options:
    click_command = _click_command(argv[0])
    context = click_command.make_context(argv[0], argv[1:])
    return options_from_params(context.params)


@given(plain_calls())
@settings(max_examples=300, deadline=None)
def test_fast_path_reads_plain_calls_as_typer_does(call: tuple[Command, list[str]]) -> None:
    command, argv = call
    parsed = fastpath.parse(argv)
    assert parsed is not None, argv
    assert parsed[0] is command
    assert parsed[1] == _typer_options(argv), argv


@pytest.mark.parametrize(
    "argv",
    [
        ["get", "--help"],
        ["get"],
        ["get", "a", "b"],
        ["set", "runner.x"],
        ["show", "--json=1"],
        ["show", "-qC", "x"],
        ["show", "--", "x"],
        ["show", "--no-such"],
        ["get", "--flag"],
        ["check"],
        [],
    ],
)
def test_fast_path_leaves_the_rest_to_typer(argv: list[str]) -> None:
    assert fastpath.parse(argv) is None


def test_fast_path_example() -> None:
    parsed = fastpath.parse(["show", "--json", "-C", "x", "--flag=a=b", "runner"])
    assert parsed is not None
    assert parsed[1] == Options(json_=True, project_dir=Path("x"), flag=("a=b",), keys=("runner",))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["set", "server.port", "-1"], Options(key="server.port", values=("-1",))),
        (
            ["set", "-q", "server.port", "-1.5"],
            Options(key="server.port", values=("-1.5",), quiet=True),
        ),
        (
            ["set", "x.y", "-inf", "-2", "--dry-run"],
            Options(key="x.y", values=("-inf", "-2"), dry_run=True),
        ),
        (
            ["get", "--flag", "server.port=-1", "server.port"],
            Options(key="server.port", flag=("server.port=-1",)),
        ),
        (
            ["get", "--flag=server.port=-1", "server.port"],
            Options(key="server.port", flag=("server.port=-1",)),
        ),
        (["show", "--flag", "-1", "server"], Options(keys=("server",), flag=("-1",))),
    ],
)
def test_negative_numbers_are_values_to_both_parsers(argv: list[str], expected: Options) -> None:
    parsed = fastpath.parse(argv)
    assert parsed is not None and parsed[1] == expected
    assert _typer_options(argv) == expected


def test_negative_number_set_through_typer_and_the_fast_path(project: Path) -> None:
    # An int option Streamlit takes negative (a negative port it refuses at start).
    typer_run = CliRunner().invoke(
        app, ["set", "server.maxMessageSize", "-1"]
    )  # CliRunner: Typer's path
    assert typer_run.exit_code == 0, typer_run.output
    assert (project / ".streamlit" / "config.toml").read_text() == "[server]\nmaxMessageSize = -1\n"
    fast = subprocess.run(
        [sys.executable, "-m", "stconfig", "set", "server.maxMessageSize", "-2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert fast.returncode == 0, fast.stderr
    assert (project / ".streamlit" / "config.toml").read_text() == "[server]\nmaxMessageSize = -2\n"
    assert "No such option" not in typer_run.output + fast.stderr

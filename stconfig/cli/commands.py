"""The Typer app, built from `spec`: one command per declaration.

Each command is a generated function whose signature Typer reads (parameter names, types and
`typer.Option`/`typer.Argument` annotations, all derived from the declaration); it packs what
click parsed into `Options` and calls the command's `run_*` function. Core errors
(`StconfigError`) and click's usage errors both end as one `stconfig: error: ...` line on stderr
with the exit code of SPEC.md.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

import typer
from typer.core import TyperGroup

from stconfig import __version__
from stconfig.cli import completion
from stconfig.cli.output import error_line, run_guarded
from stconfig.cli.spec import COMMANDS, Arg, Command, Kind, Opt, Options, runner
from stconfig.cli.typer_compat import ClickException, NoArgsIsHelpError, PlainCommand
from stconfig.errors import ExitCode, UsageError

_COMPLETERS: dict[str, Callable[..., Any]] = {
    "key": completion.complete_key,
    "key_or_section": completion.complete_key_or_section,
    "value": completion.complete_value,
}
_DEFAULTS = {f.name: f.default for f in fields(Options)}


class _Group(TyperGroup):
    """Runs a command and turns whatever it raises into a message and an exit code."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and "." in args[0]:
            # `stconfig server.port`: an option key where a command goes.
            raise UsageError(
                f"{args[0]!r} is not a command",
                hint=f"to read an option: stconfig get {args[0]}",
            )
        return super().resolve_command(ctx, args)

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False

        def invoke() -> int:
            try:
                result = super(_Group, self).main(*args, **kwargs)
            except NoArgsIsHelpError as error:
                # A bare `stconfig` asks what there is: the help is the answer, not an error.
                sys.stdout.write(error.format_message() + "\n")
                return ExitCode.OK
            except ClickException as error:
                context = getattr(error, "ctx", None)
                command = context.command_path if context is not None else "stconfig"
                error_line(error.format_message(), f"see '{command} --help'")
                return int(getattr(error, "exit_code", ExitCode.USAGE))
            except typer.Abort:
                raise KeyboardInterrupt from None
            return result if isinstance(result, int) else ExitCode.OK

        sys.exit(run_guarded(invoke))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stconfig {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=_Group,
    name="stconfig",
    help="git config, but for Streamlit: which value wins, from where; safe edits; a real probe.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """See and edit Streamlit's layered config exactly as the installed Streamlit resolves it.

    Exit codes: 0 ok, 1 negative answer, 2 usage, 3 config file error, 4 probe could not run.
    """


def _python_type(kind: Kind, choices: tuple[str, ...]) -> Any:
    if kind == "choice":
        return Literal.__getitem__(choices)
    return {"flag": bool, "text": str, "path": Path, "float": float, "int": int}[kind]


def _option_parameter(opt: Opt) -> inspect.Parameter:
    element = _python_type(opt.kind, opt.choices)
    default = _DEFAULTS[opt.dest]
    info = typer.Option(
        *opt.names,
        help=opt.help,
        metavar=opt.metavar,
        show_default=default not in (None, False, ()),
        case_sensitive=False,
        readable=False,  # a file stconfig cannot read is its error to report (exit 3), not click's
    )
    if opt.repeat:
        hint, default = list[element] | None, None  # type: ignore[valid-type]
    elif default is None:
        hint = element | None
    else:
        hint = element
    return inspect.Parameter(
        opt.dest, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[hint, info]
    )


def _argument_parameter(arg: Arg) -> inspect.Parameter:
    element = _python_type(arg.kind, arg.choices)
    info = typer.Argument(
        metavar=arg.metavar,
        help=arg.help,
        show_default=False,
        case_sensitive=False,
        readable=False,
        autocompletion=_COMPLETERS[arg.complete] if arg.complete else None,
    )
    hint: Any
    default: Any = inspect.Parameter.empty
    if arg.arity == "one":
        hint = element
    elif arg.arity == "optional":
        hint, default = element | None, None
    elif arg.arity == "some":
        hint = list[element]  # type: ignore[valid-type]
    else:
        hint, default = list[element] | None, None  # type: ignore[valid-type]
    return inspect.Parameter(
        arg.dest, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[hint, info]
    )


def options_from_params(params: dict[str, Any]) -> Options:
    """What click parsed for a command, as the `Options` its `run_*` function takes."""
    values: dict[str, Any] = {
        dest: tuple(value) if isinstance(value, list) else value
        for dest, value in params.items()
        if value is not None
    }
    return Options(**values)


def _typer_function(command: Command) -> Callable[..., int]:
    parameters = [_argument_parameter(a) for a in command.args]
    parameters += [_option_parameter(o) for o in command.options]

    def invoke(**given: Any) -> int:
        # Guarded here, inside Typer's main, which would turn a broken pipe into exit 1.
        return run_guarded(lambda: runner(command)(options_from_params(given)))

    invoke.__name__ = command.name
    invoke.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    invoke.__annotations__ = {p.name: p.annotation for p in parameters}
    return invoke


for _command in COMMANDS:
    app.command(
        name=_command.name,
        cls=PlainCommand,
        help=f"{_command.summary}\n\n{_command.help}",
        short_help=_command.summary,
    )(_typer_function(_command))

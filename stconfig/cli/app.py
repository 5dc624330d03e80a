"""The Typer application, the options every command shares, and the one place errors become exits.

Commands live in sibling modules and register themselves on `app`; each parses its options, calls
one core function and renders the result. Core errors (`StconfigError`) and click's usage errors
both end as one `stconfig: error: ...` line on stderr with the exit code of SPEC.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from stconfig import __version__
from stconfig.cli import options
from stconfig.cli.output import error_line, run_guarded
from stconfig.errors import ExitCode

# Typer re-exports click's BadParameter; its ClickException base is what every click error is.
_ClickException: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"
)


class _Group(TyperGroup):
    """Runs a command and turns whatever it raises into a message and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False

        def invoke() -> int:
            try:
                result = super(_Group, self).main(*args, **kwargs)
            except _ClickException as error:
                context = getattr(error, "ctx", None)
                command = context.command_path if context is not None else "stconfig"
                error_line(error.format_message(), f"see '{command} --help'")  # type: ignore[attr-defined]
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


def _option(opt: options.Opt, **extra: Any) -> Any:
    metavar = "KEY=VALUE" if opt.kind == "multi" else None
    return typer.Option(*opt.names, help=opt.help, metavar=metavar, show_default=False, **extra)


ProjectDirOption = Annotated[Path | None, _option(options.PROJECT_DIR)]
ScriptOption = Annotated[Path | None, _option(options.SCRIPT)]
NoEnvOption = Annotated[bool, _option(options.NO_ENV)]
FlagOption = Annotated[list[str] | None, _option(options.FLAG)]
JsonOption = Annotated[bool, _option(options.JSON)]
QuietOption = Annotated[bool, _option(options.QUIET)]
ProjectTargetOption = Annotated[bool, _option(options.PROJECT)]
GlobalTargetOption = Annotated[bool, _option(options.GLOBAL)]
ScriptDirTargetOption = Annotated[bool, _option(options.SCRIPT_DIR)]
FileTargetOption = Annotated[Path | None, _option(options.FILE)]

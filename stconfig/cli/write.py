"""Write commands as Typer sees them: set and unset (work in `writing`)."""

from __future__ import annotations

from typing import Annotated

import typer

from stconfig.cli import options as opts
from stconfig.cli import writing
from stconfig.cli.app import (
    FileTargetOption,
    FlagOption,
    GlobalTargetOption,
    JsonOption,
    NoEnvOption,
    ProjectDirOption,
    ProjectTargetOption,
    QuietOption,
    ScriptDirTargetOption,
    ScriptOption,
    app,
)
from stconfig.cli.completion import complete_key, complete_value

KeyArgument = Annotated[
    str,
    typer.Argument(
        metavar="KEY", help="Option key, e.g. server.port.", autocompletion=complete_key
    ),
]
DryRunOption = Annotated[bool, typer.Option(*opts.DRY_RUN.names, help=opts.DRY_RUN.help)]
ForceOption = Annotated[bool, typer.Option(*opts.FORCE.names, help=opts.FORCE.help)]


@app.command(name="set")
def set_(
    key: KeyArgument,
    values: Annotated[
        list[str],
        typer.Argument(
            metavar="VALUE...",
            help="The value; one per element for list options.",
            autocompletion=complete_value,
        ),
    ],
    dry_run: DryRunOption = False,
    force: ForceOption = False,
    project: ProjectTargetOption = False,
    global_: GlobalTargetOption = False,
    script_dir: ScriptDirTargetOption = False,
    file: FileTargetOption = None,
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    no_env: NoEnvOption = False,
    flag: FlagOption = None,
    quiet: QuietOption = False,
) -> int:
    """Write an option into one config file, keeping every other byte.

    Checks KEY against the installed Streamlit's options and VALUE against its type. Creates
    .streamlit/config.toml when missing; writes nothing when the value is already there. Warns
    when a higher layer (env, flag, a nearer file) still overrides it.

    Example: stconfig set runner.enforceSerializableSessionState true
    """
    return writing.run_set(
        key,
        values,
        dry_run=dry_run,
        force=force,
        project=project,
        global_=global_,
        script_dir=script_dir,
        file=file,
        json_=json_,
        project_dir=project_dir,
        script=script,
        no_env=no_env,
        flag=flag,
        quiet=quiet,
    )


@app.command()
def unset(
    key: KeyArgument,
    dry_run: DryRunOption = False,
    force: ForceOption = False,
    project: ProjectTargetOption = False,
    global_: GlobalTargetOption = False,
    script_dir: ScriptDirTargetOption = False,
    file: FileTargetOption = None,
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    no_env: NoEnvOption = False,
    flag: FlagOption = None,
    quiet: QuietOption = False,
) -> int:
    """Remove an option from one config file (exit 1 when it is not set there).

    Its table header goes too when nothing, not even a comment, is left under it.

    Example: stconfig unset runner.enforceSerializableSessionState --global
    """
    return writing.run_unset(
        key,
        dry_run=dry_run,
        force=force,
        project=project,
        global_=global_,
        script_dir=script_dir,
        file=file,
        json_=json_,
        project_dir=project_dir,
        script=script,
        no_env=no_env,
        flag=flag,
        quiet=quiet,
    )

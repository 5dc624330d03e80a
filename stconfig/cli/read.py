"""Read commands as Typer sees them: show, get, files, options, describe (work in `reading`)."""

from __future__ import annotations

from typing import Annotated

import typer

from stconfig.cli import options as opts
from stconfig.cli import reading
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
from stconfig.cli.completion import complete_key, complete_key_or_section


@app.command()
def show(
    keys: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="KEY_OR_SECTION",
            help="Only these options or sections.",
            autocompletion=complete_key_or_section,
        ),
    ] = None,
    all_: Annotated[bool, typer.Option(*opts.ALL.names, help=opts.ALL.help)] = False,
    layers: Annotated[bool, typer.Option(*opts.LAYERS.names, help=opts.LAYERS.help)] = False,
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    no_env: NoEnvOption = False,
    flag: FlagOption = None,
    quiet: QuietOption = False,
) -> int:
    """The effective config, each value with its source.

    A table on a terminal; valid TOML with source comments when piped; JSON with --json.
    Without arguments: every option set in some layer.

    Example: stconfig show runner --layers
    """
    return reading.run_show(
        keys,
        all_=all_,
        layers=layers,
        json_=json_,
        project_dir=project_dir,
        script=script,
        no_env=no_env,
        flag=flag,
        quiet=quiet,
    )


@app.command()
def get(
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY", help="Option key, e.g. server.port.", autocompletion=complete_key
        ),
    ],
    show_origin: Annotated[
        bool, typer.Option(*opts.SHOW_ORIGIN.names, help=opts.SHOW_ORIGIN.help)
    ] = False,
    json_: JsonOption = False,
    project: ProjectTargetOption = False,
    global_: GlobalTargetOption = False,
    script_dir: ScriptDirTargetOption = False,
    file: FileTargetOption = None,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    no_env: NoEnvOption = False,
    flag: FlagOption = None,
    quiet: QuietOption = False,
) -> int:
    """The effective value of one option, shell-friendly.

    true/false, numbers as written, strings bare, lists as JSON. With a target (--project,
    --global, --script-dir, --file) only that file counts: exit 1 when the key is not set there.

    Example: [ "$(stconfig get runner.enforceSerializableSessionState)" = true ]
    """
    return reading.run_get(
        key,
        show_origin=show_origin,
        json_=json_,
        project=project,
        global_=global_,
        script_dir=script_dir,
        file=file,
        project_dir=project_dir,
        script=script,
        no_env=no_env,
        flag=flag,
        quiet=quiet,
    )


@app.command()
def files(
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    no_env: NoEnvOption = False,
    quiet: QuietOption = False,
) -> int:
    """Every layer: scope, path, whether it exists and parses; STREAMLIT_* vars; Streamlit found.

    Example: stconfig files --script app.py --json
    """
    return reading.run_files(
        json_=json_, project_dir=project_dir, script=script, no_env=no_env, quiet=quiet
    )


@app.command()
def options(
    pattern: Annotated[
        str | None,
        typer.Argument(
            metavar="PATTERN",
            help="A glob, a section name or part of a key.",
            autocompletion=complete_key_or_section,
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include hidden options.")] = False,
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
) -> int:
    """Streamlit's option catalog: key, type, default (exit 1 when nothing matches).

    Example: stconfig options 'runner.*'
    """
    return reading.run_options(pattern, all_=all_, json_=json_, project_dir=project_dir)


@app.command()
def describe(
    key: Annotated[
        str, typer.Argument(metavar="KEY", help="Option key.", autocompletion=complete_key)
    ],
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
) -> int:
    """Everything the catalog knows about one option.

    Example: stconfig describe runner.enforceSerializableSessionState
    """
    return reading.run_describe(key, json_=json_, project_dir=project_dir)

"""Write commands as Typer sees them: set and unset (work in `stconfig.write`)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

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
from stconfig.cli.output import Messages, emit
from stconfig.errors import ExitCode
from stconfig.model import Value
from stconfig.render import HIDDEN
from stconfig.resolve import Context
from stconfig.values import to_text
from stconfig.write import TargetChoice, WriteOutcome, display_path, set_option, unset_option

KeyArgument = Annotated[
    str, typer.Argument(help="Option key, e.g. server.port.", autocompletion=complete_key)
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a unified diff; write nothing.")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Write a key the installed Streamlit does not know.")
]


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
    context = Context.create(project_dir=project_dir, script=script, use_env=not no_env, flags=flag)
    choice = TargetChoice(project=project, global_=global_, script_dir=script_dir, file=file)
    outcome = set_option(context, key, values, choice, force=force, dry_run=dry_run)
    return _report(outcome, dry_run=dry_run, json_=json_, quiet=quiet)


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
    context = Context.create(project_dir=project_dir, script=script, use_env=not no_env, flags=flag)
    choice = TargetChoice(project=project, global_=global_, script_dir=script_dir, file=file)
    outcome = unset_option(context, key, choice, force=force, dry_run=dry_run)
    return _report(outcome, dry_run=dry_run, json_=json_, quiet=quiet)


def _report(outcome: WriteOutcome, *, dry_run: bool, json_: bool, quiet: bool) -> int:
    messages = Messages(quiet)
    for warning in outcome.warnings:
        messages.warn(warning)
    if json_:
        emit(json.dumps(outcome.to_json(), indent=2, ensure_ascii=False))
    elif dry_run and outcome.diff:
        emit(outcome.diff.rstrip("\n"))
    where = f"{outcome.target.scope.value} {display_path(outcome.target.path)}:{outcome.line}"
    old, new = _shown(outcome, outcome.old), _shown(outcome, outcome.new)
    if not outcome.changed:
        messages.note(f"{where} {outcome.key} is already {new}: nothing written")
    elif dry_run:
        messages.note(f"{where} {outcome.key}: {old} -> {new} (dry run: nothing written)")
    else:
        messages.note(f"{where} {outcome.key}: {old} -> {new}")
    for source in outcome.overridden_by:
        messages.warn(f"{source.describe()} still overrides {outcome.key}")
    return ExitCode.OK


def _shown(outcome: WriteOutcome, value: Value | None) -> str:
    if value is None:
        return "(not set)"
    if outcome.sensitive:
        return HIDDEN
    return json.dumps(value) if isinstance(value, str) else to_text(value)

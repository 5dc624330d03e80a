"""The write commands' work: call `stconfig.write`, report the change. Free of typer, so `set`
and `unset` take the fast path that `get` and `show` take."""

from __future__ import annotations

import json
from pathlib import Path

from stconfig.cli.output import Messages, emit
from stconfig.errors import ExitCode
from stconfig.locate import display_path
from stconfig.model import Value
from stconfig.render import HIDDEN
from stconfig.resolve import Context
from stconfig.values import to_text
from stconfig.write import TargetChoice, WriteOutcome, set_option, unset_option


def run_set(
    key: str,
    values: list[str],
    *,
    dry_run: bool = False,
    force: bool = False,
    project: bool = False,
    global_: bool = False,
    script_dir: bool = False,
    file: Path | None = None,
    json_: bool = False,
    project_dir: Path | None = None,
    script: Path | None = None,
    no_env: bool = False,
    flag: list[str] | None = None,
    quiet: bool = False,
) -> int:
    context = Context.create(project_dir=project_dir, script=script, use_env=not no_env, flags=flag)
    choice = TargetChoice(project=project, global_=global_, script_dir=script_dir, file=file)
    outcome = set_option(context, key, values, choice, force=force, dry_run=dry_run)
    return _report(outcome, dry_run=dry_run, json_=json_, quiet=quiet)


def run_unset(
    key: str,
    *,
    dry_run: bool = False,
    force: bool = False,
    project: bool = False,
    global_: bool = False,
    script_dir: bool = False,
    file: Path | None = None,
    json_: bool = False,
    project_dir: Path | None = None,
    script: Path | None = None,
    no_env: bool = False,
    flag: list[str] | None = None,
    quiet: bool = False,
) -> int:
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

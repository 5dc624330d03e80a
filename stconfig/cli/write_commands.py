"""set, unset, edit: call the core, report the change. Free of typer, so that `set` and `unset`
take the fast path that `get` and `show` take."""

from __future__ import annotations

import json

from stconfig.cli.output import Messages, emit, emit_json
from stconfig.cli.spec import Options
from stconfig.errors import ExitCode
from stconfig.locate import display_path
from stconfig.model import Value
from stconfig.redact import shown
from stconfig.text import printable
from stconfig.values import to_text
from stconfig.write import WriteOutcome, set_option, unset_option


def run_set(options: Options) -> int:
    assert options.key is not None  # a required argument
    outcome = set_option(
        options.context(),
        options.key,
        options.values,
        options.target_choice(),
        force=options.force,
        dry_run=options.dry_run,
    )
    return _report(outcome, options)


def run_unset(options: Options) -> int:
    assert options.key is not None  # a required argument
    outcome = unset_option(
        options.context(),
        options.key,
        options.target_choice(),
        force=options.force,
        dry_run=options.dry_run,
    )
    return _report(outcome, options)


def _report(outcome: WriteOutcome, options: Options) -> int:
    messages = Messages(options.quiet)
    for warning in outcome.warnings:
        messages.warn(warning)
    if options.json_:
        emit_json(outcome.to_json())
    elif options.dry_run and outcome.diff:
        # TOML strings may hold C1 controls and bidi overrides raw; a CRLF file's \r stays.
        for line in outcome.diff.rstrip("\n").split("\n"):
            body = line.removesuffix("\r")
            emit(printable(body) + line[len(body) :])
    where = f"{outcome.target.scope.value} {display_path(outcome.target.path)}:{outcome.line}"
    old, new = _shown(outcome, outcome.old), _shown(outcome, outcome.new)
    if not outcome.changed:
        messages.note(f"{where} {outcome.key} is already {new}: nothing written")
    elif options.dry_run:
        messages.note(f"{where} {outcome.key}: {old} -> {new} (dry run: nothing written)")
    else:
        messages.note(f"{where} {outcome.key}: {old} -> {new}")
    if outcome.created:
        shown_path = display_path(outcome.target.path)
        messages.note(f"would create {shown_path}" if options.dry_run else f"created {shown_path}")
    winner = outcome.still_wins
    if winner is not None:
        messages.warn(
            f"{winner.source.describe()} still overrides {outcome.key}: Streamlit uses "
            f"{_shown(outcome, winner.value)}"
        )
    return ExitCode.OK


def _shown(outcome: WriteOutcome, value: Value | None) -> str:
    if value is None:
        return "(not set)"
    if outcome.sensitive:
        return str(shown(value, sensitive=True))
    return json.dumps(value) if isinstance(value, str) else to_text(value)


def run_edit(options: Options) -> int:
    from stconfig.check import check_files  # `set` and `unset` need neither
    from stconfig.cli.check_command import render_report
    from stconfig.editor import edit_in_editor

    context = options.context()
    target = context.write_target(options.target_choice())
    path = target.path
    if not edit_in_editor(target, context.env):
        Messages(options.quiet).note(f"{path} left empty: not created")
        return ExitCode.OK
    report = check_files([path], context.catalog(), context.env, context.project_dir)
    return render_report(report, json_=False, quiet=options.quiet, strict=options.strict)

"""`check` (validate the layers or given files) and `edit` (open a target file, then check it)."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from stconfig.check import Finding, Report, check_files, check_layers
from stconfig.cli.app import (
    FileTargetOption,
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
from stconfig.cli.output import Messages, emit
from stconfig.errors import ConfigFileError, ExitCode, StconfigError, UsageError
from stconfig.locate import display_path
from stconfig.resolve import Context

StrictOption = Annotated[
    bool, typer.Option("--strict", help="Warnings fail too: exit 1 on any finding.")
]

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow"}


def colour_on(stream: object, env: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return "NO_COLOR" not in env and callable(isatty) and bool(isatty())


def _place(finding: Finding) -> str:
    if finding.env_var is not None:
        return f"env {finding.env_var}"
    if finding.file is None:
        return "stconfig"
    shown = display_path(finding.file)
    for part in (finding.line, finding.column):
        if part is None:
            break
        shown += f":{part}"
    return shown


def _finding_lines(finding: Finding, colour: bool) -> str:
    severity: str = finding.severity
    if colour:
        severity = typer.style(severity, fg=_SEVERITY_COLOUR[severity], bold=True)
    return (
        f"{_place(finding)}: {severity}: {finding.message} [{finding.code}]\n  hint: {finding.hint}"
    )


def render_report(report: Report, *, json_: bool, quiet: bool, strict: bool) -> int:
    """Findings to stdout (they are the data), the summary to stderr; the exit code."""
    failed = report.failed(strict)
    if json_:
        emit(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return ExitCode.NEGATIVE if failed else ExitCode.OK
    colour = colour_on(sys.stdout, os.environ)
    for finding in report.findings:
        emit(_finding_lines(finding, colour))
    messages = Messages(quiet)
    if report.streamlit_version is None:
        messages.note(f"no Streamlit found: checked against the {report.catalog_version} catalog")
    what = f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    if report.env_checked:
        what += " and the STREAMLIT_* environment"
    if report.findings:
        counts = f"{report.errors} error{'s' if report.errors != 1 else ''}, "
        counts += f"{report.warnings} warning{'s' if report.warnings != 1 else ''}"
        messages.note(f"{counts} in {what}" + (" (--strict: warnings fail)" if strict else ""))
    else:
        messages.note(f"no problems in {what}")
    return ExitCode.NEGATIVE if failed else ExitCode.OK


@app.command()
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE",
            help="Config files to check (default: every layer's file, and the environment).",
            show_default=False,
        ),
    ] = None,
    strict: StrictOption = False,
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    no_env: NoEnvOption = False,
    quiet: QuietOption = False,
) -> int:
    """Validate config as Streamlit reads it: exit 1 on errors, not warnings.

    Default: every layer's file and the STREAMLIT_* environment. Checks TOML
    syntax and duplicate keys (file:line:col), UTF-8 and BOM, keys outside a
    table, theme sections, unknown keys (did you mean?), removed keys, types
    (a string "false" for a bool is true to Streamlit), allowed values, and
    env values `streamlit run` rejects. A FILE that does not exist: exit 3.

    Example: stconfig check --strict .streamlit/config.toml
    """
    context = Context.create(project_dir=project_dir, script=script, use_env=not no_env)
    catalog = context.catalog()
    if files:
        report = check_files(files, catalog, context.env)
    else:
        report = check_layers(
            context.home,
            context.project_dir,
            context.script,
            catalog,
            context.env,
            use_env=context.use_env,
        )
    return render_report(report, json_=json_, quiet=quiet, strict=strict)


def editor_command(env: Mapping[str, str]) -> list[str]:
    """$VISUAL, else $EDITOR, else vi (as git does), split like a shell would split it."""
    editor = env.get("VISUAL") or env.get("EDITOR")
    if not editor:
        if shutil.which("vi") is None:
            raise UsageError(
                "no editor: VISUAL and EDITOR are not set and vi is not on PATH",
                hint="export EDITOR=nano (or your editor) and try again",
            )
        editor = "vi"
    try:
        words = shlex.split(editor)
    except ValueError as error:
        raise UsageError(f"cannot parse the editor command {editor!r}: {error}") from None
    if not words:
        raise UsageError(f"the editor command {editor!r} is empty", hint="set VISUAL or EDITOR")
    return words


def _run_editor(words: list[str], path: Path) -> None:
    # The path is its own argv element: no shell, so no quoting or interpolation of it.
    try:
        result = subprocess.run([*words, str(path)], check=False)
    except OSError as error:
        raise UsageError(
            f"cannot run the editor {shlex.join(words)!r}: {error.strerror or error}",
            hint="set VISUAL or EDITOR to an editor on PATH",
        ) from None
    if result.returncode != 0:
        raise StconfigError(
            f"the editor {shlex.join(words)!r} exited with status {result.returncode}; "
            f"{path} is as the editor left it",
            hint=f"check it with: stconfig check {shlex.quote(str(path))}",
        )


@app.command()
def edit(
    project: ProjectTargetOption = False,
    global_: GlobalTargetOption = False,
    script_dir: ScriptDirTargetOption = False,
    file: FileTargetOption = None,
    strict: StrictOption = False,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    quiet: QuietOption = False,
) -> int:
    """Open the target config file in $VISUAL or $EDITOR, then check it.

    The project file unless --global, --script-dir or --file says otherwise;
    created when missing (and removed again if left empty). Exit 1 when the
    check finds errors.

    Example: EDITOR="code --wait" stconfig edit --global
    """
    context = Context.create(project_dir=project_dir, script=script)
    target = context.target(
        project=project, global_=global_, script_dir=script_dir, file=file
    ) or context.target(project=True)
    assert target is not None  # --project always names a file
    words = editor_command(context.env)
    path = target.path
    messages = Messages(quiet)
    created_dir = not path.parent.exists()
    created = not path.exists()
    if created:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError as error:
            raise ConfigFileError(path, f"cannot be created: {error.strerror or error}") from None
    _run_editor(words, path)
    if created and path.is_file() and path.stat().st_size == 0:
        path.unlink()
        if created_dir:
            with contextlib.suppress(OSError):  # the editor may have left a swap file there
                path.parent.rmdir()
        messages.note(f"{path} left empty: not created")
        return ExitCode.OK
    report = check_files([path], context.catalog(), context.env)
    return render_report(report, json_=False, quiet=quiet, strict=strict)

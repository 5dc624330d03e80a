"""`check`: validate the layers (or the files given) and report the findings, linter style."""

from __future__ import annotations

import os
import sys

from stconfig.check import Finding, Report, check_files, check_layers
from stconfig.cli.output import Messages, bold_colour, colour_on, emit, emit_json
from stconfig.cli.spec import Options
from stconfig.errors import ExitCode
from stconfig.locate import display_path
from stconfig.text import printable

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow"}


def _place(finding: Finding) -> str:
    if finding.env_var is not None:
        return f"env {finding.env_var}"
    if finding.flag is not None:
        return f"flag {finding.flag}"
    if finding.position is None or finding.position.path is None:
        return "stconfig"
    return finding.position.text(display_path(finding.position.path))


def _finding_lines(finding: Finding, colour: bool) -> str:
    severity: str = finding.severity
    if colour:
        severity = bold_colour(severity, _SEVERITY_COLOUR[severity])
    place, message, hint = (
        printable(text) for text in (_place(finding), finding.message, finding.hint)
    )
    return f"{place}: {severity}: {message} [{finding.code}]\n  hint: {hint}"


def render_report(report: Report, *, json_: bool, quiet: bool, strict: bool) -> int:
    """Findings to stdout (they are the data), the summary to stderr; the exit code."""
    failed = report.failed(strict)
    if json_:
        emit_json(report.to_json())
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


def run_check(options: Options) -> int:
    context = options.context()
    catalog = context.catalog()
    if options.files:
        report = check_files(options.files, catalog, context.env, context.project_dir)
    else:
        report = check_layers(context, catalog)
    return render_report(report, json_=options.json_, quiet=options.quiet, strict=options.strict)

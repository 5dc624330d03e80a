"""`scan`: every Streamlit app under a directory, with the effective value of one option (by
default runner.enforceSerializableSessionState) and the errors in its config files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stconfig.check import Finding
from stconfig.cli.output import Messages, emit, emit_json
from stconfig.cli.spec import Options
from stconfig.errors import ExitCode, UsageError
from stconfig.locate import home_dir
from stconfig.redact import shown
from stconfig.resolve import Context, catalog_warnings
from stconfig.scan import DEFAULT_KEY, AppReport, scan
from stconfig.values import to_json

if TYPE_CHECKING:
    from rich.console import Console


def _relative(path: Path, root: Path) -> str:
    """A path as the text views show it: relative to the scanned directory, or under `~/`."""
    for base, prefix in ((root, ""), (Path.home(), "~/")):
        try:
            return prefix + (str(path.relative_to(base)) or ".")
        except ValueError:
            continue
    return str(path)


def _place(finding: Finding, root: Path) -> str:
    position = finding.position
    if position is None or position.path is None:
        return "stconfig"
    return position.text(_relative(position.path, root))


def _value_text(report: AppReport) -> str:
    from stconfig.render import display_value

    return display_value(report.resolved)


def _source_text(report: AppReport, root: Path) -> str:
    source = report.resolved.source
    return source.describe(_relative(source.path, root) if source.path else None)


def app_json(report: AppReport) -> dict[str, Any]:
    resolved = report.resolved
    return {
        "script": str(report.app.script),
        "project_dir": str(report.app.project_dir),
        "found_by": report.app.found_by,
        "key": resolved.key,
        "value": None
        if resolved.is_computed
        else to_json(shown(resolved.value, resolved.sensitive)),
        "enforced": report.enforced,
        "source": resolved.source.to_json(),
        "streamlit_version": report.streamlit_version,
        "layers": [layer.to_json() for layer in report.layers],
        "errors": [finding.to_json() for finding in report.errors],
    }


def _lines(reports: list[AppReport], root: Path) -> list[str]:
    """Piped: one tab-separated line per app (script, value, source, start directory, rule),
    each error of its files on an indented line below it."""
    lines = []
    for report in reports:
        app = report.app
        lines.append(
            "\t".join(
                (
                    _relative(app.script, root),
                    _value_text(report),
                    _source_text(report, root),
                    _relative(app.project_dir, root),
                    app.found_by,
                )
            )
        )
        for finding in report.errors:
            lines.append(f"  {_place(finding, root)}: error: {finding.message} [{finding.code}]")
    return lines


def _table(reports: list[AppReport], root: Path, key: str, out: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{escape(key)} · {escape(str(root))}", title_justify="left")
    table.add_column("app", overflow="fold")
    table.add_column("starts in", overflow="fold")
    table.add_column("found by", overflow="fold")
    table.add_column("value", overflow="fold")
    table.add_column("source", overflow="fold")
    table.add_column("errors", justify="right")
    for report in reports:
        enforced = report.enforced
        style = "green" if enforced else "yellow" if enforced is False else ""
        value = escape(_value_text(report))
        errors = len(report.errors)
        table.add_row(
            escape(_relative(report.app.script, root)),
            escape(_relative(report.app.project_dir, root)),
            escape(report.app.found_by),
            f"[{style}]{value}[/{style}]" if style else value,
            escape(_source_text(report, root)),
            f"[red]{errors}[/red]" if errors else "0",
        )
    out.print(table)
    for report in reports:
        for finding in report.errors:
            place = escape(_place(finding, root))
            out.print(f"[red]error[/red] {place}: {escape(finding.message)} [{finding.code}]")


def run_scan(options: Options) -> int:
    root = Path(os.path.abspath(options.directory or Path.cwd()))
    if not root.is_dir():
        raise UsageError(f"{str(options.directory)!r} is not a directory")
    env = dict(os.environ)
    key = options.key or DEFAULT_KEY
    here = Context.create(project_dir=root, use_env=False)
    spec = here.catalog().require(key)  # an unknown key fails before any app is read
    if options.expect is not None and spec.type != "bool":
        raise UsageError(f"--expect needs a bool option; {key} is a {spec.type_label} option")
    reports, skipped, catalogs = scan(root, key, home_dir(env), env)
    messages = Messages(options.quiet)
    for catalog in catalogs:
        for warning in catalog_warnings(catalog):
            messages.warn(warning)
    for launch in skipped:
        messages.warn(f"{launch.found_by}: streamlit run {launch.script}: no such script here")
    if options.json_:
        emit_json({"root": str(root), "apps": [app_json(report) for report in reports]})
    elif reports and sys.stdout.isatty():
        from stconfig.render import console

        _table(reports, root, key, console())
    else:
        for line in _lines(reports, root):
            emit(line)
    with_errors = sum(bool(report.errors) for report in reports)
    summary = f"{len(reports)} app{'s' * (len(reports) != 1)} under {root}"
    if spec.type == "bool" and reports:
        on = sum(report.enforced is True for report in reports)
        summary += f": {key} on in {on}, off in {len(reports) - on}"
    if with_errors:
        summary += f"; {with_errors} with errors in their config files (see `stconfig check`)"
    messages.note(summary)
    if options.expect is None:
        return ExitCode.OK
    wanted = options.expect == "enforced"
    differ = [report for report in reports if report.enforced is not wanted]
    for report in differ:
        messages.note(f"expected {options.expect}: {_relative(report.app.script, root)} is not")
    if not reports:
        messages.note(f"expected {options.expect}, but found no app to check")
    return ExitCode.NEGATIVE if differ or not reports else ExitCode.OK

"""`stconfig audit`: run the app as `streamlit run` serves it, list what does not pickle."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from stconfig.cli.output import Messages, emit_json, emit_lines, error_line
from stconfig.cli.spec import Options
from stconfig.errors import ExitCode, ProbeError
from stconfig.locate import display_path
from stconfig.probe import (
    AppException,
    AuditOptions,
    AuditResult,
    Progress,
    UnpicklableValue,
    run_audit,
)
from stconfig.probe.audit import parse_assignments, parse_state
from stconfig.resolve import Context
from stconfig.text import printable


@dataclass(frozen=True)
class _Outcome:
    """One interpreter's audit: its result, or why it could not run."""

    python: Path | None
    result: AuditResult | None = None
    error: ProbeError | None = None

    def exit_code(self, allow_app_errors: bool) -> ExitCode:
        if self.result is None:
            return ExitCode.PROBE
        return self.result.exit_code(allow_app_errors=allow_app_errors)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _finding_line(finding: UnpicklableValue, app: Path) -> str:
    site = finding.set_at
    where = display_path(app) if site is None else f"{display_path(site.file)}:{site.line}"
    inside = f": {finding.path} is a {finding.culprit}" if finding.path else ""
    line = (
        f"{where}: {finding.label}: {finding.type} does not pickle{inside} ({finding.error}),"
        f" on {finding.interaction}"
    )
    return line + (f"; hint: {finding.hint}" if finding.hint else "")


def _summary(result: AuditResult) -> str:
    checked = (
        f"{_plural(result.keys_checked, 'key')} checked in {_plural(result.runs, 'run')}"
        f" on {_plural(len(result.pages), 'page')}"
    )
    count = len(result.unserializable)
    if count:
        verdict = f"{_plural(count, 'Session State value')} cannot be pickled"
    elif result.problems:
        verdict = "every Session State value stored before the app stopped pickles"
    else:
        verdict = "every Session State value pickles"
    left_out = f"; {result.untried} left out by --max-runs" if result.untried else ""
    return f"{display_path(result.app)}: {verdict}; {checked}{left_out}"


def _stop_hint(result: AuditResult, problem: AppException) -> str:
    checked = (
        f"checked before that: {_plural(result.keys_checked, 'key')} in"
        f" {_plural(result.runs, 'run')}, all of them pickle"
    )
    text = f"{problem.type} {problem.message}"
    if "Module" in problem.type or "Import" in problem.type:
        if result.app.parent.name == "pages":
            return (
                f"{checked}; {result.app.name} looks like a page: audit the main script, "
                f"with --page {result.app.parent.name}/{result.app.name}"
            )
        return f"{checked}; install what the app imports in {result.python}"
    if "secret" in text.lower():
        return f"{checked}; give the app its secrets with --secrets FILE"
    return f"{checked}; --allow-app-errors accepts this"


def _text_lines(result: AuditResult) -> list[str]:
    return [*(_finding_line(f, result.app) for f in result.unserializable), _summary(result)]


def _distinct(problems: Sequence[AppException]) -> list[tuple[AppException, int]]:
    """Each different failure once, where it first happened, with how many runs it ended."""
    groups: dict[tuple[str, str], list[AppException]] = {}
    for problem in problems:
        groups.setdefault((problem.type, problem.message), []).append(problem)
    return [(same[0], len(same)) for same in groups.values()]


def _problem_text(problem: AppException, runs: int = 1) -> str:
    again = f" (in {runs} runs)" if runs > 1 else ""
    return f"{problem.interaction} raised {problem.type}: {problem.message}{again}"


def _report_problems(result: AuditResult, *, allow_app_errors: bool, messages: Messages) -> None:
    """What stopped the app, on stderr: an error when that is the verdict, else warnings."""
    distinct = _distinct(result.problems)
    if not distinct:
        return
    if result.unserializable or allow_app_errors:
        for problem, runs in distinct:
            messages.warn(
                f"{_problem_text(problem, runs)} (values it would store after that are not audited)"
            )
        return
    for problem, runs in distinct[1:]:
        messages.warn(_problem_text(problem, runs))
    first, runs = distinct[0]
    error_line(
        f"the app did not run to its end: {_problem_text(first, runs)}",
        _stop_hint(result, first),
    )


def _verdict(outcome: _Outcome) -> str:
    result = outcome.result
    if result is None:
        return f"could not run: {outcome.error.message if outcome.error else ''}"
    if result.unserializable:
        count = len(result.unserializable)
        return f"{_plural(count, 'value')} {'does' if count == 1 else 'do'} not pickle"
    if result.problems:
        return "app did not finish"
    return "every value pickles"


def _table(outcomes: Sequence[_Outcome]) -> list[str]:
    rows = [
        (
            o.result.streamlit_version if o.result else "-",
            _verdict(o),
            f"{o.result.seconds:.2f}" if o.result else "-",
            str(o.result.python if o.result else o.python),
        )
        for o in outcomes
    ]
    header = ("streamlit", "result", "seconds", "python")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    return [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}"
        for r in [header, *rows]
    ]


@contextmanager
def _progress_line(enabled: bool) -> Iterator[Callable[[str], Callable[[Progress], None]] | None]:
    """A rich status line on stderr, only when stderr is a terminal (rich is imported only then)."""
    if not enabled:
        yield None
        return
    from rich.markup import escape

    from stconfig.render import console

    with console(stderr=True).status("starting the audit") as status:

        def for_python(label: str) -> Callable[[Progress], None]:
            def show(progress: Progress) -> None:
                doing = escape(printable(progress.doing))
                runs = f"run {progress.runs}/{progress.max_runs}"
                status.update(f"{escape(printable(label))}{runs}: {doing}")

            return show

        yield for_python


def run_audit_command(options: Options) -> int:
    assert options.app is not None  # a required argument
    audit_options = AuditOptions(
        pages=options.pages,
        explore=options.explore,
        max_runs=options.max_runs,
        secrets=options.secrets,
        query=parse_assignments(options.query, "--query"),
        state=parse_state(options.state),
        timeout=options.timeout,
    )
    messages = Messages(options.quiet)
    pythons: list[Path | None] = [*options.pythons] if options.pythons else [None]
    several = len(pythons) > 1
    outcomes: list[_Outcome] = []
    with _progress_line(sys.stderr.isatty() and not options.quiet) as progress:
        for interpreter in pythons:
            context = Context.create(project_dir=options.project_dir, python=interpreter)
            on_progress = None
            if progress is not None:
                on_progress = progress(f"{interpreter}: " if several else "")
            try:
                result = run_audit(options.app, context, audit_options, on_progress=on_progress)
            except ProbeError as error:
                if not several:
                    raise
                outcomes.append(_Outcome(interpreter, error=error))
                continue
            outcomes.append(_Outcome(interpreter, result))
    _render(outcomes, options, messages)
    codes = {o.exit_code(options.allow_app_errors) for o in outcomes}
    for worst in (ExitCode.NEGATIVE, ExitCode.PROBE):
        if worst in codes:
            return worst
    return ExitCode.OK


def _render(outcomes: Sequence[_Outcome], options: Options, messages: Messages) -> None:
    several = len(outcomes) > 1
    if options.json_:
        data = [_outcome_json(o) for o in outcomes]
        emit_json(data if several else data[0])
    for outcome in outcomes:
        result = outcome.result
        if result is not None:
            if not options.json_:
                if several:
                    emit_lines([f"== Streamlit {result.streamlit_version} ({result.python})"])
                emit_lines(_text_lines(result))
            _report_problems(result, allow_app_errors=options.allow_app_errors, messages=messages)
        elif outcome.error is not None:
            error_line(f"{outcome.python}: {outcome.error.message}", outcome.error.hint)
    if several and not options.json_:
        emit_lines(_table(outcomes))


def _outcome_json(outcome: _Outcome) -> dict[str, object]:
    if outcome.result is not None:
        return outcome.result.to_json()
    return {
        "python": str(outcome.python),
        "streamlit_version": None,
        "error": outcome.error.message if outcome.error else None,
    }

"""`stconfig probe`: ask the real Streamlit whether it enforces serializable Session State."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stconfig.cli.output import Messages, emit_json, emit_lines, error_line
from stconfig.cli.spec import Options
from stconfig.errors import ExitCode, ProbeError, UsageError, user_start_message
from stconfig.model import Value
from stconfig.probe.enforcement import OPTION, ProbeResult, run_probe
from stconfig.redact import shown


def _check_timeout(timeout: float) -> None:
    if timeout <= 0:
        raise UsageError(f"--timeout must be positive, not {timeout:g}")


def _value_text(value: Value) -> str:
    """Booleans bare; anything else as JSON, so that a string "false" shows its quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _probe_lines(result: ProbeResult) -> list[str]:
    state = "yes" if result.enforced else "no"
    raised = f"the probe run raised {result.exception}" if result.exception else "no exception"
    prediction = result.prediction
    verdict = "agrees" if result.agrees else "DISAGREES"
    secret = prediction.sensitive
    seen = _value_text(shown(result.streamlit_value, secret))
    predicted = _value_text(shown(prediction.value, secret))
    return [
        f"{OPTION}",
        f"  enforced   {state} ({raised})",
        f"  streamlit  {seen} from {result.streamlit_source}"
        f"  [Streamlit {result.streamlit_version}]",
        f"  stconfig   {predicted} from {prediction.source.describe()}"
        f" -> {'enforced' if result.expected else 'not enforced'}: {verdict}",
        f"  probe      {result.seconds:.2f} s with {result.python} ({result.found_via})"
        f" via {result.url}",
        f"  overridden {', '.join(result.overridden)} (the probe's own server)",
    ]


@dataclass(frozen=True)
class _Outcome:
    """One interpreter's probe: its result, or why it could not run."""

    python: Path | None
    result: ProbeResult | None = None
    error: ProbeError | None = None

    def exit_code(self, expect: str | None) -> ExitCode:
        result = self.result
        if result is None or result.user_start_error is not None:
            return ExitCode.PROBE
        if expect is not None and result.enforced != (expect == "enforced"):
            return ExitCode.NEGATIVE
        return ExitCode.OK

    def to_json(self) -> dict[str, object]:
        if self.result is not None:
            return {**self.result.to_json(), "python": str(self.result.python)}
        return {
            "python": str(self.python),
            "streamlit_version": None,
            "error": self.error.message if self.error else None,
        }


def run_probe_command(options: Options) -> int:
    _check_timeout(options.timeout)
    messages = Messages(options.quiet)
    pythons: Sequence[Path | None] = options.pythons or (None,)
    several = len(pythons) > 1
    outcomes: list[_Outcome] = []
    # One after another: two Streamlit servers at once would slow each other's start.
    for python in pythons:
        try:
            result = run_probe(options.context(python=python), timeout=options.timeout)
        except ProbeError as error:
            if not several:
                raise
            outcomes.append(_Outcome(python, error=error))
            continue
        outcomes.append(_Outcome(python, result))
    _render(outcomes, options, messages)
    codes = {outcome.exit_code(options.expect) for outcome in outcomes}
    # The worst: the probe could not run, then --expect did not hold.
    return max(codes, key=(ExitCode.OK, ExitCode.NEGATIVE, ExitCode.PROBE).index)


def _render(outcomes: Sequence[_Outcome], options: Options, messages: Messages) -> None:
    several = len(outcomes) > 1
    if options.json_:
        if several:
            emit_json([outcome.to_json() for outcome in outcomes])
        else:
            assert outcomes[0].result is not None  # a single probe raises its error
            emit_json(outcomes[0].result.to_json())
    for outcome in outcomes:
        result = outcome.result
        label = f"{outcome.python}: " if several else ""
        if result is None:
            assert outcome.error is not None
            error_line(f"{label}{outcome.error.message}", outcome.error.hint)
            continue
        if not options.json_:
            if several:
                emit_lines([f"== Streamlit {result.streamlit_version} ({result.python})"])
            emit_lines(_probe_lines(result))
        _report(result, label, options.expect, messages)
    if several and not options.json_:
        _summary(outcomes)


def _report(result: ProbeResult, label: str, expect: str | None, messages: Messages) -> None:
    """One probe's warnings and verdicts, on stderr."""
    for warning in result.warnings:
        messages.warn(f"{label}{warning}")
    if not result.agrees:
        messages.warn(
            f"{label}stconfig's prediction disagrees with what Streamlit did: please report "
            "this, with `stconfig show runner --layers --json`"
        )
    if result.user_start_error is not None:
        error_line(
            f"{label}{user_start_message(result.user_start_error)}",
            "the probe forced its own server past this; fix it before you rely on the answer",
        )
    if expect is not None and result.enforced != (expect == "enforced"):
        messages.note(
            f"{label}expected {expect}, but Streamlit "
            f"{'enforces' if result.enforced else 'does not enforce'} {OPTION}"
        )


def _summary(outcomes: Sequence[_Outcome]) -> None:
    """A table on a terminal; piped, one tab-separated line per interpreter."""
    header = ("streamlit", "enforced", "agrees", "seconds", "python")
    rows = []
    for outcome in outcomes:
        result = outcome.result
        if result is None:
            rows.append(("-", "could not run", "-", "-", str(outcome.python)))
            continue
        rows.append(
            (
                result.streamlit_version,
                "yes" if result.enforced else "no",
                "yes" if result.agrees else "NO",
                f"{result.seconds:.2f}",
                str(result.python),
            )
        )
    if not sys.stdout.isatty():
        for row in rows:
            emit_lines(["\t".join(row)])
        return
    from rich.markup import escape
    from rich.table import Table

    from stconfig.render import console

    table = Table(title_justify="left")
    for name in header[:-1]:
        table.add_column(name, justify="right" if name == "seconds" else "left", no_wrap=True)
    table.add_column(header[-1], overflow="fold")  # a long path folds rather than loses its end
    for row in rows:
        table.add_row(*map(escape, row))
    console().print(table)

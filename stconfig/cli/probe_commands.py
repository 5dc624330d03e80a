"""`stconfig probe`: ask the real Streamlit whether it enforces serializable Session State."""

from __future__ import annotations

import json

from stconfig.cli.output import Messages, emit_json, emit_lines
from stconfig.cli.spec import Options
from stconfig.errors import ExitCode, UsageError
from stconfig.model import Value
from stconfig.probe import OPTION, ProbeResult, run_probe
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
        f"  probe      {result.seconds:.2f} s with {result.python} ({result.found_via})",
    ]


def run_probe_command(options: Options) -> int:
    _check_timeout(options.timeout)
    result = run_probe(options.context(), timeout=options.timeout)
    messages = Messages(options.quiet)
    for warning in result.warnings:
        messages.warn(warning)
    if options.json_:
        emit_json(result.to_json())
    else:
        emit_lines(_probe_lines(result))
    if not result.agrees:
        messages.warn(
            "stconfig's prediction disagrees with what Streamlit did: please report this, "
            "with `stconfig show runner --layers --json`"
        )
    if options.expect is not None and result.enforced != (options.expect == "enforced"):
        messages.note(
            f"expected {options.expect}, but Streamlit "
            f"{'enforces' if result.enforced else 'does not enforce'} {OPTION}"
        )
        return ExitCode.NEGATIVE
    return ExitCode.OK

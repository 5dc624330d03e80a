"""`stconfig probe`: ask the real Streamlit whether it enforces serializable Session State."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from stconfig.cli.app import (
    FlagOption,
    JsonOption,
    NoEnvOption,
    ProjectDirOption,
    QuietOption,
    ScriptOption,
    app,
)
from stconfig.cli.output import Messages, emit
from stconfig.errors import ExitCode, UsageError
from stconfig.model import Value
from stconfig.probe import OPTION, ProbeResult, run_probe
from stconfig.resolve import Context


class Expect(StrEnum):
    ENFORCED = "enforced"
    NOT_ENFORCED = "not-enforced"


PythonOption = Annotated[
    Path | None,
    typer.Option(
        "--python",
        metavar="PATH",
        help="The interpreter whose Streamlit to run (default: the project's .venv, "
        "$VIRTUAL_ENV, this interpreter, then `streamlit` on PATH).",
        show_default=False,
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", metavar="SECONDS", help="Give up (exit 4) after this long."),
]


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
    return [
        f"{OPTION}",
        f"  enforced   {state} ({raised})",
        f"  streamlit  {_value_text(result.streamlit_value)} from {result.streamlit_source}"
        f"  [Streamlit {result.streamlit_version}]",
        f"  stconfig   {_value_text(prediction.value)} from {prediction.source.describe()}"
        f" -> {'enforced' if result.expected else 'not enforced'}: {verdict}",
        f"  probe      {result.seconds:.2f} s with {result.python} ({result.found_via})",
    ]


@app.command()
def probe(
    expect: Annotated[
        Expect | None,
        typer.Option(
            "--expect",
            help="Exit 1 unless Streamlit does this (a CI gate).",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    python: PythonOption = None,
    timeout: TimeoutOption = 30.0,
    json_: JsonOption = False,
    project_dir: ProjectDirOption = None,
    script: ScriptOption = None,
    no_env: NoEnvOption = False,
    flag: FlagOption = None,
    quiet: QuietOption = False,
) -> int:
    """Start the real `streamlit run` in the project's context and report whether
    runner.enforceSerializableSessionState is in force, from where, and whether `show` agrees.

    The server runs headless on 127.0.0.1, from the project directory, with your environment and
    --flag arguments; the probe app lives in a temporary directory (with a copy of the --script
    directory's config file), so nothing is written into the project.

    Example: stconfig probe --expect enforced
    """
    _check_timeout(timeout)
    context = Context.create(
        project_dir=project_dir, script=script, use_env=not no_env, flags=flag, python=python
    )
    result = run_probe(context, timeout=timeout)
    messages = Messages(quiet)
    for warning in result.warnings:
        messages.warn(warning)
    if json_:
        emit(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        emit("\n".join(_probe_lines(result)))
    if not result.agrees:
        messages.warn(
            "stconfig's prediction disagrees with what Streamlit did: please report this, "
            "with `stconfig show runner --layers --json`"
        )
    if expect is not None and result.enforced != (expect is Expect.ENFORCED):
        messages.note(
            f"expected {expect.value}, but Streamlit "
            f"{'enforces' if result.enforced else 'does not enforce'} {OPTION}"
        )
        return ExitCode.NEGATIVE
    return ExitCode.OK

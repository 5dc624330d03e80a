"""One error hierarchy for the whole package, and the exit codes of SPEC.md.

Core modules raise these; the CLI catches `StconfigError` once and prints `stconfig: error: ...`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path

from stconfig.model import Position


class ExitCode(IntEnum):
    OK = 0
    NEGATIVE = 1  # not set there, check found errors, probe/audit found the opposite
    USAGE = 2  # bad arguments, unknown key, invalid value
    FILE = 3  # a config file cannot be read, parsed or written
    PROBE = 4  # the probe or audit could not run


class StconfigError(Exception):
    """An error with a one-line message, an optional hint and the exit code it maps to."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(StconfigError):
    exit_code = ExitCode.USAGE


class UnknownKeyError(UsageError):
    """A key that is not in Streamlit's option catalog."""

    def __init__(self, key: str, suggestions: Sequence[str] = (), *, removed: bool = False) -> None:
        if removed:
            message = f"{key!r} was removed from Streamlit and is ignored by it"
        else:
            message = f"unknown option {key!r}"
        hint = None
        if suggestions:
            hint = "did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        super().__init__(message, hint=hint)
        self.key = key
        self.suggestions = list(suggestions)


class InvalidValueError(UsageError):
    """A value that does not fit the option's type or allowed values."""


class ConfigFileError(StconfigError):
    """A config file that cannot be read, parsed or written; it is left exactly as it was."""

    exit_code = ExitCode.FILE

    def __init__(
        self,
        path: Path,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.position = Position(path, line, column)
        super().__init__(f"{self.position.text()}: {reason}", hint=hint)


class NotSetError(StconfigError):
    """A negative answer: the key is not set in the file asked about."""

    exit_code = ExitCode.NEGATIVE


class ProbeError(StconfigError):
    """The probe or audit could not run."""

    exit_code = ExitCode.PROBE


class UserStartError(ProbeError):
    """The user's own `streamlit run` would fail before serving, whatever the probe's did."""

    def __init__(self, reason: str, *, probe_failure: str | None = None) -> None:
        hint = f"the probe's own server failed too: {probe_failure}" if probe_failure else None
        super().__init__(user_start_message(reason), hint=hint)
        self.reason = reason


def user_start_message(reason: str) -> str:
    return f"`streamlit run` from here would fail before serving: {reason}"

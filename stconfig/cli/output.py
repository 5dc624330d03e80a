"""Where output goes: data to stdout, messages to stderr, errors as one `stconfig: error:` line.

Free of typer and rich, so that the fast path of `get` and `show` can use it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stconfig.errors import ExitCode, StconfigError


def emit(text: str) -> None:
    """Data to stdout."""
    sys.stdout.write(text + "\n")


def emit_json(data: Any) -> None:
    """Data as JSON: indented, and text as text (no \\u escapes for non-ASCII)."""
    emit(json.dumps(data, indent=2, ensure_ascii=False))


def colour_on(stream: object, env: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return "NO_COLOR" not in env and callable(isatty) and bool(isatty())


_SGR = {"red": "31", "yellow": "33", "green": "32"}


def bold_colour(text: str, colour: str) -> str:
    return f"\x1b[1;{_SGR[colour]}m{text}\x1b[0m"


def error_line(message: str, hint: str | None = None) -> None:
    sys.stderr.write(f"stconfig: error: {message}\n")
    if hint:
        sys.stderr.write(f"hint: {hint}\n")


@dataclass(frozen=True)
class Messages:
    """Messages go to stderr, prefixed; `-q` silences all but errors."""

    quiet: bool = False

    def warn(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write(f"stconfig: warning: {text}\n")

    def note(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write(f"stconfig: {text}\n")


def run_guarded(command: Callable[[], int | None]) -> int:
    """Run a command; map what it raises to a message and an exit code (never a traceback)."""
    try:
        return command() or ExitCode.OK
    except StconfigError as error:
        if error.exit_code is ExitCode.NEGATIVE:
            # A negative answer is not an error: scripts test the exit code, people read this.
            sys.stderr.write(f"stconfig: {error.message}\n")
        else:
            error_line(error.message, error.hint)
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("stconfig: interrupted\n")
        return 130
    except BrokenPipeError:
        # `stconfig show | head`: the reader left early, which is not our error.
        _silence_stdout()
        return ExitCode.OK
    except Exception as error:  # a bug: one line, and the trace only when asked for
        if os.environ.get("STCONFIG_DEBUG"):
            import traceback

            traceback.print_exc()
        error_line(
            f"internal error: {type(error).__name__}: {error}",
            "set STCONFIG_DEBUG=1 for the traceback, and please report it",
        )
        return ExitCode.USAGE


def _silence_stdout() -> None:
    # Python flushes stdout at exit; on a closed pipe that raises again, so point it at devnull.
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())

"""Where output goes: data to stdout, messages to stderr, errors as one `stconfig: error:` line.

Free of typer and rich, so that the fast path of `get` and `show` can use it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stconfig.errors import ExitCode, StconfigError
from stconfig.text import printable


def emit(text: str) -> None:
    """Data to stdout."""
    sys.stdout.write(text + "\n")


def emit_values(lines: Iterable[str]) -> None:
    """Values as scripts read them: exact when piped; escaped on a terminal, where they could
    drive it."""
    terminal = sys.stdout.isatty()
    for line in lines:
        emit(printable(line) if terminal else line)


def emit_lines(lines: Iterable[str]) -> None:
    """Lines for people to read (on a terminal or not), each escaped as `printable`."""
    for line in lines:
        emit(printable(line))


def emit_json(data: Any) -> None:
    """Data as JSON: indented, and text as text (no \\u escapes for non-ASCII) where stdout's
    encoding can hold it."""
    utf = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "") == "utf8"
    emit(json.dumps(data, indent=2, ensure_ascii=not utf))


def colour_on(stream: object, env: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return "NO_COLOR" not in env and callable(isatty) and bool(isatty())


_SGR = {"red": "31", "yellow": "33", "green": "32"}


def bold_colour(text: str, colour: str) -> str:
    return f"\x1b[1;{_SGR[colour]}m{text}\x1b[0m"


def error_line(message: str, hint: str | None = None) -> None:
    """The one `stconfig: error:` line (and its hint): values and paths in it are escaped, so that
    no text can end it early or forge another."""
    sys.stderr.write(f"stconfig: error: {printable(message)}\n")
    if hint:
        sys.stderr.write(f"hint: {printable(hint)}\n")


@dataclass(frozen=True)
class Messages:
    """Messages go to stderr, prefixed; `-q` silences all but errors."""

    quiet: bool = False

    def warn(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write(f"stconfig: warning: {printable(text)}\n")

    def note(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write(f"stconfig: {printable(text)}\n")


def run_guarded(command: Callable[[], int | None]) -> int:
    """Run a command; map what it raises to a message and an exit code (never a traceback)."""
    try:
        code = command() or ExitCode.OK
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at Python's exit
        return code
    except StconfigError as error:
        if error.exit_code is ExitCode.NEGATIVE:
            # A negative answer is not an error: scripts test the exit code, people read this.
            sys.stderr.write(f"stconfig: {printable(error.message)}\n")
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
    except OSError as error:
        # An I/O error no command turned into a message: a file, or stdout (`> /dev/full`).
        return _io_error(error)
    except Exception as error:  # a bug: one line, and the trace only when asked for
        if os.environ.get("STCONFIG_DEBUG"):
            import traceback

            traceback.print_exc()
        error_line(
            f"internal error: {type(error).__name__}: {error}",
            "set STCONFIG_DEBUG=1 for the traceback, and please report it",
        )
        return ExitCode.USAGE


# Errors writing to a file that has no name here: stdout (`> /dev/full`), the one file commands
# write without naming it in their own messages.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO})


def _io_error(error: OSError) -> int:
    reason = error.strerror or str(error)
    if error.filename is not None:
        error_line(f"{error.filename}: {reason}")
    elif error.errno in _WRITE_ERRNOS:
        _silence_stdout()  # what is left in the buffer must not fail again at exit
        error_line(f"cannot write the output: {reason}")
    else:
        error_line(reason)
    return ExitCode.FILE


def _silence_stdout() -> None:
    # Python flushes stdout at exit; on a closed pipe that raises again, so point it at devnull.
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())

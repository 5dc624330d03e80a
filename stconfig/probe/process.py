"""Run a helper script in the target interpreter as a process group of its own, always stopped
whole (success, failure, timeout, Ctrl-C), and read the JSON report it prints last.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stconfig.errors import ProbeError

_GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def run_in_group(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    timeout_error: str,
    on_stderr_line: Callable[[str], None] | None = None,
) -> Finished:
    """Run `argv` as the leader of a new session; raise ProbeError(timeout_error) when it
    outlives `timeout`. `on_stderr_line` sees each line of the helper's stderr as it comes.

    Whatever the helper started (a Streamlit server) is in the same group and dies with it.
    """
    with started_group(argv, cwd=cwd, env=env, on_stderr_line=on_stderr_line) as helper:
        return helper.wait(timeout, timeout_error)


@contextmanager
def started_group(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    on_stderr_line: Callable[[str], None] | None = None,
) -> Iterator[Helper]:
    """`argv` started as the leader of a new session, for the caller to work beside it and then
    `wait()` for; the whole group is stopped on leaving, whatever happened."""
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
    except OSError as error:
        raise ProbeError(f"cannot start {argv[0]}: {error.strerror or error}") from error
    helper = Helper(process, _Pipes(process, on_stderr_line))
    try:
        yield helper
    finally:
        helper.stop()


class Helper:
    """A helper process leading its own group (see `started_group`)."""

    def __init__(self, process: subprocess.Popen[str], pipes: _Pipes) -> None:
        self._process = process
        self._pipes = pipes
        self._output: tuple[str, str] | None = None

    def wait(self, timeout: float, timeout_error: str) -> Finished:
        """Wait for the helper, not for the end of its output: a process the app started may
        hold the pipes open long after the helper is done. Stopping the group then ends it."""
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ProbeError(timeout_error) from None
        stdout, stderr = self.stop()
        return Finished(self._process.returncode, stdout, stderr)

    def stop(self) -> tuple[str, str]:
        """Stop the group (once) and return (stdout, stderr)."""
        if self._output is None:
            _stop_group(self._process)
            self._output = self._pipes.finish()
        return self._output


class _Pipes:
    """Reads the process's stdout and stderr in threads; stderr line by line, for `on_line`."""

    def __init__(
        self, process: subprocess.Popen[str], on_line: Callable[[str], None] | None
    ) -> None:
        assert process.stdout is not None and process.stderr is not None
        self._out, self._err = process.stdout, process.stderr
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        self._on_line = on_line
        self._threads = [
            threading.Thread(target=self._read_out, daemon=True),
            threading.Thread(target=self._read_err, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read_out(self) -> None:
        self._stdout.append(self._out.read())

    def _read_err(self) -> None:
        for line in self._err:
            self._stderr.append(line)
            if self._on_line is not None:
                self._on_line(line.rstrip("\n"))

    def finish(self) -> tuple[str, str]:
        """(stdout, stderr), once the process group is gone."""
        for thread in self._threads:
            thread.join(timeout=_GRACE_SECONDS)
        self._out.close()
        self._err.close()
        return "".join(self._stdout), "".join(self._stderr)


def _stop_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM the group, SIGKILL it after a grace period, and reap the leader."""
    group = process.pid  # the session leader's pid is the group id
    if _signal_group(group, signal.SIGTERM):
        deadline = time.monotonic() + _GRACE_SECONDS
        while time.monotonic() < deadline and _group_alive(group, process):
            time.sleep(0.02)
        _signal_group(group, signal.SIGKILL)
    if process.returncode is None:
        try:
            process.wait(timeout=_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _signal_group(group: int, sig: signal.Signals) -> bool:
    try:
        os.killpg(group, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _group_alive(group: int, process: subprocess.Popen[str]) -> bool:
    process.poll()  # reap the leader, or it stays in the group as a zombie
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def json_report(stdout: str) -> dict[str, Any] | None:
    """The JSON object a helper script printed as its last line, or None."""
    lines = stdout.strip().splitlines()
    try:
        data = json.loads(lines[-1]) if lines else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None

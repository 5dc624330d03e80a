"""Run a helper script in the target interpreter as a process group of its own, always stopped
whole (success, failure, timeout, Ctrl-C), and read the JSON report it prints last.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
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
) -> Finished:
    """Run `argv` as the leader of a new session; raise ProbeError(timeout_error) when it
    outlives `timeout`.

    Whatever the helper started (a Streamlit server) is in the same group and dies with it.
    """
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
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ProbeError(timeout_error) from None
    finally:
        _stop_group(process)
    return Finished(process.returncode, stdout, stderr)


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
            process.communicate(timeout=_GRACE_SECONDS)  # drains the pipes and reaps
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


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

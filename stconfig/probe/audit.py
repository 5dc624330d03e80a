"""The audit: run the user's app once in the target interpreter, enforcement on, and list every
Session State value that cannot be pickled (all of them, `st.stop()` or not).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stconfig.errors import ProbeError, UsageError
from stconfig.probe.interpreter import AUDIT_MIN_VERSION, require_streamlit
from stconfig.probe.process import json_report, run_in_group
from stconfig.resolve import Context

_RUNNER = Path(__file__).resolve().parent / "audit_runner.py"
_RUNNER_SLACK_SECONDS = 10.0  # interpreter start and Streamlit's import, beyond the app's own run


@dataclass(frozen=True)
class UnpicklableValue:
    key: str
    type: str  # the value's qualified type name
    error: str  # what pickle.dumps raised


@dataclass(frozen=True)
class AppException:
    type: str
    message: str


@dataclass(frozen=True)
class AuditResult:
    app: Path
    streamlit_version: str
    unserializable: tuple[UnpicklableValue, ...]
    app_exception: AppException | None

    def to_json(self) -> dict[str, Any]:
        return {
            "app": str(self.app),
            "streamlit_version": self.streamlit_version,
            "unserializable": [
                {"key": u.key, "type": u.type, "error": u.error} for u in self.unserializable
            ],
            "app_exception": None
            if self.app_exception is None
            else {"type": self.app_exception.type, "message": self.app_exception.message},
        }


def run_audit(app: Path, context: Context, *, timeout: float = 30.0) -> AuditResult:
    """Run `app` with AppTest in the target's Streamlit, from the project directory."""
    if not app.is_file():
        raise UsageError(f"app {str(app)!r} is not a file")
    app = Path(os.path.abspath(app))
    install = require_streamlit(
        context.streamlit, python=context.python, minimum=AUDIT_MIN_VERSION, lacks="AppTest"
    )
    finished = run_in_group(
        [str(install.python), str(_RUNNER), str(app), str(timeout)],
        cwd=context.project_dir,
        env=context.env,
        timeout=timeout + _RUNNER_SLACK_SECONDS,
        timeout_error=f"the audit of {app.name} did not finish within {timeout:g} s",
    )
    report = json_report(finished.stdout)
    if report is None:
        detail = [line for line in finished.stderr.splitlines() if line.strip()]
        raise ProbeError(
            f"the audit could not run {app.name} in {install.python} (exit {finished.returncode})",
            hint=detail[-1].strip() if detail else None,
        )
    if report.get("error"):
        raise ProbeError(f"the audit could not run {app.name}: {report['error']}")
    exception = report.get("app_exception")
    return AuditResult(
        app=app,
        streamlit_version=str(report.get("streamlit_version") or install.version),
        unserializable=tuple(
            UnpicklableValue(str(u["key"]), str(u["type"]), str(u["error"]))
            for u in report.get("unserializable", [])
        ),
        app_exception=None
        if exception is None
        else AppException(str(exception["type"]), str(exception["message"])),
    )

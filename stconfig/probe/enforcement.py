"""The probe: the target environment's real `streamlit run`, in the project's context, reports
whether `runner.enforceSerializableSessionState` is in force, and stconfig's read side predicts it.

The server is started first, from what is cheap to know (the interpreter, the files to copy, the
flags); the read side (its imports, the catalog, the resolution) runs while the server starts,
which would otherwise leave a core idle: this module imports it only then.
"""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stconfig.context import Context
from stconfig.errors import ProbeError, UserStartError
from stconfig.locate import config_file_in, file_layer_paths
from stconfig.model import Resolved, Scope, Value
from stconfig.probe.interpreter import PROBE_MIN_VERSION, require_streamlit
from stconfig.probe.process import json_report, started_group
from stconfig.redact import shown
from stconfig.values import is_truthy, to_json

OPTION = "runner.enforceSerializableSessionState"
UNSERIALIZABLE_ERROR = "streamlit.errors.UnserializableSessionStateError"
_HERE = Path(__file__).resolve().parent
_APP_NAME = "stconfig_probe_app.py"
_RESULT_NAME = "probe-result.json"  # written by the probe app next to itself
_LOG_NAME = "server.log"
# Time the driver gets beyond the probe's own deadline to stop its server and report.
_DRIVER_SLACK_SECONDS = 3.0
_LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ProbeResult:
    """What the real Streamlit did, next to what the read side predicted."""

    enforced: bool
    prediction: Resolved  # the read side's resolution of the option
    streamlit_version: str
    streamlit_value: Value
    streamlit_source: str  # a file path, "<default>", or Streamlit's words for flags and env vars
    exception: str | None  # the exception type the probe run raised
    seconds: float
    python: Path
    found_via: str
    warnings: tuple[str, ...] = ()  # the read side's, as `show` prints them
    overridden: tuple[str, ...] = ()  # the options the probe's own server was given
    url: str | None = None  # the WebSocket URL, named by the Host header the server was sent
    # Why the user's own `streamlit run` here would fail before serving, when it would.
    user_start_error: str | None = None

    @property
    def expected(self) -> bool:
        """The read side's prediction, evaluated as Streamlit does (a string "false" is true)."""

        return is_truthy(self.prediction.value)

    @property
    def agrees(self) -> bool:
        return self.expected == self.enforced

    def to_json(self) -> dict[str, Any]:

        return {
            "enforced": self.enforced,
            "expected": self.expected,
            "agrees": self.agrees,
            "streamlit_version": self.streamlit_version,
            "streamlit_value": to_json(shown(self.streamlit_value, self.prediction.sensitive)),
            "streamlit_source": self.streamlit_source,
            "exception": self.exception,
            "seconds": round(self.seconds, 3),
            "overridden": list(self.overridden),
            "url": self.url,
            "user_start_error": self.user_start_error,
        }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_settings(port: int) -> dict[str, str]:
    """What the probe itself needs from any server: a headless start on a free loopback port that
    reports exception types. Flags outrank every config file and env var, so the user's settings
    cannot move the probe's server. None of these is the probed option; the user's TLS,
    server.baseUrlPath and server.allowedHosts stay (the driver reaches the server through them,
    and overrides server.allowedHosts itself when no entry of it can be sent).
    """
    settings = {
        "server.headless": "true",
        "server.port": str(port),
        "server.address": _LOOPBACK,
        "browser.gatherUsageStats": "false",
        "server.fileWatcherType": "none",
        # Keeps the exception's type in the ForwardMsg whatever the user hides from browsers.
        "client.showErrorDetails": "true",
        # Development mode refuses any server.port; the user's own start is checked without it.
        "global.developmentMode": "false",
        # The server logs the probe's exception to a file nobody reads: without importing rich.
        "logger.enableRich": "false",
    }
    assert OPTION not in settings
    return settings


def _user_flags(context: Context) -> list[str]:
    """`--flag KEY=VALUE` as `streamlit run` takes it; the driver puts the probe's own flags
    after them, which win a repeat (click keeps the last). Checked by the read side, later."""
    if not context.flags:
        return []
    from stconfig.layers import split_flag

    return [f"--{key}={value}" for key, value in map(split_flag, context.flags)]


def _server_env(context: Context) -> dict[str, str]:
    if context.use_env:
        return dict(context.env)
    return {k: v for k, v in context.env.items() if not k.startswith("STREAMLIT_")}


def _normalize_exception(name: str) -> str:
    # Streamlit 1.21 and 1.40 send the bare class name (1.67 the qualified one); it has always
    # lived in streamlit.errors.
    return UNSERIALIZABLE_ERROR if name == UNSERIALIZABLE_ERROR.rsplit(".", 1)[1] else name


def _script_config(context: Context) -> Path | None:
    """The user's script-level config file, else None. It is copied beside the probe app even
    for a Streamlit that reads no such file: that one does not read the copy either."""
    for layer in file_layer_paths(
        context.home, context.project_dir, context.script, reads_script_config=True
    ):
        if layer.scope is Scope.SCRIPT and layer.path.is_file():
            return layer.path
    return None


def _unchecked(report: dict[str, Any]) -> tuple[str, ...]:
    unchecked = report.get("user_start_unchecked")
    if not unchecked:
        return ()
    return (f"cannot tell whether your own `streamlit run` would start here ({unchecked})",)


def _driver_failure(report: dict[str, Any], timeout: float) -> ProbeError:
    log_lines = [line for line in str(report.get("log") or "").splitlines() if line.strip()]
    hint = "streamlit said: " + log_lines[-1].strip() if log_lines else None
    status, phase = report.get("status"), report.get("phase")
    if status == "timeout":
        doing = "start" if phase == "start" else "finish the probe run"
        return ProbeError(f"Streamlit did not {doing} within {timeout:g} s", hint=hint)
    if status == "exited" and phase == "start":
        return ProbeError(f"the Streamlit server did not start: {report.get('message')}", hint=hint)
    return ProbeError(f"the probe run failed: {report.get('message')}", hint=hint)


def run_probe(context: Context, *, timeout: float = 30.0) -> ProbeResult:
    """Start the target's `streamlit run` on the probe app and report what it enforced."""
    started = time.monotonic()
    install = require_streamlit(
        context.streamlit, python=context.python, minimum=PROBE_MIN_VERSION, lacks=OPTION
    )
    script_config = _script_config(context)

    with tempfile.TemporaryDirectory(prefix="stconfig-probe-") as temp:
        workdir = Path(temp)
        app = workdir / _APP_NAME
        shutil.copyfile(_HERE / "probe_app.py", app)
        temp_script_config = config_file_in(workdir)
        if script_config is not None:
            temp_script_config.parent.mkdir()
            shutil.copyfile(script_config, temp_script_config)
        port = _free_port()
        overrides = server_settings(port)
        argv = [
            str(install.python),
            str(_HERE / "driver.py"),
            f"--port={port}",
            f"--timeout={timeout}",
            f"--log={workdir / _LOG_NAME}",
            "--user-config",
            *(f"--override={key}={value}" for key, value in overrides.items()),
            "--",
            str(app),
            *_user_flags(context),
        ]
        with started_group(argv, cwd=context.project_dir, env=_server_env(context)) as driver:
            from stconfig.resolve import resolve

            # A bad --flag raises here, and leaving the block stops the server.
            resolution = resolve(context, context.catalog())
            finished = driver.wait(
                timeout + _DRIVER_SLACK_SECONDS,
                f"the Streamlit probe did not finish within {timeout:g} s",
            )
        report = json_report(finished.stdout)
        if report is None:
            detail = finished.stderr.strip().splitlines()
            raise ProbeError(
                f"the probe driver failed in {install.python} (exit {finished.returncode})",
                hint=detail[-1] if detail else None,
            )
        user_start_error = report.get("user_start_error")
        if report.get("status") != "ok":
            failure = _driver_failure(report, timeout)
            if user_start_error:
                raise UserStartError(user_start_error, probe_failure=failure.message)
            raise failure
        try:
            seen = json.loads((workdir / _RESULT_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ProbeError("the probe app did not report what Streamlit resolved") from error

    exceptions = [_normalize_exception(name) for name in report.get("exceptions", [])]
    enforced = UNSERIALIZABLE_ERROR in exceptions
    if exceptions and not enforced:
        raise ProbeError(f"the probe app raised {exceptions[0]}, so Streamlit's check never ran")
    source = str(seen.get("where_defined"))
    if script_config is not None and source == str(temp_script_config):
        source = str(script_config)
    return ProbeResult(
        enforced=enforced,
        prediction=resolution.options[OPTION],
        streamlit_version=str(seen.get("streamlit_version") or install.version),
        streamlit_value=seen.get("value"),
        streamlit_source=source,
        exception=exceptions[0] if exceptions else None,
        seconds=time.monotonic() - started,
        python=install.python,
        found_via=install.found_via,
        warnings=(*resolution.warnings, *_unchecked(report)),
        overridden=(*overrides, *report.get("overridden", [])),
        url=report.get("url"),
        user_start_error=str(user_start_error) if user_start_error else None,
    )

"""The audit: run the user's app in the target interpreter with AppTest, enforcement on, the way
`streamlit run MAIN.py` serves it (every page, optionally driven like a user), and list every
Session State value that cannot be pickled: where it was stored, where inside it the culprit
sits, on which page and after which interaction, and what to do about it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stconfig.errors import ExitCode, ProbeError, UsageError
from stconfig.probe.audit_hints import PathPart, hint_for
from stconfig.probe.interpreter import AUDIT_MIN_VERSION, require_streamlit
from stconfig.probe.process import run_in_group
from stconfig.resolve import Context

_RUNNER = Path(__file__).resolve().parent / "audit_runner.py"
_REPORT_NAME = "audit-report.json"
_PROGRESS_PREFIX = "stconfig-audit-progress "  # audit_runner.PROGRESS_PREFIX
_RUNNER_SLACK_SECONDS = 10.0  # interpreter start and Streamlit's import, beyond the runs
DEFAULT_MAX_RUNS = 50


@dataclass(frozen=True)
class AuditOptions:
    """What to audit and with which inputs; paths are as the user gave them."""

    pages: tuple[Path, ...] = ()
    explore: bool = False
    max_runs: int = DEFAULT_MAX_RUNS
    secrets: Path | None = None
    query: tuple[tuple[str, str], ...] = ()
    state: tuple[tuple[str, Any], ...] = ()
    timeout: float = 30.0


@dataclass(frozen=True)
class StoredAt:
    """The line of the app that stored the value, and how."""

    file: Path
    line: int
    via: str  # "item" (session_state[k] = v), "attribute", "setdefault", "update", "widget"


@dataclass(frozen=True)
class UnpicklableValue:
    key: str  # the app's key, or Streamlit's id of a widget without one
    type: str  # the value's qualified type name
    error: str  # what pickle.dumps raised
    streamlit_key: str = ""  # the key as Streamlit's own check names it (widget ids included)
    path: str = ""  # from the value to the culprit: "['db']['lock']", ".client._lock"; "" itself
    culprit: str = ""  # the culprit's qualified type name
    set_at: StoredAt | None = None
    page: str | None = None
    interaction: str = ""
    widget: str | None = None  # 'button "Save"' when the value is a widget's
    hint: str | None = None

    @property
    def label(self) -> str:
        """How the finding names its key: the widget for a widget without a key."""
        if self.widget is not None and self.key == self.streamlit_key:
            return self.widget
        return self.key

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type,
            "error": self.error,
            "streamlit_key": self.streamlit_key,
            "path": self.path,
            "culprit": self.culprit,
            "set_at": None
            if self.set_at is None
            else {"file": str(self.set_at.file), "line": self.set_at.line, "via": self.set_at.via},
            "page": self.page,
            "interaction": self.interaction,
            "widget": self.widget,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class AppException:
    """A run that did not finish: the app's exception, a timeout, or AppTest's own failure."""

    type: str
    message: str
    page: str | None = None
    interaction: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "message": self.message,
            "page": self.page,
            "interaction": self.interaction,
        }


@dataclass(frozen=True)
class AuditedPage:
    name: str
    path: Path | None  # None for a page that is a function
    runs: int

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": None if self.path is None else str(self.path),
            "runs": self.runs,
        }


@dataclass(frozen=True)
class AuditResult:
    app: Path
    streamlit_version: str
    unserializable: tuple[UnpicklableValue, ...]
    problems: tuple[AppException, ...] = ()  # every run that did not finish
    runs: int = 0
    keys_checked: int = 0
    pages: tuple[AuditedPage, ...] = ()
    untried: int = 0  # pages or interactions left out by --max-runs
    python: Path | None = None  # the interpreter that ran it
    seconds: float = 0.0

    @property
    def app_exception(self) -> AppException | None:
        return self.problems[0] if self.problems else None

    def exit_code(self, *, allow_app_errors: bool = False) -> ExitCode:
        """1 when a value does not pickle; else 4 when a run did not finish (0 when allowed)."""
        if self.unserializable:
            return ExitCode.NEGATIVE
        if self.problems and not allow_app_errors:
            return ExitCode.PROBE
        return ExitCode.OK

    def to_json(self) -> dict[str, Any]:
        exception = self.app_exception
        return {
            "app": str(self.app),
            "streamlit_version": self.streamlit_version,
            "unserializable": [u.to_json() for u in self.unserializable],
            "app_exception": None if exception is None else exception.to_json(),
            "errors": [p.to_json() for p in self.problems],
            "runs": self.runs,
            "keys_checked": self.keys_checked,
            "pages": [p.to_json() for p in self.pages],
            "untried": self.untried,
            "python": None if self.python is None else str(self.python),
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Progress:
    runs: int
    max_runs: int
    doing: str  # the run's interaction, e.g. 'page "Chat" > click button "Send"'


def parse_assignments(values: Sequence[str], option: str) -> tuple[tuple[str, str], ...]:
    """`K=V` arguments of a repeatable option, split at the first `=`."""
    pairs = []
    for value in values:
        key, equals, raw = value.partition("=")
        if not equals or not key:
            raise UsageError(f"{option} takes KEY=VALUE, not {value!r}")
        pairs.append((key, raw))
    return tuple(pairs)


def parse_state(values: Sequence[str]) -> tuple[tuple[str, Any], ...]:
    """`--state K=V`: V as JSON when it is JSON (`true`, `3`, `["a"]`), else as the string."""
    seeded = []
    for key, raw in parse_assignments(values, "--state"):
        try:
            seeded.append((key, json.loads(raw)))
        except ValueError:
            seeded.append((key, raw))
    return tuple(seeded)


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _check_inputs(app: Path, options: AuditOptions) -> None:
    if not app.is_file():
        raise UsageError(f"app {str(app)!r} is not a file")
    for page in options.pages:
        if not page.is_file():
            raise UsageError(f"--page {str(page)!r} is not a file")
    if options.secrets is not None and not options.secrets.is_file():
        raise UsageError(f"--secrets {str(options.secrets)!r} is not a file")
    if options.max_runs < 1:
        raise UsageError(f"--max-runs must be at least 1, not {options.max_runs}")
    if options.timeout <= 0:
        raise UsageError(f"--timeout must be positive, not {options.timeout:g}")


def run_audit(
    app: Path,
    context: Context,
    options: AuditOptions = AuditOptions(),
    *,
    on_progress: Callable[[Progress], None] | None = None,
) -> AuditResult:
    """Audit `app` with AppTest in the target's Streamlit, from the project directory."""
    started = time.monotonic()
    _check_inputs(app, options)
    app = _absolute(app)
    install = require_streamlit(
        context.streamlit, python=context.python, minimum=AUDIT_MIN_VERSION, lacks="AppTest"
    )
    runner_options = {
        "app": str(app),
        "timeout": options.timeout,
        "explore": options.explore,
        "max_runs": options.max_runs,
        "pages": [str(_absolute(p)) for p in options.pages],
        "secrets": None if options.secrets is None else str(_absolute(options.secrets)),
        "query": [list(pair) for pair in options.query],
        "state": dict(options.state),
        "progress": on_progress is not None,
    }
    # The runner's temporary files (AppTest's own directory among them, which it never removes)
    # go into a directory of ours, removed whatever happens.
    workdir = Path(tempfile.mkdtemp(prefix="stconfig-audit-"))
    try:
        report_path = workdir / _REPORT_NAME
        finished = run_in_group(
            [str(install.python), str(_RUNNER), str(report_path), json.dumps(runner_options)],
            cwd=context.project_dir,
            env={**context.env, "TMPDIR": str(workdir)},
            timeout=_RUNNER_SLACK_SECONDS + options.timeout * options.max_runs,
            timeout_error=f"the audit of {app.name} did not finish",
            on_stderr_line=None if on_progress is None else _progress_reader(on_progress),
        )
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            detail = [line for line in finished.stderr.splitlines() if line.strip()]
            raise ProbeError(
                f"the audit could not run {app.name} in {install.python} "
                f"(exit {finished.returncode})",
                hint=detail[-1].strip() if detail else None,
            ) from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if report.get("error"):
        raise ProbeError(f"the audit could not run {app.name}: {report['error']}")
    unknown = report.get("unknown_pages") or []
    if unknown:
        declared = [p["path"] for p in report.get("pages", []) if p.get("path")]
        raise UsageError(
            f"--page {unknown[0]!r} is not a page {app.name} declares",
            hint="its pages: " + ", ".join(_relative(app, p) for p in declared)
            if declared
            else None,
        )
    return _result(app, install.python, install.version, report, time.monotonic() - started)


def _progress_reader(on_progress: Callable[[Progress], None]) -> Callable[[str], None]:
    def read(line: str) -> None:
        if not line.startswith(_PROGRESS_PREFIX):
            return
        try:
            data = json.loads(line[len(_PROGRESS_PREFIX) :])
        except ValueError:
            return
        page = data.get("page")
        on_progress(
            Progress(
                runs=int(data["runs"]),
                max_runs=int(data["max_runs"]),
                doing=interaction(page, data.get("action") or {}) if page else "the main script",
            )
        )

    return read


def _relative(app: Path, path: str) -> str:
    try:
        return str(Path(path).relative_to(app.parent))
    except ValueError:
        return path


def _widget_text(widget_type: str, label: str) -> str:
    kind = widget_type.replace("_", " ")
    return f'{kind} "{label}"' if label else kind


def interaction(page: str | None, action: Mapping[str, Any]) -> str:
    """How a run came about: `page "Chat"`, `page "Chat" > click button "Send"`, ..."""
    where = f'page "{page}"' if page else "the main script"
    kind = action.get("kind", "arrive")
    if kind == "arrive":
        return where
    if kind == "rerun":
        return f"{where} > rerun"
    widget = _widget_text(str(action.get("widget", "")), str(action.get("label", "")))
    option = action.get("option", "")
    doing = {
        "click": f"click {widget}",
        "check": f"check {widget}",
        "uncheck": f"uncheck {widget}",
        "choose": f'choose "{option}" in {widget}',
        "send": f'send "{option}" to {widget}',
    }.get(kind, f"{kind} {widget}")
    return f"{where} > {doing}"


def _result(
    app: Path, python: Path, version: str, report: dict[str, Any], seconds: float
) -> AuditResult:
    page_names = {p["hash"]: p["name"] for p in report.get("pages", [])}
    runs: list[dict[str, Any]] = report.get("runs", [])
    widgets: dict[str, dict[str, str]] = report.get("widgets", {})

    def run_labels(index: int) -> tuple[str | None, str]:
        run = runs[index] if 0 <= index < len(runs) else {}
        page = page_names.get(run.get("page") or "")
        return page, interaction(page, run.get("action") or {})

    findings = []
    for raw in report.get("findings", []):
        page, done = run_labels(int(raw.get("run", -1)))
        widget_id = raw.get("widget_id")
        widget = widgets.get(widget_id) if widget_id else None
        chain = [PathPart(str(p["type"]), str(p["kind"]), str(p["name"])) for p in raw["chain"]]
        site = raw.get("set_at")
        findings.append(
            UnpicklableValue(
                key=str(raw["key"]),
                type=str(raw["type"]),
                error=str(raw["error"]),
                streamlit_key=str(raw["streamlit_key"]),
                path=str(raw["path"]),
                culprit=chain[-1].type if chain else str(raw["type"]),
                set_at=None
                if site is None
                else StoredAt(Path(site["file"]), int(site["line"]), str(site["via"])),
                page=page,
                interaction=done,
                widget=None if widget is None else _widget_text(widget["type"], widget["label"]),
                hint=hint_for(
                    chain,
                    str(raw["error"]),
                    key=str(raw["streamlit_key"]),
                    widget_type=None if widget is None else widget["type"],
                ),
            )
        )
    problems = []
    for index, run in enumerate(runs):
        if run.get("exception"):
            page, done = run_labels(index)
            problems.append(
                AppException(
                    str(run["exception"]["type"]), str(run["exception"]["message"]), page, done
                )
            )
    per_page: dict[str, int] = {}
    for run in runs:
        per_page[run.get("page") or ""] = per_page.get(run.get("page") or "", 0) + 1
    pages = tuple(
        AuditedPage(p["name"], Path(p["path"]) if p["path"] else None, per_page[p["hash"]])
        for p in report.get("pages", [])
        if p["hash"] in per_page
    )
    return AuditResult(
        app=app,
        streamlit_version=str(report.get("streamlit_version") or version),
        unserializable=tuple(sorted(findings, key=_finding_order)),
        problems=tuple(problems),
        runs=len(runs),
        keys_checked=int(report.get("keys_checked", 0)),
        pages=pages,
        untried=int(report.get("untried", 0)),
        python=python,
        seconds=seconds,
    )


def _finding_order(finding: UnpicklableValue) -> tuple[str, int, str]:
    site = finding.set_at
    return (str(site.file) if site else "\uffff", site.line if site else 0, finding.key)

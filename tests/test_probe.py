"""`stconfig probe` against the real `streamlit run` of 1.67 (this interpreter) and 1.40.0: what
Streamlit enforces, from where, agreement with the read side, exit codes, and process hygiene."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import missing, write_config
from typer.testing import CliRunner

from stconfig.cli.commands import app
from stconfig.cli.probe_commands import _value_text
from stconfig.environment import version_tuple
from stconfig.errors import ExitCode
from stconfig.model import Position, Resolved, Scope, Source
from stconfig.probe import ProbeResult
from stconfig.probe.driver import allowed_host

KEY = "runner.enforceSerializableSessionState"
FROM_CLI = "command-line argument or environment variable"  # Streamlit's where_defined
PROBE_JSON_KEYS = {
    "enforced",
    "expected",
    "agrees",
    "streamlit_version",
    "streamlit_value",
    "streamlit_source",
    "exception",
    "seconds",
    "overridden",
    "url",
    "user_start_error",
}
# What the probe's own server always gets, whatever the user configured.
OVERRIDDEN = [
    "server.headless",
    "server.port",
    "server.address",
    "browser.gatherUsageStats",
    "server.fileWatcherType",
    "client.showErrorDetails",
    "global.developmentMode",
    "logger.enableRich",
]
USER_START_FAILS = "`streamlit run` from here would fail before serving: "
runner = CliRunner()


def probe(*args: str, env: dict[str, str] | None = None) -> tuple[int, Any, str]:
    """Exit code, the JSON printed (a probe that could not run prints none: {}), stderr."""
    result = runner.invoke(app, ["probe", "--json", *args], env=env)
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def enforce(value: str) -> str:
    return f"[runner]\nenforceSerializableSessionState = {value}\n"


@pytest.fixture
def probe_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp root of the test's own, so that leftovers and survivors can be looked for."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    monkeypatch.setenv("TMPDIR", str(root))
    return root


def processes_mentioning(text: str) -> list[str]:
    if not Path("/proc").is_dir():
        missing("no /proc to look for surviving processes in")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(f"{entry.name}: {cmdline}")
    return found


def assert_nothing_left(root: Path) -> None:
    deadline = time.monotonic() + 2
    while processes_mentioning(str(root)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_mentioning(str(root)) == []
    assert list(root.iterdir()) == []


# --- Scenarios against real Streamlit -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Scenario:
    name: str
    enforced: bool
    source: str  # "global", "project", "script", "default" or "cli"
    value: Any
    global_text: str | None = None
    project_text: str | None = None
    script_text: str | None = None  # <project>/app/.streamlit/config.toml, probed with --script
    env: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    # Streamlit 1.40 reads no script-level file: what it does instead, when that differs.
    on_140: tuple[bool, str, Any] | None = None


SCENARIOS = [
    Scenario("project true", True, "project", True, project_text=enforce("true")),
    Scenario("project false", False, "project", False, project_text=enforce("false")),
    Scenario("no config", False, "default", False),
    Scenario(
        "env var true",
        True,
        "cli",
        True,
        env={"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "true"},
    ),
    Scenario(
        "global true, project false",
        False,
        "project",
        False,
        global_text=enforce("true"),
        project_text=enforce("false"),
    ),
    Scenario("string false is truthy", True, "project", "false", project_text=enforce('"false"')),
    Scenario(
        "script-level over project",
        True,
        "script",
        True,
        project_text=enforce("false"),
        script_text=enforce("true"),
        on_140=(False, "project", False),
    ),
    Scenario(
        "flag over file",
        False,
        "cli",
        False,
        project_text=enforce("true"),
        flags=(f"{KEY}=false",),
    ),
    Scenario(
        "probe's own flags ignore the user's server settings",
        True,
        "project",
        True,
        project_text=enforce("true")
        + f'[server]\nport = {free_port()}\naddress = "0.0.0.0"\nheadless = false\n'
        + '[client]\nshowErrorDetails = "none"\n',
    ),
]


def check_scenario(scenario: Scenario, python: Path, home: Path, project: Path) -> None:
    expected_files = {}
    if scenario.global_text is not None:
        expected_files["global"] = write_config(home, scenario.global_text)
    if scenario.project_text is not None:
        text = scenario.project_text
        if version_tuple(_version(python)) < (1, 42):
            text = text.replace('"none"', "false")  # a bool before the type/stacktrace words
        expected_files["project"] = write_config(project, text)
    args = ["--python", str(python)]
    if scenario.script_text is not None:
        expected_files["script"] = write_config(project / "app", scenario.script_text)
        args += ["--script", str(project / "app" / "streamlit_app.py")]
    for flag in scenario.flags:
        args += ["--flag", flag]
    enforced, source, value = scenario.enforced, scenario.source, scenario.value
    if scenario.on_140 is not None and version_tuple(_version(python)) < (1, 42):
        enforced, source, value = scenario.on_140

    code, data, stderr = probe(*args, env=scenario.env)

    assert code == 0, stderr
    assert set(data) == PROBE_JSON_KEYS
    assert data["enforced"] is enforced
    assert data["streamlit_value"] == value
    where = {"default": "<default>", "cli": FROM_CLI}
    assert data["streamlit_source"] == (
        where[source] if source in where else str(expected_files[source])
    )
    assert data["expected"] is enforced, "the read side predicts what Streamlit does"
    assert data["agrees"] is True
    assert data["overridden"] == OVERRIDDEN
    assert data["user_start_error"] is None
    if enforced:
        assert data["exception"] == "streamlit.errors.UnserializableSessionStateError"
    else:
        assert data["exception"] is None
    # The probe never writes into the project: only the config files the test wrote are there.
    written = sorted(p.relative_to(project) for p in project.rglob("*") if p.is_file())
    assert written == sorted(
        f.relative_to(project) for f in expected_files.values() if f.is_relative_to(project)
    )


_VERSIONS: dict[Path, str] = {}


def _version(python: Path) -> str:
    if python not in _VERSIONS:
        _VERSIONS[python] = subprocess.run(
            [str(python), "-c", "import streamlit; print(streamlit.__version__)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    return _VERSIONS[python]


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_current_streamlit(scenario: Scenario, home: Path, project: Path, probe_tmp: Path) -> None:
    check_scenario(scenario, Path(sys.executable), home, project)
    assert_nothing_left(probe_tmp)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_streamlit_140(
    scenario: Scenario, streamlit_140_python: Path, home: Path, project: Path, probe_tmp: Path
) -> None:
    check_scenario(scenario, streamlit_140_python, home, project)
    assert_nothing_left(probe_tmp)


@pytest.mark.slow
def test_script_beside_project_file_reports_the_project_file(project: Path) -> None:
    """A script in the project directory has no separate script-level file: Streamlit names the
    project file, not the probe's temporary copy."""
    config = write_config(project, enforce("true"))
    code, data, stderr = probe("--script", str(project / "streamlit_app.py"))
    assert code == 0, stderr
    assert data["streamlit_source"] == str(config)
    assert data["enforced"] is True


@pytest.mark.slow
def test_default_target_is_the_current_interpreter(project: Path) -> None:
    write_config(project, enforce("true"))
    result = runner.invoke(app, ["probe"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == KEY
    assert "enforced   yes" in lines[1]
    assert f"from {project / '.streamlit' / 'config.toml'}" in lines[2]
    assert lines[3].endswith(": agrees")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("config", "expect", "code"),
    [
        ("true", "enforced", 0),
        ("true", "not-enforced", 1),
        ("false", "not-enforced", 0),
        ("false", "enforced", 1),
    ],
)
def test_expect_is_a_ci_gate(project: Path, config: str, expect: str, code: int) -> None:
    write_config(project, enforce(config))
    result = runner.invoke(app, ["probe", "--expect", expect])
    assert result.exit_code == code, result.output
    if code == 1:
        assert result.stderr.startswith(f"stconfig: expected {expect}, but Streamlit ")
    else:
        assert result.stderr == ""


@pytest.mark.slow
def test_invalid_env_value_stops_streamlit_exit_4(project: Path, probe_tmp: Path) -> None:
    env = {"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "maybe"}
    result = runner.invoke(app, ["probe"], env=env)
    assert result.exit_code == ExitCode.PROBE, result.output
    # Streamlit's own complaint; the probe's server, given the same environment, stopped too.
    assert result.stderr.startswith(f"stconfig: error: {USER_START_FAILS}Invalid value for ")
    assert "'maybe'" in result.stderr
    assert "\nhint: the probe's own server failed too: the Streamlit server did not start" in (
        result.stderr
    )
    assert_nothing_left(probe_tmp)


@pytest.mark.slow
def test_timeout_exit_4_and_everything_stopped(project: Path, probe_tmp: Path) -> None:
    result = runner.invoke(app, ["probe", "--timeout", "0.2"])
    assert result.exit_code == ExitCode.PROBE, result.output
    assert "within 0.2 s" in result.stderr
    assert_nothing_left(probe_tmp)


@pytest.mark.slow
def test_ctrl_c_stops_the_server_and_removes_temp_files(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "tmp"
    root.mkdir()
    env = {**os.environ, "TMPDIR": str(root)}
    process = subprocess.Popen(
        [sys.executable, "-m", "stconfig", "probe", "--timeout", "30"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until the Streamlit server itself is running (its command line names the probe app).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if any("-m streamlit run" in p for p in processes_mentioning(str(root))):
            break
        time.sleep(0.01)
    else:
        process.kill()
        pytest.fail("the probe never started a server")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert_nothing_left(root)


# --- Without a usable Streamlit (no server) -------------------------------------------------


def fake_venv(tmp_path: Path, streamlit_version: str | None) -> Path:
    """A virtualenv layout whose interpreter is this one but whose site-packages has the given
    Streamlit dist-info (or none): discovery reads versions from folder names."""
    venv = tmp_path / "fake-venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "bin" / "python").symlink_to(sys.executable)
    site = venv / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    if streamlit_version is not None:
        (site / f"streamlit-{streamlit_version}.dist-info").mkdir()
    return venv / "bin" / "python"


def test_no_streamlit_exit_4(tmp_path: Path) -> None:
    python = fake_venv(tmp_path, None)
    result = runner.invoke(app, ["probe", "--python", str(python)])
    assert result.exit_code == ExitCode.PROBE
    assert result.stderr.startswith(f"stconfig: error: no Streamlit found for {python}\n")


def test_streamlit_before_1_21_has_no_such_option_exit_4(tmp_path: Path) -> None:
    python = fake_venv(tmp_path, "1.20.0")
    result = runner.invoke(app, ["probe", "--python", str(python)])
    assert result.exit_code == ExitCode.PROBE
    assert "Streamlit 1.20.0" in result.stderr
    assert "added in 1.21.0" in result.stderr


def test_project_venv_is_the_default_target(project: Path) -> None:
    fake_venv(project, "1.0.0").parent.parent.rename(project / ".venv")
    result = runner.invoke(app, ["probe"])
    assert result.exit_code == ExitCode.PROBE
    assert "Streamlit 1.0.0" in result.stderr


def test_usage_errors_exit_2_before_anything_starts(project: Path) -> None:
    assert runner.invoke(app, ["probe", "--flag", "runner.nope=1"]).exit_code == ExitCode.USAGE
    assert runner.invoke(app, ["probe", "--timeout", "0"]).exit_code == ExitCode.USAGE
    assert runner.invoke(app, ["probe", "--expect", "maybe"]).exit_code == ExitCode.USAGE


# --- Pure parts -----------------------------------------------------------------------------


def result_with(value: Any, *, enforced: bool) -> ProbeResult:
    prediction = Resolved(
        key=KEY,
        value=value,
        source=Source(Scope.PROJECT, Position(Path("/p/.streamlit/config.toml"), 2)),
        default=False,
        default_computed=False,
        sensitive=False,
    )
    return ProbeResult(
        enforced=enforced,
        prediction=prediction,
        streamlit_version="1.67.0",
        streamlit_value=value,
        streamlit_source="/p/.streamlit/config.toml",
        exception="streamlit.errors.UnserializableSessionStateError" if enforced else None,
        seconds=1.23456,
        python=Path("/p/.venv/bin/python"),
        found_via="project .venv",
    )


def test_expected_is_truthiness_as_streamlit_evaluates_it() -> None:
    assert result_with("false", enforced=True).to_json() == {
        "enforced": True,
        "expected": True,
        "agrees": True,
        "streamlit_version": "1.67.0",
        "streamlit_value": "false",
        "streamlit_source": "/p/.streamlit/config.toml",
        "exception": "streamlit.errors.UnserializableSessionStateError",
        "seconds": 1.235,
        "overridden": [],
        "url": None,
        "user_start_error": None,
    }
    assert result_with(True, enforced=False).agrees is False
    assert result_with("", enforced=False).expected is False


def test_value_text_keeps_string_quotes() -> None:
    assert _value_text(True) == "true"
    assert _value_text("false") == '"false"'


def test_version_tuple() -> None:
    assert version_tuple("1.40.0") == (1, 40, 0)
    assert version_tuple("1.52.0rc1") == (1, 52, 0)
    assert version_tuple("1.21") == (1, 21, 0)


@pytest.mark.slow
def test_broken_project_file_skipped_by_streamlit_and_predicted(project: Path) -> None:
    write_config(project, "[runner\nenforceSerializableSessionState = true\n")
    code, data, stderr = probe()
    assert code == 0, stderr
    assert (data["enforced"], data["streamlit_source"], data["agrees"]) == (
        False,
        "<default>",
        True,
    )
    assert "Streamlit skips the file" in stderr


@pytest.mark.slow
def test_fatal_project_file_stops_streamlit_exit_4(project: Path) -> None:
    write_config(project, "foo = 1\n" + enforce("true"))
    result = runner.invoke(app, ["probe"])
    assert result.exit_code == ExitCode.PROBE
    assert result.stderr.startswith(f"stconfig: error: {USER_START_FAILS}")
    assert "\nhint: the probe's own server failed too: the Streamlit server did not start" in (
        result.stderr
    )


@pytest.mark.slow
def test_no_env_hides_streamlit_env_vars_from_the_server_too(project: Path) -> None:
    env = {"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "true"}
    code, data, stderr = probe("--no-env", env=env)
    assert code == 0, stderr
    assert (data["enforced"], data["expected"], data["streamlit_source"]) == (
        False,
        False,
        "<default>",
    )


@pytest.mark.slow
def test_user_flags_cannot_move_the_probe_server(project: Path) -> None:
    code, data, stderr = probe(
        "--flag",
        f"server.port={free_port()}",
        "--flag",
        "server.headless=false",
        "--flag",
        f"{KEY}=true",
    )
    assert code == 0, stderr
    assert (data["enforced"], data["streamlit_source"]) == (True, FROM_CLI)


def test_allowed_host_follows_streamlits_rule() -> None:
    assert allowed_host([]) == ""  # an empty list allows every Host
    assert allowed_host(["myapp.example.com", "other"]) == "myapp.example.com"
    assert allowed_host([" MyApp.Example.COM. "]) == "myapp.example.com"
    assert allowed_host(["*.example.com"]) == "stconfig-probe.example.com"
    assert allowed_host(["*"]) == "127.0.0.1"
    assert allowed_host(["::1"]) == "[::1]"
    assert allowed_host(["", "*bad", "a/b"]) is None


# --- Production-style configs against real Streamlit ----------------------------------------


@pytest.fixture(scope="session")
def tls_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and its key, made by the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        missing("no openssl command to make a self-signed certificate with")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    subprocess.run(
        [openssl, *request, "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def has_allowed_hosts(python: Path) -> bool:
    return version_tuple(_version(python)) >= (1, 67)


@pytest.mark.slow
def test_production_networking_is_kept_and_reached(
    streamlit_python: Path, project: Path, tls_pair: tuple[Path, Path]
) -> None:
    """TLS with the user's own certificate, server.baseUrlPath and (where Streamlit has it)
    server.allowedHosts stay as configured; the probe reaches the server through them."""
    cert, key = tls_pair
    hosts = 'allowedHosts = ["myapp.example.com"]\n' if has_allowed_hosts(streamlit_python) else ""
    server = f'[server]\nbaseUrlPath = "/deep/app/"\nsslCertFile = "{cert}"\nsslKeyFile = "{key}"\n'
    write_config(project, enforce("true") + server + hosts)
    code, data, stderr = probe("--python", str(streamlit_python))
    assert code == 0, stderr
    assert (data["enforced"], data["agrees"], data["user_start_error"]) == (True, True, None)
    assert data["overridden"] == OVERRIDDEN
    host = "myapp.example.com" if hosts else "127.0.0.1"
    assert re.fullmatch(rf"wss://{re.escape(host)}:\d+/deep/app/_stcore/stream", data["url"])


@pytest.mark.slow
def test_allowed_hosts_nothing_usable_overrides_only_that_check(project: Path) -> None:
    write_config(project, enforce("true") + '[server]\nallowedHosts = ["*bad"]\n')
    code, data, stderr = probe()
    assert code == 0, stderr
    assert (data["enforced"], data["agrees"]) == (True, True)
    assert data["overridden"] == [*OVERRIDDEN, "server.allowedHosts"]


@pytest.mark.slow
def test_env_var_that_breaks_the_users_start_exits_4_with_the_reason(
    streamlit_python: Path, project: Path
) -> None:
    """The probe's own server starts (its --server.port outranks the variable), the user's does
    not: a CI gate must not pass."""
    write_config(project, enforce("true"))
    env = {"STREAMLIT_SERVER_PORT": "abc"}
    code, data, stderr = probe("--python", str(streamlit_python), "--expect", "enforced", env=env)
    assert code == ExitCode.PROBE, stderr
    assert (data["enforced"], data["agrees"]) == (True, True)
    reason = data["user_start_error"]
    assert "STREAMLIT_SERVER_PORT" in reason
    assert "'abc' is not a valid integer" in reason
    assert f"stconfig: error: {USER_START_FAILS}{reason}\n" in stderr


@pytest.mark.slow
def test_a_port_the_user_set_that_is_taken_exits_4(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        write_config(project, enforce("true") + f'[server]\nport = {port}\naddress = "127.0.0.1"\n')
        code, data, stderr = probe()
    assert code == ExitCode.PROBE, stderr
    assert data["enforced"] is True
    assert data["user_start_error"] == f"port {port} is not available: Address already in use"


@pytest.mark.slow
def test_development_mode_with_a_port_fails_the_users_start_too(
    streamlit_python: Path, project: Path
) -> None:
    """The probe's server runs without development mode (it refuses any server.port, and the
    probe sets one), so it starts; the user's start, which has both, fails: Streamlit's own words
    say why."""
    config = enforce("true") + f"[global]\ndevelopmentMode = true\n[server]\nport = {free_port()}\n"
    write_config(project, config)
    code, data, stderr = probe("--python", str(streamlit_python))
    assert code == ExitCode.PROBE, stderr
    assert data["enforced"] is True
    assert data["overridden"] == OVERRIDDEN
    assert KEY not in data["overridden"]
    reason = "server.port does not work when global.developmentMode is true."
    assert data["user_start_error"] == reason
    assert stderr.endswith(
        f"stconfig: error: {USER_START_FAILS}{reason}\n"
        "hint: the probe forced its own server past this; fix it before you rely on the answer\n"
    )


@pytest.mark.slow
def test_several_pythons_one_probe_each_expect_holds_for_all(
    streamlit_140_python: Path, project: Path
) -> None:
    """1.67 reads the script-level file, 1.40 does not: --expect enforced holds for one only."""
    write_config(project, enforce("false"))
    write_config(project / "app", enforce("true"))
    current = Path(sys.executable)
    args = ["--python", str(current), "--python", str(streamlit_140_python)]
    args += ["--script", str(project / "app" / "streamlit_app.py"), "--expect", "enforced"]
    code, data, stderr = probe(*args)
    assert code == ExitCode.NEGATIVE, stderr
    assert [(d["python"], d["streamlit_version"], d["enforced"], d["agrees"]) for d in data] == [
        (str(current), _version(current), True, True),
        (str(streamlit_140_python), "1.40.0", False, True),
    ]
    assert all(set(d) == PROBE_JSON_KEYS | {"python"} for d in data)
    # Each interpreter's messages are labelled with it.
    assert f"stconfig: warning: {streamlit_140_python}: Streamlit 1.40.0 reads no script-level" in (
        stderr
    )
    expected = f"stconfig: {streamlit_140_python}: expected enforced, but Streamlit does not "
    assert stderr.endswith(expected + f"enforce {KEY}\n")

    piped = runner.invoke(app, ["probe", *args[:-1], "not-enforced"])
    assert piped.exit_code == ExitCode.NEGATIVE, piped.output
    summary = [line.split("\t") for line in piped.stdout.splitlines() if "\t" in line]
    assert [row[:3] + row[4:] for row in summary] == [
        [_version(current), "yes", "yes", str(current)],
        ["1.40.0", "no", "yes", str(streamlit_140_python)],
    ]
    assert f"== Streamlit 1.40.0 ({streamlit_140_python})" in piped.stdout


@pytest.mark.slow
def test_a_probe_that_disagrees(streamlit_140_python: Path, project: Path) -> None:
    """A real disagreement: Streamlit 1.40's TOML library reads `runner . key` as a table named
    "runner " (with the space), so it never sees the option; stconfig reads TOML as TOML does."""
    write_config(project, "runner . enforceSerializableSessionState = true\n")
    code, data, stderr = probe("--python", str(streamlit_140_python))
    assert code == 0, stderr
    assert (data["enforced"], data["expected"], data["agrees"]) == (False, True, False)
    assert (data["streamlit_value"], data["streamlit_source"]) == (False, "<default>")
    assert stderr == (
        "stconfig: warning: stconfig's prediction disagrees with what Streamlit did: please "
        "report this, with `stconfig show runner --layers --json`\n"
    )

"""Streamlit's start-up checks (stconfig/startup.py, env and flag allowed values): `check` reports
what the real Streamlit refuses or warns about when it starts, `set` refuses what it refuses.

The proof runs the real Streamlit (1.67 here, 1.40.0 in its venv): the config-load checks through
tests/streamlit_oracle.py (Streamlit's own `streamlit run` entry point, stopped once the config is
loaded and `_check_conflicts` has run), the port through a real server start.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from real_start import oracle, start_env, stconfig
from typer.testing import CliRunner

from stconfig.cli.commands import app


@dataclass(frozen=True)
class Case:
    """A project (its config file, env vars and flags) and what stconfig must say about it."""

    name: str
    config: str = ""
    env: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    # finding code -> the versions (by major.minor) where it is expected
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)


BOTH = ("1.40", "1.67")
CASES = [
    Case("env-allowed", env={"STREAMLIT_LOGGER_LEVEL": "verbose"}, codes={"env-invalid": BOTH}),
    Case("flag-allowed", flags=("logger.level=verbose",)),  # stconfig refuses the flag: exit 2
    Case(
        "dev-mode-port",
        "[global]\ndevelopmentMode = true\n[server]\nport = 8501\n",
        codes={"dev-mode-port": BOTH},
    ),
    Case(
        "dev-mode-browser-port",
        "[global]\ndevelopmentMode = true\n",
        env={"STREAMLIT_BROWSER_SERVER_PORT": "8502"},
        codes={"dev-mode-port": BOTH},
    ),
    Case(
        "cache-size",
        '[server]\nmaxCacheDataSize = "0gb"\n',
        codes={"cache-size": ("1.67",), "unknown-key": ("1.40",)},
    ),
    Case(
        "trusted-headers",
        env={"STREAMLIT_SERVER_TRUSTED_USER_HEADERS": '{"X-A": "u", "X-B": "u"}'},
        codes={"trusted-headers": ("1.67",)},
    ),
    Case(
        "metrics-attributes",
        '[server]\nunsafeMetricsUserAttributes = ["type"]\n',
        codes={"metrics-attributes": ("1.67",), "unknown-key": ("1.40",)},
    ),
    # Starts, with warnings: CORS off under XSRF protection (Streamlit logs it), and the old
    # boolean form of showErrorDetails (a bool option in 1.40, deprecated in 1.67).
    Case(
        "warnings",
        '[server]\nenableCORS = false\nport = 0\nxsrfCookieSameSite = "none"\n'
        "[client]\nshowErrorDetails = false\n"
        '[runner]\nmagicEnabled = false\n[server.trustedUserHeaders]\n"X-Email" = "email"\n',
        codes={
            "cors-xsrf": BOTH,
            "deprecated-value": ("1.67",),
            "samesite-none": ("1.67",),
            "unknown-key": ("1.40",),
        },
    ),
]


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_check_agrees_with_streamlit_start(
    case: Case, streamlit_python: Path, tmp_path: Path, stconfig_cache: Path
) -> None:
    """Streamlit refuses to start exactly when `check` reports an error, and each finding
    expected for this version is there (and no other start-up finding)."""
    home, project = tmp_path / "h", tmp_path / "p"
    home.mkdir()
    project.mkdir()
    if case.config:
        write_config(project, case.config)
    env = start_env(home, streamlit_python, stconfig_cache, case.env)
    flags = [arg for flag in case.flags for arg in ("--" + flag.split("=")[0], flag.split("=")[1])]
    loaded = oracle(streamlit_python, project, env, flags)
    version = ".".join(loaded["streamlit_version"].split(".")[:2])
    done = stconfig(project, env, "check", "--json", *(f"--flag={f}" for f in case.flags))
    said = f"{loaded['status']} {loaded['error']}\n{loaded['stderr'][-1500:]}\n{done.stderr}"
    if case.flags:
        # A flag value Streamlit refuses is refused by stconfig as a bad argument.
        assert loaded["status"] != "ok", said
        assert done.returncode == 2 and done.stderr.startswith("stconfig: error:"), said
        return
    report = json.loads(done.stdout)
    codes = {finding["code"] for finding in report["findings"]}
    expected = {code for code, versions in case.codes.items() if version in versions}
    assert codes == expected, said
    # An unknown key is an error to `check` that Streamlit only logs.
    refusing = [f for f in report["findings"] if f["severity"] == "error"]
    refusing = [f for f in refusing if f["code"] != "unknown-key"]
    assert bool(refusing) == (loaded["status"] != "ok"), said
    if "cors-xsrf" in expected:  # Streamlit's own warnings
        assert "server.enableCORS" in loaded["stderr"], said
    if "samesite-none" in expected:
        assert "must be served over HTTPS" in loaded["stderr"].replace("\n", " "), said


def _serves(python: Path, project: Path, env: dict[str, str], flags: list[str]) -> tuple[bool, str]:
    """A real `streamlit run app.py FLAGS...`: whether the server comes up, and its output."""
    (project / "app.py").write_text("import streamlit as st\n", encoding="utf-8")
    command = [str(python), "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1", *flags]
    with subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as server:
        assert server.stdout is not None
        started, output = False, []
        deadline = time.monotonic() + 30
        for line in server.stdout:
            output.append(line)
            if "You can now view" in line or time.monotonic() > deadline:
                started = "You can now view" in line
                break
        server.kill()
        server.wait(timeout=10)
    return started, "".join(output)


SERVER_CASES = {
    # 1.67 (Starlette) fails to bind above 65535 and below 0; 1.40 (tornado) fails below 0 and
    # starts with 70000.
    "port-70000": (["--server.port=70000"], "port-range"),
    "port-minus-1": (["--server.port=-1"], "port-range"),
    # Both versions exit 1 when only one of the pair is set.
    "ssl-cert-alone": (["--server.sslCertFile=cert.pem", "--server.port=0"], "ssl-pair"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(SERVER_CASES))
def test_server_start_rules_as_the_real_server_starts(
    case: str, streamlit_python: Path, tmp_path: Path, stconfig_cache: Path
) -> None:
    """A real server start with the flags: `check` reports the rule's error exactly when the
    server does not come up."""
    flags, code = SERVER_CASES[case]
    home, project = tmp_path / "h", tmp_path / "p"
    home.mkdir()
    project.mkdir()
    env = start_env(home, streamlit_python, stconfig_cache, {})
    started, output = _serves(streamlit_python, project, env, flags)
    done = stconfig(project, env, "check", "--json", *(f"--flag={f[2:]}" for f in flags))
    codes = [finding["code"] for finding in json.loads(done.stdout)["findings"]]
    assert codes in ([], [code]), codes
    assert (codes == [code]) == (not started), output + done.stderr


def test_set_refuses_what_streamlit_refuses_at_start(project: Path) -> None:
    """`set` exits 2 on a value Streamlit's start refuses and writes nothing; a refused
    combination is written only with --force, with a warning."""
    done = run_cli("set", "server.port", "70000")
    assert done.exit_code == 2 and "is not a port" in done.stderr
    assert not (project / ".streamlit").exists()
    done = run_cli("set", "server.maxCacheDataSize", "2 qb")
    assert done.exit_code == 2 and "binary-unit string" in done.stderr
    write_config(project, "[global]\ndevelopmentMode = true\n")
    done = run_cli("set", "server.port", "8502")
    assert done.exit_code == 2 and "global.developmentMode is true" in done.stderr
    assert "port" not in (project / ".streamlit" / "config.toml").read_text()
    done = run_cli("set", "--force", "server.port", "8502")
    assert done.exit_code == 0 and "written anyway: --force" in done.stderr
    assert "port = 8502" in (project / ".streamlit" / "config.toml").read_text()
    done = run_cli("set", "client.showErrorDetails", "false")
    assert done.exit_code == 0 and "deprecated boolean form" in done.stderr


def test_check_places_env_and_flag_findings(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREAMLIT_LOGGER_LEVEL", "verbose")
    done = run_cli("check")
    assert done.exit_code == 1
    assert "env STREAMLIT_LOGGER_LEVEL: error:" in done.stdout and "fails to start" in done.stdout
    monkeypatch.delenv("STREAMLIT_LOGGER_LEVEL")
    done = run_cli("check", "--flag", "server.port=70000", "--json")
    finding = json.loads(done.stdout)["findings"][0]
    place = (finding["code"], finding["flag"], finding["file"])
    assert place == ("port-range", "--server.port", None)

"""`show --script APP` says how `streamlit run APP` starts it: ASGI mode for a script assigning
an st.App (or FastAPI, Starlette), detected as Streamlit's own app_discovery does, and which
layers such a start reads, proven with a real ASGI start of Streamlit 1.67."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from real_start import start_env, stconfig
from typer.testing import CliRunner

from stconfig.catalog.store import load_catalog
from stconfig.cli.commands import app
from stconfig.startmode import start_mode

APPS = Path(__file__).resolve().parent / "apps" / "asgi"
SCRIPTS = sorted(APPS.glob("*.py"))


def test_detection_is_streamlits_own(tmp_path: Path) -> None:
    """Every test script gets the mode and app name Streamlit's discover_asgi_app gives it (a
    syntax error too); a Streamlit without app discovery (1.40) starts every script plainly."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    broken = tmp_path / "broken.py"
    broken.write_text("import streamlit as st\napp = st.App(\n")
    catalog = load_catalog(None)
    modes = set()
    for script in [*SCRIPTS, broken]:
        theirs = discover_asgi_app(script)
        ours = start_mode(script, catalog)
        assert (ours.mode == "asgi") == theirs.is_asgi_app, script.name
        assert ours.app_name == theirs.app_name, script.name
        modes.add(ours.mode)
        old = start_mode(script, replace(catalog, asgi_app_classes=(), asgi_app_names=()))
        assert old.mode == "script"
    assert modes == {"asgi", "script"}


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_show_says_the_start_mode(project: Path) -> None:
    (project / "plain.py").write_text((APPS / "plain.py").read_text())
    (project / "launch").mkdir()
    (project / "launch" / "app.py").write_text(
        'import streamlit as st\napp = st.App("dash/d.py")\n'
    )
    assert json.loads(run("show", "--json").stdout)["start_mode"] is None
    plain = run("show", "--json", "--script", "plain.py")
    assert json.loads(plain.stdout)["start_mode"] == "script" and "ASGI" not in plain.stderr
    asgi = run("show", "--json", "--script", "launch/app.py")
    assert json.loads(asgi.stdout)["start_mode"] == "asgi"
    assert "starts it in ASGI mode" in asgi.stderr
    assert "launch/dash/.streamlit/config.toml is not read" in asgi.stderr.replace(
        str(project) + "/", ""
    )


LAUNCHER = """\
import streamlit as st
from starlette.responses import JSONResponse
from starlette.routing import Route


def snapshot(request):
    from streamlit import config

    return JSONResponse(
        {
            key: [option.value, option.where_defined]
            for key, option in config.get_config_options().items()
            if option.where_defined != "<default>" and not option.sensitive
        }
    )


app = st.App("dash/dashboard.py", routes=[Route("/api/snapshot", snapshot)])
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.slow
def test_an_asgi_start_reads_the_layers_show_claims(tmp_path: Path, stconfig_cache: Path) -> None:
    """`streamlit run launch/app.py` in ASGI mode, asked from inside the served app: every layer
    of a plain run applies (global, project, the launcher's directory, env, flags) and the App
    script's directory does not; `show --script` says exactly that."""
    home, project = tmp_path / "h", tmp_path / "p"
    launch = project / "launch"
    (launch / "dash").mkdir(parents=True)
    home.mkdir()
    write_config(home, "[runner]\nmagicEnabled = false\n")
    write_config(project, '[theme]\nprimaryColor = "#000001"\n')
    write_config(launch, "[runner]\nfastReruns = false\n")
    write_config(launch / "dash", '[theme]\nfont = "serif"\n')
    (launch / "app.py").write_text(LAUNCHER, encoding="utf-8")
    (launch / "dash" / "dashboard.py").write_text("import streamlit as st\n", encoding="utf-8")
    python = Path(sys.executable)
    env = start_env(home, python, stconfig_cache, {"STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "123"})
    port = _free_port()
    flags = ["--server.port", str(port), "--server.address", "127.0.0.1"]
    flags += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    flags += ["--client.toolbarMode", "minimal"]
    command = [str(python), "-m", "streamlit", "run", "launch/app.py", *flags]
    with subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as server:
        try:
            deadline, snapshot = time.monotonic() + 40, None
            while snapshot is None and time.monotonic() < deadline:
                try:
                    url = f"http://127.0.0.1:{port}/api/snapshot"
                    with urllib.request.urlopen(url, timeout=2) as response:
                        snapshot = json.load(response)
                except OSError:
                    assert server.poll() is None, "streamlit exited"
                    time.sleep(0.3)
        finally:
            server.kill()
            server.wait(timeout=10)
    assert snapshot is not None, "the ASGI app never answered"
    args = [f"--flag={flags[i].lstrip('-')}={flags[i + 1]}" for i in range(0, len(flags), 2)]
    done = stconfig(project, env, "show", "--json", "--script", "launch/app.py", *args)
    data = json.loads(done.stdout)
    assert data["start_mode"] == "asgi", done.stderr
    assert set(data["options"]) == set(snapshot), (data["options"].keys(), snapshot)
    for key, (value, where) in snapshot.items():
        ours = data["options"][key]
        assert ours["value"] == value, key
        if where.startswith("/"):
            assert ours["source"]["path"] == where, key
        else:
            assert ours["source"]["scope"] in ("env", "flag"), key
    assert "theme.font" not in snapshot  # the App script's directory is not a layer

"""`stconfig audit MAIN.py` against real Streamlit (1.67 here, and 1.40.0), on the apps under
tests/apps/audit/: Streamlit's own coverage (widget ids, components v2) and more (every key, after
st.stop(), after the app's exception), multipage apps, --explore, the inputs apps need, what each
finding says, exit codes, several interpreters, and that nothing is left behind. Where a real
`streamlit run` with enforcement on raises, the key it names must be among the audit's findings.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import on_terminal
from test_probe import assert_nothing_left, fake_venv, processes_mentioning
from typer.testing import CliRunner

from stconfig.cli.commands import app
from stconfig.errors import ExitCode
from stconfig.probe.audit import AuditResult, UnpicklableValue, interaction, parse_state
from stconfig.probe.audit_hints import (
    HINT_CONNECTION,
    HINT_FILE,
    HINT_ITERATOR,
    HINT_LAMBDA,
    HINT_MODULE,
    HINT_STREAMLIT_OWN,
    HINT_THREADING,
    PathPart,
    hint_for,
)

APPS = Path(__file__).resolve().parent / "apps" / "audit"
DRIVER = Path(__file__).resolve().parents[1] / "stconfig" / "probe" / "driver.py"
CURRENT = Path(sys.executable)
runner = CliRunner()


def audit(*args: str) -> tuple[int, Any, str]:
    """Exit code, the JSON printed (None when nothing was), stderr."""
    result = runner.invoke(app, ["audit", "--json", *args])
    data = json.loads(result.stdout) if result.stdout.strip() else None
    return result.exit_code, data, result.stderr


def copy_app(name: str, project: Path) -> Path:
    """The app's directory copied into the project; the path of its main script."""
    shutil.copytree(APPS / name, project, dirs_exist_ok=True)
    main = next(p for p in ("app.py", "Home.py") if (project / p).is_file())
    return project / main


def by_key(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["key"]: u for u in data["unserializable"]}


@pytest.fixture(params=["1.67", "1.40"])
def python(request: pytest.FixtureRequest) -> Path:
    if request.param == "1.67":
        return CURRENT
    return Path(request.getfixturevalue("streamlit_140_python"))


# --- Streamlit's own coverage, then more ----------------------------------------------------


@pytest.mark.slow
def test_every_key_before_st_stop_with_where_it_was_stored(python: Path, project: Path) -> None:
    path = copy_app("stopped", project)
    code, data, stderr = audit(str(path), "--python", str(python))
    assert code == ExitCode.NEGATIVE, stderr
    assert data["app"] == str(path)
    assert data["app_exception"] is None and data["errors"] == []
    # Both, though Streamlit's own check names only one and never runs after st.stop().
    assert [(u["key"], u["type"]) for u in data["unserializable"]] == [
        ("lock", "_thread.lock"),
        ("callback", "function"),
    ]
    lock, callback = data["unserializable"]
    assert lock["error"] == "TypeError: cannot pickle '_thread.lock' object"
    assert lock["set_at"] == {"file": str(path), "line": 9, "via": "item"}
    assert callback["set_at"] == {"file": str(path), "line": 11, "via": "attribute"}
    assert lock["page"] == "app" and lock["interaction"] == 'page "app"'
    assert (lock["path"], lock["culprit"]) == ("", "_thread.lock")
    assert lock["hint"] == HINT_THREADING and callback["hint"] == HINT_LAMBDA
    assert data["runs"] == 1 and data["keys_checked"] >= 4
    assert data["pages"] == [{"name": "app", "path": str(path), "runs": 1}]


@pytest.mark.slow
def test_keyless_widget_is_named_by_type_and_label(python: Path, project: Path) -> None:
    path = copy_app("keyless", project)
    code, data, stderr = audit(str(path), "--python", str(python))
    assert code == ExitCode.NEGATIVE, stderr
    (finding,) = data["unserializable"]
    assert finding["key"].startswith("$$ID-") and finding["key"].endswith("-None")
    assert finding["key"] == finding["streamlit_key"]
    assert finding["widget"] == 'selectbox "Transform"'
    assert finding["set_at"] == {"file": str(path), "line": 12, "via": "widget"}
    assert finding["hint"] == HINT_LAMBDA


@pytest.mark.slow
def test_components_v2_state_is_labelled_as_streamlits_own(project: Path) -> None:
    """Streamlit 1.67 has st.components.v2 (1.40 does not)."""
    path = copy_app("components_v2", project)
    code, data, stderr = audit(str(path))
    assert code == ExitCode.NEGATIVE, stderr
    (finding,) = data["unserializable"]
    assert finding["widget"] == 'components-v2 "hello"'
    assert finding["type"].endswith("._WriteThrough")
    assert finding["hint"] == HINT_STREAMLIT_OWN
    assert finding["set_at"]["line"] == 7


@pytest.mark.slow
def test_a_lock_deep_inside_a_value(project: Path) -> None:
    """On 1.40 too: test_one_audit_per_interpreter."""
    path = copy_app("nested_lock", project)
    code, data, stderr = audit(str(path))
    assert code == ExitCode.NEGATIVE, stderr
    (finding,) = data["unserializable"]
    assert finding["key"] == "services"
    assert (finding["path"], finding["culprit"]) == ("['db'].client._pool._lock", "_thread.lock")
    assert finding["set_at"] == {"file": str(path), "line": 6, "via": "setdefault"}
    assert finding["hint"] == HINT_CONNECTION  # a Client on the way to the lock


# --- what stopped the app: exit 4, --allow-app-errors --------------------------------------


@pytest.mark.slow
def test_app_that_crashes_before_storing_anything_bad_exit_4(python: Path, project: Path) -> None:
    path = copy_app("crashing", project)
    code, data, stderr = audit(str(path), "--python", str(python))
    assert code == ExitCode.PROBE, stderr
    assert data["unserializable"] == []
    assert data["app_exception"]["type"] == "ModuleNotFoundError"
    assert "stconfig_missing_module" in data["app_exception"]["message"]
    assert stderr.startswith(
        "stconfig: error: the app did not run to its end: "
        'page "app" raised ModuleNotFoundError: No module named'
    )
    assert "hint: checked before that: " in stderr and " in 1 run, all of them pickle" in stderr
    allowed = runner.invoke(
        app, ["audit", str(path), "--python", str(python), "--allow-app-errors"]
    )
    assert allowed.exit_code == ExitCode.OK, allowed.output
    assert "stconfig: warning: " in allowed.stderr
    assert "before the app stopped pickles" in allowed.stdout


@pytest.mark.slow
def test_app_exception_after_an_unpicklable_value_exit_1(project: Path) -> None:
    (project / "app.py").write_text(
        "import streamlit as st\nst.session_state['gen'] = (i for i in [1])\n1 / 0\n"
    )
    code, data, stderr = audit("app.py")
    assert code == ExitCode.NEGATIVE
    assert data["app_exception"]["type"] == "ZeroDivisionError"
    assert data["unserializable"][0]["hint"] == HINT_ITERATOR
    assert 'page "app" raised ZeroDivisionError' in stderr


@pytest.mark.slow
def test_a_run_that_does_not_finish_in_time_exit_4(project: Path) -> None:
    (project / "app.py").write_text(
        "import time\nimport streamlit as st\nst.session_state['a'] = 1\ntime.sleep(30)\n"
    )
    result = runner.invoke(app, ["audit", "app.py", "--timeout", "0.5"])
    assert result.exit_code == ExitCode.PROBE, result.output
    assert result.stderr.startswith(
        'stconfig: error: the app did not run to its end: page "app" raised timeout: '
        "the run did not finish within 0.5 s\n"
    )


@pytest.mark.slow
def test_show_error_details_is_forced_to_full(project: Path) -> None:
    (project / ".streamlit").mkdir()
    (project / ".streamlit" / "config.toml").write_text('[client]\nshowErrorDetails = "none"\n')
    (project / "app.py").write_text("raise ValueError('the real reason')\n")
    code, data, _ = audit("app.py")
    assert code == ExitCode.PROBE
    assert data["app_exception"] == {
        "type": "ValueError",
        "message": "the real reason",
        "page": "app",
        "interaction": 'page "app"',
    }


# --- multipage ----------------------------------------------------------------------------


@pytest.mark.slow
def test_pages_directory_with_a_module_beside_the_main_script(python: Path, project: Path) -> None:
    path = copy_app("multipage", project)
    code, data, stderr = audit(str(path), "--python", str(python))
    assert code == ExitCode.NEGATIVE, stderr
    assert data["errors"] == []  # `import utils` works on every page
    assert [(p["name"], Path(p["path"]).name) for p in data["pages"]] == [
        ("Home", "Home.py"),
        ("Chat", "1_Chat.py"),
        ("Settings", "2_Settings.py"),
    ]
    found = by_key(data)
    assert found["chat_lock"]["page"] == "Chat"
    assert found["chat_lock"]["set_at"]["file"] == str(project / "pages" / "1_Chat.py")
    assert found["settings_file"]["page"] == "Settings"
    assert found["settings_file"]["hint"] == HINT_FILE


@pytest.mark.slow
def test_a_page_audited_alone_says_to_audit_the_main_script(project: Path) -> None:
    copy_app("multipage", project)
    result = runner.invoke(app, ["audit", "pages/1_Chat.py"])
    assert result.exit_code == ExitCode.PROBE
    assert "No module named 'utils'" in result.stderr
    assert result.stderr.endswith(
        "1_Chat.py looks like a page: audit the main script, with --page pages/1_Chat.py\n"
    )


@pytest.mark.slow
def test_page_option_audits_only_that_page(project: Path) -> None:
    path = copy_app("multipage", project)
    code, data, stderr = audit(str(path), "--page", "pages/2_Settings.py")
    assert code == ExitCode.NEGATIVE, stderr
    assert [p["name"] for p in data["pages"]] == ["Home", "Settings"]
    assert list(by_key(data)) == ["settings_file"]


@pytest.mark.slow
def test_a_page_the_app_does_not_declare_is_a_usage_error(project: Path) -> None:
    path = copy_app("multipage", project)
    (project / "other.py").write_text("")
    code, _, stderr = audit(str(path), "--page", "other.py")
    assert code == ExitCode.USAGE
    assert "is not a page Home.py declares" in stderr
    assert "hint: its pages: Home.py, pages/1_Chat.py, pages/2_Settings.py" in stderr


@pytest.mark.slow
def test_navigation_pages_files_and_functions(python: Path, project: Path) -> None:
    path = copy_app("navigation", project)
    code, data, stderr = audit(str(path), "--python", str(python))
    assert code == ExitCode.NEGATIVE, stderr
    assert data["errors"] == []
    assert [p["name"] for p in data["pages"]] == ["Home", "Reports", "Settings"]
    found = by_key(data)
    assert found["reports_lock"]["page"] == "Reports"
    assert found["reports_lock"]["set_at"]["file"] == str(project / "views" / "reports.py")
    assert found["settings"]["page"] == "Settings"
    assert found["settings"]["set_at"] == {"file": str(path), "line": 8, "via": "item"}


# --- --explore ----------------------------------------------------------------------------


@pytest.mark.slow
def test_value_stored_only_by_a_callback_needs_explore(python: Path, project: Path) -> None:
    path = copy_app("callback", project)
    code, data, stderr = audit(str(path), "--python", str(python))
    assert code == ExitCode.OK, stderr
    code, data, stderr = audit(str(path), "--python", str(python), "--explore")
    assert code == ExitCode.NEGATIVE, stderr
    (finding,) = data["unserializable"]
    assert finding["interaction"] == 'page "app" > click button "Start"'
    assert finding["set_at"] == {"file": str(path), "line": 9, "via": "item"}
    assert finding["path"] == "._started._cond._lock"


@pytest.mark.slow
def test_class_of_the_app_script_fails_on_the_rerun(project: Path) -> None:
    path = copy_app("script_class", project)
    assert audit(str(path))[0] == ExitCode.OK  # the first run pickles it
    code, data, stderr = audit(str(path), "--explore")
    assert code == ExitCode.NEGATIVE, stderr
    (finding,) = data["unserializable"]
    assert finding["interaction"] == 'page "app" > rerun'
    assert "not the same object as __main__.Cart" in finding["error"]
    assert finding["hint"].startswith("`__main__.Cart` is defined in the app script")
    assert finding["hint"].endswith("move it into a module and import it")


@pytest.mark.slow
def test_explore_a_clean_app_in_a_deterministic_order(python: Path, project: Path) -> None:
    path = copy_app("clean", project)
    result = runner.invoke(app, ["audit", str(path), "--python", str(python), "--explore"])
    assert result.exit_code == ExitCode.OK, result.output
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith("app.py: every Session State value pickles; ")
    assert summary.endswith(" checked in 10 runs on 1 page")
    limited = runner.invoke(app, ["audit", "--json", str(path), "--explore", "--max-runs", "3"])
    data = json.loads(limited.stdout)
    assert (data["runs"], data["untried"]) == (3, 5)  # the actions known when it stopped


# --- inputs real apps need ------------------------------------------------------------------


@pytest.mark.slow
def test_secrets_query_and_state(project: Path, tmp_path: Path) -> None:
    path = copy_app("needs_inputs", project)
    code, data, stderr = audit(str(path))
    assert code == ExitCode.PROBE
    assert "hint: checked before that" in stderr and "--secrets FILE" in stderr

    secrets = tmp_path / "ci-secrets.toml"
    secrets.write_text('token = "s3cret-token-value"\n')
    code, data, stderr = audit(str(path), "--secrets", str(secrets), "--query", "mode=dark")
    assert code == ExitCode.OK, stderr
    assert "s3cret" not in json.dumps(data) + stderr

    # By default the project's .streamlit/secrets.toml, as Streamlit reads it.
    (project / ".streamlit").mkdir()
    shutil.copyfile(secrets, project / ".streamlit" / "secrets.toml")
    result = runner.invoke(
        app, ["audit", str(path), "--query", "mode=dark", "--state", "logged_in=true"]
    )
    assert result.exit_code == ExitCode.NEGATIVE, result.output
    assert "s3cret" not in result.output
    (line, _summary) = result.stdout.splitlines()
    assert line.startswith("app.py:12: client: socket.socket does not pickle (TypeError: ")
    assert line.endswith(f', on page "app"; hint: {HINT_CONNECTION}')


# --- the real server agrees -----------------------------------------------------------------


def streamlit_raises_on(python: Path, app_path: Path) -> str:
    """The key a real `streamlit run` with enforcement on names in its first run."""
    port = 8600 + os.getpid() % 300
    done = subprocess.run(
        [
            str(python),
            str(DRIVER),
            f"--port={port}",
            "--timeout=30",
            "--",
            str(app_path),
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
            "--runner.enforceSerializableSessionState=true",
        ],
        cwd=app_path.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(done.stdout)
    assert report["status"] == "ok", report
    (message,) = report["exception_messages"]
    return message.split(" of '", 1)[1].split("' in st.session_state", 1)[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "version"), [("keyless", "1.67"), ("keyless", "1.40"), ("components_v2", "1.67")]
)
def test_what_streamlit_raises_on_is_never_missing(
    name: str, version: str, project: Path, request: pytest.FixtureRequest
) -> None:
    python = CURRENT if version == "1.67" else request.getfixturevalue("streamlit_140_python")
    path = copy_app(name, project)
    raised = streamlit_raises_on(python, path)
    _, data, _ = audit(str(path), "--python", str(python))
    assert raised in {u["streamlit_key"] for u in data["unserializable"]}


# --- several interpreters ---------------------------------------------------------------------


@pytest.mark.slow
def test_one_audit_per_interpreter(project: Path, streamlit_140_python: Path) -> None:
    path = copy_app("nested_lock", project)
    both = ["--python", str(CURRENT), "--python", str(streamlit_140_python)]
    code, data, _ = audit(str(path), *both)
    assert code == ExitCode.NEGATIVE
    assert [d["streamlit_version"] for d in data] == ["1.67.0", "1.40.0"]
    assert all(d["unserializable"][0]["key"] == "services" for d in data)
    result = runner.invoke(app, ["audit", str(path), *both])
    table = result.stdout.splitlines()[-3:]
    assert table[0].split() == ["streamlit", "result", "seconds", "python"]
    assert table[1].startswith("1.67.0     1 value does not pickle")
    assert table[2].startswith("1.40.0     1 value does not pickle")


def test_worst_exit_code_over_interpreters(project: Path, tmp_path: Path) -> None:
    (project / "app.py").write_text("")
    nothing = fake_venv(tmp_path, None)
    code, data, stderr = audit("app.py", "--python", str(nothing), "--python", str(nothing))
    assert code == ExitCode.PROBE
    assert [d["error"] for d in data] == [f"no Streamlit found for {nothing}"] * 2
    assert stderr.count("stconfig: error: ") == 2


# --- process hygiene and the progress line ------------------------------------------------


@pytest.mark.slow
def test_no_temporary_directory_and_no_process_left(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr("tempfile.tempdir", str(root))
    marker = f"stconfig-audit-child-{os.getpid()}"
    (project / "app.py").write_text(
        "import subprocess, sys, tempfile\n"
        "import streamlit as st\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {marker!r}])\n"
        "st.session_state['scratch'] = tempfile.mkdtemp()\n"
    )
    before = sorted(root.iterdir())
    code, _, stderr = audit("app.py")
    assert code == ExitCode.OK, stderr
    assert sorted(root.iterdir()) == before == []
    assert processes_mentioning(marker) == []
    assert_nothing_left(root)


@pytest.mark.slow
def test_progress_on_a_terminal_only_and_rich_only_then(project: Path) -> None:
    shutil.copytree(APPS / "clean", project, dirs_exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    argv = [sys.executable, "-X", "importtime", "-m", "stconfig", "audit", "app.py", "--explore"]
    piped = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert piped.returncode == ExitCode.OK, piped.stderr
    assert "run 1/50" not in piped.stderr
    assert " rich" not in piped.stderr  # -X importtime lists every import on stderr

    code, seen = on_terminal(argv[:1] + argv[3:], env, stream="stderr")
    assert code == ExitCode.OK
    # rich redraws a few times a second, so which runs show depends on timing.
    assert re.search(rb'run \d+/50: page "app"( > |\r)', seen), seen


# --- usage errors, before anything runs -------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.py"], "app 'nope.py' is not a file"),
        (["app.py", "--page", "pages/x.py"], "--page 'pages/x.py' is not a file"),
        (["app.py", "--secrets", "s.toml"], "--secrets 's.toml' is not a file"),
        (["app.py", "--max-runs", "0"], "--max-runs must be at least 1, not 0"),
        (["app.py", "--query", "novalue"], "--query takes KEY=VALUE, not 'novalue'"),
        (["app.py", "--state", "=1"], "--state takes KEY=VALUE, not '=1'"),
        (["app.py", "--timeout", "0"], "--timeout must be positive, not 0"),
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str], message: str) -> None:
    (project / "app.py").write_text("")
    result = runner.invoke(app, ["audit", *args])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.stderr == f"stconfig: error: {message}\n"


def test_no_streamlit_exit_4(project: Path, tmp_path: Path) -> None:
    (project / "app.py").write_text("")
    python = fake_venv(tmp_path, None)
    result = runner.invoke(app, ["audit", "app.py", "--python", str(python)])
    assert result.exit_code == ExitCode.PROBE
    assert "no Streamlit found" in result.stderr


def test_streamlit_without_apptest_exit_4(project: Path, tmp_path: Path) -> None:
    (project / "app.py").write_text("")
    python = fake_venv(tmp_path, "1.27.2")
    result = runner.invoke(app, ["audit", "app.py", "--python", str(python)])
    assert result.exit_code == ExitCode.PROBE
    assert "Streamlit 1.27.2" in result.stderr
    assert "has no AppTest: it was added in 1.28.0" in result.stderr


# --- pure parts -----------------------------------------------------------------------------


def part(type_: str, kind: str = "instance", name: str = "") -> PathPart:
    return PathPart(type_, kind, name)


@pytest.mark.parametrize(
    ("chain", "error", "hint"),
    [
        ([part("_thread.RLock")], "", HINT_THREADING),
        ([part("dict"), part("threading.Event")], "", HINT_THREADING),
        ([part("sqlite3.Connection")], "", HINT_CONNECTION),
        ([part("openai.OpenAI"), part("httpx.Client"), part("_thread.lock")], "", HINT_CONNECTION),
        ([part("streamlit.connections.sql_connection.SQLConnection")], "", HINT_CONNECTION),
        ([part("generator", "generator")], "", HINT_ITERATOR),
        ([part("list"), part("map")], "", HINT_ITERATOR),
        ([part("function", "function", "app.<locals>.f")], "", HINT_LAMBDA),
        ([part("module", "module", "os")], "", HINT_MODULE),
        ([part("_io.BufferedReader")], "", HINT_FILE),
        ([part("dict"), part("mylib.Thing")], "", None),
    ],
)
def test_hints(chain: list[PathPart], error: str, hint: str | None) -> None:
    assert hint_for(chain, error, key="k", widget_type=None) == hint


def test_script_defined_hint_names_the_class() -> None:
    chain = [part("list"), part("__page__.Row")]
    assert hint_for(chain, "", key="k", widget_type=None) == (
        "`__page__.Row` is defined in the app script, which Streamlit runs as a new module on "
        "every run and page, so pickle cannot find it again: move it into a module and import it"
    )


def test_interaction_paths() -> None:
    assert interaction("Chat", {"kind": "arrive"}) == 'page "Chat"'
    assert interaction("Chat", {"kind": "rerun"}) == 'page "Chat" > rerun'
    click = {"kind": "click", "widget": "form_submit_button", "label": "Go"}
    assert interaction("Chat", click) == 'page "Chat" > click form submit button "Go"'
    choose = {"kind": "choose", "widget": "segmented_control", "label": "View", "option": "B"}
    assert interaction("Chat", choose) == 'page "Chat" > choose "B" in segmented control "View"'
    send = {"kind": "send", "widget": "chat_input", "label": "Ask", "option": "hello"}
    assert interaction("Chat", send) == 'page "Chat" > send "hello" to chat input "Ask"'


def test_state_values_are_json_when_they_parse() -> None:
    assert parse_state(["a=true", "b=3", 'c=["x"]', "d=plain", "e="]) == (
        ("a", True),
        ("b", 3),
        ("c", ["x"]),
        ("d", "plain"),
        ("e", ""),
    )


def test_exit_codes_one_beats_four_beats_zero() -> None:
    from stconfig.probe.audit import AppException

    finding = UnpicklableValue("k", "t", "e")
    crash = AppException("KeyError", "x")
    base = AuditResult(Path("app.py"), "1.67.0", ())
    assert base.exit_code() == ExitCode.OK
    assert AuditResult(Path("a"), "1", (finding,), (crash,)).exit_code() == ExitCode.NEGATIVE
    crashed = AuditResult(Path("a"), "1", (), (crash,))
    assert crashed.exit_code() == ExitCode.PROBE
    assert crashed.exit_code(allow_app_errors=True) == ExitCode.OK


# --- the README's CI gate ---------------------------------------------------------------------


@pytest.mark.slow
def test_readme_ci_gate_before_turning_enforcement_on(project: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("\n## Audit\n", 1)[1].split("\n## ", 1)[0]
    gate = re.findall(r"```bash\n(.*?)```", section, flags=re.S)[0]
    env = {**os.environ, "PATH": f"{CURRENT.parent}{os.pathsep}{os.environ['PATH']}"}

    def run_gate() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + gate],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    copy_app("stopped", project)
    failed = run_gate()
    assert failed.returncode == 1
    assert "fix these before: stconfig set" in failed.stderr
    assert not (project / ".streamlit" / "config.toml").exists()

    copy_app("clean", project)
    passed = run_gate()
    assert passed.returncode == 0, passed.stderr
    config = (project / ".streamlit" / "config.toml").read_text()
    assert "enforceSerializableSessionState = true" in config


def test_the_cli_default_for_max_runs_is_the_cores() -> None:
    from stconfig.cli.spec import Options
    from stconfig.probe.audit import DEFAULT_MAX_RUNS

    assert Options().max_runs == DEFAULT_MAX_RUNS

"""Differential proof: for generated layered scenarios, `stconfig show --json` agrees with what real
Streamlit resolves for `streamlit run` (tests/streamlit_oracle.py) on value, scope, path and line,
against the installed Streamlit and against Streamlit 1.40.0 in its own virtualenv.

What is asserted, per scenario:
- Streamlit starts: stconfig exits 0 and lists exactly the options Streamlit took from a file, env
  var or flag, each with Streamlit's value (JSON types included: true is not 1, 1 is not 1.0);
  a file source has Streamlit's path and the line the generator wrote the key on; "command-line
  argument or environment variable" is stconfig's flag (when a flag sets it) or env (the name click
  reads: the explicit one unless empty, then STREAMLIT_RUN_...); a secret's value is not compared.
  A file Streamlit skipped (1.67: a syntax error or a BOM) has an error in stconfig's layers; a file
  written clean has none.
- Streamlit refuses to start (click exits 2 on a bad env or flag value; loading raises on a
  top-level key, an invalid theme section, or any 1.40 syntax error): stconfig must not show a
  config as if all were well: it fails with `stconfig: error:`, or reports a layer error or a
  warning.
Lines are not Streamlit's to tell: the generator knows where it wrote each key.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from real_start import oracle
from scenarios import (
    OPTIONS,
    THEME_PATH,
    ConfigText,
    Layout,
    Scenario,
    materialize,
    run_env_var,
    scenarios,
)

TESTS = Path(__file__).resolve().parent
ORACLE = TESTS / "streamlit_oracle.py"
REPO = TESTS.parent
BY_CLICK = "command-line argument or environment variable"
BY_ENV = "environment variable"  # sensitive options, read by Streamlit itself
FILE_SCOPES = {"home": "global", "project": "project", "script": "script"}

EXAMPLES = int(os.environ.get("STCONFIG_DIFF_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Each example makes its own directories; the autouse isolation fixture is not per example.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # CI must not fail on a new random example the author never saw; local runs keep exploring.
    derandomize=bool(os.environ.get("CI")),
)


def _venv_root(python: Path) -> Path | None:
    root = python.parent.parent
    return root if (root / "pyvenv.cfg").is_file() else None


def _base_env(layout: Layout) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(layout.home),
        "LC_ALL": "C.UTF-8",
        "NO_COLOR": "1",
    }


def _script_arg(scenario: Scenario, script: Path, layout: Layout) -> str:
    # Without --script stconfig models `streamlit run streamlit_app.py` in the project dir.
    relative = scenario.relative_script or layout.script is None
    return os.path.relpath(script, layout.project) if relative else str(script)


def run_oracle(
    python: Path, scenario: Scenario, layout: Layout, construction: str = "cli"
) -> dict[str, Any]:
    script = _script_arg(scenario, layout.streamlit_script, layout)
    env = {**_base_env(layout), **scenario.env}
    return oracle(python, layout.project, env, scenario.flag_args(), script, construction)


def run_stconfig(
    python: Path, scenario: Scenario, layout: Layout, cache: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    args = ["show", "--json", *extra, "-C", str(layout.project)]
    if layout.script is not None:
        args += ["--script", _script_arg(scenario, layout.script, layout)]
    for key, raw in scenario.flags:
        args += ["--flag", f"{key}={raw}"]
    env = {**_base_env(layout), **scenario.env, "XDG_CACHE_HOME": str(cache)}
    # stconfig must resolve as the Streamlit under test: find_streamlit tries $VIRTUAL_ENV before
    # the interpreter running stconfig.
    venv = _venv_root(python)
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
    return subprocess.run(
        [sys.executable, "-m", "stconfig", *args],
        cwd=layout.home.parent if scenario.run_elsewhere else layout.project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# Streamlit 1.67's theme inheritance relabels what it touches (config_util.py).
THEME_RESET = "reset for theme inheritance"  # set to None: the option has no value
THEME_FROM_FILE = "base theme file: "
THEME_LIGHT = "default light theme"  # theme.base of a theme file without a base
_CONFIG_LABEL = re.compile(r"^config\.toml(?: \((?:global|project|script)\))?: ")


def _labelled_path(where: str) -> str:
    """A config file's where_defined without the `config.toml (project): ` label theme
    inheritance puts on the theme options it restores."""
    return _CONFIG_LABEL.sub("", where)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _expected_click_source(scenario: Scenario, key: str) -> dict[str, str]:
    if any(flag_key == key for flag_key, _ in scenario.flags):
        return {"scope": "flag", "name": f"--{key}"}
    explicit = OPTIONS[key][1] if key in OPTIONS else "STREAMLIT_THEME_BASE"
    name = explicit if scenario.env.get(explicit) else run_env_var(key)
    return {"scope": "env", "name": name}


def _file_expectation(
    scenario: Scenario, layout: Layout, key: str, where: str
) -> tuple[set[str], int]:
    """The scopes the file at `where` can be reported as, and the line the key was written on."""
    places = [place for place, path in layout.config.items() if _same_file(path, where)]
    assert places, f"{key}: Streamlit read it from {where}, not a generated file"
    written = [scenario.files[place] for place in places if place in scenario.files]
    assert written, f"{key}: {where} was not generated"
    scopes = {FILE_SCOPES[place] for place in places}
    if layout.script is not None:
        # Streamlit compares path strings: the project file reached through a symlinked script
        # path is read a second time, as the script-level file.
        arg = _script_arg(scenario, layout.script, layout)
        script = os.path.normpath(os.path.join(os.path.realpath(layout.project), arg))
        if where == os.path.join(os.path.dirname(script), ".streamlit", "config.toml"):
            scopes.add("script")
    return scopes, written[0].lines[key]


def _same_file(path: Path, reported: str) -> bool:
    """`reported` names `path` (through a symlink or not: which one is Streamlit's to say)."""
    return os.path.realpath(path) == os.path.realpath(reported)


def _file_layer(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    for layer in data["layers"]:
        if "path" in layer and _same_file(path, layer["path"]):
            return layer  # type: ignore[no-any-return]
    return None


def check_agreement(
    scenario: Scenario,
    layout: Layout,
    oracle: dict[str, Any],
    done: subprocess.CompletedProcess[str],
) -> None:
    context = f"\nscenario: {scenario}\nstconfig stderr: {done.stderr}\noracle: " + (
        f"{oracle['status']} {oracle['exit_code']} {oracle['error']}\n{oracle['stderr'][-1500:]}"
    )
    if oracle["status"] != "ok":
        if done.returncode != 0:
            assert done.stderr.startswith("stconfig: error:"), context
            return
        data = json.loads(done.stdout)
        if oracle["status"] == "exit":
            # An env value was refused (a bad flag value makes stconfig fail above), by click
            # ("Invalid value for '--KEY'") or by Streamlit (a secret from the command line): a
            # warning must name a variable of that option.
            said = f"{oracle['stderr']}\n{oracle['error']}"
            refused = re.search(
                r"Invalid value for '--([\w.]+)'|Setting '([\w.]+)' option using the CLI", said
            )
            assert refused, "the oracle exited without saying which option" + context
            key = refused[1] or refused[2]
            names = (OPTIONS[key][1], run_env_var(key))
            named = [w for w in data["warnings"] for name in names if re.search(rf"\b{name}\b", w)]
            assert named, f"Streamlit refuses {key}'s env var, stconfig is silent" + context
        else:
            # Loading raised: on a file, whose layer says why, or in a start-up check
            # (global.developmentMode with a port), which a warning quotes.
            flagged = [layer for layer in data["layers"] if layer["error"]]
            said = (oracle["error"] or "").split(": ", 1)[-1]
            quoted = [warning for warning in data["warnings"] if said and said in warning]
            assert flagged or quoted, "Streamlit refuses to start, stconfig is silent" + context
        return

    assert done.returncode == 0, context
    data = json.loads(done.stdout)
    assert data["streamlit_version"] == oracle["streamlit_version"], context

    read_by_streamlit = {
        os.path.realpath(_labelled_path(option["where_defined"]))
        for option in oracle["options"].values()
    }
    for place, text in scenario.files.items():
        layer = _file_layer(data, layout.config[place])
        if layer is None:
            # Only a version without script-level config (1.40) may leave a generated file out,
            # and then Streamlit must not have read it either.
            assert place == "script", f"no layer for {place}" + context
            assert os.path.realpath(layout.config[place]) not in read_by_streamlit, context
            continue
        error = layer["error"]
        skipped = os.path.realpath(layout.config[place]) not in read_by_streamlit
        # A BOM before a bare key is read by 1.40 (glued to that key), so nothing to say there.
        bom_glued = text.defect == "bom" and text.data[3:4].isalpha()
        if text.defect == "syntax" or (text.defect == "bom" and not bom_glued):
            assert error or not skipped, (
                f"Streamlit skipped {layout.config[place]}, stconfig did not say so" + context
            )
        elif text.defect is None:
            assert error is None, context

    expected = {
        key: option
        for key, option in oracle["options"].items()
        if option["where_defined"] not in ("<default>", THEME_RESET)
    }
    shown = data["options"]
    assert sorted(shown) == sorted(expected), context
    for key, option in expected.items():
        got = shown[key]
        where = option["where_defined"]
        message = f"\n{key}: Streamlit {option}, stconfig {got}" + context
        if not option["hidden"]:
            assert _canonical(got["value"]) == _canonical(option["value"]), message
        source = got["source"]
        if where == BY_ENV:
            assert source == {"scope": "env", "name": OPTIONS[key][1]}, message
        elif where == BY_CLICK:
            assert source == _expected_click_source(scenario, key), message
        elif where.startswith(THEME_FROM_FILE) or where == THEME_LIGHT:
            assert scenario.theme is not None, message
            assert source["scope"] == "theme-file", message
            assert _same_file(layout.project / THEME_PATH, source["path"]), message
            assert source["line"] == scenario.theme.lines.get(key), message
        else:
            where = _labelled_path(where)
            scopes, line = _file_expectation(scenario, layout, key, where)
            assert source["scope"] in scopes, message
            assert source["path"] == where, message
            assert source["line"] == line, message


@given(scenario=scenarios())
@SETTINGS
def test_stconfig_agrees_with_streamlit(
    scenario: Scenario, streamlit_python: Path, stconfig_cache: Path
) -> None:
    with tempfile.TemporaryDirectory() as root:
        layout = materialize(scenario, Path(root).resolve())
        oracle = run_oracle(streamlit_python, scenario, layout)
        if oracle["toml_divergence"]:
            # 1.40's `toml` package misreads this valid TOML (see TOML_PACKAGE_BUGS): no TOML
            # reader can agree, so such examples do not count.
            event("rejected: 1.40's toml package reads a file unlike TOML 1.0")
            reject()
        done = run_stconfig(streamlit_python, scenario, layout, stconfig_cache)
        check_agreement(scenario, layout, oracle, done)
    event(f"streamlit: {oracle['status']} {(oracle['error'] or '')[:50]}")
    if scenario.theme is not None:
        event(f"theme file, streamlit: {oracle['status']}")
    if oracle["status"] == "ok":
        set_keys = [o for o in oracle["options"].values() if o["where_defined"] != "<default>"]
        event(
            f"options compared: {min(len(set_keys), 6)}+"
            if len(set_keys) >= 6
            else f"options compared: {len(set_keys)}"
        )


# Cases hypothesis found or that must never regress, checked the same way on every version.
KNOWN_CASES = {
    # 1.40's `toml` package glues a BOM onto a bare first key: the file is read, that one
    # section becomes unknown; before a [table] or a comment the BOM is fatal (1.67 skips the file).
    "bom_then_bare_key": Scenario(
        cwd_is_home=False,
        script="none",
        files={
            "project": ConfigText(
                b"\xef\xbb\xbfbrowser.gatherUsageStats = false\n[server]\nport = 8600\n",
                {"browser.gatherUsageStats": 1, "server.port": 3},
                defect="bom",
            )
        },
    ),
    "bom_then_table": Scenario(
        cwd_is_home=False,
        script="none",
        files={
            "project": ConfigText(
                b"\xef\xbb\xbf[server]\nport = 8600\n", {"server.port": 2}, defect="bom"
            )
        },
    ),
    "cwd_is_home_with_script_elsewhere": Scenario(
        cwd_is_home=True,
        script="elsewhere",
        files={
            "home": ConfigText(b"[server]\nport = 8600\n", {"server.port": 2}),
            "script": ConfigText(b"\n[server]\nport = 8700\n", {"server.port": 3}),
        },
        env={"STREAMLIT_SERVER_PORT": "", "STREAMLIT_RUN_SERVER_MAXUPLOADSIZE": " 12 "},
        flags=(("server.folderWatchBlacklist", "a b"), ("server.folderWatchBlacklist", "c")),
    ),
    # A secret's env var is read by Streamlit itself, even when empty, over the project file.
    "cookie_secret_env_even_empty": Scenario(
        cwd_is_home=False,
        script="none",
        files={
            "project": ConfigText(
                b'[server]\ncookieSecret = "s3cret"\n', {"server.cookieSecret": 2}
            )
        },
        env={"STREAMLIT_SERVER_COOKIE_SECRET": ""},
    ),
    # The same key in every layer: the flag wins; each lower layer, removed in turn from the top,
    # hands the win to the next (see test_precedence_every_layer_in_turn).
    "same_key_in_every_layer": Scenario(
        cwd_is_home=False,
        script="subdir",
        files={
            "home": ConfigText(b"[server]\nport = 8601\n", {"server.port": 2}),
            "project": ConfigText(b"[server]\nport = 8602\n", {"server.port": 2}),
            "script": ConfigText(b"[server]\nport = 8603\n", {"server.port": 2}),
        },
        env={"STREAMLIT_SERVER_PORT": "8604", "STREAMLIT_RUN_SERVER_PORT": "8605"},
        flags=(("server.port", "8606"),),
    ),
    # An empty explicit variable counts as unset: the STREAMLIT_RUN_ one is read, over the files.
    "empty_explicit_env_then_run_prefixed": Scenario(
        cwd_is_home=False,
        script="none",
        files={"project": ConfigText(b"[server]\nport = 8602\n", {"server.port": 2})},
        env={"STREAMLIT_SERVER_PORT": "", "STREAMLIT_RUN_SERVER_PORT": "8605"},
    ),
    # click refuses a bad env value (naming the explicit variable even when the STREAMLIT_RUN_ one
    # held it): stconfig must warn about the variable it read.
    "bad_run_prefixed_env_value": Scenario(
        cwd_is_home=False,
        script="none",
        files={},
        env={"STREAMLIT_RUN_SERVER_HEADLESS": "maybe"},
    ),
    # Streamlit itself refuses a secret from STREAMLIT_RUN_... (a flag to click) with exit 1.
    "secret_from_run_prefixed_env": Scenario(
        cwd_is_home=False,
        script="none",
        files={},
        env={"STREAMLIT_RUN_SERVER_COOKIESECRET": "x"},
    ),
    # click keeps the last of repeated single-valued flags and never converts the others.
    "repeated_flag_last_wins": Scenario(
        cwd_is_home=False,
        script="none",
        files={},
        flags=(("browser.gatherUsageStats", "maybe"), ("browser.gatherUsageStats", "t")),
    ),
    # Start-up checks across layers: development mode in the global file, the port (its
    # default value, still "set") in the project file: Streamlit refuses to start.
    "development_mode_with_port": Scenario(
        cwd_is_home=False,
        script="none",
        files={
            "home": ConfigText(
                b"[global]\ndevelopmentMode = true\n", {"global.developmentMode": 2}
            ),
            "project": ConfigText(b"[server]\nport = 8501\n", {"server.port": 2}),
        },
    ),
    # A theme file under every layer: its base and the keys no layer sets come from it (1.67),
    # a config file's, an env var's and a flag's theme keys win; 1.40 keeps the name as base.
    "theme_file_under_every_layer": Scenario(
        cwd_is_home=False,
        script="subdir",
        files={
            "home": ConfigText(b'[theme]\nprimaryColor = "#000001"\n', {"theme.primaryColor": 2}),
            "script": ConfigText(
                b'[theme.light]\nprimaryColor = "#000002"\n', {"theme.light.primaryColor": 2}
            ),
        },
        theme=ConfigText(
            b'[theme.sidebar]\nprimaryColor = "#000003"\n\n[theme]\nbase = "dark"\n'
            b'primaryColor = "#000004"\nbogus = 1\n[theme.light]\nprimaryColor = "#000005"\n'
            b'[theme.dark.sidebar]\nprimaryColor = "#000006"\n',
            {
                "theme.sidebar.primaryColor": 2,
                "theme.base": 5,
                "theme.primaryColor": 6,
                "theme.light.primaryColor": 9,
                "theme.dark.sidebar.primaryColor": 11,
            },
        ),
        env={"STREAMLIT_THEME_BASE": THEME_PATH},
        flags=(("theme.dark.sidebar.primaryColor", "#000007"),),
    ),
}


# Valid TOML that the `toml` package of Streamlit 1.40 reads differently from TOML 1.0 (and from
# stconfig, which reads TOML 1.0 with tomllib): known disagreements on 1.40 only.
TOML_PACKAGE_BUGS = {
    # `toml` keeps the space: the section is "runner " (unknown), so the key does not apply.
    "spaced_dotted_key": (b"runner . magicEnabled = false\n", {"runner.magicEnabled": 1}),
    # `toml` drops a multi-line literal string followed by a comment: the key does not apply.
    "multiline_literal_then_comment": (
        b"[theme]\nprimaryColor = '''two\nlines'''  # why\n",
        {"theme.primaryColor": 2},
    ),
    # `toml` rejects a signed integer inside an inline table: `streamlit run` fails.
    "signed_int_in_inline_table": (b"server = { port = +5 }\n", {"server.port": 1}),
}
for _name, (_data, _lines) in TOML_PACKAGE_BUGS.items():
    KNOWN_CASES[_name] = Scenario(
        cwd_is_home=False, script="none", files={"project": ConfigText(_data, _lines)}
    )


@pytest.mark.parametrize("name", sorted(KNOWN_CASES))
def test_known_case(
    name: str,
    streamlit_python: Path,
    stconfig_cache: Path,
    tmp_path: Path,
) -> None:
    scenario = KNOWN_CASES[name]
    layout = materialize(scenario, tmp_path.resolve() / "s")
    oracle = run_oracle(streamlit_python, scenario, layout)
    done = run_stconfig(streamlit_python, scenario, layout, stconfig_cache)
    toml_bug = bool(oracle["toml_divergence"])
    # The oracle spots exactly these files, so rejecting such examples hides nothing else.
    assert toml_bug == (
        name in TOML_PACKAGE_BUGS and oracle["streamlit_version"].startswith("1.40.")
    )
    if toml_bug:
        with pytest.raises(AssertionError):
            check_agreement(scenario, layout, oracle, done)
    else:
        check_agreement(scenario, layout, oracle, done)


def test_precedence_every_layer_in_turn(
    streamlit_python: Path, stconfig_cache: Path, tmp_path: Path
) -> None:
    """The same key in every layer; taking the layers away from the top one by one, the next one
    down wins, in Streamlit and in stconfig alike (flag, env, script file, project file, global
    file, default)."""
    full = KNOWN_CASES["same_key_in_every_layer"]
    steps = [
        full,
        replace(full, flags=()),
        replace(full, flags=(), env={}),
        replace(
            full, flags=(), env={}, files={k: v for k, v in full.files.items() if k != "script"}
        ),
        replace(full, flags=(), env={}, files={"home": full.files["home"]}),
        replace(full, flags=(), env={}, files={}),
    ]
    winners = []
    for index, scenario in enumerate(steps):
        layout = materialize(scenario, tmp_path.resolve() / str(index))
        oracle = run_oracle(streamlit_python, scenario, layout)
        done = run_stconfig(streamlit_python, scenario, layout, stconfig_cache)
        check_agreement(scenario, layout, oracle, done)
        source = json.loads(done.stdout)["options"].get("server.port", {"source": {}})["source"]
        winners.append(source.get("scope", "default"))
    if streamlit_python == Path(sys.executable):
        assert winners == ["flag", "env", "script", "project", "global", "default"]
    else:  # 1.40 reads no script-level file
        assert winners == ["flag", "env", "project", "project", "global", "default"]


def test_defaults_agree(streamlit_python: Path, stconfig_cache: Path, tmp_path: Path) -> None:
    """`show --all` with nothing set: every option stconfig lists is Streamlit's, from its default,
    with Streamlit's value unless it is computed at run time or secret."""
    scenario = Scenario(cwd_is_home=False, script="none", files={})
    layout = materialize(scenario, tmp_path.resolve() / "s")
    oracle = run_oracle(streamlit_python, scenario, layout)["options"]
    done = run_stconfig(streamlit_python, scenario, layout, stconfig_cache, "--all")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)["options"]
    assert set(shown) <= set(oracle)
    assert len(shown) > len(oracle) / 2  # every visible option, not a few
    for key, got in shown.items():
        assert got["source"] == {"scope": "default"}, key
        assert oracle[key]["where_defined"] == "<default>", key
        if not (got["default_computed"] or oracle[key]["hidden"]):
            assert _canonical(got["value"]) == _canonical(oracle[key]["value"]), key


# --- the oracle itself ------------------------------------------------------------------------


def _without_run_details(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in ("construction", "stderr")}


@given(scenario=scenarios())
@settings(SETTINGS, max_examples=max(5, EXAMPLES // 4))
def test_oracle_constructions_agree(scenario: Scenario, streamlit_python: Path) -> None:
    """Streamlit's own `main(["run", ...])` cut at check_credentials() and a hand-built click
    context for `run` resolve the same: the cut-off point changes nothing."""
    with tempfile.TemporaryDirectory() as root:
        layout = materialize(scenario, Path(root).resolve())
        by_cli = run_oracle(streamlit_python, scenario, layout, "cli")
        by_context = run_oracle(streamlit_python, scenario, layout, "context")
    assert _without_run_details(by_cli) == _without_run_details(by_context)


def test_run_prefixed_env_vars_apply(streamlit_python: Path, tmp_path: Path) -> None:
    """STREAMLIT_RUN_<SECTION>_<NAME> reaches the config through the oracle as through
    `streamlit run`, after the explicit name, and an empty explicit value does not hide it."""
    scenario = Scenario(
        cwd_is_home=False,
        script="none",
        files={},
        env={
            "STREAMLIT_RUN_SERVER_MAXUPLOADSIZE": "7",
            "STREAMLIT_SERVER_PORT": "",
            "STREAMLIT_RUN_SERVER_PORT": "8123",
            "STREAMLIT_RUNNER_MAGIC_ENABLED": "no",
            "STREAMLIT_RUN_RUNNER_MAGICENABLED": "yes",
        },
    )
    options = run_oracle(streamlit_python, scenario, materialize(scenario, tmp_path))["options"]
    assert options["server.maxUploadSize"] == {
        "value": 7,
        "where_defined": BY_CLICK,
        "hidden": False,
    }
    assert options["server.port"]["value"] == 8123
    assert options["runner.magicEnabled"]["value"] is False


def test_oracle_reports_refusals(streamlit_python: Path, tmp_path: Path) -> None:
    bad_env = Scenario(False, "none", {}, env={"STREAMLIT_SERVER_HEADLESS": "maybe"})
    result = run_oracle(streamlit_python, bad_env, materialize(bad_env, tmp_path / "a"))
    assert (result["status"], result["exit_code"]) == ("exit", 2)
    toplevel = Scenario(False, "none", {"project": ConfigText(b"foo = 1\n", {})})
    result = run_oracle(streamlit_python, toplevel, materialize(toplevel, tmp_path / "b"))
    assert result["status"] == "error"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


_SITECUSTOMIZE = """\
import atexit, json, os, sys

def _dump():
    if "streamlit.config" not in sys.modules:
        return
    sys.path.insert(0, {tests!r})
    import streamlit_oracle
    with open(os.environ["STC_DUMP"], "w", encoding="utf-8") as handle:
        json.dump(streamlit_oracle.snapshot(), handle)

atexit.register(_dump)
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Path]:
    """A directory for a sitecustomize that dumps the config of a real `streamlit run` at exit."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_SITECUSTOMIZE.format(tests=str(TESTS)))
    yield hook


@pytest.mark.slow
def test_oracle_matches_a_real_streamlit_run(
    streamlit_python: Path, tmp_path: Path, served: Path
) -> None:
    """The oracle resolves what a real `streamlit run` server process holds once it serves."""
    port = _free_port()
    script_file = ConfigText(b"[runner]\nfastReruns = false\n", {"runner.fastReruns": 2})
    scenario = Scenario(
        cwd_is_home=False,
        script="subdir",
        files={
            "home": ConfigText(b'[theme]\nprimaryColor = "#123456"\n', {}),
            "project": ConfigText(
                b'runner.enforceSerializableSessionState = "false"\n[server]\nmaxUploadSize = 9\n',
                {},
            ),
            "script": script_file,
        },
        env={"STREAMLIT_RUN_SERVER_MAXUPLOADSIZE": "7", "STREAMLIT_SERVER_ADDRESS": "127.0.0.1"},
        flags=(
            ("server.port", str(port)),
            ("server.headless", "true"),
            ("browser.gatherUsageStats", "false"),
        ),
    )
    layout = materialize(scenario, tmp_path / "s")
    oracle = run_oracle(streamlit_python, scenario, layout)
    assert oracle["status"] == "ok", oracle

    dump = tmp_path / "dump.json"
    env = {**_base_env(layout), **scenario.env, "PYTHONPATH": str(served), "STC_DUMP": str(dump)}
    server = subprocess.Popen(
        [
            str(streamlit_python),
            "-m",
            "streamlit",
            "run",
            str(layout.streamlit_script),
            *scenario.flag_args(),
        ],
        cwd=layout.project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "streamlit run did not become healthy"
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    served_options = json.loads(dump.read_text(encoding="utf-8"))
    # Once bound, the server records the port it got as set by "<streamlit>" itself: same value,
    # a runtime write after loading, not part of resolution.
    for key, option in served_options.items():
        if option["where_defined"] == "<streamlit>":
            assert option["value"] == oracle["options"][key]["value"], key
            option["where_defined"] = oracle["options"][key]["where_defined"]
    assert served_options == oracle["options"], output
    # Precedence as users see it: env beats the project file, the script-level file counts (1.67).
    assert served_options["server.maxUploadSize"]["value"] == 7
    assert served_options["runner.enforceSerializableSessionState"]["value"] == "false"

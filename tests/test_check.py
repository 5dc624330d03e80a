"""`stconfig check`: each kind of finding with its place and hint, exit codes, JSON, the layers,
the environment, the corpus of real files, and the pre-commit hook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, shared_dir, write_config
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stconfig.catalog.store import load_catalog
from stconfig.check import check_bytes, check_env
from stconfig.cli.commands import app
from stconfig.layers import read_file_layer
from stconfig.model import Scope

KEY = "runner.enforceSerializableSessionState"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["check", *args], env=env)


def findings(text: str | bytes, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    data = text.encode() if isinstance(text, str) else text
    found = check_bytes(data, Path("/p/config.toml"), load_catalog(None), env or {})
    return [f.to_json() for f in found]


def only(text: str | bytes, env: dict[str, str] | None = None) -> dict[str, Any]:
    found = findings(text, env)
    assert len(found) == 1, found
    return found[0]


# --- findings, one kind at a time -------------------------------------------------------------


def test_clean_file_has_no_findings() -> None:
    text = (
        "# team config\n[runner]\nenforceSerializableSessionState = true\n"
        "[server]\nport = 8502\nfolderWatchList = ['src']\n[logger]\nlevel = 'DEBUG'\n"
        "[client]\nshowErrorLinks = true\n[theme.light.sidebar]\nprimaryColor = '#fff'\n"
        "[browser]\nserverPort = 80\n"
    )
    assert findings(text) == []


def test_syntax_error_with_line_and_column() -> None:
    finding = only("[server]\nport = 8501\nheadless = \n")
    assert (finding["code"], finding["line"], finding["column"]) == ("toml-syntax", 3, 12)
    assert finding["severity"] == "error"
    assert "Streamlit skips the file" in finding["message"]
    assert "(at line" not in finding["message"]  # the position is in line/column, not repeated
    assert "quote strings" in finding["hint"]


def test_syntax_error_at_end_of_document_has_a_position() -> None:
    finding = only('[server]\naddress = "abc')
    assert (finding["line"], finding["column"]) == (2, 15)
    assert "close the string" in finding["hint"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[runner]\nmagicEnabled = true\nmagicEnabled = false\n", 3),
        ("[runner]\nmagicEnabled = true\n\n[runner]\nfastReruns = true\n", 4),
        ("runner.magicEnabled = true\n[runner]\nfastReruns = true\n", 2),
    ],
)
def test_duplicate_keys_and_tables(text: str, line: int) -> None:
    finding = only(text)
    assert (finding["code"], finding["line"]) == ("duplicate-key", line)
    assert "once" in finding["hint"]


def test_bom_is_an_error_and_the_rest_is_still_checked() -> None:
    found = findings(b"\xef\xbb\xbf[server]\nprot = 1\n")
    assert [(f["code"], f["line"], f["column"]) for f in found] == [
        ("bom", 1, 1),
        ("unknown-key", 2, 1),
    ]
    assert "Streamlit skips the file" in found[0]["message"]
    assert "without a BOM" in found[0]["hint"]


def test_not_utf8_points_at_the_byte() -> None:
    finding = only(b"[server]\nbaseUrlPath = '\xe9t\xe9'\n")
    assert (finding["code"], finding["line"], finding["column"]) == ("not-utf8", 2, 16)
    assert finding["hint"] == "save the file as UTF-8"


def test_top_level_key_says_where_it_belongs() -> None:
    found = findings("primaryColor = '#f00'\n[server]\nport = 1\n")
    assert [(f["code"], f["line"], f["key"]) for f in found] == [
        ("top-level-key", 1, "primaryColor")
    ]
    assert "fails to start" in found[0]["message"]
    assert (
        found[0]["hint"] == "move it under [theme] (or [theme.dark], [theme.dark.sidebar], "
        "[theme.light], [theme.light.sidebar], [theme.sidebar])"
    )


def test_invalid_theme_section_suggests_the_valid_order() -> None:
    finding = only("[theme]\nbase = 'dark'\n\n[theme.sidebar.light]\nprimaryColor = '#fff'\n")
    assert (finding["code"], finding["line"]) == ("theme-section", 4)
    assert finding["hint"] == "did you mean [theme.light.sidebar]?"


def test_unknown_key_with_did_you_mean() -> None:
    finding = only("[runner]\nenforceSerializableSessionstate = true\n")
    assert (finding["code"], finding["severity"], finding["line"]) == ("unknown-key", "error", 2)
    assert finding["key"] == "runner.enforceSerializableSessionstate"
    assert finding["hint"] == f"did you mean {KEY}?"
    assert only("[nosuch]\nthing = 1\n")["hint"] == "see `stconfig options` for the valid keys"


def test_removed_keys_are_warnings_naming_the_replacement() -> None:
    found = findings("[global]\nlogLevel = 'debug'\n[client]\ncaching = true\n[s3]\nbucket = 'b'\n")
    assert [(f["code"], f["severity"]) for f in found] == [("removed-key", "warning")] * 3
    assert found[0]["hint"] == "use logger.level instead"
    assert "removed" in found[1]["message"] and found[1]["hint"] == "delete the line"


@pytest.mark.parametrize("word", ["false", "False", "no", "0", "off"])
def test_string_false_for_a_bool_is_an_error_because_it_is_true(word: str) -> None:
    finding = only(f'[runner]\nenforceSerializableSessionState = "{word}"\n')
    assert (finding["code"], finding["severity"], finding["line"]) == ("wrong-type", "error", 2)
    assert "Streamlit treats it as true" in finding["message"]
    assert finding["hint"] == "write enforceSerializableSessionState = false without quotes"


def test_other_wrong_types() -> None:
    assert only("[runner]\nmagicEnabled = 1\n")["message"].endswith("treats it as true")
    assert only('[runner]\nmagicEnabled = ""\n')["message"].endswith("treats it as false")
    port = only('[server]\nport = "8502"\n')
    assert port["hint"] == "write port = 8502 without quotes"
    assert only("[server]\nport = 85.5\n")["code"] == "wrong-type"
    assert only("[server]\nport = true\n")["code"] == "wrong-type"
    # A float option takes an integer; a list option wants an array (warning: no element type).
    assert findings("[server]\nmaxUploadSize = 200\n") == []
    watch = only("[server]\nfolderWatchList = 'src'\n")
    assert (watch["severity"], watch["hint"]) == (
        "warning",
        'write a TOML array: folderWatchList = ["src"]',
    )


def test_values_outside_the_allowed_set() -> None:
    finding = only("[server]\nxsrfCookieSameSite = 'sometimes'\n")
    assert (finding["code"], finding["severity"]) == ("not-allowed", "error")
    assert finding["hint"] == "use one of lax, strict, none"
    assert findings("[server]\nxsrfCookieSameSite = 'Strict'\n") == []  # Streamlit lowers it
    assert only("[runner]\nenumCoercion = 'NameOnly'\n")["code"] == "not-allowed"  # case counts
    assert only("[logger]\nlevel = 3\n")["code"] == "not-allowed"


def test_env_references_are_checked_when_set() -> None:
    text = '[runner]\nenforceSerializableSessionState = "env:ENFORCE"\n'
    assert findings(text) == []  # unset where check runs: nothing to say
    finding = only(text, {"ENFORCE": "false"})
    assert finding["code"] == "wrong-type" and "(from env:ENFORCE)" in finding["message"]


def test_every_finding_says_what_to_do() -> None:
    text = (
        "top = 1\n[runner]\nmagicEnabled = 'no'\nnope = 1\n[client]\ncaching = 1\n"
        "[server]\nxsrfCookieSameSite = 'x'\n[theme.dark.light]\nbase = 'x'\n"
    )
    found = findings(text)
    assert len(found) == 6
    assert all(f["hint"] and f["message"] for f in found)


def test_env_findings() -> None:
    env = {
        "STREAMLIT_SERVER_PORT": "abc",
        "STREAMLIT_RUNNER_MAGIC_ENABLED": "maybe",
        "STREAMLIT_SERVER_PROT": "1",
        "STREAMLIT_RUN_TARGET": "app.py",  # Streamlit's own, not an option: no finding
        "STREAMLIT_RUN_SERVER_COOKIESECRET": "x",
    }
    found = {f.env_var: f for f in check_env(load_catalog(None), env)}
    assert set(found) == {
        "STREAMLIT_SERVER_PORT",
        "STREAMLIT_RUNNER_MAGIC_ENABLED",
        "STREAMLIT_SERVER_PROT",
        "STREAMLIT_RUN_SERVER_COOKIESECRET",
    }
    assert found["STREAMLIT_SERVER_PORT"].code == "env-invalid"
    assert found["STREAMLIT_SERVER_PORT"].key == "server.port"
    assert "exits with an error" in found["STREAMLIT_SERVER_PORT"].message
    assert "true/false" in found["STREAMLIT_RUNNER_MAGIC_ENABLED"].hint
    assert found["STREAMLIT_SERVER_PROT"].severity == "warning"
    assert "STREAMLIT_SERVER_PORT" in found["STREAMLIT_SERVER_PROT"].hint
    assert found["STREAMLIT_RUN_SERVER_COOKIESECRET"].hint == (
        "rename it to STREAMLIT_SERVER_COOKIE_SECRET"
    )


# --- the command ------------------------------------------------------------------------------


def test_layers_and_env_by_default(home: Path, project: Path) -> None:
    write_config(home, "[server]\nport = 'x'\n")
    write_config(project, "[runner]\nmagicEnabled = 'false'\n")
    result = run(env={"STREAMLIT_SERVER_HEADLESS": "perhaps"})
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{home}/.streamlit/config.toml:2:1: error: server.port takes")
    assert lines[2].startswith(".streamlit/config.toml:2:1: error: runner.magicEnabled")
    assert lines[4].startswith("env STREAMLIT_SERVER_HEADLESS: error:")
    assert all(line.startswith("  hint: ") for line in lines[1::2])
    assert result.stderr == (
        "stconfig: 3 errors, 0 warnings in 2 files and the STREAMLIT_* environment\n"
    )
    assert run("--no-env").exit_code == 1
    assert "STREAMLIT_SERVER_HEADLESS" not in run("--no-env").stdout


def test_script_layer_is_checked(project: Path, tmp_path: Path) -> None:
    app_dir = tmp_path / "app"
    write_config(app_dir, "[server]\nprot = 1\n")
    (app_dir / "main.py").write_text("")
    result = run("--script", str(app_dir / "main.py"), "--json")
    data = json.loads(result.stdout)
    assert data["files"] == [str(app_dir / ".streamlit" / "config.toml")]
    assert [f["code"] for f in data["findings"]] == ["unknown-key"]


def test_nothing_to_check_is_fine() -> None:
    result = run()
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "stconfig: no problems in 0 files and the STREAMLIT_* environment\n"


def test_parent_config_dir_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path / "repo", "[server]\nport = 1\n")
    (tmp_path / "repo" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "repo" / "sub")
    result = run("--json")
    assert result.exit_code == 0
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["severity"]) == ("parent-config-dir", "warning")
    assert "-C" in finding["hint"]


def test_parent_warning_names_the_config_file_not_a_secrets_only_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parent `.streamlit/` with only secrets.toml or local_id.txt is no config to point at;
    the warning names the nearest parent config.toml, even above such a directory."""
    config = write_config(tmp_path / "repo", "[server]\nport = 1\n")
    middle = tmp_path / "repo" / "apps"
    (middle / ".streamlit").mkdir(parents=True)
    (middle / ".streamlit" / "secrets.toml").write_text('password = "hunter2"\n')
    (middle / ".streamlit" / "local_id.txt").write_text("x\n")
    (middle / "one").mkdir()
    monkeypatch.chdir(middle / "one")
    (finding,) = json.loads(run("--json").stdout)["findings"]
    assert finding["code"] == "parent-config-dir" and finding["file"] == str(config)
    assert finding["message"].startswith(f"{config} is in a parent directory")
    config.unlink()
    assert json.loads(run("--json").stdout)["findings"] == []


def test_a_secrets_file_is_not_checked_as_config(project: Path) -> None:
    path = project / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text('password = "hunter2"\n[connections.db]\nurl = "postgres://u:pw@h/db"\n')
    result = run(".streamlit/secrets.toml")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "stconfig: error: .streamlit/secrets.toml is a Streamlit secrets file, not a config file"
    )
    assert "hunter2" not in result.output and "pw@h" not in result.output


def test_warnings_pass_unless_strict(project: Path) -> None:
    path = write_config(project, "[global]\nlogLevel = 'info'\n")
    assert run(str(path)).exit_code == 0
    strict = run("--strict", str(path))
    assert strict.exit_code == 1
    assert "(--strict: warnings fail)" in strict.stderr


def test_given_files_only_and_exit_3_when_missing(project: Path) -> None:
    write_config(project, "[server]\nport = 'x'\n")
    good = project / "good.toml"
    good.write_text("[server]\nport = 1\n")
    assert run(str(good)).exit_code == 0  # the broken project file is not looked at
    missing = run(str(good), "nope.toml")
    assert missing.exit_code == 3
    assert missing.stderr == "stconfig: error: nope.toml: no such file\n"
    assert missing.stdout == ""
    assert run(str(project)).exit_code == 3  # a directory


def test_json_shape(project: Path) -> None:
    path = write_config(project, "[runner]\nenforceSerializableSessionState = 'false'\n")
    result = run("--json", str(path))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["warnings"] == 0 and data["env_checked"] is False
    assert data["files"] == [str(path)]
    assert data["streamlit_version"] == data["catalog_version"] == "1.67.0"
    assert data["findings"] == [
        {
            "severity": "error",
            "code": "wrong-type",
            "file": str(path),
            "line": 2,
            "column": 1,
            "key": KEY,
            "env_var": None,
            "flag": None,
            "message": f'{KEY} is a string "false", not a boolean: Streamlit treats it as true',
            "hint": "write enforceSerializableSessionState = false without quotes",
        }
    ]
    assert result.stderr == ""  # --json: the summary is in the data


def test_quiet_keeps_the_findings_and_drops_the_summary(project: Path) -> None:
    path = write_config(project, "[server]\nprot = 1\n")
    result = run("-q", str(path))
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "unknown option server.prot" in result.stdout


def test_console_script_in_a_subprocess(project: Path) -> None:
    write_config(project, "[server]\nport = 'x'\n")
    result = subprocess.run(
        [sys.executable, "-m", "stconfig", "check", "--no-env"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(".streamlit/config.toml:2:1: error: server.port takes")
    assert "\x1b[" not in result.stdout


# --- agreement with the read side and real files ----------------------------------------------


def test_corpus_check_agrees_with_the_reader(tmp_path: Path) -> None:
    corpus = shared_dir("corpus")
    catalog = load_catalog(None)
    paths = sorted([*corpus.glob("*.toml"), *corpus.glob("crlf_restored/*.toml")])
    assert paths
    for path in paths:
        found = check_bytes(path.read_bytes(), path, catalog, {})
        layer = read_file_layer(Scope.PROJECT, path, catalog, {})
        errors = {f.code for f in found if f.severity == "error"}
        fatal = {
            "toml-syntax",
            "duplicate-key",
            "bom",
            "not-utf8",
            "top-level-key",
            "theme-section",
        }
        # Whatever makes the reader give up on a file, check reports as an error there...
        assert bool(layer.error) == bool(errors & fatal), (path, layer.error, found)
        if layer.error:
            continue
        # ...and every key the reader could not place in the catalog is a finding with its line.
        flagged = {
            (f.key, f.position and f.position.line)
            for f in found
            if f.code in ("unknown-key", "removed-key")
        }
        unknown = {(s.key, s.source.line) for s in layer.unknown.values()}
        assert flagged == unknown, path
        for f in found:
            assert f.position is not None, f
            assert f.position.line is not None and f.position.column is not None, f


# --- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "- id: stconfig-check" in text
    assert "entry: stconfig check --no-env" in text
    assert "language: python" in text
    pattern = next(line for line in text.splitlines() if line.strip().startswith("files:"))
    regex = pattern.split(":", 1)[1].strip().strip("'\"")
    import re

    assert re.search(regex, ".streamlit/config.toml")
    assert re.search(regex, "apps/dash/.streamlit/config.toml")
    assert not re.search(regex, "pyproject.toml")


def test_hook_style_invocation_with_several_files(project: Path) -> None:
    a = write_config(project / "a", "[server]\nport = 1\n")
    b = write_config(project / "b", "[server]\nport = 'x'\n")
    result = run(os.path.relpath(a), os.path.relpath(b))
    assert result.exit_code == 1
    assert result.stdout.startswith("b/.streamlit/config.toml:2:1: error:")


# --- against the real Streamlit ---------------------------------------------------------------

FATAL_CODES = {"top-level-key", "theme-section", "not-utf8"}


@pytest.mark.parametrize(
    ("text", "codes", "streamlit_fails"),
    [
        ("[server]\nport = 8502\n", set(), False),
        ("[server]\nprot = 1\n", {"unknown-key"}, False),  # ignored with a warning
        ("[global]\nlogLevel = 'info'\n", {"removed-key"}, False),
        ("port = 1\n", {"top-level-key"}, True),
        ("[theme.sidebar.light]\nbase = 'dark'\n", {"theme-section"}, True),
        ("[server]\nxsrfCookieSameSite = 'foo'\n", {"not-allowed"}, True),
        ("[server]\nport = 8502\nport = 8503\n", {"duplicate-key"}, False),  # skipped
    ],
)
def test_what_check_says_streamlit_does(
    project: Path, text: str, codes: set[str], streamlit_fails: bool
) -> None:
    path = write_config(project, text)
    found = check_bytes(path.read_bytes(), path, load_catalog(None), {})
    assert {f.code for f in found} == codes
    for finding in found:
        assert ("fails to start" in finding.message) == (finding.code in FATAL_CODES)
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (shown.returncode != 0) == streamlit_fails, shown.stderr[-2000:]


@pytest.mark.slow
def test_check_follows_the_installed_streamlit_1_40(
    project: Path, streamlit_140_python: Path
) -> None:
    """1.40's catalog: no theme sub-sections, no folderWatchList, and a syntax error is fatal."""
    env = {"VIRTUAL_ENV": str(streamlit_140_python.parents[1])}
    path = write_config(
        project, "[server]\nfolderWatchList = ['src']\n[theme.light]\nprimaryColor = '#fff'\n"
    )
    data = json.loads(run("--json", "--no-env", env=env).stdout)
    assert data["streamlit_version"] == data["catalog_version"] == "1.40.0"
    assert [(f["code"], f["key"]) for f in data["findings"]] == [
        ("unknown-key", "server.folderWatchList"),
        ("unknown-key", "theme.light"),
    ]
    path.write_text("[server]\nport = \n")
    (finding,) = json.loads(run("--json", "--no-env", env=env).stdout)["findings"]
    assert finding["code"] == "toml-syntax"
    assert "`streamlit run` fails" in finding["message"]
    shown = subprocess.run(
        [str(streamlit_140_python), "-m", "streamlit", "config", "show"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode != 0


# --- never a traceback, always a place --------------------------------------------------------


def test_toml_test_suite_invalid_files_are_errors_with_a_place() -> None:
    suite = shared_dir("toml-test")
    catalog = load_catalog(None)
    invalid = sorted((suite / "invalid").rglob("*.toml"))
    assert invalid
    accepted = 0
    for path in invalid:
        found = check_bytes(path.read_bytes(), path, catalog, {})
        file_level = [f for f in found if f.code in ("toml-syntax", "duplicate-key", "not-utf8")]
        if not file_level:
            accepted += 1  # tomllib itself accepts a few of the suite's invalid files
            continue
        (finding,) = file_level
        lines = path.read_bytes().count(b"\n") + 1
        assert finding.position is not None, (path, finding)
        line, column = finding.position.line, finding.position.column
        assert line is not None and 1 <= line <= lines, (path, finding)
        assert column is not None and column >= 1, (path, finding)
    assert accepted < len(invalid) // 20


def test_toml_test_suite_valid_files_have_no_file_level_errors() -> None:
    suite = shared_dir("toml-test")
    catalog = load_catalog(None)
    for path in sorted((suite / "valid").rglob("*.toml")):
        found = check_bytes(path.read_bytes(), path, catalog, {})
        assert not [f for f in found if f.code in ("toml-syntax", "duplicate-key")], path
        assert all(f.hint for f in found)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_any_bytes_give_findings_not_exceptions(data: bytes) -> None:
    for finding in check_bytes(data, Path("/p/config.toml"), load_catalog(None), {}):
        assert finding.severity in ("error", "warning")
        assert finding.message and finding.hint


# Every TOML type against every option type: (option, TOML value) -> the finding `check` gives.
# Streamlit declares string options without a stricter type (theme sizes take numbers too), so
# they take any value; a list option given a scalar is a warning (Streamlit keeps the scalar).
_TYPE_OPTIONS = {
    "bool": "runner.magicEnabled",
    "int": "server.port",
    "float": "global.minCachedMessageSize",
    "str": "server.baseUrlPath",
    "list": "server.folderWatchList",
}
_TOML_VALUES = (
    "true",
    "1",
    "1.5",
    '"x"',
    '"true"',
    '"yes"',
    '"8501"',
    "[1]",
    "{a = 1}",
    "1979-05-27",
)
_ACCEPTS = {
    "bool": {"true"},
    "int": {"1"},
    "float": {"1", "1.5"},
    "str": set(_TOML_VALUES),
    "list": {"[1]"},
}


@pytest.mark.parametrize("kind", sorted(_TYPE_OPTIONS))
@pytest.mark.parametrize("literal", _TOML_VALUES)
def test_every_toml_type_for_every_option_type(kind: str, literal: str) -> None:
    key = _TYPE_OPTIONS[kind]
    section, name = key.split(".")
    text = f"[{section}]\n{name} = {literal}\n"
    found = [
        (f.severity, f.code)
        for f in check_bytes(text.encode(), Path("config.toml"), load_catalog(None), {})
    ]
    if literal in _ACCEPTS[kind]:
        assert found == [], (key, literal)
    else:
        severity = "warning" if kind == "list" else "error"
        assert found == [(severity, "wrong-type")], (key, literal)

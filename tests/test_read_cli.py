"""The read commands through the CLI: show, get, files, options, describe."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from typer.testing import CliRunner

from stconfig.cli.commands import app

KEY = "runner.enforceSerializableSessionState"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def show_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run("show", "--json", *args, env=env)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_project_beats_global_with_lines_and_overridden(home: Path, project: Path) -> None:
    global_file = write_config(home, "[runner]\nenforceSerializableSessionState = false\n")
    project_file = write_config(
        project,
        f"# team settings\n\n[runner]\n# why: catch pickling bugs\n{KEY.split('.')[1]} = true\n",
    )
    data = show_json()
    option = data["options"][KEY]
    assert option["value"] is True
    assert option["default"] is False
    assert option["source"] == {"scope": "project", "path": str(project_file), "line": 5}
    assert option["overridden"] == [
        {"scope": "global", "path": str(global_file), "line": 2, "value": False}
    ]
    assert [layer["scope"] for layer in data["layers"]] == ["global", "project"]
    assert data["project_dir"] == str(project)


def test_only_set_options_by_default_and_all_lists_visible(project: Path) -> None:
    write_config(project, "[server]\nport = 8600\n")
    assert list(show_json()["options"]) == ["server.port"]
    everything = show_json("--all")["options"]
    assert KEY in everything and "server.port" in everything
    assert everything[KEY]["source"] == {"scope": "default"}


def test_forms_of_keys_all_resolve_with_their_lines(project: Path) -> None:
    path = write_config(
        project,
        "runner.magicEnabled = false\nserver = { port = 9000, headless = true }\n"
        '[theme]\nbase = "dark"\n[theme.light.sidebar]\nprimaryColor = "#ff0000"\n',
    )
    options = show_json()["options"]
    assert options["runner.magicEnabled"]["source"]["line"] == 1
    assert options["server.port"]["value"] == 9000
    assert options["server.headless"]["source"] == {
        "scope": "project",
        "path": str(path),
        "line": 2,
    }
    assert options["theme.light.sidebar.primaryColor"]["source"]["line"] == 6


def test_piped_show_is_valid_toml_with_sources(home: Path, project: Path) -> None:
    write_config(home, '[theme]\nbase = "dark"\nfont = "serif \\"x\\"\\u0007"\n')
    write_config(project, "[server]\nfolderWatchList = ['a', 'b c']\nport = 8600\n")
    result = run("show")
    assert result.exit_code == 0, result.output
    parsed = tomllib.loads(result.stdout)
    assert parsed["server"] == {"folderWatchList": ["a", "b c"], "port": 8600}
    assert parsed["theme"]["font"] == 'serif "x"\x07'
    assert "# project " in result.stdout and "config.toml:3" in result.stdout


def test_piped_show_all_parses_even_with_computed_and_hidden(project: Path) -> None:
    write_config(project, '[server]\ncookieSecret = "s3cret"\n')
    result = run("show", "--all")
    assert result.exit_code == 0, result.output
    tomllib.loads(result.stdout)
    assert "s3cret" not in result.stdout
    assert "<computed>" in result.stdout


def test_get_prints_shell_friendly_values(project: Path) -> None:
    write_config(
        project,
        "[runner]\nenforceSerializableSessionState = true\n[server]\nport = 8600\n"
        'baseUrlPath = "app"\nfolderWatchList = ["a", "b"]\n',
    )
    assert run("get", KEY).stdout == "true\n"
    assert run("get", "server.port").stdout == "8600\n"
    assert run("get", "server.baseUrlPath").stdout == "app\n"
    assert run("get", "server.folderWatchList").stdout == '["a", "b"]\n'
    assert run("get", "runner.magicEnabled").stdout == "true\n"  # the default


def test_get_show_origin_and_json(project: Path) -> None:
    path = write_config(project, "[runner]\nenforceSerializableSessionState = true\n")
    assert run("get", "--show-origin", KEY).stdout == f"project {path}:2\ttrue\n"
    data = json.loads(run("get", "--json", KEY).stdout)
    assert data["key"] == KEY and data["value"] is True
    assert data["source"] == {"scope": "project", "path": str(path), "line": 2}


def test_get_with_a_target_reads_only_that_file(home: Path, project: Path) -> None:
    write_config(home, "[server]\nport = 1111\n")
    write_config(project, "[server]\nport = 2222\n")
    assert run("get", "--global", "server.port").stdout == "1111\n"
    assert run("get", "--project", "server.port").stdout == "2222\n"
    missing = run("get", "--global", KEY)
    assert missing.exit_code == 1
    assert missing.stdout == ""


def test_unknown_key_is_a_usage_error_with_a_suggestion() -> None:
    result = run("get", "runner.enforceSerializableSessionstate")
    assert result.exit_code == 2
    assert result.stderr.startswith("stconfig: error: unknown option")
    assert "did you mean 'runner.enforceSerializableSessionState'" in result.stderr
    assert "Traceback" not in result.output


def test_removed_key_is_named_as_removed() -> None:
    result = run("get", "client.caching")
    assert result.exit_code == 2
    assert "removed" in result.stderr


def test_env_vars_as_streamlit_run_reads_them() -> None:
    data = show_json(env={"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "YES"})
    assert data["options"][KEY]["value"] is True
    assert data["options"][KEY]["source"] == {
        "scope": "env",
        "name": "STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE",
    }
    auto = show_json(env={"STREAMLIT_RUN_RUNNER_ENFORCESERIALIZABLESESSIONSTATE": "on"})
    assert auto["options"][KEY]["source"]["name"] == (
        "STREAMLIT_RUN_RUNNER_ENFORCESERIALIZABLESESSIONSTATE"
    )
    empty = show_json(env={"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": ""})
    assert KEY not in empty["options"]
    listed = show_json(env={"STREAMLIT_SERVER_FOLDER_WATCH_LIST": " a  b\tc "})
    assert listed["options"]["server.folderWatchList"]["value"] == ["a", "b", "c"]


def test_invalid_env_value_is_reported_not_used(project: Path) -> None:
    write_config(project, "[server]\nport = 8600\n")
    result = run("show", env={"STREAMLIT_SERVER_PORT": "eighty"})
    assert result.exit_code == 0
    assert "STREAMLIT_SERVER_PORT='eighty'" in result.stderr
    assert "port = 8600" in result.stdout


def test_no_env_ignores_streamlit_variables() -> None:
    data = show_json("--no-env", env={"STREAMLIT_SERVER_PORT": "9999"})
    assert "server.port" not in data["options"]


def test_flag_beats_env_and_file(project: Path) -> None:
    write_config(project, "[server]\nport = 8600\n")
    data = show_json("--flag", "server.port=7000", env={"STREAMLIT_SERVER_PORT": "9999"})
    option = data["options"]["server.port"]
    assert option["value"] == 7000
    assert option["source"] == {"scope": "flag", "name": "--server.port"}
    assert [o["scope"] for o in option["overridden"]] == ["env", "project"]


def test_bad_flags_are_usage_errors() -> None:
    assert run("show", "--flag", "server.prot=1").exit_code == 2
    assert run("show", "--flag", "server.port").exit_code == 2
    assert run("show", "--flag", "server.port=x").exit_code == 2
    secret = run("show", "--flag", "server.cookieSecret=x")
    assert secret.exit_code == 2
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in secret.stderr


def test_cookie_secret_is_never_printed(project: Path) -> None:
    write_config(project, '[server]\ncookieSecret = "from-file"\n')
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": "from-env"}
    for args in (
        ["show"],
        ["show", "--json"],
        ["show", "--json", "--layers"],
        ["get", "server.cookieSecret"],
    ):
        result = run(*args, env=env)
        assert "from-file" not in result.output and "from-env" not in result.output
    data = show_json(env=env)["options"]["server.cookieSecret"]
    assert data["value"] == "<hidden>"
    assert data["source"] == {"scope": "env", "name": "STREAMLIT_SERVER_COOKIE_SECRET"}
    assert data["overridden"][0]["value"] == "<hidden>"


def test_env_reference_values_are_resolved_and_labelled(project: Path) -> None:
    write_config(project, '[server]\nport = "env:MY_PORT"\nbaseUrlPath = "env:UNSET_VAR"\n')
    options = show_json(env={"MY_PORT": "8123"})["options"]
    assert options["server.port"]["value"] == 8123
    assert options["server.port"]["source"]["env_ref"] == "MY_PORT"
    assert options["server.baseUrlPath"]["value"] == "env:UNSET_VAR"


def test_string_false_is_kept_as_a_string(project: Path) -> None:
    write_config(project, '[runner]\nenforceSerializableSessionState = "false"\n')
    assert show_json()["options"][KEY]["value"] == "false"


def test_script_level_layer_beats_project(project: Path, tmp_path: Path) -> None:
    app_dir = tmp_path / "apps"
    script = app_dir / "main.py"
    app_dir.mkdir()
    script.write_text("")
    write_config(project, "[runner]\nenforceSerializableSessionState = false\n")
    script_file = write_config(app_dir, "[runner]\nenforceSerializableSessionState = true\n")
    data = show_json("--script", str(script))
    assert data["options"][KEY]["source"] == {
        "scope": "script",
        "path": str(script_file),
        "line": 2,
    }
    assert [layer["scope"] for layer in data["layers"]] == ["global", "project", "script"]
    assert KEY in show_json()["options"]
    assert show_json()["options"][KEY]["value"] is False


def test_script_in_project_dir_adds_no_layer(project: Path) -> None:
    (project / "app.py").write_text("")
    data = show_json("--script", "app.py")
    assert [layer["scope"] for layer in data["layers"]] == ["global", "project"]


def test_project_dir_at_home_is_one_layer(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(home)
    write_config(home, "[server]\nport = 8600\n")
    data = show_json()
    assert len(data["layers"]) == 1
    assert data["options"]["server.port"]["overridden"] == []


def test_project_dir_option(tmp_path: Path) -> None:
    other = tmp_path / "other"
    write_config(other, "[server]\nport = 8700\n")
    assert run("get", "-C", str(other), "server.port").stdout == "8700\n"
    assert run("get", "-C", str(tmp_path / "missing"), "server.port").exit_code == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xef\xbb\xbf[server]\nport = 1\n", "BOM"),
        (b"[server]\nport = = 1\n", "syntax error"),
        (b"[server]\nport = 1\n[server]\n", "syntax error"),
        (b"[server]\nport = 1\xff\n", "UTF-8"),
        (b"port = 1\n", "not a table"),
        (b"[theme.sidebar.light]\nbase = 'dark'\n", "theme section"),
    ],
)
def test_broken_project_file_is_skipped_with_a_warning(
    home: Path, project: Path, content: bytes, reason: str
) -> None:
    write_config(home, "[server]\nport = 1234\n")
    path = project / ".streamlit" / "config.toml"
    path.parent.mkdir()
    path.write_bytes(content)
    result = run("show")
    assert result.exit_code == 0
    assert reason in result.stderr
    assert str(path) in result.stderr
    assert "port = 1234" in result.stdout
    layer = show_json()["layers"][1]
    assert layer["exists"] is True and reason in layer["error"]


def test_parent_streamlit_dir_is_pointed_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, "[server]\nport = 1\n")
    sub = tmp_path / "project" / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = run("show")
    assert "parent directory" in result.stderr


def test_show_filters_keys_and_sections(project: Path) -> None:
    write_config(project, "[server]\nport = 8600\n[runner]\nfastReruns = false\n")
    assert list(show_json("server.port")["options"]) == ["server.port"]
    runner_section = show_json("runner")["options"]
    assert KEY in runner_section and "server.port" not in runner_section
    assert run("show", "runer").exit_code == 2


def test_show_layers_json_marks_the_winner(home: Path, project: Path) -> None:
    write_config(home, "[server]\nport = 1\n")
    write_config(project, "[server]\nport = 2\n")
    layers = show_json("--layers")["options"]["server.port"]["layers"]
    assert [(entry["scope"], entry["value"], entry["wins"]) for entry in layers] == [
        ("global", 1, False),
        ("project", 2, True),
    ]


def test_files_reports_layers_env_and_streamlit(project: Path) -> None:
    write_config(project, "[server]\nport = 1\n")
    result = run("files", "--json", env={"STREAMLIT_SERVER_PORT": "2", "STREAMLIT_TYPO": "x"})
    data = json.loads(result.stdout)
    assert data["streamlit"]["version"]
    assert [layer["scope"] for layer in data["layers"]] == ["global", "project"]
    assert {"name": "STREAMLIT_SERVER_PORT", "key": "server.port"} in data["env"]
    assert {"name": "STREAMLIT_TYPO", "key": None} in data["env"]
    assert "project" in run("files").stdout


def test_options_and_describe() -> None:
    listed = run("options", "runner")
    assert KEY in listed.stdout
    assert run("options", "no-such-thing").exit_code == 1
    described = json.loads(run("describe", "--json", KEY).stdout)
    assert described["type"] == "bool"
    assert described["env_var"] == "STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE"
    assert "STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE" in run("describe", KEY).stdout


def test_version_and_usage_errors_are_one_line() -> None:
    assert run("--version").stdout.startswith("stconfig ")
    result = run("get")
    assert result.exit_code == 2
    assert result.stderr.startswith("stconfig: error: ")


def _stconfig(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stconfig", *args],
        cwd=cwd,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_fast_path_and_typer_path_agree(project: Path) -> None:
    write_config(
        project, "[server]\nport = 8600\n[runner]\nenforceSerializableSessionState = true\n"
    )
    for args in (
        ["show", "--json"],
        ["show"],
        ["get", "--show-origin", KEY],
        ["get", "--json", "server.port"],
    ):
        real = _stconfig(*args, cwd=project)
        assert real.returncode == 0, real.stderr
        assert real.stdout == run(*args).stdout


def test_real_process_errors_are_one_line(project: Path) -> None:
    result = _stconfig("get", "server.prot", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "stconfig: error: unknown option 'server.prot'"
    assert "Traceback" not in result.stderr


def test_piped_show_parses_with_hostile_paths_and_values(tmp_path: Path) -> None:
    weird = tmp_path / "we\x01ird\x7f dir # [x]"
    path = write_config(weird, '[server]\nbaseUrlPath = "a\\u0000b\\u007f\\"c"\n')
    result = run("show", "-C", str(weird), "--layers")
    assert result.exit_code == 0, result.output
    parsed = tomllib.loads(result.stdout)
    assert parsed["server"]["baseUrlPath"] == 'a\x00b\x7f"c'
    assert f"{path.parent.parent.name[:2]}\\x01ird" in result.stdout


_HEAVY = ("streamlit", "rich", "typer", "pydantic", "click", "tomlkit")


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["get", KEY], ()),
        (["show", "--json"], ()),
        (["files"], ()),
        (["show"], ("tomlkit",)),  # piped: a TOML document
        (["set", KEY, "true"], ("tomlkit",)),
    ],
)
def test_hot_commands_import_nothing_heavy(
    project: Path, args: list[str], allowed: tuple[str, ...]
) -> None:
    """What each hot command imports in a real process: no Streamlit, no rich (tables are for
    terminals), no Typer and its pydantic, and tomlkit only where TOML is rendered."""
    write_config(project, "[runner]\nenforceSerializableSessionState = false\n")
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules}"
        f" & set({_HEAVY!r})), file=sys.stderr))\n"
        f"sys.argv = ['stconfig', *{args!r}]\n"
        "from stconfig.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    imported = set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))
    assert imported == set(allowed), args


def test_keys_the_installed_streamlit_does_not_know_are_named(project: Path) -> None:
    path = write_config(project, "[server]\nport = 8600\nprot = 1\n[nosuch]\nx = 2\n")
    result = run("show", "--json")
    assert result.exit_code == 0
    assert list(json.loads(result.stdout)["options"]) == ["server.port"]
    assert (
        f"stconfig: warning: project {path}: Streamlit 1.67.0 ignores 2 keys it does not know: "
        "nosuch.x, server.prot (see `stconfig check`)"
    ) in result.stderr


def test_a_catalog_that_cannot_be_read_is_said(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Streamlit whose options cannot be listed (here: its metadata says 1.2.3, the interpreter
    has another) falls back to the shipped catalog, and users are told why."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    venv = project / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / "lib" / "python3.11" / "site-packages" / "streamlit-1.2.3.dist-info").mkdir(
        parents=True
    )
    result = run("show")
    assert result.exit_code == 0
    assert "stconfig: warning: cannot read the options of Streamlit 1.2.3 (" in result.stderr
    assert "using the catalog shipped for 1.67.0" in result.stderr


def test_a_broken_file_is_named_file_line_column_everywhere(project: Path) -> None:
    path = write_config(project, "[runner]\nmagicEnabled = true\nmagicEnabled = false\n")
    result = run("show", "--json")
    message = "TOML syntax error: runner.magicEnabled is defined twice (first on line 2)"
    assert f"stconfig: warning: project {path}:3:21: {message}" in result.stderr
    layer = json.loads(result.stdout)["layers"][1]
    assert (layer["error_line"], layer["error_column"]) == (3, 21)
    assert layer["error"].startswith(message)
    checked = run("check", "--json")
    (finding,) = json.loads(checked.stdout)["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("duplicate-key", 3, 21)
    assert finding["message"].startswith(message)
    refused = run("set", "server.port", "1")
    assert refused.exit_code == 3
    assert f"stconfig: error: {path}:3:21: {message}" in refused.stderr
